import { describe, expect, it } from 'vitest';
import {
  nonZeros,
  sparseColumnSums,
  sparseFromDense,
  sparseFromRows,
  sparseMapValues,
  sparseMultiplyDense,
  sparseFromTriplets,
  sparseGet,
  sparseRowSums,
  sparseToDense,
  sparseTotal,
  sparseTranspose,
} from './sparse';

// 3 x 4:
// [0 2 0 1]
// [0 0 0 0]
// [5 0 3 0]
const dense = { rows: 3, cols: 4, data: [0, 2, 0, 1, 0, 0, 0, 0, 5, 0, 3, 0] };

describe('sparse matrices (CSR)', () => {
  it('keeps only the non-zero entries of a dense matrix, row by row, columns ascending', () => {
    const m = sparseFromDense(dense);
    expect(Array.from(m.rowStart)).toEqual([0, 2, 2, 4]);
    expect(Array.from(m.colIndex)).toEqual([1, 3, 0, 2]);
    expect(Array.from(m.values)).toEqual([2, 1, 5, 3]);
    expect(nonZeros(m)).toBe(4);
  });

  it('gives back the dense matrix it was made from', () => {
    expect(Array.from(sparseToDense(sparseFromDense(dense)))).toEqual(dense.data);
  });

  it('sums duplicate triplets, sorts columns and drops entries that sum to zero', () => {
    const m = sparseFromTriplets(
      3,
      4,
      [2, 0, 0, 2, 0, 1, 1],
      [2, 3, 1, 0, 3, 2, 2],
      [3, 0.5, 2, 5, 0.5, 4, -4],
    );
    expect(Array.from(sparseToDense(m))).toEqual(dense.data);
    expect(Array.from(m.colIndex)).toEqual([1, 3, 0, 2]);
  });

  it('refuses a triplet outside the shape', () => {
    expect(() => sparseFromTriplets(2, 2, [0, 2], [0, 0], [1, 1])).toThrow('entry (2, 0) is outside 2 x 2');
  });

  it('transposes', () => {
    const t = sparseTranspose(sparseFromDense(dense));
    expect(t.rows).toBe(4);
    expect(t.cols).toBe(3);
    expect(Array.from(sparseToDense(t))).toEqual([0, 0, 5, 2, 0, 0, 0, 0, 3, 1, 0, 0]);
    expect(Array.from(t.colIndex)).toEqual([2, 0, 2, 0]);
  });

  it('reads single entries, stored or not', () => {
    const m = sparseFromDense(dense);
    expect(sparseGet(m, 0, 3)).toBe(1);
    expect(sparseGet(m, 2, 0)).toBe(5);
    expect(sparseGet(m, 0, 0)).toBe(0);
    expect(sparseGet(m, 1, 2)).toBe(0);
  });

  it('sums rows, columns and everything', () => {
    const m = sparseFromDense(dense);
    expect(Array.from(sparseRowSums(m))).toEqual([3, 0, 8]);
    expect(Array.from(sparseColumnSums(m))).toEqual([5, 2, 3, 1]);
    expect(sparseTotal(m)).toBe(11);
  });
});

describe('building and using sparse matrices', () => {
  it('fills a matrix row by row, skipping the zeros pushed', () => {
    const m = sparseFromRows(3, 4, (i, push) => {
      for (let j = 0; j < 4; j++) push(j, dense.data[i * 4 + j]);
    });
    expect(Array.from(m.rowStart)).toEqual([0, 2, 2, 4]);
    expect(Array.from(m.colIndex)).toEqual([1, 3, 0, 2]);
    expect(Array.from(m.values)).toEqual([2, 1, 5, 3]);
  });

  it('grows past its first guess of the number of entries', () => {
    const m = sparseFromRows(1, 40, (_, push) => {
      for (let j = 0; j < 40; j++) push(j, j + 1);
    });
    expect(nonZeros(m)).toBe(40);
    expect(m.values[39]).toBe(40);
  });

  it('refuses columns pushed out of order or outside the shape', () => {
    expect(() => sparseFromRows(1, 4, (_, push) => [2, 1].forEach((j) => push(j, 1)))).toThrow(
      'column 1 of row 0 is not after 2 and inside 4',
    );
    expect(() => sparseFromRows(1, 4, (_, push) => push(4, 1))).toThrow('column 4 of row 0');
  });

  it('maps the stored values and drops those mapped to zero', () => {
    const m = sparseMapValues(sparseFromDense(dense), (v) => (v === 1 ? 0 : 10 * v));
    expect(Array.from(sparseToDense(m))).toEqual([0, 20, 0, 0, 0, 0, 0, 0, 50, 0, 30, 0]);
    expect(nonZeros(m)).toBe(3);
  });

  it('multiplies by a dense matrix', () => {
    // [0 2 0 1; 0 0 0 0; 5 0 3 0] x [1 0; 0 1; 1 1; 2 -1]
    const x = [1, 0, 0, 1, 1, 1, 2, -1];
    expect(Array.from(sparseMultiplyDense(sparseFromDense(dense), x, 2))).toEqual([2, 1, 0, 0, 8, 3]);
    expect(() => sparseMultiplyDense(sparseFromDense(dense), [1, 2], 1)).toThrow('3 x 4 times 2 x 1');
  });
});
