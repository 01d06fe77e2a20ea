import { describe, expect, it } from 'vitest';
import { Rng } from '../random';
import { columnGram, rowGram } from './gram';

/** X^T X summed one row at a time, skipping zeros: what columnGram computed before it took four rows at a time. */
function columnGramOneRowAtATime(x: Float64Array, d: number, rows: number[]): Float64Array {
  const g = new Float64Array(d * d);
  for (const r of rows)
    for (let p = 0; p < d; p++) {
      const v = x[r * d + p];
      if (v === 0) continue;
      for (let q = p; q < d; q++) g[p * d + q] += v * x[r * d + q];
    }
  for (let p = 0; p < d; p++) for (let q = 0; q < p; q++) g[p * d + q] = g[q * d + p];
  return g;
}

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

  it('four rows at a time gives the one-row-at-a-time sums bit for bit, zeros and leftover rows included', () => {
    const rng = new Rng(5);
    const n = 23;
    const d = 9;
    // Dense values of mixed sizes, and sparse count-like columns (zeros the loop skips).
    const x = Float64Array.from({ length: n * d }, (_, k) =>
      k % d < 4 ? rng.normal() * 10 ** ((k % 7) - 3) : rng.next() < 0.6 ? 0 : Math.round(rng.next() * 50),
    );
    const all = Array.from({ length: n }, (_, i) => i);
    expect(columnGram(x, d)).toEqual(columnGramOneRowAtATime(x, d, all));
    for (const rows of [
      [5, 2, 19, 7, 7, 11],
      [0, 1, 2],
      [22, 3, 14, 8, 1, 20, 6, 9, 15],
    ])
      expect(columnGram(x, d, rows)).toEqual(columnGramOneRowAtATime(x, d, rows));
  });
});
