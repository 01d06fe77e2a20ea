import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BENCHMARK_PROTOCOLS, DEFAULT_PROTOCOL, evaluationRows } from '../city/protocol';
import { crossValidateRidge } from './crossValidate';
import { kFold } from './folds';
import { bootstrapSpread, regressionMetrics } from './metrics';
import { MT19937, numpyLegacyPermutation } from './mt19937';
import { Rng } from '../random';
import {
  combineSums,
  combineTargetSums,
  fitRidge,
  joinedSums,
  joinedTargetSums,
  predictRidge,
  predictRidgeRows,
  predictRidgeRowsMany,
  ridgeSystem,
  ridgeSystemFromSums,
  rowSums,
  scaleSums,
  scaleTargetSums,
  solveRidge,
  takeRows,
  targetSums,
} from './ridge';

const fixture = <T>(name: string): T =>
  JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8')) as T;
const perms = fixture<Record<string, number[]>>('permutations.json');

// method.md: the Chicago permutation of KFold(shuffle=True, random_state=2024) for n = 77.
const CHICAGO_PERMUTATION = [
  17, 70, 56, 24, 45, 57, 25, 3, 2, 68, 12, 40, 47, 14, 43, 19, 1, 63, 21, 73, 61, 34, 53, 67, 46, 15, 16, 49,
  64, 6, 44, 23, 35, 75, 32, 13, 69, 7, 10, 58, 51, 18, 76, 20, 48, 4, 29, 5, 59, 72, 22, 33, 31, 42, 52, 26,
  38, 9, 71, 50, 54, 39, 74, 28, 11, 30, 37, 66, 60, 65, 41, 55, 62, 36, 27, 0, 8,
];
const SF_FIRST_FOLD = [144, 44, 49, 108, 38, 109, 21, 30, 34, 82, 146, 140, 89, 15, 165, 135, 56, 99];

describe('MT19937 and numpy legacy shuffle', () => {
  it('draws the same 32-bit integers as numpy RandomState(2024)', () => {
    const rng = new MT19937(2024);
    expect(Array.from({ length: 5 }, () => rng.nextUint32())).toEqual(perms.uint32_seed2024);
  });

  it('reproduces the Chicago permutation of method.md', () => {
    expect(numpyLegacyPermutation(77, 2024)).toEqual(CHICAGO_PERMUTATION);
  });

  it('reproduces numpy permutations for other sizes and seeds', () => {
    expect(numpyLegacyPermutation(175, 2024)).toEqual(perms.sf175_seed2024);
    expect(numpyLegacyPermutation(10, 0)).toEqual(perms.n10_seed0);
    expect(numpyLegacyPermutation(1000, 12345)).toEqual(perms.n1000_seed12345);
  });
});

describe('kFold', () => {
  it('gives the SF first fold of method.md (10 folds, shuffled, seed 2024)', () => {
    const folds = kFold(175, BENCHMARK_PROTOCOLS.sf.folds);
    expect(folds[0].test).toEqual(SF_FIRST_FOLD);
    expect(folds.map((f) => f.test.length)).toEqual([18, 18, 18, 18, 18, 17, 17, 17, 17, 17]);
  });

  it('Chicago: 25 folds of 3 to 4 regions covering every region once', () => {
    const folds = kFold(77, BENCHMARK_PROTOCOLS.chicago.folds);
    expect(folds.length).toBe(25);
    expect(folds[0].test).toEqual(CHICAGO_PERMUTATION.slice(0, 4));
    expect(folds[1].test).toEqual(CHICAGO_PERMUTATION.slice(4, 8)); // 77 = 25 * 3 + 2: two folds of 4
    expect(folds[2].test).toEqual(CHICAGO_PERMUTATION.slice(8, 11));
    expect(folds.flatMap((f) => f.test).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 77 }, (_, i) => i),
    );
    for (const f of folds) expect(f.train.length + f.test.length).toBe(77);
  });

  it('NYC: 10 unshuffled folds', () => {
    const folds = kFold(180, BENCHMARK_PROTOCOLS.nyc.folds);
    expect(folds[0].test).toEqual(Array.from({ length: 18 }, (_, i) => i));
    expect(folds[9].test[17]).toBe(179);
  });
});

