import { describe, expect, it } from 'vitest';
import { cholesky, choleskySolve } from './linalg';

describe('Cholesky', () => {
  it('factors [[4, 2], [2, 3]] as L L^T with L = [[2, 0], [1, sqrt 2]]', () => {
    expect(Array.from(cholesky(Float64Array.from([4, 2, 2, 3]), 2))).toEqual([2, 0, 1, Math.SQRT2]);
  });

  it('solves for several right-hand sides', () => {
    // [[4, 2], [2, 3]] x = b for b = (6, 5) and (2, 1): x = (1, 1) and (0.5, 0).
    const l = cholesky(Float64Array.from([4, 2, 2, 3]), 2);
    const x = choleskySolve(l, 2, Float64Array.from([6, 2, 5, 1]), 2);
    [1, 0.5, 1, 0].forEach((v, i) => expect(x[i]).toBeCloseTo(v, 14));
  });

  it('refuses a matrix that is not positive definite', () => {
    expect(() => cholesky(Float64Array.from([1, 2, 2, 1]), 2)).toThrow(
      'matrix is not positive definite (pivot 1: -3)',
    );
  });
});
