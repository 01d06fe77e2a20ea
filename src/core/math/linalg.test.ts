import { describe, expect, it } from 'vitest';
import { Rng } from '../random';
import { cholesky, choleskySolve } from './linalg';

/** Cholesky one row at a time: what `cholesky` computed before it took four rows at a time. */
function choleskyOneRowAtATime(a: Float64Array, n: number): Float64Array {
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j];
    for (let k = 0; k < j; k++) d -= l[j * n + k] * l[j * n + k];
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

  it('four rows at a time gives the one-row-at-a-time factor bit for bit', () => {
    const rng = new Rng(12);
    for (const n of [1, 3, 4, 5, 11, 40]) {
      // B^T B + 0.01 I with columns of mixed sizes: SPD, and not well conditioned.
      const b = Float64Array.from(
        { length: (n + 3) * n },
        (_, k) => rng.normal() * 10 ** (((k % n) % 5) - 2),
      );
      const a = new Float64Array(n * n);
      for (let r = 0; r < n + 3; r++)
        for (let p = 0; p < n; p++) for (let q = 0; q < n; q++) a[p * n + q] += b[r * n + p] * b[r * n + q];
      for (let p = 0; p < n; p++) a[p * n + p] += 0.01;
      expect(cholesky(a, n)).toEqual(choleskyOneRowAtATime(a, n));
    }
  });

  it('continues the factor of a leading block to the whole factor bit for bit', () => {
    const rng = new Rng(13);
    const n = 23;
    const b = Float64Array.from({ length: (n + 5) * n }, () => rng.normal());
    const a = new Float64Array(n * n);
    for (let r = 0; r < n + 5; r++)
      for (let p = 0; p < n; p++) for (let q = 0; q < n; q++) a[p * n + q] += b[r * n + p] * b[r * n + q];
    const whole = cholesky(a, n);
    for (const m of [1, 4, 17, n]) {
      const block = Float64Array.from({ length: m * m }, (_, k) => a[Math.floor(k / m) * n + (k % m)]);
      expect(cholesky(a, n, { l: cholesky(block, m), m })).toEqual(whole);
    }
    expect(() => cholesky(a, n, { l: new Float64Array(4), m: 3 })).toThrow('a leading factor of 3');
  });
});
