import { describe, expect, it } from 'vitest';
import { Rng } from '../random';
import { crossValidateRidge } from './crossValidate';
import { kFold } from './folds';
import { regressionMetrics } from './metrics';
import { nestedCrossValidate } from './nested';
import { fitRidge, predictRidge, takeRows } from './ridge';

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

  it('builds its ridge systems from per-part sums, yet predicts as fitting each split from scratch', () => {
    const r = new Rng(11);
    const m = 50;
    const d = 6;
    const x = Float64Array.from({ length: m * d }, () => 3 + r.normal()); // offset: centring matters
    const y = Float64Array.from({ length: m }, (_, i) => 20 + 2 * x[i * d] - x[i * d + 3] + r.normal());
    const all = Array.from({ length: m }, (_, i) => i);
    const alphas = [0.1, 1, 10];
    const candidates = alphas.map((alpha) => ({ label: `alpha ${alpha}`, features: x, d, alpha }));
    const outer = { k: 5, shuffleSeed: 4 };
    const inner = { k: 4, shuffleSeed: 9 };
    const fit = (train: number[], test: number[], alpha: number): number[] => {
      const model = fitRidge(
        takeRows(x, d, train),
        train.length,
        d,
        Float64Array.from(train, (t) => y[t]),
        alpha,
      );
      return [...predictRidge(model, takeRows(x, d, test), test.length)].map((p) => Math.max(0, p));
    };
    const expected = new Float64Array(m);
    for (const fold of kFold(m, outer)) {
      const train = fold.train.map((i) => all[i]);
      let best = alphas[0];
      let bestR2 = -Infinity;
      for (const alpha of alphas) {
        const truth: number[] = [];
        const pred: number[] = [];
        for (const f of kFold(train.length, inner)) {
          const p = fit(
            f.train.map((i) => train[i]),
            f.test.map((i) => train[i]),
            alpha,
          );
          f.test.forEach((i, k) => {
            truth.push(y[train[i]]);
            pred.push(p[k]);
          });
        }
        const r2 = regressionMetrics(truth, pred).r2;
        if (r2 > bestR2) [best, bestR2] = [alpha, r2];
      }
      fit(train, fold.test, best).forEach((p, k) => (expected[fold.test[k]] = p));
    }
    const nested = nestedCrossValidate(candidates, y, all, outer, inner);
    nested.predictions.forEach((p, i) => expect(p).toBeCloseTo(expected[i], 9));
  });
});
