import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../backend';
import { attentionHead, matMul2d } from './layers';

beforeAll(async () => {
  await useBackend(['wasm', 'cpu']);
});

const close = (a: tf.Tensor, b: tf.Tensor, tol = 1e-4): void => {
  const x = a.dataSync();
  const y = b.dataSync();
  expect(x.length).toBe(y.length);
  for (let i = 0; i < x.length; i++) expect(Math.abs(x[i] - y[i])).toBeLessThan(tol * (1 + Math.abs(y[i])));
};

describe('hand-written gradients', () => {
  it('matMul2d matches tfjs matMul in value and gradient', () => {
    const a = tf.randomNormal([5, 3], 0, 1, 'float32', 1) as tf.Tensor2D;
    const b = tf.randomNormal([3, 4], 0, 1, 'float32', 2) as tf.Tensor2D;
    const w = tf.randomNormal([5, 4], 0, 1, 'float32', 3);
    const ours = tf.grads((x: tf.Tensor, y: tf.Tensor) =>
      tf.sum(tf.mul(matMul2d(x as tf.Tensor2D, y as tf.Tensor2D), w)),
    );
    const ref = tf.grads((x: tf.Tensor, y: tf.Tensor) =>
      tf.sum(tf.mul(tf.matMul(x as tf.Tensor2D, y as tf.Tensor2D), w)),
    );
    ours([a, b]).forEach((g, i) => close(g, ref([a, b])[i]));
  });

  it('attentionHead (recomputing) matches plain autodiff of softmax(q k^T + w A) v', () => {
    const n = 6;
    const q = tf.randomNormal([n, 3], 0, 1, 'float32', 4) as tf.Tensor2D;
    const k = tf.randomNormal([n, 3], 0, 1, 'float32', 5) as tf.Tensor2D;
    const v = tf.randomNormal([n, 2], 0, 1, 'float32', 6) as tf.Tensor2D;
    const a1 = tf.randomUniform([n, n], 0, 1, 'float32', 7) as tf.Tensor2D;
    const a2 = tf.randomUniform([n, n], 0, 1, 'float32', 8) as tf.Tensor2D;
    const w1 = tf.scalar(0.7);
    const w2 = tf.scalar(-1.3);
    const probe = tf.randomNormal([n, 2], 0, 1, 'float32', 9);
    const ours = (qq: tf.Tensor, kk: tf.Tensor, vv: tf.Tensor, x1: tf.Tensor, x2: tf.Tensor): tf.Tensor =>
      tf.sum(
        tf.mul(
          attentionHead(qq as tf.Tensor2D, kk as tf.Tensor2D, vv as tf.Tensor2D, {
            weights: [x1 as tf.Scalar, x2 as tf.Scalar],
            matrices: [a1, a2],
          }),
          probe,
        ),
      );
    const reference = (
      qq: tf.Tensor,
      kk: tf.Tensor,
      vv: tf.Tensor,
      x1: tf.Tensor,
      x2: tf.Tensor,
    ): tf.Tensor => {
      const logits = tf.add(
        tf.add(tf.matMul(qq as tf.Tensor2D, kk as tf.Tensor2D, false, true), tf.mul(x1, a1)),
        tf.mul(x2, a2),
      );
      return tf.sum(tf.mul(tf.matMul(tf.softmax(logits), vv as tf.Tensor2D), probe));
    };
    const args = [q, k, v, w1, w2];
    close(ours(q, k, v, w1, w2), reference(q, k, v, w1, w2));
    const g1 = tf.grads(ours)(args);
    const g2 = tf.grads(reference)(args);
    g1.forEach((g, i) => close(g, g2[i]));
    // Without a bias it is plain attention.
    const plain = tf.grads((qq: tf.Tensor, kk: tf.Tensor, vv: tf.Tensor) =>
      tf.sum(tf.mul(attentionHead(qq as tf.Tensor2D, kk as tf.Tensor2D, vv as tf.Tensor2D, null), probe)),
    );
    const plainRef = tf.grads((qq: tf.Tensor, kk: tf.Tensor, vv: tf.Tensor) =>
      tf.sum(
        tf.mul(
          tf.matMul(
            tf.softmax(tf.matMul(qq as tf.Tensor2D, kk as tf.Tensor2D, false, true)),
            vv as tf.Tensor2D,
          ),
          probe,
        ),
      ),
    );
    plain([q, k, v]).forEach((g, i) => close(g, plainRef([q, k, v])[i]));
  });
});
