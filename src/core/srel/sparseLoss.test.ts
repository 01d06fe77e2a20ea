import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../backend';
import { sparseFromDense, sparseToDense, sparseTranspose } from '../math/sparse';
import { Rng } from '../random';
import { cosineSimilarityMatrix } from './inputs';
import { mobilityLoss, similarityLoss } from './loss';
import {
  drawPool,
  mobilityCandidates,
  pairTensors,
  renamePartners,
  sampledMobilityLoss,
  sampledSimilarityLoss,
  similarityPairs,
} from './sparseLoss';
import { unitRows } from './sparseInputs';

beforeAll(async () => {
  await useBackend(['wasm', 'cpu']);
});

const n = 6;
// Trips with empty rows and columns, and one row with every destination.
const trips = [
  [0, 3, 0, 0, 1, 0],
  [2, 0, 0, 5, 0, 0],
  [0, 0, 0, 0, 0, 0],
  [1, 1, 1, 0, 1, 1],
  [0, 0, 4, 0, 7, 0],
  [0, 2, 0, 0, 0, 0],
].flat();
const total = trips.reduce((a, b) => a + b, 0);
const scale = (n * n) / total; // Mhat = M / mean(M)
const counts = [
  [1, 0, 2],
  [0, 0, 0],
  [3, 1, 0],
  [1, 1, 1],
  [0, 5, 2],
  [2, 0, 4],
].flat();

const closeTo = (a: number, b: number, tol = 1e-5): void => {
  expect(Math.abs(a - b)).toBeLessThan(tol * (1 + Math.abs(b)));
};

