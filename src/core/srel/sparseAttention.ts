/**
 * Neighbourhood attention: each region attends to k regions of its own (its spatial
 * neighbours, a few regions every region shares), not to all N, so attention costs O(N k d)
 * time and memory instead of O(N^2). With every region in every neighbourhood (k = N) it is
 * the dense attention of layers.ts (a test checks both, 1e-5).
 *
 * Shapes: N regions, k neighbours, H heads, d = H dh.
 * **Our choice**: the neighbour rows are read with gatherND and gradients written back with
 * scatterND: on tfjs's WASM backend tf.gather of 64,000 rows of 144 floats took about 1 s
 * and gatherND 3 to 30 ms, and tf.gather's gradient (UnsortedSegmentSum) has no WASM kernel.
 * Dot products are batched matmuls over the N H (region, head) pairs; outer products are
 * broadcast multiplies (a batched [N H, k, 1] x [N H, 1, dh] matmul took 53 ms there, the
 * broadcast multiply 7 ms, at N = 2,000, k = 32).
 */
import * as tf from '@tensorflow/tfjs';
import { linear, type AttentionParams } from './layers';

/** The regions each region attends to: N x k region rows (row-major). */
export interface Neighbourhood {
  n: number;
  k: number;
  index: Int32Array;
}

/**
 * An additive bias on the neighbourhood logits: sum_m weights_m[h] * values_m[i, s], with
 * values_m a constant N x k (e.g. A_ij at the neighbours) and weights_m one learnable scalar
 * per head ([H], e.g. alpha * w_h).
 */
export interface SparseBiasTerm {
  weights: tf.Tensor1D;
  values: tf.Tensor2D; // [N, k]
}

/**
 * A neighbourhood as tensors, for `heads` heads (created once per run; dispose when done).
 * The first `n` regions attend (the queries) over the first `keys` regions (keys ≥ n): a
 * mini-batch's layers attend from its inner regions to a ring of neighbours around them.
 */
export interface NeighbourhoodTensors {
  n: number;
  keys: number;
  k: number;
  heads: number;
  /** Row of head h of neighbour s of region i in the [N H, dh] head matrix: index[i, s] H + h. [N H k, 1] */
  headRows: tf.Tensor2D;
  /** Regions attended to at a time, so the neighbour rows in memory are chunk x H x k x dh, not N x H x k x dh. */
  chunk: number;
}

/**
 * **Our choice**: 2,048 regions at a time: the gathered neighbour rows of a chunk (k = 32,
 * d = 144) are about 38 MB, where 10,000 regions at once were 184 MB per tensor and the
 * backward pass holds several.
 */
export const ATTENTION_CHUNK = 2048;

export function neighbourhoodTensors(
  nb: Neighbourhood,
  heads: number,
  chunk = ATTENTION_CHUNK,
  keys = nb.n,
): NeighbourhoodTensors {
  const { n, k, index } = nb;
  if (keys < n) throw new Error(`neighbourhoodTensors: ${n} queries over ${keys} keys`);
  const rows = new Int32Array(n * heads * k);
  for (let i = 0; i < n; i++)
    for (let h = 0; h < heads; h++)
      for (let s = 0; s < k; s++) rows[(i * heads + h) * k + s] = index[i * k + s] * heads + h;
  return { n, keys, k, heads, headRows: tf.tensor2d(rows, [n * heads * k, 1], 'int32'), chunk };
}

/** Regions [start, start + count) in chunks of `chunk`. */
export function chunkRanges(n: number, chunk: number): { start: number; count: number }[] {
  if (!(Number.isInteger(chunk) && chunk > 0))
    throw new Error(`chunk must be a positive integer, got ${chunk}`);
  const out: { start: number; count: number }[] = [];
  for (let start = 0; start < n; start += chunk) out.push({ start, count: Math.min(chunk, n - start) });
  return out;
}

/** The neighbour rows of x, per head, of `count` regions whose head rows are `rows`: x [keys, d] -> [count H, k, dh]. */
function neighbourRows(
  x: tf.Tensor2D,
  rows: tf.Tensor2D,
  count: number,
  nb: NeighbourhoodTensors,
  dh: number,
): tf.Tensor3D {
  const perHead = tf.reshape(x, [nb.keys * nb.heads, dh]);
  return tf.reshape(tf.gatherND(perHead, rows), [count * nb.heads, nb.k, dh]) as tf.Tensor3D;
}

/** The head rows of regions [start, start + count).   [count H k, 1] */
function rowsOf(nb: NeighbourhoodTensors, start: number, count: number): tf.Tensor2D {
  if (start === 0 && count === nb.n) return nb.headRows;
  return tf.slice(nb.headRows, [start * nb.heads * nb.k, 0], [count * nb.heads * nb.k, 1]);
}

