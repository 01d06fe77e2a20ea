/**
 * Sparse matrices in compressed sparse row (CSR) form: what trips are from file to tensor, so
 * a city of 100,000 regions holds its observed trips, not 10^10 zeros.
 *
 * Row i's entries are `colIndex[k], values[k]` for k in `rowStart[i] .. rowStart[i + 1] - 1`,
 * columns ascending within a row, no explicit zeros, no duplicates.
 */

export interface SparseMatrix {
  rows: number;
  cols: number;
  /** rows + 1 offsets into colIndex and values; rowStart[rows] = number of entries. */
  rowStart: Int32Array;
  /** Column of each entry, ascending within a row. */
  colIndex: Int32Array;
  /** Value of each entry, never 0. */
  values: Float64Array;
}

/** A dense row-major matrix, as core/city's Matrix. */
export interface DenseMatrix {
  rows: number;
  cols: number;
  data: ArrayLike<number>;
}

/** Number of stored (non-zero) entries. */
export function nonZeros(m: SparseMatrix): number {
  return m.rowStart[m.rows];
}

/** The CSR form of a dense matrix (zeros dropped). */
export function sparseFromDense(m: DenseMatrix): SparseMatrix {
  const { rows, cols, data } = m;
  const rowStart = new Int32Array(rows + 1);
  let count = 0;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) if (data[i * cols + j] !== 0) count++;
    rowStart[i + 1] = count;
  }
  const colIndex = new Int32Array(count);
  const values = new Float64Array(count);
  let k = 0;
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++) {
      const v = data[i * cols + j];
      if (v === 0) continue;
      colIndex[k] = j;
      values[k++] = v;
    }
  return { rows, cols, rowStart, colIndex, values };
}

/**
 * The CSR form of (row, col, value) triplets; duplicates are summed, entries that sum to 0
 * dropped. Throws on an index outside the shape.
 */
export function sparseFromTriplets(
  rows: number,
  cols: number,
  rowOf: ArrayLike<number>,
  colOf: ArrayLike<number>,
  valueOf: ArrayLike<number>,
): SparseMatrix {
  const count = rowOf.length;
  if (colOf.length !== count || valueOf.length !== count)
    throw new Error(`sparse triplets: ${count} rows, ${colOf.length} columns, ${valueOf.length} values`);
  const perRow = new Int32Array(rows + 1);
  for (let k = 0; k < count; k++) {
    const i = rowOf[k];
    const j = colOf[k];
    if (!(Number.isInteger(i) && i >= 0 && i < rows && Number.isInteger(j) && j >= 0 && j < cols))
      throw new Error(`sparse triplets: entry (${i}, ${j}) is outside ${rows} x ${cols}`);
    perRow[i + 1]++;
  }
  for (let i = 0; i < rows; i++) perRow[i + 1] += perRow[i];
  // Bucket by row, then sort each row by column and merge duplicates.
  const order = new Int32Array(count);
  const next = perRow.slice(0, rows);
  for (let k = 0; k < count; k++) order[next[rowOf[k]]++] = k;
  const rowStart = new Int32Array(rows + 1);
  const colIndex = new Int32Array(count);
  const values = new Float64Array(count);
  let out = 0;
  for (let i = 0; i < rows; i++) {
    const slice = Array.from(order.subarray(perRow[i], perRow[i + 1])).sort((a, b) => colOf[a] - colOf[b]);
    let s = 0;
    while (s < slice.length) {
      const j = colOf[slice[s]];
      let v = 0;
      while (s < slice.length && colOf[slice[s]] === j) v += valueOf[slice[s++]];
      if (v !== 0) {
        colIndex[out] = j;
        values[out++] = v;
      }
    }
    rowStart[i + 1] = out;
  }
  return { rows, cols, rowStart, colIndex: colIndex.slice(0, out), values: values.slice(0, out) };
}

/** Dense row-major copy (only for small matrices: rows x cols float64). */
export function sparseToDense(m: SparseMatrix): Float64Array {
  const out = new Float64Array(m.rows * m.cols);
  for (let i = 0; i < m.rows; i++)
    for (let k = m.rowStart[i]; k < m.rowStart[i + 1]; k++) out[i * m.cols + m.colIndex[k]] = m.values[k];
  return out;
}

