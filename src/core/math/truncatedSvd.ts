/**
 * The top r singular triplets of a sparse matrix A (CSR), A ≈ U diag(s) V^T, by randomized
 * subspace iteration (Halko, Martinsson and Tropp 2011, algorithms 4.4 and 5.1): a seeded
 * Gaussian start of r + oversample columns, a few power iterations with re-orthonormalisation,
 * then the exact SVD of the small projected matrix through the eigen-decomposition of its
 * Gram matrix. Only products with A and A^T touch the matrix: O(iterations · nnz · (r + p)),
 * never rows x cols numbers. Deterministic for a seed; each singular vector's sign is fixed
 * so that its largest entry (by magnitude, the first of equals) is positive.
 */
import { Rng } from '../random';
import { symmetricEigen } from './eigen';
import { sparseMultiplyDense, sparseTranspose, type SparseMatrix } from './sparse';

export interface TruncatedSvd {
  /** Number of triplets kept: min(r, rows, cols). */
  rank: number;
  /** Singular values, descending (0 where A has lower rank). */
  values: Float64Array;
  /** Left singular vectors as columns: rows x rank, row-major. */
  left: Float64Array;
  /** Right singular vectors as columns: cols x rank, row-major. */
  right: Float64Array;
}

export interface TruncatedSvdOptions {
  /** Power iterations (default 4): each sharpens the subspace towards the top singular vectors. */
  iterations?: number;
  /** Extra columns carried along and dropped at the end (default 8). */
  oversample?: number;
  seed?: number;
}

/** Orthonormalise the k columns of a row-major n x k matrix in place (modified Gram–Schmidt, twice); dependent columns become 0. */
export function orthonormaliseColumns(x: Float64Array, n: number, k: number): void {
  for (let c = 0; c < k; c++) {
    let before = 0;
    for (let i = 0; i < n; i++) before += x[i * k + c] ** 2;
    for (let pass = 0; pass < 2; pass++)
      for (let p = 0; p < c; p++) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += x[i * k + c] * x[i * k + p];
        for (let i = 0; i < n; i++) x[i * k + c] -= dot * x[i * k + p];
      }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += x[i * k + c] ** 2;
    // What is left of a column in the span of the earlier ones is rounding: drop it.
    const keep = norm > 1e-24 * before && norm > 0;
    const scale = keep ? 1 / Math.sqrt(norm) : 0;
    for (let i = 0; i < n; i++) x[i * k + c] *= scale;
  }
}

/** The columns of a row-major n x k matrix times a k x k matrix given by rows `w` (w row j = coefficients of output column j). */
function combineColumns(x: Float64Array, n: number, k: number, w: Float64Array, out: number): Float64Array {
  const y = new Float64Array(n * out);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < out; j++) {
      let s = 0;
      for (let c = 0; c < k; c++) s += x[i * k + c] * w[j * k + c];
      y[i * out + j] = s;
    }
  return y;
}

export function truncatedSvd(a: SparseMatrix, r: number, options: TruncatedSvdOptions = {}): TruncatedSvd {
  const { iterations = 4, oversample = 8, seed = 1 } = options;
  const { rows, cols } = a;
  const rank = Math.max(0, Math.min(r, rows, cols));
  const k = Math.min(rank + oversample, rows, cols);
  const at = sparseTranspose(a);
  const rng = new Rng(seed);
  const omega = Float64Array.from({ length: cols * k }, () => rng.normal());
  let q = sparseMultiplyDense(a, omega, k); // rows x k
  orthonormaliseColumns(q, rows, k);
  for (let it = 0; it < iterations; it++) {
    const z = sparseMultiplyDense(at, q, k); // cols x k
    orthonormaliseColumns(z, cols, k);
    q = sparseMultiplyDense(a, z, k);
    orthonormaliseColumns(q, rows, k);
  }
  // B^T = A^T Q (cols x k); B B^T = (A^T Q)^T (A^T Q), k x k.
  const bt = sparseMultiplyDense(at, q, k);
  const gram = new Float64Array(k * k);
  for (let i = 0; i < cols; i++)
    for (let p = 0; p < k; p++) {
      const v = bt[i * k + p];
      if (v === 0) continue;
      for (let c = 0; c < k; c++) gram[p * k + c] += v * bt[i * k + c];
    }
  const eigen = symmetricEigen(gram, k);
  const values = new Float64Array(rank);
  for (let j = 0; j < rank; j++) values[j] = Math.sqrt(Math.max(0, eigen.values[j]));
  const left = combineColumns(q, rows, k, eigen.vectors, rank);
  const right = combineColumns(bt, cols, k, eigen.vectors, rank);
  for (let j = 0; j < rank; j++) {
    const s = values[j];
    for (let i = 0; i < cols; i++) right[i * rank + j] = s > 0 ? right[i * rank + j] / s : 0;
    if (s === 0) for (let i = 0; i < rows; i++) left[i * rank + j] = 0;
    // Sign: the entry of largest magnitude of the left vector is positive.
    let top = 0;
    for (let i = 1; i < rows; i++) if (Math.abs(left[i * rank + j]) > Math.abs(left[top * rank + j])) top = i;
    if (left[top * rank + j] < 0) {
      for (let i = 0; i < rows; i++) left[i * rank + j] = -left[i * rank + j];
      for (let i = 0; i < cols; i++) right[i * rank + j] = -right[i * rank + j];
    }
  }
  return { rank, values, left, right };
}