describe('ridge', () => {
  it('matches a closed-form solution computed with numpy (1e-6), primal and dual', () => {
    for (const f of fixture<
      { n: number; d: number; X: number[]; y: number[]; weights: number[]; intercept: number }[]
    >('ridge.json')) {
      const model = fitRidge(Float64Array.from(f.X), f.n, f.d, Float64Array.from(f.y), 1);
      const scale = Math.max(1, ...f.weights.map(Math.abs));
      f.weights.forEach((w, j) => expect(Math.abs(model.weights[j] - w) / scale).toBeLessThan(1e-6));
      expect(Math.abs(model.intercept - f.intercept) / Math.max(1, Math.abs(f.intercept))).toBeLessThan(1e-6);
    }
  });

  it('has the known solution on a one-feature problem', () => {
    // x = [-1, 0, 1], y = 2x + 5: w = sum(xc*yc) / (sum(xc^2) + alpha) = 4 / 3.
    const m = fitRidge(new Float64Array([-1, 0, 1]), 3, 1, new Float64Array([3, 5, 7]), 1);
    expect(m.weights[0]).toBeCloseTo(4 / 3, 12);
    expect(m.intercept).toBeCloseTo(5, 12);
    expect(Array.from(predictRidge(m, new Float64Array([3]), 1))).toEqual([5 + 4]);
  });
});

describe('metrics and cross-validation', () => {
  it('computes MAE, RMSE and R² like scikit-learn', () => {
    const m = regressionMetrics([3, -0.5, 2, 7], [2.5, 0.0, 2, 8]);
    expect(m.mae).toBeCloseTo(0.5, 12);
    expect(m.rmse).toBeCloseTo(Math.sqrt(0.375), 12);
    expect(m.r2).toBeCloseTo(0.9486081370449679, 12); // sklearn's r2_score docs example
  });

  it('bootstrap spread: zero for exact predictions, smaller with more regions, seeded', () => {
    const exact = bootstrapSpread([1, 2, 3, 4], [1, 2, 3, 4]);
    expect([exact.mae, exact.rmse, exact.r2]).toEqual([0, 0, 0]);
    const noisy = (n: number): [number[], number[]] => {
      const t = Array.from({ length: n }, (_, i) => i % 10);
      return [t, t.map((v, i) => v + (((i * 7919) % 13) - 6) / 3)];
    };
    const small = bootstrapSpread(...noisy(40));
    const large = bootstrapSpread(...noisy(4000));
    expect(small.r2).toBeGreaterThan(0);
    expect(large.r2).toBeLessThan(small.r2 / 3);
    expect(bootstrapSpread(...noisy(40))).toEqual(small);
  });

  it('drops missing labels, and zero check-ins on Chicago and SF only', () => {
    const v = new Float64Array([0, 3, NaN, 5]);
    expect(evaluationRows(v, 'checkIn', BENCHMARK_PROTOCOLS.chicago)).toEqual([1, 3]);
    expect(evaluationRows(v, 'checkIn', BENCHMARK_PROTOCOLS.sf)).toEqual([1, 3]);
    expect(evaluationRows(v, 'checkIn', BENCHMARK_PROTOCOLS.nyc)).toEqual([0, 1, 3]);
    expect(evaluationRows(v, 'crime', BENCHMARK_PROTOCOLS.chicago)).toEqual([0, 1, 3]);
    expect(evaluationRows(v, 'checkIn', DEFAULT_PROTOCOL)).toEqual([0, 1, 3]);
  });

  it('pools clipped held-out predictions over the folds', () => {
    const n = 40;
    const x = Float64Array.from({ length: n }, (_, i) => i / 10);
    const y = Float64Array.from(x, (v) => 3 * v - 1); // negative at the start: clipped to 0
    const cv = crossValidateRidge(
      x,
      1,
      y,
      Array.from({ length: n }, (_, i) => i),
      { k: 5, shuffleSeed: 1 },
    );
    expect(cv.predictions.every((p) => p >= 0)).toBe(true);
    expect(cv.r2).toBeGreaterThan(0.98);
    expect(cv.n).toBe(n);
  });
});

