import { describe, expect, it } from 'vitest';
import { Rng, logGamma } from './random';

function meanVar(xs: number[]): { mean: number; variance: number } {
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1);
  return { mean, variance };
}

const draws = (n: number, f: () => number): number[] => Array.from({ length: n }, f);

describe('Rng', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const sa = draws(100, () => a.next());
    expect(draws(100, () => b.next())).toEqual(sa);
    expect(draws(100, () => c.next())).not.toEqual(sa);
    // Non-integer and large seeds are accepted and reproducible.
    expect(new Rng(0.5).next()).toBe(new Rng(0.5).next());
    expect(new Rng(0.5).next()).not.toBe(new Rng(0).next());
    expect(new Rng(2 ** 40 + 7).next()).not.toBe(new Rng(7).next());
  });

  it('gives a known first value (guards the stream against accidental changes)', () => {
    const r = new Rng(20261124);
    expect(r.nextUint32()).toBe(2771089712);
    expect(r.next()).toBe(0.9391360529678565);
  });

  it('next() is uniform on [0, 1)', () => {
    const r = new Rng(1);
    const xs = draws(50_000, () => r.next());
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    const { mean, variance } = meanVar(xs);
    expect(mean).toBeCloseTo(0.5, 2);
    expect(variance).toBeCloseTo(1 / 12, 2);
  });

  it('int(n) covers 0..n-1 evenly', () => {
    const r = new Rng(2);
    const counts = new Array<number>(7).fill(0);
    for (let i = 0; i < 70_000; i++) counts[r.int(7)]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
    expect(() => r.int(0)).toThrow();
  });

  it('normal() has the requested mean and variance', () => {
    const r = new Rng(3);
    const { mean, variance } = meanVar(draws(50_000, () => r.normal(2, 3)));
    expect(Math.abs(mean - 2)).toBeLessThan(0.06);
    expect(Math.abs(variance - 9) / 9).toBeLessThan(0.03);
  });

  it.each([0.3, 4, 9.9, 10, 35, 120, 5000])('poisson(%d) has mean and variance lambda', (lambda) => {
    const r = new Rng(4 + lambda);
    const xs = draws(40_000, () => r.poisson(lambda));
    expect(xs.every((x) => Number.isInteger(x) && x >= 0)).toBe(true);
    const { mean, variance } = meanVar(xs);
    const se = Math.sqrt(lambda / xs.length);
    expect(Math.abs(mean - lambda)).toBeLessThan(5 * se);
    expect(Math.abs(variance - lambda) / lambda).toBeLessThan(0.05);
  });

  it('poisson(0) is 0 and bad lambdas throw', () => {
    const r = new Rng(5);
    expect(r.poisson(0)).toBe(0);
    expect(() => r.poisson(-1)).toThrow();
    expect(() => r.poisson(Number.NaN)).toThrow();
  });

  it('shuffle permutes in place', () => {
    const r = new Rng(6);
    const xs = Array.from({ length: 50 }, (_, i) => i);
    const ys = r.shuffle([...xs]);
    expect([...ys].sort((p, q) => p - q)).toEqual(xs);
    expect(ys).not.toEqual(xs);
  });

  it('choiceWeighted follows the weights and skips zeros', () => {
    const r = new Rng(7);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 40_000; i++) counts[r.choiceWeighted([1, 0, 3, 0])]++;
    expect(counts[1]).toBe(0);
    expect(counts[3]).toBe(0);
    expect(Math.abs(counts[2] / 40_000 - 0.75)).toBeLessThan(0.015);
    expect(() => r.choiceWeighted([0, 0])).toThrow();
  });

  it('fork() gives an independent, reproducible stream', () => {
    const f1 = new Rng(8).fork();
    const f2 = new Rng(8).fork();
    expect(f1.next()).toBe(f2.next());
  });
});

describe('logGamma', () => {
  it('matches log factorials', () => {
    let logFact = 0;
    for (let k = 1; k <= 30; k++) {
      logFact += Math.log(k);
      expect(logGamma(k + 1)).toBeCloseTo(logFact, 9);
    }
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 9);
  });
});
