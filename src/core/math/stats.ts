/** Small statistics on row-major matrices shared by the core. */

/**
 * Standardise each column of an n x d matrix to mean 0 and population sd 1 over the rows;
 * constant columns become 0. Returns a new array of the same type.
 */
export function standardiseColumns<T extends Float32Array | Float64Array>(x: T, n: number, d: number): T {
  const out = (x instanceof Float32Array ? new Float32Array(n * d) : new Float64Array(n * d)) as T;
  for (let j = 0; j < d; j++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += x[i * d + j];
    mean /= n;
    let ss = 0;
    for (let i = 0; i < n; i++) ss += (x[i * d + j] - mean) ** 2;
    const sd = Math.sqrt(ss / n);
    for (let i = 0; i < n; i++) out[i * d + j] = sd > 0 ? (x[i * d + j] - mean) / sd : 0;
  }
  return out;
}

/** Column means of an n x d matrix (summed, then divided by n) and the matrix minus them. */
export function centreColumns(
  x: ArrayLike<number>,
  n: number,
  d: number,
): { centred: Float64Array; mean: Float64Array } {
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += x[i * d + j];
  for (let j = 0; j < d; j++) mean[j] /= n;
  const centred = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) centred[i * d + j] = x[i * d + j] - mean[j];
  return { centred, mean };
}
