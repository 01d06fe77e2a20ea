import { describe, expect, it } from 'vitest';
import { principalComponents } from './pca';

/** Column k of an n x r matrix. */
function column(m: Float64Array, n: number, r: number, k: number): number[] {
  return Array.from({ length: n }, (_, i) => m[i * r + k]);
}

/** Expect the columns of `scores` to equal `expected` (rows of numbers) up to the sign of each column. */
function expectScores(scores: Float64Array, n: number, r: number, expected: number[][]): void {
  for (let k = 0; k < r; k++) {
    const got = column(scores, n, r, k);
    const want = expected.map((row) => row[k]);
    const sign = Math.sign(got.reduce((s, v, i) => s + v * want[i], 0));
    got.forEach((v, i) => expect(sign * v).toBeCloseTo(want[i], 12));
  }
}

// The column-centred 4 x 3 matrix of X = [[2,0,1],[0,1,3],[1,1,0],[3,2,2]]: Xc^T Xc is
// [[5,1,-1],[1,2,1],[-1,1,5]], whose eigenvalues are 6 and 3 ± sqrt(3).
const XC = Float64Array.from([0.5, -1, -0.5, -1.5, 0, 1.5, -0.5, 0, -1.5, 1.5, 1, 0.5]);
// U S from numpy.linalg.svd(Xc), up to the sign of each column (PC1 is (-1, 3, -1, -1) / sqrt 2).
const NUMPY_SCORES = [
  [-0.7071067811865465, 0.4597008433809832, -0.8880738339771151],
  [2.121320343559642, -2.7169863198797187e-15, -1.2501472086540114e-16],
  [-0.7071067811865451, 1.2559260603991083, 0.6501151673437365],
  [-0.70710678118655, -1.7156269037800893, 0.237958666633379],
];

describe('principalComponents', () => {
  it('gives the squared singular values and scores of a 3 x 2 matrix, checked by hand', () => {
    // Xc = [[1,1],[-1,0],[0,-1]] (centred): Xc^T Xc = [[2,1],[1,2]], eigenvalues 3 and 1 with
    // v = (1,1)/sqrt(2) and (1,-1)/sqrt(2); the scores Xc v follow.
    const { values, scores, r } = principalComponents(Float64Array.from([1, 1, -1, 0, 0, -1]), 3, 2);
    expect(r).toBe(2);
    expect(values[0]).toBeCloseTo(3, 14);
    expect(values[1]).toBeCloseTo(1, 14);
    const h = Math.SQRT1_2;
    expectScores(scores, 3, 2, [
      [Math.SQRT2, 0],
      [-h, -h],
      [-h, h],
    ]);
  });

  it('matches numpy on a 4 x 3 matrix by the t x t route', () => {
    const { values, scores, r } = principalComponents(XC, 4, 3);
    expect(r).toBe(3);
    [6, 3 + Math.sqrt(3), 3 - Math.sqrt(3)].forEach((v, k) => expect(values[k]).toBeCloseTo(v, 12));
    expectScores(scores, 4, 3, NUMPY_SCORES);
  });

  it('gives the same scores by the n x n route, and drops the components below the tolerance', () => {
    // A zero fourth column makes the matrix square (n <= t: the Gram route); its fourth
    // squared singular value is 0 up to rounding.
    const padded = new Float64Array(16);
    for (let i = 0; i < 4; i++) padded.set(XC.subarray(i * 3, i * 3 + 3), i * 4);
    const { values, scores, r } = principalComponents(padded, 4, 4, { relativeTolerance: 1e-10 });
    expect(values.length).toBe(4);
    expect(Math.abs(values[3])).toBeLessThan(1e-12);
    expect(r).toBe(3);
    expectScores(scores, 4, 3, NUMPY_SCORES);
  });

  it('keeps at most maxComponents, with every value still reported', () => {
    const { values, scores, r } = principalComponents(XC, 4, 3, { maxComponents: 1 });
    expect(r).toBe(1);
    expect(values.length).toBe(3);
    expectScores(scores, 4, 1, NUMPY_SCORES);
  });

  it('keeps nothing of a zero matrix, and refuses a wrong size', () => {
    expect(principalComponents(new Float64Array(6), 3, 2).r).toBe(0);
    expect(() => principalComponents(new Float64Array(5), 3, 2)).toThrow(
      'principalComponents: 5 values for 3 x 2',
    );
  });
});
