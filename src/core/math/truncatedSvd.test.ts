import { describe, expect, it } from 'vitest';
import { sparseFromDense } from './sparse';
import { orthonormaliseColumns, truncatedSvd } from './truncatedSvd';

const close = (actual: ArrayLike<number>, expected: number[], digits = 12): void => {
  expect(actual.length).toBe(expected.length);
  expected.forEach((v, i) => expect(actual[i]).toBeCloseTo(v, digits));
};

describe('truncated SVD of a sparse matrix', () => {
  it('finds the singular values and vectors of a scaled permutation, largest first', () => {
    // 4 x 3: rows 0, 2, 3 carry 3, 1, 2 in columns 1, 0, 2; row 1 is empty.
    const a = sparseFromDense({ rows: 4, cols: 3, data: [0, 3, 0, 0, 0, 0, 1, 0, 0, 0, 0, 2] });
    const svd = truncatedSvd(a, 2);
    expect(svd.rank).toBe(2);
    close(svd.values, [3, 2]);
    close(svd.left, [1, 0, 0, 0, 0, 0, 0, 1]); // columns e0 and e3 of R^4
    close(svd.right, [0, 0, 1, 0, 0, 1]); // columns e1 and e2 of R^3
  });

  it('reproduces a rank-2 matrix from its two triplets', () => {
    // A = 4 u1 v1^T + 1 u2 v2^T with orthonormal u = [1 1 1 1]/2, [1 -1 1 -1]/2 and v = [1 1 0]/√2, [0 0 1].
    const u = [
      [0.5, 0.5, 0.5, 0.5],
      [0.5, -0.5, 0.5, -0.5],
    ];
    const v = [
      [Math.SQRT1_2, Math.SQRT1_2, 0],
      [0, 0, 1],
    ];
    const data = Array.from({ length: 12 }, (_, k) => {
      const [i, j] = [Math.floor(k / 3), k % 3];
      return 4 * u[0][i] * v[0][j] + u[1][i] * v[1][j];
    });
    const svd = truncatedSvd(sparseFromDense({ rows: 4, cols: 3, data }), 3);
    close(svd.values, [4, 1, 0]);
    for (let i = 0; i < 4; i++) {
      close([svd.left[i * 3], svd.left[i * 3 + 1]], [u[0][i], u[1][i]]);
      expect(svd.left[i * 3 + 2]).toBe(0); // no third direction: rank 2
    }
    for (let j = 0; j < 3; j++) close([svd.right[j * 3], svd.right[j * 3 + 1]], [v[0][j], v[1][j]]);
  });

  it('is the same for the same seed, and keeps at most min(rows, cols) triplets', () => {
    const a = sparseFromDense({ rows: 3, cols: 2, data: [1, 2, 0, 3, 4, 0] });
    expect(truncatedSvd(a, 5, { seed: 3 })).toEqual(truncatedSvd(a, 5, { seed: 3 }));
    expect(truncatedSvd(a, 5).rank).toBe(2);
  });

  it('gives zeros for an all-zero matrix', () => {
    const svd = truncatedSvd(sparseFromDense({ rows: 2, cols: 2, data: [0, 0, 0, 0] }), 1);
    expect([...svd.values, ...svd.left, ...svd.right]).toEqual([0, 0, 0, 0, 0]);
  });
});

describe('orthonormalising columns', () => {
  it('makes columns orthonormal and zeroes a column in the span of the earlier ones', () => {
    // Columns [3 4], [6 8] (dependent), as a row-major 2 x 2.
    const x = Float64Array.from([3, 6, 4, 8]);
    orthonormaliseColumns(x, 2, 2);
    close(x, [0.6, 0, 0.8, 0], 15);
  });
});