/** logits[i, h, s] = q_ih . k_{index[i,s] h} + sum_m w_m[h] B_m[i, s], for `count` regions.   [count, H, k] */
function neighbourLogits(
  qb: tf.Tensor3D, // [count H, 1, dh]
  kg: tf.Tensor3D, // [count H, k, dh]
  weights: tf.Tensor[],
  values: tf.Tensor2D[], // [count, k] each
  count: number,
  nb: NeighbourhoodTensors,
): tf.Tensor3D {
  let logits = tf.reshape(tf.matMul(qb, kg, false, true), [count, nb.heads, nb.k]) as tf.Tensor3D;
  values.forEach((b, m) => {
    const term = tf.mul(tf.reshape(weights[m], [1, nb.heads, 1]), tf.reshape(b, [count, 1, nb.k]));
    logits = tf.add(logits, term) as tf.Tensor3D;
  });
  return logits;
}

/**
 * out_i = concat_h sum_s softmax_s(logits[i, h, :]) v_{index[i,s] h}, with q already scaled by
 * 1/sqrt(dh).   q [n, d], k and v [keys, d] -> [n, d]
 * The gradient is hand-written and recomputes the neighbour rows and the attention, so the tape
 * holds only q, k and v (as the dense attentionHead). With P the attention, G = dOut per head:
 *   dV_j += P_is G_i  (j = index[i,s]),  dP = G . V_j,  dL = P * (dP - rowsum(dP * P)),
 *   dQ_i = sum_s dL_is K_j,  dK_j += dL_is Q_i,  dw_m[h] = sum_is dL_ihs B_m[i, s].
 */
export function neighbourhoodAttention(
  q: tf.Tensor2D,
  k: tf.Tensor2D,
  v: tf.Tensor2D,
  nb: NeighbourhoodTensors,
  bias: SparseBiasTerm[],
): tf.Tensor2D {
  const { n, keys, heads: h } = nb;
  const d = q.shape[1];
  const dh = d / h;
  const values = bias.map((b) => b.values);
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args[args.length - 1] as tf.GradSaveFunc;
    const inputs = args.slice(0, -1) as tf.Tensor[];
    save(inputs);
    const [qi, ki, vi] = inputs as tf.Tensor2D[];
    const weights = inputs.slice(3);
    const chunks = chunkRanges(n, nb.chunk);
    const rowsOfRange = (start: number, count: number): tf.Tensor2D[] =>
      values.map((b) => (count === n ? b : tf.slice(b, [start, 0], [count, nb.k])));
    const value = tf.tidy(() => {
      const parts = chunks.map(({ start, count }) =>
        tf.tidy(() => {
          const rows = rowsOf(nb, start, count);
          const qc = count === n ? qi : tf.slice(qi, [start, 0], [count, d]);
          const qb = tf.reshape(qc, [count * h, 1, dh]) as tf.Tensor3D;
          const kg = neighbourRows(ki, rows, count, nb, dh);
          const p = tf.softmax(neighbourLogits(qb, kg, weights, rowsOfRange(start, count), count, nb));
          const vg = neighbourRows(vi, rows, count, nb, dh);
          return tf.reshape(tf.matMul(tf.reshape(p, [count * h, 1, nb.k]) as tf.Tensor3D, vg), [count, d]);
        }),
      );
      return (parts.length === 1 ? parts[0] : tf.concat(parts, 0)) as tf.Tensor2D;
    });
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sq, sk, sv] = saved as tf.Tensor2D[];
        const sw = saved.slice(3);
        // Sums over chunks: dK and dV [keys H, dh], dw_m [H]; dQ chunk by chunk.
        let dk: tf.Tensor = tf.zeros([keys * h, dh]);
        let dv: tf.Tensor = tf.zeros([keys * h, dh]);
        let dw: tf.Tensor[] = values.map(() => tf.zeros([h]));
        const dqParts: tf.Tensor[] = [];
        const accumulate = (total: tf.Tensor, part: tf.Tensor): tf.Tensor => {
          const sum = tf.add(total, part);
          total.dispose();
          part.dispose();
          return sum;
        };
        for (const { start, count } of chunks) {
          const [dqc, dkc, dvc, ...dwc] = tf.tidy(() => {
            const rows = rowsOf(nb, start, count);
            const qc = count === n ? sq : tf.slice(sq, [start, 0], [count, d]);
            const gc = count === n ? dy : tf.slice(dy, [start, 0], [count, d]);
            const valuesC = rowsOfRange(start, count);
            const qb = tf.reshape(qc, [count * h, 1, dh]) as tf.Tensor3D;
            const kg = neighbourRows(sk, rows, count, nb, dh);
            const vg = neighbourRows(sv, rows, count, nb, dh);
            const p = tf.softmax(neighbourLogits(qb, kg, sw, valuesC, count, nb)); // [count, H, k]
            const g = tf.reshape(gc, [count * h, 1, dh]) as tf.Tensor3D;
            const dp = tf.reshape(tf.matMul(g, vg, false, true), [count, h, nb.k]);
            const dl = tf.mul(p, tf.sub(dp, tf.sum(tf.mul(dp, p), 2, true))) as tf.Tensor3D;
            const dlColumn = tf.reshape(dl, [count * h, nb.k, 1]);
            const dq = tf.reshape(tf.matMul(tf.reshape(dl, [count * h, 1, nb.k]) as tf.Tensor3D, kg), [
              count,
              d,
            ]);
            const scatter = (r: tf.Tensor): tf.Tensor =>
              tf.scatterND(rows, tf.reshape(r, [count * h * nb.k, dh]), [keys * h, dh]);
            const dkc = scatter(tf.mul(dlColumn, qb));
            const dvc = scatter(tf.mul(tf.reshape(p, [count * h, nb.k, 1]), g));
            const dwc = valuesC.map((b) => tf.sum(tf.mul(dl, tf.reshape(b, [count, 1, nb.k])), [0, 2]));
            return [dq, dkc, dvc, ...dwc];
          });
          dqParts.push(dqc);
          dk = accumulate(dk, dkc);
          dv = accumulate(dv, dvc);
          dw = dw.map((total, m) => accumulate(total, dwc[m]));
        }
        const dq = dqParts.length === 1 ? dqParts[0] : tf.concat(dqParts, 0);
        return [dq, tf.reshape(dk, [keys, d]), tf.reshape(dv, [keys, d]), ...dw];
      },
    };
  }) as unknown as (...inputs: tf.Tensor[]) => tf.Tensor2D;
  return op(q, k, v, ...bias.map((b) => b.weights));
}

