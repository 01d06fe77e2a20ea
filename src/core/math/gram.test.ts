import { describe, expect, it } from 'vitest';
import { columnGram, rowGram } from './gram';

// X = [[1, 2, 0], [3, -1, 2]] (2 x 3).
const X = Float64Array.from([1, 2, 0, 3, -1, 2]);

describe('Gram matrices', () => {
  it('X X^T holds the dot products of the rows', () => {
    expect(Array.from(rowGram(X, 2, 3))).toEqual([5, 1, 1, 14]);
  });

  it('X^T X holds the dot products of the columns', () => {
    expect(Array.from(columnGram(X, 3))).toEqual([10, -1, 6, -1, 5, -2, 6, -2, 4]);
  });

  it('X^T X over some rows only, in the order given', () => {
    expect(Array.from(columnGram(X, 3, [1]))).toEqual([9, -3, 6, -3, 1, -2, 6, -2, 4]);
    expect(Array.from(columnGram(X, 3, []))).toEqual(new Array(9).fill(0));
  });
});
