import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../backend';
import { checkpointed, flattenTree, rebuildTree } from './checkpoint';
import { denseAttention, makeDropout, transformerBlock, type BlockParams } from './layers';
import { ParamStore } from './params';

beforeAll(async () => {
  await useBackend(['wasm', 'cpu']);
});

function blockParams(d: number): BlockParams {
  const store = new ParamStore(5);
  return {
    norm1: store.layerNorm('n1', d),
    attention: {
      q: store.linear('q', d, d),
      k: store.linear('k', d, d),
      v: store.linear('v', d, d),
      o: store.linear('o', d, d),
    },
    norm2: store.layerNorm('n2', d),
    feedForward: { inner: store.linear('i', d, 2 * d), outer: store.linear('u', 2 * d, d) },
  };
}

describe('gradient checkpointing', () => {
  it('flattens a parameter tree in a fixed order and rebuilds it', () => {
    const a = tf.scalar(1);
    const b = tf.scalar(2);
    const c = tf.scalar(3);
    const tree = { z: a, a: [b, { m: c }] };
    expect(flattenTree(tree)).toEqual([b, c, a]);
    const rebuilt = rebuildTree(tree, [tf.scalar(20), tf.scalar(30), tf.scalar(10)]) as typeof tree;
    expect((rebuilt.z as tf.Scalar).dataSync()[0]).toBe(10);
  });

  it('gives a transformer block (with seeded dropout) the same value and gradients as the plain block', () => {
    const d = 8;
    const p = blockParams(d);
    const x = tf.randomNormal([6, d], 0, 1, 'float32', 3) as tf.Tensor2D;
    const probe = tf.randomNormal([6, d], 0, 1, 'float32', 4);
    const dropout = makeDropout(0.1, true, 11);
    const plain = (h: tf.Tensor2D, q: BlockParams): tf.Tensor2D =>
      transformerBlock(h, q, denseAttention(2, null), dropout, 7);
    const vars = flattenTree(p as unknown as tf.Tensor[]) as tf.Variable[];
    const run = (f: () => tf.Tensor2D) =>
      tf.variableGrads(() => tf.sum(tf.mul(f(), probe)) as tf.Scalar, vars);
    const a = run(() => plain(x, p));
    const b = run(() => checkpointed(plain, x, p));
    expect(Math.abs(a.value.dataSync()[0] - b.value.dataSync()[0])).toBeLessThan(1e-5);
    for (const name of Object.keys(a.grads)) {
      const u = a.grads[name].dataSync();
      const v = b.grads[name].dataSync();
      for (let i = 0; i < u.length; i++)
        expect(Math.abs(u[i] - v[i])).toBeLessThan(1e-5 * (1 + Math.abs(u[i])));
    }
    const gx = tf
      .grad((h: tf.Tensor) => tf.sum(tf.mul(checkpointed(plain, h as tf.Tensor2D, p), probe)))(x)
      .dataSync();
    const rx = tf
      .grad((h: tf.Tensor) => tf.sum(tf.mul(plain(h as tf.Tensor2D, p), probe)))(x)
      .dataSync();
    for (let i = 0; i < rx.length; i++)
      expect(Math.abs(gx[i] - rx[i])).toBeLessThan(1e-5 * (1 + Math.abs(rx[i])));
  });
});
