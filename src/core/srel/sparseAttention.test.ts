import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../backend';
import { multiHeadAttention, type AttentionParams } from './layers';
import { ParamStore } from './params';
import {
  neighbourhoodTensors,
  sparseMultiHeadAttention,
  type Neighbourhood,
  type SparseAttention,
} from './sparseAttention';

beforeAll(async () => {
  await useBackend(['wasm', 'cpu']);
});

const close = (a: tf.Tensor, b: tf.Tensor, tol = 1e-5): void => {
  const x = a.dataSync();
  const y = b.dataSync();
  expect(x.length).toBe(y.length);
  for (let i = 0; i < x.length; i++) expect(Math.abs(x[i] - y[i])).toBeLessThan(tol * (1 + Math.abs(y[i])));
};

/** Every region in every neighbourhood, in a shuffled order per row (order must not matter). */
function everyRegion(n: number): Neighbourhood {
  const index = new Int32Array(n * n);
  for (let i = 0; i < n; i++) for (let s = 0; s < n; s++) index[i * n + s] = (s * 5 + i) % n;
  return { n, k: n, index };
}

function attentionParams(d: number): AttentionParams {
  const store = new ParamStore(3);
  return {
    q: store.linear('q', d, d),
    k: store.linear('k', d, d),
    v: store.linear('v', d, d),
    o: store.linear('o', d, d),
  };
}

/** The dense and the sparse attention of one input, as functions of x and the head weights. */
function setup(chunk?: number) {
  const n = 7;
  const d = 8;
  const heads = 2;
  const nb = everyRegion(n);
  const prior = tf.randomUniform([n, n], 0, 1, 'float32', 11) as tf.Tensor2D;
  // The prior at the neighbours: B[i, s] = A[i, index[i, s]].
  const atNeighbours = tf.tensor2d(
    Float32Array.from(nb.index, (j, p) => prior.dataSync()[Math.floor(p / n) * n + j]),
    [n, n],
  );
  const p = attentionParams(d);
  const x = tf.randomNormal([n, d], 0, 1, 'float32', 12) as tf.Tensor2D;
  const headWeights = tf.tensor1d([0.4, -0.9]);
  const probe = tf.randomNormal([n, d], 0, 1, 'float32', 13);

  const dense = (xx: tf.Tensor, w: tf.Tensor): tf.Tensor =>
    tf.sum(
      tf.mul(
        multiHeadAttention(
          xx as tf.Tensor2D,
          p,
          heads,
          (tf.unstack(w) as tf.Scalar[]).map((wh) => ({ weights: [wh], matrices: [prior] })),
        ),
        probe,
      ),
    );
  const neighbourhood = neighbourhoodTensors(nb, heads, chunk);
  const sparse = (xx: tf.Tensor, w: tf.Tensor): tf.Tensor => {
    const attention: SparseAttention = {
      kind: 'sparse',
      neighbourhood,
      bias: [{ weights: w as tf.Tensor1D, values: atNeighbours }],
    };
    return tf.sum(tf.mul(sparseMultiHeadAttention(xx as tf.Tensor2D, p, attention), probe));
  };
  return { p, x, headWeights, dense, sparse };
}

describe('neighbourhood attention', () => {
  it('equals the dense attention when every region is in every neighbourhood (1e-5)', () => {
    const { x, headWeights, dense, sparse } = setup();
    close(sparse(x, headWeights), dense(x, headWeights));
  });

  it('has the dense attention’s gradients for the input, the bias weights and every parameter (1e-5)', () => {
    const { p, x, headWeights, dense, sparse } = setup();
    const ours = tf.grads(sparse)([x, headWeights]);
    const reference = tf.grads(dense)([x, headWeights]);
    ours.forEach((g, i) => close(g, reference[i]));
    const params = [p.q.w, p.q.b, p.k.w, p.v.w, p.v.b, p.o.w];
    const oursP = tf.variableGrads(() => sparse(x, headWeights) as tf.Scalar, params).grads;
    const refP = tf.variableGrads(() => dense(x, headWeights) as tf.Scalar, params).grads;
    for (const name of Object.keys(refP)) close(oursP[name], refP[name]);
  });

  it('gives the same value and gradients when regions are attended to a few at a time (chunks of 3 of 7)', () => {
    const whole = setup();
    const chunked = setup(3);
    close(chunked.sparse(whole.x, whole.headWeights), whole.sparse(whole.x, whole.headWeights), 1e-6);
    const a = tf.grads(chunked.sparse)([whole.x, whole.headWeights]);
    const b = tf.grads(whole.sparse)([whole.x, whole.headWeights]);
    a.forEach((g, i) => close(g, b[i], 1e-6));
  });

  it('answers for the first rows only when given fewer queries than keys: those rows and their gradients (1e-6)', () => {
    // Regions 0..3 attend within 0..5 (as a mini-batch's inner rows over its ring).
    const nb: Neighbourhood = {
      n: 6,
      k: 3,
      index: Int32Array.from([0, 1, 4, 1, 0, 5, 2, 3, 1, 3, 2, 4, 4, 5, 0, 5, 4, 1]),
    };
    const q = attentionParams(4);
    const full = neighbourhoodTensors(nb, 2);
    const inner = neighbourhoodTensors({ n: 4, k: 3, index: nb.index.slice(0, 12) }, 2, undefined, 6);
    const values = tf.randomUniform([6, 3], 0, 1, 'float32', 31) as tf.Tensor2D;
    const innerValues = values.slice([0, 0], [4, 3]) as tf.Tensor2D;
    const weights = tf.tensor1d([0.3, -0.5]);
    const probe = tf.randomNormal([4, 4], 0, 1, 'float32', 32);
    const run = (x: tf.Tensor, queries: number): tf.Tensor => {
      const out = sparseMultiHeadAttention(x as tf.Tensor2D, q, {
        kind: 'sparse',
        neighbourhood: queries === 4 ? inner : full,
        bias: [{ weights, values: queries === 4 ? innerValues : values }],
      });
      return tf.sum(tf.mul(out.slice([0, 0], [4, 4]), probe));
    };
    const x = tf.randomNormal([6, 4], 0, 1, 'float32', 33);
    close(run(x, 4), run(x, 6), 1e-6);
    close(tf.grad((xx) => run(xx, 4))(x), tf.grad((xx) => run(xx, 6))(x), 1e-6);
    expect(inner.headRows.shape).toEqual([4 * 2 * 3, 1]);
  });

  it('attends only to the neighbourhood: a region outside it does not move the output', () => {
    // Region 0 attends to regions 0 and 1 only; changing region 3's input leaves row 0 alone.
    const small: Neighbourhood = { n: 4, k: 2, index: Int32Array.from([0, 1, 1, 0, 2, 3, 3, 2]) };
    const q = attentionParams(4);
    const attention: SparseAttention = {
      kind: 'sparse',
      neighbourhood: neighbourhoodTensors(small, 2),
      bias: [],
    };
    const a = tf.randomNormal([4, 4], 0, 1, 'float32', 21) as tf.Tensor2D;
    const b = tf.concat([a.slice([0, 0], [3, 4]), tf.ones([1, 4])]) as tf.Tensor2D;
    const rowA = sparseMultiHeadAttention(a, q, attention).slice([0, 0], [1, 4]);
    const rowB = sparseMultiHeadAttention(b, q, attention).slice([0, 0], [1, 4]);
    close(rowA, rowB, 1e-6);
  });
});