describe('sampled SREL losses', () => {
  it('the mobility loss equals the dense one when every region is a candidate, in value and gradient', () => {
    const m = sparseFromDense({ rows: n, cols: n, data: trips });
    const out = pairTensors(mobilityCandidates(m, scale, n, n, new Rng(1)));
    const incoming = pairTensors(mobilityCandidates(sparseTranspose(m), scale, n, n, new Rng(2)));
    const mhat = tf.tensor2d(
      Float32Array.from(trips, (v) => v * scale),
      [n, n],
    );
    const s = tf.randomNormal([n, 4], 0, 1, 'float32', 3) as tf.Tensor2D;
    const t = tf.randomNormal([n, 4], 0, 1, 'float32', 4) as tf.Tensor2D;
    const sparse = (a: tf.Tensor, b: tf.Tensor): tf.Scalar =>
      sampledMobilityLoss(a as tf.Tensor2D, b as tf.Tensor2D, out, incoming);
    const dense = (a: tf.Tensor, b: tf.Tensor): tf.Scalar =>
      mobilityLoss(a as tf.Tensor2D, b as tf.Tensor2D, mhat);
    closeTo(sparse(s, t).dataSync()[0], dense(s, t).dataSync()[0]);
    const gs = tf.grads(sparse)([s, t]);
    const gd = tf.grads(dense)([s, t]);
    gs.forEach((g, k) => g.dataSync().forEach((v, i) => closeTo(v, gd[k].dataSync()[i])));
  });

  it('scores pairs a few rows at a time with the same value and gradient (chunks of 4 of 6)', () => {
    const sample = similarityPairs(unitRows(counts, n, 3), 3, n, 5, new Rng(9));
    const whole = pairTensors(sample);
    const chunked = pairTensors(sample, 4);
    const p = tf.randomNormal([n, 4], 0, 1, 'float32', 10) as tf.Tensor2D;
    const a = tf
      .grad((x: tf.Tensor) => sampledSimilarityLoss(x as tf.Tensor2D, chunked))(p)
      .dataSync();
    tf.grad((x: tf.Tensor) => sampledSimilarityLoss(x as tf.Tensor2D, whole))(p)
      .dataSync()
      .forEach((v, i) => closeTo(a[i], v, 1e-6));
    closeTo(
      sampledSimilarityLoss(p, chunked).dataSync()[0],
      sampledSimilarityLoss(p, whole).dataSync()[0],
      1e-6,
    );
  });

  it('the similarity loss equals the dense one when every pair is sampled, in value and gradient', () => {
    const target = tf.tensor2d(
      cosineSimilarityMatrix({ rows: n, cols: 3, data: Float64Array.from(counts) }),
      [n, n],
    );
    const pairs = pairTensors(similarityPairs(unitRows(counts, n, 3), 3, n, n, new Rng(5)));
    const p = tf.randomNormal([n, 4], 0, 1, 'float32', 6) as tf.Tensor2D;
    const sparse = (x: tf.Tensor): tf.Scalar => sampledSimilarityLoss(x as tf.Tensor2D, pairs);
    const dense = (x: tf.Tensor): tf.Scalar => similarityLoss(x as tf.Tensor2D, target);
    closeTo(sparse(p).dataSync()[0], dense(p).dataSync()[0]);
    const gs = tf.grad(sparse)(p).dataSync();
    tf.grad(dense)(p)
      .dataSync()
      .forEach((v, i) => closeTo(gs[i], v));
  });

  it('keeps a row’s largest trips as targets and weighs the drawn regions to stand for all the others', () => {
    const m = sparseFromDense({ rows: n, cols: n, data: trips });
    const sample = mobilityCandidates(m, 1, 2, 2, new Rng(7));
    expect(sample.c).toBe(4);
    // Row 3 has five trips of 1: two are kept; two of the other four regions are drawn, each standing for two.
    const row3 = Array.from(sample.weights.subarray(12, 16));
    expect(row3).toEqual([1, 1, 2, 2]);
    // Row 4: both its trips kept (to 2: 4, to 4: 7); two of the 4 others drawn, weight 2 each.
    expect(Array.from(sample.cols.subarray(16, 18))).toEqual([2, 4]);
    expect(Array.from(sample.targets.subarray(16, 20))).toEqual([4, 7, 0, 0]);
    // Every row's weights add up to N: the sampled denominator stands for all N regions.
    for (let i = 0; i < n; i++)
      closeTo(
        sample.weights.subarray(i * 4, i * 4 + 4).reduce((a, b) => a + b, 0),
        n,
      );
    // The drawn regions are never the kept ones.
    for (let i = 0; i < n; i++) {
      const row = Array.from(sample.cols.subarray(i * 4, i * 4 + 4));
      expect(new Set(row).size).toBe(4);
    }
  });

  it('pairs cosine targets with the drawn partners', () => {
    const unit = unitRows(counts, n, 3);
    const pairs = similarityPairs(unit, 3, n, 2, new Rng(8));
    const full = sparseToDense(
      sparseFromDense({
        rows: n,
        cols: n,
        data: Array.from(cosineSimilarityMatrix({ rows: n, cols: 3, data: Float64Array.from(counts) })),
      }),
    );
    for (let i = 0; i < n; i++)
      for (let r = 0; r < 2; r++)
        closeTo(pairs.targets[i * 2 + r], full[i * n + pairs.cols[i * 2 + r]], 1e-6);
  });

  it('draws for a mini-batch’s rows only, its random partners from the batch’s pool', () => {
    const m = sparseFromDense({ rows: n, cols: n, data: trips });
    const pool = Int32Array.from([0, 1, 5]);
    const sample = mobilityCandidates(m, 1, 2, 2, new Rng(7), { rows: [4, 3], pool });
    expect(sample.n).toBe(2);
    // Row 4 (the first row): its two trips kept, as in the whole city's draw, then two drawn from the pool.
    expect(Array.from(sample.cols.subarray(0, 2))).toEqual([2, 4]);
    expect(Array.from(sample.targets.subarray(0, 4))).toEqual([4, 7, 0, 0]);
    for (const j of sample.cols.subarray(2, 4)) expect([0, 1, 5]).toContain(j);
    const partners = similarityPairs(unitRows(counts, n, 3), 3, n, 2, new Rng(8), { rows: [1], pool });
    expect(partners.n).toBe(1);
    for (const j of partners.cols) expect([0, 1, 5]).toContain(j);
  });

  it('draws a pool of distinct regions, or every region when the pool would hold them all', () => {
    const pool = drawPool(100, 10, new Rng(4));
    expect(new Set(pool).size).toBe(10);
    for (const j of pool) expect(j >= 0 && j < 100).toBe(true);
    expect(Array.from(drawPool(4, 10, new Rng(4)))).toEqual([0, 1, 2, 3]);
  });

  it('renames partners to rows of the batch’s table: seeds first, then the others in order of first use', () => {
    const sample = {
      n: 2,
      c: 3,
      cols: Int32Array.from([7, 2, 9, 9, 7, 4]),
      weights: new Float32Array(6),
      targets: new Float32Array(6),
    };
    const { samples, others } = renamePartners([sample], Int32Array.from([7, 4]), 10);
    expect(Array.from(samples[0].cols)).toEqual([0, 2, 3, 3, 0, 1]);
    expect(Array.from(others)).toEqual([2, 9]);
  });
});
