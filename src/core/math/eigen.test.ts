import { describe, expect, it } from 'vitest';
import { Rng } from '../random';
import { symmetricEigen } from './eigen';

describe('symmetricEigen', () => {
  it('diagonalises a random symmetric matrix: A v = lambda v, orthonormal vectors, descending values', () => {
    const rng = new Rng(7);
    const n = 30;
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j <= i; j++) {
        const v = rng.normal();
        a[i * n + j] = v;
        a[j * n + i] = v;
      }
    const { values, vectors } = symmetricEigen(a, n);
    for (let k = 1; k < n; k++) expect(values[k]).toBeLessThanOrEqual(values[k - 1]);
    let trace = 0;
    for (let i = 0; i < n; i++) trace += a[i * n + i];
    expect(values.reduce((s, v) => s + v, 0)).toBeCloseTo(trace, 10);
    for (let k = 0; k < n; k++) {
      for (let i = 0; i < n; i++) {
        let av = 0;
        for (let j = 0; j < n; j++) av += a[i * n + j] * vectors[k * n + j];
        expect(av).toBeCloseTo(values[k] * vectors[k * n + i], 10);
      }
      for (let l = 0; l <= k; l++) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += vectors[k * n + i] * vectors[l * n + i];
        expect(dot).toBeCloseTo(k === l ? 1 : 0, 10);
      }
    }
  });

  it('handles diagonal, repeated and 1 x 1 cases', () => {
    expect(Array.from(symmetricEigen(Float64Array.from([3, 0, 0, 0, 1, 0, 0, 0, 2]), 3).values)).toEqual([
      3, 2, 1,
    ]);
    const same = symmetricEigen(Float64Array.from([2, 0, 0, 2]), 2).values;
    expect(Array.from(same)).toEqual([2, 2]);
    expect(Array.from(symmetricEigen(Float64Array.from([5]), 1).values)).toEqual([5]);
    const { values } = symmetricEigen(Float64Array.from([2, 1, 1, 2]), 2);
    expect(values[0]).toBeCloseTo(3, 14);
    expect(values[1]).toBeCloseTo(1, 14);
  });

  it('is fast enough for N = 180', () => {
    const rng = new Rng(1);
    const n = 180;
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = rng.normal();
    const start = performance.now();
    symmetricEigen(a, n);
    expect(performance.now() - start).toBeLessThan(2000);
  });
});
