/** SREL's self-supervised losses (method.md, step 6). No labels are used. */
import * as tf from '@tensorflow/tfjs';
import { matMul2d } from './layers';

/**
 * Mobility reconstruction:
 *   -sum_ij Mhat_ij log(softmax_j(s_i . t_j / sqrt(e)) + 1e-4) - sum_ij Mhat_ji log(softmax_j(t_i . s_j / sqrt(e)) + 1e-4)
 * s, t: [N, e]; mhat: [N, N]
 * **Our choice**: the 1/sqrt(e) of scaled dot-product attention. Without it the logits grow
 * until the softmax saturates; on Chicago the loss then sticks above that of a uniform
 * prediction (about 86,000 against 51,000) and stops falling.
 */
export function mobilityLoss(s: tf.Tensor2D, t: tf.Tensor2D, mhat: tf.Tensor2D): tf.Scalar {
  const scale = 1 / Math.sqrt(s.shape[1]);
  const outgoing = tf.log(tf.add(tf.softmax(tf.mul(matMul2d(s, tf.transpose(t)), scale), -1), 1e-4));
  const incoming = tf.log(tf.add(tf.softmax(tf.mul(matMul2d(t, tf.transpose(s)), scale), -1), 1e-4));
  return tf.neg(
    tf.add(tf.sum(tf.mul(mhat, outgoing)), tf.sum(tf.mul(tf.transpose(mhat), incoming))),
  ) as tf.Scalar;
}

/** cos(x_i, x_j) for all pairs (norms clamped at 1e-8, as PyTorch).   [N, e] -> [N, N] */
export function pairwiseCosine(x: tf.Tensor2D): tf.Tensor2D {
  const norms = tf.maximum(tf.norm(x, 'euclidean', 1, true), 1e-8);
  const unit = tf.div(x, norms) as tf.Tensor2D;
  return matMul2d(unit, tf.transpose(unit));
}

/** POI (land-use) similarity reconstruction: mean_ij (cos(p_i, p_j) - S_ij)^2. */
export function similarityLoss(p: tf.Tensor2D, target: tf.Tensor2D): tf.Scalar {
  return tf.mean(tf.squaredDifference(pairwiseCosine(p), target)) as tf.Scalar;
}

/** a + b + c + ... for scalars. */
export function sumScalars(terms: tf.Scalar[]): tf.Scalar {
  return terms.reduce((acc, t) => tf.add(acc, t) as tf.Scalar);
}

/** 0.5 * lambda * sum of squared parameters: its gradient is PyTorch Adam's weight_decay term. */
export function weightDecayPenalty(variables: tf.Variable[], lambda: number): tf.Scalar {
  if (lambda === 0 || variables.length === 0) return tf.scalar(0);
  // A chain of adds, not tf.addN: addN of scalars gives wrong values on tfjs's WebGPU backend.
  return tf.mul(0.5 * lambda, sumScalars(variables.map((v) => tf.sum(tf.square(v))))) as tf.Scalar;
}