/** Attention over neighbourhoods instead of all regions, and the bias of each head. */
export interface SparseAttention {
  kind: 'sparse';
  neighbourhood: NeighbourhoodTensors;
  bias: SparseBiasTerm[];
}

/**
 * Multi-head attention over neighbourhoods, the sparse twin of layers.ts's
 * multiHeadAttention: Q = X W_q / sqrt(dh), K = X W_k, V = X W_v, out = attention W_o.
 *   [keys, d] -> [n, d]  (the first n rows are the queries; n = keys = N for a whole city)
 */
export function sparseMultiHeadAttention(
  x: tf.Tensor2D,
  p: AttentionParams,
  attention: SparseAttention,
): tf.Tensor2D {
  const nb = attention.neighbourhood;
  const dh = x.shape[1] / nb.heads;
  const q = tf.mul(linear(firstRows(x, nb.n), p.q), 1 / Math.sqrt(dh)) as tf.Tensor2D;
  const mixed = neighbourhoodAttention(
    q,
    linear(x, p.k),
    linear(x, p.v),
    attention.neighbourhood,
    attention.bias,
  );
  return linear(mixed, p.o);
}

/** The first `n` rows of x (x itself when it has n).   [m, d] -> [n, d] */
export function firstRows(x: tf.Tensor2D, n: number): tf.Tensor2D {
  return x.shape[0] === n ? x : tf.slice(x, [0, 0], [n, x.shape[1]]);
}

/** The attention weights [H, n, k] of the n query regions (for inspection; no gradient kept). */
export function sparseAttentionWeights(
  x: tf.Tensor2D,
  p: AttentionParams,
  attention: SparseAttention,
): tf.Tensor3D {
  const nb = attention.neighbourhood;
  const dh = x.shape[1] / nb.heads;
  const qb = tf.reshape(tf.mul(linear(firstRows(x, nb.n), p.q), 1 / Math.sqrt(dh)), [
    nb.n * nb.heads,
    1,
    dh,
  ]) as tf.Tensor3D;
  const kg = neighbourRows(linear(x, p.k), nb.headRows, nb.n, nb, dh);
  const logits = neighbourLogits(
    qb,
    kg,
    attention.bias.map((b) => b.weights),
    attention.bias.map((b) => b.values),
    nb.n,
    nb,
  );
  return tf.transpose(tf.softmax(logits), [1, 0, 2]) as tf.Tensor3D;
}
