import { describe, expect, it } from 'vitest';
import { Rng } from '../random';
import { snapshotEpochs } from '../srel/train';
import { crossValidateEnsemble, crossValidateRidge } from './crossValidate';
import { nestedCrossValidate } from './nested';

describe('snapshot ensembles', () => {
  const rng = new Rng(11);
  const n = 80;
  const signal = Float64Array.from({ length: n }, () => rng.normal());
  const values = Float64Array.from(signal, (s) => 20 + 4 * s + rng.normal());
  // Two noisy views of the signal: each alone is a weaker predictor than their mean.
  const a = Float64Array.from(signal, (s) => s + 0.8 * rng.normal());
  const b = Float64Array.from(signal, (s) => s + 0.8 * rng.normal());
  const rows = Array.from({ length: n }, (_, i) => i);
  const folds = { k: 8, shuffleSeed: 2024 };

  it('keeps ten snapshots evenly spaced, the last at the final epoch', () => {
    expect(snapshotEpochs(500)).toEqual([50, 100, 150, 200, 250, 300, 350, 400, 450, 500]);
    expect(snapshotEpochs(5)).toEqual([1, 2, 3, 4, 5]);
    expect(snapshotEpochs(3)).toEqual([1, 2, 3]);
  });

  it('predicts the mean of the members’ held-out ridge predictions', () => {
    const pa = crossValidateRidge(a, 1, values, rows, folds).predictions;
    const pb = crossValidateRidge(b, 1, values, rows, folds).predictions;
    const ens = crossValidateEnsemble(
      [
        { features: a, d: 1 },
        { features: b, d: 1 },
      ],
      values,
      rows,
      folds,
    );
    ens.predictions.forEach((p, i) => expect(p).toBeCloseTo((pa[i] + pb[i]) / 2, 12));
    expect(ens.r2).toBeGreaterThan(crossValidateRidge(a, 1, values, rows, folds).r2);
    expect(ens.r2).toBeGreaterThan(crossValidateRidge(b, 1, values, rows, folds).r2);
  });

  it('of one member equals plain cross-validation', () => {
    const ens = crossValidateEnsemble([{ features: a, d: 1 }], values, rows, folds);
    expect(ens.r2).toBeCloseTo(crossValidateRidge(a, 1, values, rows, folds).r2, 12);
  });

  it('can be a candidate of nested cross-validation', () => {
    const members = [
      { features: a, d: 1 },
      { features: b, d: 1 },
    ];
    const nested = nestedCrossValidate([{ label: 'mean', features: a, d: 1, members }], values, rows, folds);
    expect(nested.r2).toBeCloseTo(crossValidateEnsemble(members, values, rows, folds).r2, 12);
  });
});
