import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../backend';
import { mobilityLoss, pairwiseCosine, similarityLoss, weightDecayPenalty } from './loss';

beforeAll(async () => {
  await useBackend(['wasm', 'cpu']);
});

describe('SREL losses', () => {
  it('mobility loss matches the formula on a 2-region example', () => {
    const s = tf.tensor2d([
      [1, 0],
      [0, 2],
    ]);
    const t = tf.tensor2d([
      [0, 1],
      [1, 1],
    ]);
    const m = tf.tensor2d([
      [0, 3],
      [1, 0],
    ]);
    const scale = 1 / Math.sqrt(2);
    const softmaxRow = (logits: number[]): number[] => {
      const e = logits.map((v) => Math.exp(v * scale));
      const z = e.reduce((a, b) => a + b, 0);
      return e.map((v) => v / z);
    };
    // s t^T = [[0, 1], [2, 2]]; t s^T = [[0, 2], [1, 2]]
    const out = [softmaxRow([0, 1]), softmaxRow([2, 2])];
    const inn = [softmaxRow([0, 2]), softmaxRow([1, 2])];
    const mm = [
      [0, 3],
      [1, 0],
    ];
    let expected = 0;
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 2; j++) {
        expected -= mm[i][j] * Math.log(out[i][j] + 1e-4);
        expected -= mm[j][i] * Math.log(inn[i][j] + 1e-4);
      }
    expect(mobilityLoss(s, t, m).dataSync()[0]).toBeCloseTo(expected, 4);
  });

  it('similarity loss is zero when cosines match the target', () => {
    const p = tf.tensor2d([
      [1, 0],
      [0, 3],
      [2, 2],
    ]);
    const cos = pairwiseCosine(p);
    expect(Array.from(cos.dataSync()).map((v) => Number(v.toFixed(5)))).toEqual([
      1, 0, 0.70711, 0, 1, 0.70711, 0.70711, 0.70711, 1,
    ]);
    expect(similarityLoss(p, cos).dataSync()[0]).toBeCloseTo(0, 6);
    expect(similarityLoss(p, tf.zerosLike(cos) as tf.Tensor2D).dataSync()[0]).toBeCloseTo(
      (3 + 4 * 0.5) / 9,
      5,
    );
  });

  it('weight decay penalty is 0.5 lambda sum w^2', () => {
    const v = [tf.variable(tf.tensor1d([1, 2])), tf.variable(tf.tensor1d([3]))];
    expect(weightDecayPenalty(v, 0.1).dataSync()[0]).toBeCloseTo(0.05 * 14, 6);
  });
});
