import { describe, expect, it } from 'vitest';
import { Rng } from '../random';
import { crossValidateRidge } from './crossValidate';
import { kFold } from './folds';
import { nestedCrossValidate } from './nested';

describe('nestedCrossValidate', () => {
  const rng = new Rng(3);
  const n = 60;
  const signal = Float64Array.from({ length: n }, () => rng.normal());
  const values = Float64Array.from(signal, (s) => 10 + 3 * s + 0.1 * rng.normal());
  const good = Float64Array.from(signal);
  const noise = Float64Array.from({ length: n }, () => rng.normal());
  const rows = Array.from({ length: n }, (_, i) => i);

  it('picks the informative candidate using training folds only', () => {
    const r = nestedCrossValidate(
      [
        { label: 'noise', features: noise, d: 1 },
        { label: 'signal', features: good, d: 1 },
      ],
      values,
      rows,
      { k: 5, shuffleSeed: 1 },
    );
    expect(r.chosen).toEqual(['signal', 'signal', 'signal', 'signal', 'signal']);
    expect(r.r2).toBeGreaterThan(0.95);
  });

  it('with one candidate equals plain cross-validation', () => {
    const nested = nestedCrossValidate([{ label: 'signal', features: good, d: 1 }], values, rows, {
      k: 5,
      shuffleSeed: 1,
    });
    const plain = crossValidateRidge(good, 1, values, rows, { k: 5, shuffleSeed: 1 });
    expect(nested.r2).toBeCloseTo(plain.r2, 12);
  });

  it('never looks at test labels: corrupting the test labels of fold 0 leaves its choice and predictions', () => {
    const candidates = [
      { label: 'noise', features: noise, d: 1 },
      { label: 'signal', features: good, d: 1 },
    ];
    const outer = { k: 5, shuffleSeed: 1 };
    const a = nestedCrossValidate(candidates, values, rows, outer);
    const testRows = kFold(n, outer)[0].test;
    const corrupted = Float64Array.from(values);
    for (const r of testRows) corrupted[r] = 1000 * noise[r] + 5000;
    const b = nestedCrossValidate(candidates, corrupted, rows, outer);
    expect(b.chosen[0]).toBe(a.chosen[0]);
    for (const r of testRows) expect(b.predictions[r]).toBe(a.predictions[r]);
  });
});
