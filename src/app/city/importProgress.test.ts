import { describe, expect, it } from 'vitest';
import { importFraction, importSecondsLeft, importStep, importTitle } from './importProgress';
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

  it('reads a GeoJSON of regions as parsing (3/5 of it) then checking its polygons, with the time left', () => {
    const regions = (within: ImportProgress['within']): ImportProgress =>
      at({ file: 'tracts.geojson', files: 1, within });
    const parsing = regions({ phase: 'parsing', done: 0, total: 20 * 1024 * 1024 });
    expect(importFraction(parsing)).toBe(0);
    expect(importSecondsLeft(parsing, 2000)).toBeNull();
    expect(importStep(parsing)).toBe('parsing 20.0 MB of JSON');
    expect(importTitle(parsing)).toBe('Opening tracts.geojson');
    const checking = regions({ phase: 'checking', done: 12_000, total: 50_000 });
    expect(importFraction(checking)).toBeCloseTo(0.696);
    expect(importSecondsLeft(checking, 3480)).toBeCloseTo(1.52); // 69.6% in 3.48 s: 1.52 s more
    expect(importStep(checking)).toBe('checking polygons 12,000 of 50,000');
    expect(importFraction(regions({ phase: 'checking', done: 50_000, total: 50_000 }))).toBe(1);
  });

  it('titles an import of raw layers by its file and its place among the files', () => {
    expect(importTitle(at({ fileIndex: 1, within: { phase: 'reading', done: 1, total: 2 } }))).toBe(
      'Importing p.csv (2 of 2)',
    );
    expect(importTitle(at({}))).toBe('Importing p.csv (1 of 2)');
  });
});
