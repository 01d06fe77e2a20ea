/**
 * Gram matrices of a row-major n x d matrix X (Float64): X X^T, the dot products of its rows,
 * and X^T X, the dot products of its columns. Ridge (primal and dual systems, fold sums) and
 * the PCA build one or the other; both are symmetric, so only the upper triangle is summed and
 * then mirrored.
 */

/** X X^T (n x n): entry (i, j) is the dot product of rows i and j. O(n^2 d). */
export function rowGram(x: Float64Array, n: number, d: number): Float64Array {
  const g = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = i; j < n; j++) {
      let s = 0;
      for (let p = 0; p < d; p++) s += x[i * d + p] * x[j * d + p];
      g[i * n + j] = s;
      g[j * n + i] = s;
    }
  return g;
}

/**
 * X^T X (d x d) over the rows `rows` of X (every row when omitted), summed row by row as the
 * outer products x_i x_i^T. O(n d^2). Zero entries of X are skipped (count views are sparse):
 * for finite values that changes no sum.
 */
export function columnGram(x: Float64Array, d: number, rows?: readonly number[]): Float64Array {
  const g = new Float64Array(d * d);
  const count = rows ? rows.length : x.length / d;
  const start = (k: number): number => (rows ? rows[k] : k) * d;
  // Four rows at a time: each entry still adds the rows' products one after another, in row
  // order (the same sums, bit for bit), but is loaded and stored once per four rows. A zero
  // entry adds an exact zero, so skipping it only where all four are zero changes no sum.
  let k = 0;
  for (; k + 4 <= count; k += 4) {
    const r0 = start(k);
    const r1 = start(k + 1);
    const r2 = start(k + 2);
    const r3 = start(k + 3);
    for (let p = 0; p < d; p++) {
      const v0 = x[r0 + p];
      const v1 = x[r1 + p];
      const v2 = x[r2 + p];
      const v3 = x[r3 + p];
      if (v0 === 0 && v1 === 0 && v2 === 0 && v3 === 0) continue;
      const gp = p * d;
      for (let q = p; q < d; q++)
        g[gp + q] = g[gp + q] + v0 * x[r0 + q] + v1 * x[r1 + q] + v2 * x[r2 + q] + v3 * x[r3 + q];
    }
  }
  for (; k < count; k++) {
    const row = start(k);
    for (let p = 0; p < d; p++) {
      const v = x[row + p];
      if (v === 0) continue;
      for (let q = p; q < d; q++) g[p * d + q] += v * x[row + q];
    }
  }
  for (let p = 0; p < d; p++) for (let q = 0; q < p; q++) g[p * d + q] = g[q * d + p];
  return g;
}
