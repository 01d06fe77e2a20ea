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

export interface AttentionParams {
  q: LinearParams;
  k: LinearParams;
  v: LinearParams;
  o: LinearParams;
}

/**
 * Multi-head self-attention over regions, head by head (on WASM, H two-dimensional matmuls
 * are faster than one batched matmul):
 *   A_h = softmax(Q_h K_h^T / sqrt(dh) + bias_h),  out = concat_h(A_h V_h) W_o.
 * `bias` is [H, N, N] or [1, N, N] (added to the logits) or null.
 * Returns the output [N, d] and each head's attention weights A_h [N, N].
 */
export function multiHeadAttention(
  x: tf.Tensor2D,
  p: AttentionParams,
  heads: number,
  bias: tf.Tensor3D | null,
  dropout: DropoutFn,
  salt: number,
): { out: tf.Tensor2D; weights: tf.Tensor2D[] } {
  const dh = x.shape[1] / heads;
  const q = tf.split(linear(x, p.q), heads, 1) as tf.Tensor2D[]; // H x [N, dh]
  const k = tf.split(linear(x, p.k), heads, 1) as tf.Tensor2D[];
  const v = tf.split(linear(x, p.v), heads, 1) as tf.Tensor2D[];
  const biasPerHead = bias ? (tf.unstack(bias) as tf.Tensor2D[]) : null;
  const weights: tf.Tensor2D[] = [];
  const mixed: tf.Tensor2D[] = [];
  for (let h = 0; h < heads; h++) {
    let logits = tf.div(matMul2d(q[h], tf.transpose(k[h])), Math.sqrt(dh)) as tf.Tensor2D; // [N, N]
    if (biasPerHead) logits = tf.add(logits, biasPerHead[biasPerHead.length === 1 ? 0 : h]) as tf.Tensor2D;
    const a = tf.softmax(logits, -1) as tf.Tensor2D;
    weights.push(a);
    mixed.push(matMul2d(dropout(a, salt + 17 * h) as tf.Tensor2D, v[h])); // [N, dh]
  }
  return { out: linear(tf.concat(mixed, 1) as tf.Tensor2D, p.o), weights };
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

export interface BlockParams {
  norm1: LayerNormParams;
  attention: AttentionParams;
  norm2: LayerNormParams;
  feedForward: FeedForwardParams;
}

/**
 * Pre-norm transformer block:
 *   X = X + Dropout(MHA(LN(X)) [+ bias]);  X = X + Dropout(FFN(LN(X))).
 */
export function transformerBlock(
  x: tf.Tensor2D,
  p: BlockParams,
  heads: number,
  bias: tf.Tensor3D | null,
  dropout: DropoutFn,
  salt: number,
): { out: tf.Tensor2D; weights: tf.Tensor2D[] } {
  const attn = multiHeadAttention(layerNorm(x, p.norm1), p.attention, heads, bias, dropout, salt);
  const h = tf.add(x, dropout(attn.out, salt + 1)) as tf.Tensor2D;
  const ff = feedForward(layerNorm(h, p.norm2), p.feedForward, dropout, salt + 2);
  return { out: tf.add(h, dropout(ff, salt + 3)) as tf.Tensor2D, weights: attn.weights };
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