/** M^T in CSR form (columns ascending within each row, as always). */
export function sparseTranspose(m: SparseMatrix): SparseMatrix {
  const count = nonZeros(m);
  const rowStart = new Int32Array(m.cols + 1);
  for (let k = 0; k < count; k++) rowStart[m.colIndex[k] + 1]++;
  for (let j = 0; j < m.cols; j++) rowStart[j + 1] += rowStart[j];
  const next = rowStart.slice(0, m.cols);
  const colIndex = new Int32Array(count);
  const values = new Float64Array(count);
  for (let i = 0; i < m.rows; i++)
    for (let k = m.rowStart[i]; k < m.rowStart[i + 1]; k++) {
      const at = next[m.colIndex[k]]++;
      colIndex[at] = i;
      values[at] = m.values[k];
    }
  return { rows: m.cols, cols: m.rows, rowStart, colIndex, values };
}

/** M_ij (0 where nothing is stored); binary search within the row. */
export function sparseGet(m: SparseMatrix, i: number, j: number): number {
  let lo = m.rowStart[i];
  let hi = m.rowStart[i + 1] - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = m.colIndex[mid];
    if (c === j) return m.values[mid];
    if (c < j) lo = mid + 1;
    else hi = mid - 1;
  }
  return 0;
}

/** sum_j M_ij for every row i. */
export function sparseRowSums(m: SparseMatrix): Float64Array {
  const out = new Float64Array(m.rows);
  for (let i = 0; i < m.rows; i++)
    for (let k = m.rowStart[i]; k < m.rowStart[i + 1]; k++) out[i] += m.values[k];
  return out;
}

/** sum_i M_ij for every column j. */
export function sparseColumnSums(m: SparseMatrix): Float64Array {
  const out = new Float64Array(m.cols);
  const count = nonZeros(m);
  for (let k = 0; k < count; k++) out[m.colIndex[k]] += m.values[k];
  return out;
}

/** sum of all entries. */
export function sparseTotal(m: SparseMatrix): number {
  let s = 0;
  for (const v of m.values) s += v;
  return s;
}

/**
 * A CSR matrix filled row by row: `fill(i, push)` pushes row i's entries with columns
 * ascending; zeros pushed are not stored. For producers that make one row at a time (a
 * generator, a reader of sorted records) without holding the row's dense form.
 */
export function sparseFromRows(
  rows: number,
  cols: number,
  fill: (i: number, push: (j: number, v: number) => void) => void,
): SparseMatrix {
  const rowStart = new Int32Array(rows + 1);
  let colIndex = new Int32Array(Math.max(16, rows));
  let values = new Float64Array(colIndex.length);
  let count = 0;
  let last = -1;
  let row = 0;
  const push = (j: number, v: number): void => {
    if (!(Number.isInteger(j) && j > last && j < cols))
      throw new Error(`sparse rows: column ${j} of row ${row} is not after ${last} and inside ${cols}`);
    last = j;
    if (v === 0) return;
    if (count === colIndex.length) {
      const grown = new Int32Array(2 * count);
      grown.set(colIndex);
      colIndex = grown;
      const grownValues = new Float64Array(2 * count);
      grownValues.set(values);
      values = grownValues;
    }
    colIndex[count] = j;
    values[count++] = v;
  };
  for (row = 0; row < rows; row++) {
    last = -1;
    fill(row, push);
    rowStart[row + 1] = count;
  }
  return { rows, cols, rowStart, colIndex: colIndex.slice(0, count), values: values.slice(0, count) };
}

/** f applied to every stored entry (zeros not visited; entries f maps to 0 are dropped). */
export function sparseMapValues(m: SparseMatrix, f: (v: number) => number): SparseMatrix {
  return sparseFromRows(m.rows, m.cols, (i, push) => {
    for (let k = m.rowStart[i]; k < m.rowStart[i + 1]; k++) push(m.colIndex[k], f(m.values[k]));
  });
}

/** M X for a dense row-major X (cols x k): rows x k, row-major. */
export function sparseMultiplyDense(m: SparseMatrix, x: ArrayLike<number>, k: number): Float64Array {
  if (x.length !== m.cols * k)
    throw new Error(`sparse product: ${m.rows} x ${m.cols} times ${x.length / k} x ${k}`);
  const out = new Float64Array(m.rows * k);
  for (let i = 0; i < m.rows; i++)
    for (let e = m.rowStart[i]; e < m.rowStart[i + 1]; e++) {
      const v = m.values[e];
      const from = m.colIndex[e] * k;
      for (let c = 0; c < k; c++) out[i * k + c] += v * x[from + c];
    }
  return out;
}
