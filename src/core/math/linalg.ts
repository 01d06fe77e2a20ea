/** Small dense linear algebra in Float64 (row-major), enough for closed-form ridge. */

/**
 * Cholesky factorisation of an SPD n x n matrix; returns lower-triangular L. With `leading`,
 * the factor (m x m) of a's leading m x m block, computed before: its entries are taken as
 * they are and only the rest is computed, the same bits as factorising a whole (each entry of
 * L depends only on the entries of a above and left of it).
 */
export function cholesky(a: Float64Array, n: number, leading?: { l: Float64Array; m: number }): Float64Array {
  return choleskyInPlace(a.slice(), n, leading);
}

/**
 * `cholesky`, overwriting a with L (the same bits): each entry of a is read before L's entry
 * takes its place, and the strict upper triangle is zeroed at the end. The ridge factors of a
 * report are thousands of these (one per fold, snapshot and ridge strength), and a second
 * n x n array for each was most of the garbage collector's work.
 */
export function choleskyInPlace(
  a: Float64Array,
  n: number,
  leading?: { l: Float64Array; m: number },
): Float64Array {
  const l = a;
  let first = 0;
  if (leading) {
    const { l: lead, m } = leading;
    if (m > n || lead.length !== m * m)
      throw new Error(`cholesky: a leading factor of ${m} for a matrix of ${n}`);
    for (let i = 0; i < m; i++) l.set(lead.subarray(i * m, i * m + i + 1), i * n);
    // The leading columns below row m.
    for (let j = 0; j < m; j++) {
      const rj = j * n;
      for (let i = m; i < n; i++) {
        let s = a[i * n + j];
        for (let k = 0; k < j; k++) s -= l[i * n + k] * l[rj + k];
        l[i * n + j] = s / l[rj + j];
      }
    }
    first = m;
  }
  for (let j = first; j < n; j++) {
    const rj = j * n;
    let d = a[rj + j];
    for (let k = 0; k < j; k++) d -= l[rj + k] * l[rj + k];
    if (!(d > 0)) throw new Error(`matrix is not positive definite (pivot ${j}: ${d})`);
    const ljj = Math.sqrt(d);
    l[rj + j] = ljj;
    // Column j below the pivot, four rows at a time: four independent sums instead of one
    // chain of dependent subtractions (the ridge report's time went here). Each entry still
    // subtracts its products in order k = 0, 1, ..., so L is the same bit for bit.
    let i = j + 1;
    for (; i + 4 <= n; i += 4) {
      const r0 = i * n;
      const r1 = r0 + n;
      const r2 = r1 + n;
      const r3 = r2 + n;
      let s0 = a[r0 + j];
      let s1 = a[r1 + j];
      let s2 = a[r2 + j];
      let s3 = a[r3 + j];
      for (let k = 0; k < j; k++) {
        const v = l[rj + k];
        s0 -= l[r0 + k] * v;
        s1 -= l[r1 + k] * v;
        s2 -= l[r2 + k] * v;
        s3 -= l[r3 + k] * v;
      }
      l[r0 + j] = s0 / ljj;
      l[r1 + j] = s1 / ljj;
      l[r2 + j] = s2 / ljj;
      l[r3 + j] = s3 / ljj;
    }
    for (; i < n; i++) {
      let s = a[i * n + j];
      for (let k = 0; k < j; k++) s -= l[i * n + k] * l[rj + k];
      l[i * n + j] = s / ljj;
    }
  }
  for (let i = 0; i < n; i++) l.fill(0, i * n + i + 1, (i + 1) * n);
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
