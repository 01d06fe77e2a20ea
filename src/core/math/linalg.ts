/** Small dense linear algebra in Float64 (row-major), enough for closed-form ridge. */

/** In-place Cholesky factorisation of an SPD n x n matrix; returns lower-triangular L. */
export function cholesky(a: Float64Array, n: number): Float64Array {
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j];
    for (let k = 0; k < j; k++) d -= l[j * n + k] * l[j * n + k];
    if (!(d > 0)) throw new Error(`matrix is not positive definite (pivot ${j}: ${d})`);
    const ljj = Math.sqrt(d);
    l[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j];
      for (let k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
      l[i * n + j] = s / ljj;
    }
  }
  return l;
}

/** Solve L L^T x = b for several right-hand sides (b: n x m, row-major). */
export function choleskySolve(l: Float64Array, n: number, b: Float64Array, m: number): Float64Array {
  const y = new Float64Array(n * m);
  for (let c = 0; c < m; c++) {
    for (let i = 0; i < n; i++) {
      let s = b[i * m + c];
      for (let k = 0; k < i; k++) s -= l[i * n + k] * y[k * m + c];
      y[i * m + c] = s / l[i * n + i];
    }
    for (let i = n - 1; i >= 0; i--) {
      let s = y[i * m + c];
      for (let k = i + 1; k < n; k++) s -= l[k * n + i] * y[k * m + c];
      y[i * m + c] = s / l[i * n + i];
    }
  }
  return y;
}
