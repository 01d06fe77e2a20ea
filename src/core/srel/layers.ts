/**
 * The building blocks of SREL, one function per equation. Shapes in comments:
 * N regions, d hidden width, H heads, dh = d / H.
 */
import * as tf from '@tensorflow/tfjs';
import type { LayerNormParams, LinearParams } from './params';

/** Dropout that is the identity at evaluation time; `seed` makes masks repeatable. */
export interface DropoutFn {
  (x: tf.Tensor, salt: number): tf.Tensor;
}

export function makeDropout(rate: number, training: boolean, seed: number): DropoutFn {
  if (!training || rate === 0) return (x) => x;
  return (x, salt) => tf.dropout(x, rate, undefined, seed * 7919 + salt);
}

/**
 * a b for 2-D tensors, with a gradient that transposes explicitly: the WASM backend's
 * transposed matmuls (which tfjs's own gradient uses) are 4 to 10 times slower than a
 * transpose followed by a plain matmul (measured in src/cli/bench-matmul.ts).
 */
export const matMul2d = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [a, b, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
  save([a, b]);
  return {
    value: tf.matMul(a, b),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sa, sb] = saved as tf.Tensor2D[];
      return [tf.matMul(dy as tf.Tensor2D, tf.transpose(sb)), tf.matMul(tf.transpose(sa), dy as tf.Tensor2D)];
    },
  };
}) as unknown as (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D;

/** y = x W + b.   [N, in] -> [N, out] */
export function linear(x: tf.Tensor2D, p: LinearParams): tf.Tensor2D {
  return tf.add(matMul2d(x, p.w as tf.Tensor2D), p.b);
}

/** LayerNorm over the last axis.   [N, d] -> [N, d] */
export function layerNorm(x: tf.Tensor2D, p: LayerNormParams, epsilon = 1e-5): tf.Tensor2D {
  const { mean, variance } = tf.moments(x, -1, true);
  return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, epsilon))), p.gamma), p.beta);
}

export function leakyRelu(x: tf.Tensor2D): tf.Tensor2D {
  return tf.leakyRelu(x, 0.3);
}

/**
 * An additive attention bias made of constant N x N matrices with learnable scalar weights:
 *   bias = sum_m weight_m * matrix_m   (e.g. alpha * w_h * A for the distance prior).
 * Kept in this factored form so no N x N bias tensor is stored for the backward pass.
 */
export interface AttentionBias {
  weights: tf.Scalar[];
  matrices: tf.Tensor2D[];
}

function biasedLogits(
  q: tf.Tensor2D,
  k: tf.Tensor2D,
  weights: tf.Tensor[],
  matrices: tf.Tensor2D[],
): tf.Tensor2D {
  let logits: tf.Tensor2D = tf.matMul(q, tf.transpose(k)); // [N, N]
  matrices.forEach((m, i) => {
    logits = tf.add(logits, tf.mul(weights[i], m)) as tf.Tensor2D;
  });
  return logits;
}

/**
 * One attention head, out = softmax(q k^T + sum_m w_m M_m) v, with a hand-written gradient
 * that recomputes the N x N attention in the backward pass instead of keeping it: the tape
 * then holds only q, k, v ([N, dh]), which is what lets 2,000 regions train in WASM memory
 * (and every matmul runs untransposed, the fast path there). Gradients, with P the attention
 * and G = dOut:
 *   dV = P^T G,  dP = G V^T,  dL = P * (dP - rowsum(dP * P)),
 *   dQ = dL K,  dK = dL^T Q,  dw_m = sum(dL * M_m).
 */
export function attentionHead(
  q: tf.Tensor2D,
  k: tf.Tensor2D,
  v: tf.Tensor2D,
  bias: AttentionBias | null,
): tf.Tensor2D {
  const matrices = bias?.matrices ?? [];
  const head = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args[args.length - 1] as tf.GradSaveFunc;
    const inputs = args.slice(0, -1) as tf.Tensor[];
    const [qi, ki, vi] = inputs as tf.Tensor2D[];
    const weights = inputs.slice(3);
    save(inputs);
    const value = tf.tidy(() => tf.matMul(tf.softmax(biasedLogits(qi, ki, weights, matrices)), vi));
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sq, sk, sv] = saved as tf.Tensor2D[];
        const sw = saved.slice(3);
        return tf.tidy(() => {
          const g = dy as tf.Tensor2D;
          const p = tf.softmax(biasedLogits(sq, sk, sw, matrices));
          const dv = tf.matMul(tf.transpose(p), g);
          const dp = tf.matMul(g, tf.transpose(sv));
          const dl = tf.mul(p, tf.sub(dp, tf.sum(tf.mul(dp, p), 1, true))) as tf.Tensor2D;
          const dq = tf.matMul(dl, sk);
          const dk = tf.matMul(tf.transpose(dl), sq);
          const dw = matrices.map((m) => tf.sum(tf.mul(dl, m)));
          return [dq, dk, dv, ...dw];
        });
      },
    };
  }) as unknown as (...inputs: tf.Tensor[]) => tf.Tensor2D;
  return head(q, k, v, ...(bias?.weights ?? []));
}

