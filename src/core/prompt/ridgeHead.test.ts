import { describe, expect, it } from 'vitest';
import { crossValidateRidge } from '../eval/crossValidate';
import { nestedCrossValidate } from '../eval/nested';
import { fitRidge, predictRidge, takeRows } from '../eval/ridge';
import { Rng } from '../random';
import { principalScores, semanticRidgeCandidates } from './ridgeHead';

function gaussian(rng: Rng, length: number): Float64Array {
  return Float64Array.from({ length }, () => rng.normal());
}

describe('principalScores', () => {
  it('narrow vectors (t < n) take the t x t route to the same Gram matrix', () => {
    const rng = new Rng(6);
    const n = 30;
    const t = 5;
    const s = gaussian(rng, n * t);
    const { scores, r } = principalScores(s, n, t);
    expect(r).toBe(t);
    const mean = Array.from({ length: t }, (_, k) => {
      let m = 0;
      for (let i = 0; i < n; i++) m += s[i * t + k] / n;
      return m;
    });
    for (const [i, j] of [
      [0, 0],
      [2, 17],
      [29, 4],
    ]) {
      let direct = 0;
      for (let k = 0; k < t; k++) direct += (s[i * t + k] - mean[k]) * (s[j * t + k] - mean[k]);
      let viaScores = 0;
      for (let k = 0; k < r; k++) viaScores += scores[i * r + k] * scores[j * r + k];
      expect(viaScores).toBeCloseTo(direct, 9);
    }
  });

  it('gives ridge the same predictions as the vectors themselves, with fewer columns', () => {
    const rng = new Rng(5);
    const n = 20;
    const t = 50;
    const s = gaussian(rng, n * t);
    const y = gaussian(rng, n);
    const { scores, r } = principalScores(s, n, t);
    expect(r).toBe(n - 1); // centring removes one direction
    const train = Array.from({ length: 15 }, (_, i) => i);
    const test = [15, 16, 17, 18, 19];
    const yTrain = Float64Array.from(train, (i) => y[i]);
    const direct = fitRidge(takeRows(s, t, train), 15, t, yTrain, 0.5);
    const viaScores = fitRidge(takeRows(scores, r, train), 15, r, yTrain, 0.5);
    const a = predictRidge(direct, takeRows(s, t, test), 5);
    const b = predictRidge(viaScores, takeRows(scores, r, test), 5);
    a.forEach((v, i) => expect(b[i]).toBeCloseTo(v, 8));
  });
});

describe('semantic ridge head', () => {
  /** 80 regions: E carries one half of the signal, the semantic vectors the other. */
  function planted(seed: number): { e: Float64Array; s: Float64Array; y: Float64Array; n: number } {
    const rng = new Rng(seed);
    const n = 80;
    const e = gaussian(rng, n * 8);
    const s = gaussian(rng, n * 40);
    const y = Float64Array.from({ length: n }, (_, i) => 50 + 10 * e[i * 8] + 10 * s[i * 40] + rng.normal());
    return { e, s, y, n };
  }

  it('uses vectors that carry signal, chosen on inner folds only', () => {
    const { e, s, y, n } = planted(3);
    const rows = Array.from({ length: n }, (_, i) => i);
    const folds = { k: 5, shuffleSeed: 1 };
    const ridge = crossValidateRidge(e, 8, y, rows, folds);
    const head = nestedCrossValidate(semanticRidgeCandidates(e, 8, s, 40, n), y, rows, folds);
    expect(head.r2).toBeGreaterThan(ridge.r2 + 0.2);
    expect(head.chosen.every((c) => !c.startsWith('semantic weight 0,'))).toBe(true);
  });

  it('continues the weight-0 ridge factors for the other weights without changing a prediction', () => {
    const { e, s, y, n } = planted(5);
    const rng = new Rng(6);
    const snapshots = [0.1, 0.2, 0.3].map((noise) => e.map((v) => v + noise * rng.normal()));
    const rows = Array.from({ length: n }, (_, i) => i);
    const folds = { k: 5, shuffleSeed: 1 };
    const candidates = semanticRidgeCandidates(e, 8, s, 40, n, undefined, snapshots);
    const led = candidates.filter((c) => c.members?.every((m) => m.leading));
    expect(led.length).toBe(candidates.filter((c) => c.usesPrompt).length);
    const without = candidates.map(({ leading: _, ...c }) => ({
      ...c,
      members: c.members?.map(({ leading: __, ...m }) => m),
    }));
    const fast = nestedCrossValidate(candidates, y, rows, folds);
    const plain = nestedCrossValidate(without, y, rows, folds);
    expect(fast.chosen).toEqual(plain.chosen);
    expect(fast.predictions).toEqual(plain.predictions);
  });

  it('falls back to the embedding alone when the vectors are noise', () => {
    const rng = new Rng(9);
    const n = 80;
    const e = gaussian(rng, n * 8);
    const noise = gaussian(rng, n * 40);
    const y = Float64Array.from({ length: n }, (_, i) => 50 + 10 * e[i * 8] + rng.normal());
    const rows = Array.from({ length: n }, (_, i) => i);
    const head = nestedCrossValidate(semanticRidgeCandidates(e, 8, noise, 40, n), y, rows, {
      k: 5,
      shuffleSeed: 1,
    });
    const zeroWeight = head.chosen.filter((c) => c.startsWith('semantic weight 0,')).length;
    expect(zeroWeight).toBeGreaterThanOrEqual(3);
    expect(head.r2).toBeGreaterThan(0.9);
  });
});
