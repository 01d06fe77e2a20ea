/**
 * Principal components of a column-centred n x t matrix Xc = U S V^T (Float64, row-major),
 * through whichever Gram matrix is smaller:
 * - n <= t: Xc Xc^T = U S² U^T (n x n); the scores are U S;
 * - t < n:  Xc^T Xc = V S² V^T (t x t); the scores are Xc V.
 * Both routes give the same scores up to the sign of each column, at a cost of
 * O(min(n, t)^2 max(n, t) + min(n, t)^3) instead of growing with the larger side squared.
 * Callers centre the columns themselves (the semantic ridge head and the diversity report do
 * it with different rounding, and keep their figures bit for bit).
 */
import { symmetricEigen } from './eigen';
import { columnGram, rowGram } from './gram';

export interface PrincipalComponents {
  /**
   * The squared singular values S² of Xc, descending: the eigenvalues of the smaller Gram
   * matrix, min(n, t) of them (rounding can leave the smallest slightly below 0).
   */
  values: Float64Array;
  /** Scores of the r kept components, n x r: column k is Xc v_k = u_k s_k. */
  scores: Float64Array;
  r: number;
}

export interface PcaOptions {
  /**
   * Keep the components whose value is above this fraction of the largest (default 0: every
   * positive one). Values below it are rounding noise of a rank-deficient Xc.
   */
  relativeTolerance?: number;
  /** Keep at most this many components (default: all that pass the tolerance). */
  maxComponents?: number;
}

/** How many leading values pass the tolerance, at most `max`. */
function keptCount(values: Float64Array, relativeTolerance: number, max: number): number {
  const tolerance = Math.max(values[0] ?? 0, 0) * relativeTolerance;
  const limit = Math.min(values.length, max);
  let r = 0;
  while (r < limit && values[r] > tolerance) r++;
  return r;
}

/** PCA of the column-centred n x t matrix `xc` (see the file comment). */
export function principalComponents(
  xc: Float64Array,
  n: number,
  t: number,
  { relativeTolerance = 0, maxComponents = Infinity }: PcaOptions = {},
): PrincipalComponents {
  if (xc.length !== n * t) throw new Error(`principalComponents: ${xc.length} values for ${n} x ${t}`);
  if (n <= t) {
    const { values, vectors } = symmetricEigen(rowGram(xc, n, t), n); // Xc Xc^T   [n, n]
    const r = keptCount(values, relativeTolerance, maxComponents);
    const scores = new Float64Array(n * r); // U S   [n, r]
    for (let k = 0; k < r; k++) {
      const root = Math.sqrt(values[k]);
      for (let i = 0; i < n; i++) scores[i * r + k] = vectors[k * n + i] * root;
    }
    return { values, scores, r };
  }
  const { values, vectors } = symmetricEigen(columnGram(xc, t), t); // Xc^T Xc   [t, t]
  const r = keptCount(values, relativeTolerance, maxComponents);
  const scores = new Float64Array(n * r); // Xc V   [n, r]
  for (let i = 0; i < n; i++)
    for (let k = 0; k < r; k++) {
      let v = 0;
      for (let p = 0; p < t; p++) v += xc[i * t + p] * vectors[k * t + p];
      scores[i * r + k] = v;
    }
  return { values, scores, r };
}