describe('ridge helpers without copies', () => {
  const rng = new Rng(9);
  const n = 30;
  const d = 5;
  const x = Float64Array.from({ length: n * d }, () => rng.normal());
  const y = Float64Array.from({ length: n }, () => rng.normal());

  it('predicts rows in place exactly as on their copy', () => {
    const model = fitRidge(x, n, d, y, 0.3);
    for (const rows of [[29, 0, 7, 7, 13], [3], [], [1, 2, 3, 4], [9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 11]])
      expect(predictRidgeRows(model, x, rows)).toEqual(
        predictRidge(model, takeRows(x, d, rows), rows.length),
      );
  });

  it('adds, removes and scales row sums elementwise', () => {
    const a = rowSums(x, d, [0, 1, 2, 3]);
    const b = rowSums(x, d, [1, 3]);
    const diff = combineSums(a, b, -1);
    expect(diff.count).toBe(2);
    expect(diff.sx).toEqual(a.sx.map((v, i) => v - b.sx[i]));
    expect(diff.sxx).toEqual(a.sxx.map((v, i) => v - b.sxx[i]));
    expect(combineSums(a, b, 1).sxx).toEqual(a.sxx.map((v, i) => v + b.sxx[i]));
    const c = Float64Array.from([1, 2, 0.5, -1, 3]);
    const scaled = scaleSums(a, c);
    expect(scaled.sx).toEqual(a.sx.map((v, p) => v * c[p]));
    expect(scaled.sxx).toEqual(a.sxx.map((v, i) => v * c[Math.floor(i / d)] * c[i % d]));
  });

  it('sums [left c | right] from left sums: the right block and products as summed, left scaled', () => {
    const r = 3;
    const right = Float64Array.from({ length: n * r }, (_, k) => (k % 4 === 0 ? 0 : rng.normal()));
    const c = 0.37;
    const joined = new Float64Array(n * (d + r));
    for (let i = 0; i < n; i++) {
      for (let p = 0; p < d; p++) joined[i * (d + r) + p] = x[i * d + p] * c;
      for (let k = 0; k < r; k++) joined[i * (d + r) + d + k] = right[i * r + k];
    }
    const rows = [4, 9, 0, 17, 28, 13, 2];
    const fast = joinedSums(rowSums(x, d, rows), c, x, right, r, rows);
    const direct = rowSums(joined, d + r, rows);
    expect(fast.count).toBe(rows.length);
    fast.sx.forEach((v, p) => expect(v).toBeCloseTo(direct.sx[p], 12));
    fast.sxx.forEach((v, i) => expect(v).toBeCloseTo(direct.sxx[i], 12));
    // Entries that involve the right block are summed as rowSums sums them: the same bits.
    for (let p = 0; p < d + r; p++)
      for (let q = d; q < d + r; q++) {
        expect(fast.sxx[p * (d + r) + q]).toBe(direct.sxx[p * (d + r) + q]);
        expect(fast.sxx[q * (d + r) + p]).toBe(direct.sxx[q * (d + r) + p]);
      }
  });

  it('sums x y and y four rows at a time to the same bits as one row at a time', () => {
    for (const rows of [
      [0, 5, 9, 2, 11, 7, 3],
      [4, 8, 12, 16, 20, 24, 28, 1],
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 20, 21, 22],
    ]) {
      const sums = targetSums(x, d, rows, y);
      const sxy = new Float64Array(d);
      let sy = 0;
      for (const r of rows) {
        sy += y[r];
        for (let p = 0; p < d; p++) sxy[p] += x[r * d + p] * y[r];
      }
      expect(sums.count).toBe(rows.length);
      expect(sums.sxy).toEqual(sxy);
      expect(sums.sy).toBeCloseTo(sy, 14);
    }
  });

  it('builds the ridge system of a training split from the sums of its parts as ridgeSystem does', () => {
    const parts = [
      [0, 5, 9, 2, 11, 7],
      [3, 4, 8, 12, 16, 20],
      [24, 28, 1, 6, 10, 13, 14],
    ];
    const train = [...parts[0], ...parts[2]];
    const total = parts
      .slice(1)
      .reduce((a, p) => combineSums(a, rowSums(x, d, p), 1), rowSums(x, d, parts[0]));
    const targets = parts
      .slice(1)
      .reduce((a, p) => combineTargetSums(a, targetSums(x, d, p, y), 1), targetSums(x, d, parts[0], y));
    const fromSums = ridgeSystemFromSums(
      combineSums(total, rowSums(x, d, parts[1]), -1),
      combineTargetSums(targets, targetSums(x, d, parts[1], y), -1),
    );
    const direct = ridgeSystem(
      takeRows(x, d, train),
      train.length,
      d,
      Float64Array.from(train, (r) => y[r]),
    );
    expect(fromSums.n).toBe(train.length);
    fromSums.rhs.forEach((v, p) => expect(v).toBeCloseTo(direct.rhs[p], 12));
    fromSums.gram.forEach((v, i) => expect(v).toBeCloseTo(direct.gram[i], 12));
    fromSums.xMean.forEach((v, p) => expect(v).toBeCloseTo(direct.xMean[p], 14));
    expect(fromSums.yMean).toBeCloseTo(direct.yMean, 14);
    const a = solveRidge(fromSums, 0.7);
    const b = solveRidge(direct, 0.7);
    a.weights.forEach((w, p) => expect(w).toBeCloseTo(b.weights[p], 12));
    expect(a.intercept).toBeCloseTo(b.intercept, 12);
  });

  it('derives the target sums of scaled and joined matrices from their blocks', () => {
    const rows = [4, 9, 0, 17, 28, 13, 2, 21];
    const c = Float64Array.from([1, 2, 0.5, -1, 3]);
    const scaledX = x.map((v, k) => v * c[k % d]);
    const scaled = scaleTargetSums(targetSums(x, d, rows, y), c);
    targetSums(scaledX, d, rows, y).sxy.forEach((v, p) => expect(scaled.sxy[p]).toBeCloseTo(v, 13));
    const r = 2;
    const right = Float64Array.from({ length: n * r }, () => rng.normal());
    const w = 0.37;
    const joinedX = new Float64Array(n * (d + r));
    for (let i = 0; i < n; i++) {
      for (let p = 0; p < d; p++) joinedX[i * (d + r) + p] = x[i * d + p] * w;
      for (let k = 0; k < r; k++) joinedX[i * (d + r) + d + k] = right[i * r + k];
    }
    const joined = joinedTargetSums(targetSums(x, d, rows, y), w, targetSums(right, r, rows, y));
    const direct = targetSums(joinedX, d + r, rows, y);
    expect(joined.count).toBe(rows.length);
    expect(joined.sy).toBe(direct.sy);
    direct.sxy.forEach((v, p) => expect(joined.sxy[p]).toBeCloseTo(v, 13));
  });

  it('predicts several models in one pass to the same bits as each model on a copy of the rows', () => {
    const models = [0.01, 1, 100].map((alpha) => fitRidge(x, n, d, y, alpha));
    for (const rows of [[29, 0, 7, 7, 13], [3], [], [1, 2, 3, 4], [9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 11]]) {
      const many = predictRidgeRowsMany(models, x, rows);
      models.forEach((m, k) => expect(many[k]).toEqual(predictRidge(m, takeRows(x, d, rows), rows.length)));
    }
  });
});