export interface AttentionParams {
  q: LinearParams;
  k: LinearParams;
  v: LinearParams;
  o: LinearParams;
}

/** Q_h, K_h, V_h of each head: H x [N, dh], with 1/sqrt(dh) folded into Q. */
function headInputs(
  x: tf.Tensor2D,
  p: AttentionParams,
  heads: number,
): { q: tf.Tensor2D[]; k: tf.Tensor2D[]; v: tf.Tensor2D[] } {
  const dh = x.shape[1] / heads;
  return {
    q: tf.split(tf.mul(linear(x, p.q), 1 / Math.sqrt(dh)), heads, 1) as tf.Tensor2D[],
    k: tf.split(linear(x, p.k), heads, 1) as tf.Tensor2D[],
    v: tf.split(linear(x, p.v), heads, 1) as tf.Tensor2D[],
  };
}

/**
 * Multi-head self-attention over regions, head by head:
 *   A_h = softmax(Q_h K_h^T / sqrt(dh) + bias_h),  out = concat_h(A_h V_h) W_o.
 * `bias` holds each head's additive bias, or is null. **Our choice**: no dropout on the
 * attention weights (dropout stays on the block outputs); its masks would be N x N per head.
 */
export function multiHeadAttention(
  x: tf.Tensor2D,
  p: AttentionParams,
  heads: number,
  bias: AttentionBias[] | null,
): tf.Tensor2D {
  const { q, k, v } = headInputs(x, p, heads);
  const mixed = q.map((qh, h) => attentionHead(qh, k[h], v[h], bias ? bias[h] : null)); // H x [N, dh]
  return linear(tf.concat(mixed, 1) as tf.Tensor2D, p.o);
}

/** The attention weights A_h [N, N] of each head (for inspection; no gradient kept). */
export function attentionWeights(
  x: tf.Tensor2D,
  p: AttentionParams,
  heads: number,
  bias: AttentionBias[] | null,
): tf.Tensor2D[] {
  const { q, k } = headInputs(x, p, heads);
  return q.map((qh, h) =>
    tf.softmax(biasedLogits(qh, k[h], bias?.[h]?.weights ?? [], bias?.[h]?.matrices ?? [])),
  );
}

export interface FeedForwardParams {
  inner: LinearParams;
  outer: LinearParams;
}

/** Linear -> ReLU -> Dropout -> Linear.   [N, d] -> [N, d] */
export function feedForward(
  x: tf.Tensor2D,
  p: FeedForwardParams,
  dropout: DropoutFn,
  salt: number,
): tf.Tensor2D {
  return linear(dropout(tf.relu(linear(x, p.inner)), salt) as tf.Tensor2D, p.outer);
}

/** How a block's attention mixes regions: all regions (dense) or neighbourhoods (sparseAttention.ts). */
export type AttentionFn = (x: tf.Tensor2D, p: AttentionParams) => tf.Tensor2D;

/** Dense multi-head attention over all regions with each head's bias (or none). */
export function denseAttention(heads: number, bias: AttentionBias[] | null): AttentionFn {
  return (x, p) => multiHeadAttention(x, p, heads, bias);
}

export interface BlockParams {
  norm1: LayerNormParams;
  attention: AttentionParams;
  norm2: LayerNormParams;
  feedForward: FeedForwardParams;
}

/**
 * Pre-norm transformer block:
 *   X = X + Dropout(MHA(LN(X)) [+ bias]);  X = X + Dropout(FFN(LN(X))).
 * When the attention answers for fewer rows than it reads (a mini-batch's inner regions,
 * sparseAttention.ts), the block's output is those first rows.   [m, d] -> [n ≤ m, d]
 */
export function transformerBlock(
  x: tf.Tensor2D,
  p: BlockParams,
  attend: AttentionFn,
  dropout: DropoutFn,
  salt: number,
): tf.Tensor2D {
  const attn = attend(layerNorm(x, p.norm1), p.attention);
  const rows = attn.shape[0];
  const residual = rows === x.shape[0] ? x : tf.slice(x, [0, 0], [rows, x.shape[1]]);
  const h = tf.add(residual, dropout(attn, salt + 1)) as tf.Tensor2D;
  const ff = feedForward(layerNorm(h, p.norm2), p.feedForward, dropout, salt + 2);
  return tf.add(h, dropout(ff, salt + 3)) as tf.Tensor2D;
}

export interface MlpParams {
  layers: LinearParams[];
}

/**
 * The output MLP (HAFusion's DeepFc): Linear -> Linear -> LeakyReLU -> Linear -> LeakyReLU.
 *   [N, in] -> [N, out]
 */
export function outputMlp(x: tf.Tensor2D, p: MlpParams): tf.Tensor2D {
  const [first, second, third] = p.layers;
  return leakyRelu(linear(leakyRelu(linear(linear(x, first), second)), third));
}
