import { describe, expect, it } from 'vitest';
import { importFraction, importSecondsLeft, importStep } from './importProgress';
import type { ImportProgress } from '../state/importing';

const at = (p: Partial<ImportProgress>): ImportProgress => ({
  file: 'p.csv',
  fileIndex: 0,
  files: 2,
  startedAt: 0,
  ...p,
});

describe('import progress', () => {
  it('counts files equally; within one, reading its rows takes 3/4 and placing them the rest', () => {
    expect(importFraction(at({}))).toBe(0);
    expect(importFraction(at({ within: { phase: 'reading', done: 50, total: 100 } }))).toBeCloseTo(0.1875);
    expect(importFraction(at({ within: { phase: 'locating', done: 50, total: 100 } }))).toBeCloseTo(0.4375);
    expect(importFraction(at({ fileIndex: 1, within: { phase: 'locating', done: 100, total: 100 } }))).toBe(
      1,
    );
  });

  it('extrapolates the time left from the rate so far, and says what it is doing', () => {
    const p = at({ files: 1, within: { phase: 'locating', done: 500_000, total: 1_000_000 } });
    expect(importSecondsLeft(p, 3500)).toBeCloseTo(0.5); // 87.5% in 3.5 s: 0.5 s more
    expect(importSecondsLeft(at({}), 3000)).toBeNull();
    expect(importStep(p)).toBe('placing into regions: 500,000 of 1,000,000');
  });
});
