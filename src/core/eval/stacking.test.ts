import { describe, expect, it } from 'vitest';
import { Rng } from '../random';
import type { Candidate } from './nested';
import {
  convexWeights,
  fitStack,
  logTargetBack,
  nestedStack,
  nnls,
  smearingFactor,
  stackAndPredict,
  type StackInput,
} from './stacking';
import { TASK_ALPHAS } from './taskReport';

/** G = AᵀA and b = Aᵀy of a row-major m x p matrix. */
function normalEquations(a: number[][], y: number[]): { g: Float64Array; b: Float64Array; p: number } {
  const p = a[0].length;
  const g = new Float64Array(p * p);
  const b = new Float64Array(p);
  a.forEach((row, i) => {
    for (let s = 0; s < p; s++) {
      b[s] += row[s] * y[i];
      for (let t = 0; t < p; t++) g[s * p + t] += row[s] * row[t];
    }
  });
  return { g, b, p };
}

/** A set of one feature column, with a candidate per ridge strength. */
function set(label: string, column: Float64Array): StackInput {
  const candidates: Candidate[] = TASK_ALPHAS.map((alpha) => ({
    label: `${label}, alpha ${alpha}`,
    features: column,
    d: 1,
    alpha,
  }));
  return { label, candidates };
}

/** numpy default_rng(1): A = normal(8 x 4), y = normal(8), rounded to 2 places. */
const SCIPY_A = [
  [0.35, 0.82, 0.33, -1.3],
  [0.91, 0.45, -0.54, 0.58],
  [0.36, 0.29, 0.03, 0.55],
  [-0.74, -0.16, -0.48, 0.6],
  [0.04, -0.29, -0.78, -0.26],
  [0.01, -0.28, 1.29, 1.01],
  [-2.71, -1.89, -0.17, -0.42],
  [0.21, 0.22, 2.12, -1.11],
];
const SCIPY_Y = [-0.38, 2.04, 0.65, 0.66, -0.51, -1.65, 0.17, 0.11];

describe('non-negative least squares', () => {
  it('equals scipy.optimize.nnls where the unconstrained solution has negative weights', () => {
    const { g, b, p } = normalEquations(SCIPY_A, SCIPY_Y);
    const w = nnls(g, b, p);
    // scipy: [0, 0.22298795, 0, 0.15281076]; least squares: [-0.343, 0.723, -0.422, 0.094].
    expect(w[0]).toBe(0);
    expect(w[2]).toBe(0);
    expect(w[1]).toBeCloseTo(0.22298795, 7);
    expect(w[3]).toBeCloseTo(0.15281076, 7);
  });

  it('gives the least-squares solution when it is already non-negative, and zeros when nothing helps', () => {
    const { g, b, p } = normalEquations(
      [
        [1, 0],
        [0, 1],
        [1, 1],
      ],
      [1, 2, 3],
    );
    const w = nnls(g, b, p);
    expect(w[0]).toBeCloseTo(1, 10);
    expect(w[1]).toBeCloseTo(2, 10);
    const none = normalEquations([[1], [2]], [-1, -2]);
    expect(Array.from(nnls(none.g, none.b, none.p))).toEqual([0]);
  });
});

describe('least squares on the simplex (convex weights)', () => {
  it('equals scipy (SLSQP, w >= 0, sum 1) where plain least squares has negative weights', () => {
    // The matrix above; scipy.optimize.minimize(||A w - y||², SLSQP, bounds (0, None), sum(w)
    // = 1, ftol 1e-15) and numpy over every support agree: [0, 0.54720824, 0, 0.45279176].
    const { g, b, p } = normalEquations(SCIPY_A, SCIPY_Y);
    const w = convexWeights(g, b, p);
    expect(w[0]).toBe(0);
    expect(w[2]).toBe(0);
    expect(w[1]).toBeCloseTo(0.54720824, 7);
    expect(w[3]).toBeCloseTo(0.45279176, 7);
  });

  it('gives the equality-constrained solution when it is non-negative, and one set all the weight when it alone helps', () => {
    // y = 0.3 a + 0.7 b exactly (a, b not collinear): weights 0.3 and 0.7.
    const a = [1, 0, 2, -1, 0.5];
    const bb = [0, 1, 1, 2, -0.5];
    const { g, b, p } = normalEquations(
      a.map((v, i) => [v, bb[i]]),
      a.map((v, i) => 0.3 * v + 0.7 * bb[i]),
    );
    const w = convexWeights(g, b, p);
    expect(w[0]).toBeCloseTo(0.3, 12);
    expect(w[1]).toBeCloseTo(0.7, 12);
    // With c = -a + small changes and y = a + 0.2 (a - c), the best weights with sum 1 would
    // give c -0.2: the bound makes it 0 and a 1 (a vertex of the simplex).
    const c = a.map((v, i) => -v + [0.1, -0.2, 0, 0.3, 0.1][i]);
    const against = normalEquations(
      a.map((v, i) => [v, c[i]]),
      a.map((v, i) => v + 0.2 * (v - c[i])),
    );
    expect(Array.from(convexWeights(against.g, against.b, against.p))).toEqual([1, 0]);
    // Two equal sets share the weight and still sum to 1.
    const twice = normalEquations(
      a.map((v) => [v, v]),
      a,
    );
    const shared = convexWeights(twice.g, twice.b, twice.p);
    expect(shared[0] + shared[1]).toBeCloseTo(1, 12);
    expect(() => convexWeights(new Float64Array(121), new Float64Array(11), 11)).toThrow(
      /1 to 10 feature sets/,
    );
  });
});

describe('stacking', () => {
  const n = 60;
  const rng = new Rng(7);
  const signal = Float64Array.from({ length: n }, () => 30 + 5 * rng.normal());
  const noise = Float64Array.from({ length: n }, () => rng.normal());
  const rows = Array.from({ length: n }, (_, i) => i);

  it('gives a set that predicts the labels exactly weight 1 and a set of noise weight 0', () => {
    const values = Float64Array.from(signal);
    const fit = fitStack([set('exact', signal), set('noise', noise)], values, rows, { k: 5, shuffleSeed: 1 });
    expect(fit.weights[1]).toBe(0);
    // Ridge at alpha 0.01 on one column leaves a shrinkage of about 1e-5.
    expect(fit.weights[0]).toBeCloseTo(1, 3);
    expect(fit.chosen[0].alpha).toBe(0.01);
    expect(fit.innerR2[0]).toBeGreaterThan(0.9999);
  });

  it('adds up two sets that each know half of the labels with non-negative weights, and averages them with convex ones', () => {
    // y = 20 + 4a + 4b with a and b independent: ridge on a alone predicts about 20 + 4a, on
    // b alone 20 + 4b; weights 1 and 1 and an intercept of -20 give y.
    const a = Float64Array.from({ length: n }, () => rng.normal());
    const b = Float64Array.from({ length: n }, () => rng.normal());
    const values = Float64Array.from(a, (v, i) => 20 + 4 * v + 4 * b[i]);
    const inner = { k: 5, shuffleSeed: 1 };
    const fit = fitStack([set('a', a), set('b', b)], values, rows, inner, undefined, 'non-negative');
    // Ridge's shrinkage on 48 rows leaves weights a little above 1, the intercept near -20.
    for (const w of fit.weights) {
      expect(w).toBeGreaterThan(0.9);
      expect(w).toBeLessThan(1.3);
    }
    expect(fit.intercept).toBeLessThan(-15);
    expect(fit.intercept).toBeGreaterThan(-30);
    const outer = { k: 5, shuffleSeed: 3 };
    const both = [set('a', a), set('b', b)];
    const stacked = nestedStack(both, values, rows, outer, undefined, undefined, undefined, 'non-negative');
    const alone = nestedStack([set('a', a)], values, rows, outer);
    expect(stacked.r2).toBeGreaterThan(alone.r2 + 0.2);
    // Convex weights (the app's) cannot add them up: about half each, summing to 1, an
    // intercept near 0, and less of y explained: the price of the steadier weights.
    const convex = fitStack(both, values, rows, inner);
    expect(convex.weights[0] + convex.weights[1]).toBeCloseTo(1, 12);
    for (const w of convex.weights) expect(w).toBeGreaterThan(0.3);
    expect(Math.abs(convex.intercept)).toBeLessThan(3);
    const averaged = nestedStack(both, values, rows, outer);
    expect(averaged.r2).toBeGreaterThan(alone.r2);
    expect(averaged.r2).toBeLessThan(stacked.r2 - 0.2);
  });

  it('never reads a test label: poisoning one leaves the predictions unchanged', () => {
    const values = Float64Array.from(signal, (v, i) => v + 2 * noise[i]);
    // One set on a log target: its cap and smearing come from training labels only too.
    const inputs = [
      set('signal', signal),
      set('noise', noise),
      { ...set('log', signal), target: 'log1p' as const },
    ];
    const train = rows.slice(0, 45);
    const test = rows.slice(45);
    const clean = stackAndPredict(inputs, values, train, test, { k: 5, shuffleSeed: 1 });
    const poisoned = Float64Array.from(values);
    poisoned[50] = 1e9;
    poisoned[59] = -1e9;
    const dirty = stackAndPredict(inputs, poisoned, train, test, { k: 5, shuffleSeed: 1 });
    expect(dirty.predictions).toEqual(clean.predictions);
    expect(dirty.weights).toEqual(clean.weights);
    // A poisoned training label does change them (the test would catch a combiner that ignores labels).
    const trained = Float64Array.from(values);
    trained[3] = 1e6;
    expect(stackAndPredict(inputs, trained, train, test, { k: 5, shuffleSeed: 1 }).predictions).not.toEqual(
      clean.predictions,
    );
  });

  it("predicts the labels' mean when no set goes with them", () => {
    const values = Float64Array.from({ length: n }, (_, i) => 5 + (i % 2));
    // A constant column: each inner fold predicts its training mean, which goes against the
    // held-out labels' (more ones held out, fewer left): weight 0.
    const inputs = [set('constant', new Float64Array(n).fill(1))];
    const fit = fitStack(inputs, values, rows, { k: 5, shuffleSeed: 1 });
    expect(fit.weights).toEqual([0]);
    expect(fit.intercept).toBeCloseTo(5.5, 12);
    const p = stackAndPredict(inputs, values, rows.slice(0, 50), rows.slice(50), { k: 5, shuffleSeed: 1 });
    expect(Array.from(p.predictions)).toEqual(new Array(10).fill(5.5));
  });

  it("brings a log target back with Duan's smearing, capped, and never below 0", () => {
    // y = 1 and 3, both predicted log 2: residuals 0 and log 2, exp 1 and 2, mean 1.5.
    const factor = smearingFactor([Math.log(2), Math.log(4)], [Math.log(2), Math.log(2)], 10);
    expect(factor).toBeCloseTo(1.5, 14);
    expect(logTargetBack(Math.log(2), { smearing: 1.5, cap: 10 })).toBeCloseTo(2, 14);
    // Above the cap (log 3): exp(log 3) - 1 = 2, however large the prediction.
    expect(logTargetBack(50, { smearing: 1, cap: Math.log(3) })).toBeCloseTo(2, 14);
    // The cap also bounds the residuals' predictions: exp(log 4 - log 3) = 4/3.
    expect(smearingFactor([Math.log(4)], [50], Math.log(3))).toBeCloseTo(4 / 3, 14);
    expect(logTargetBack(-3, { smearing: 0.5, cap: 10 })).toBe(0);
  });

  it('weights a log target above the counts where counts grow exponentially with a feature', () => {
    // y = round(exp(1 + 0.9 x)): linear in x only after the log.
    const x = Float64Array.from({ length: n }, () => rng.normal());
    const values = Float64Array.from(x, (v) => Math.round(Math.exp(1 + 0.9 * v)));
    const counts = set('counts', x);
    const logged: StackInput = { ...set('log target', x), target: 'log1p' };
    const fit = fitStack([counts, logged], values, rows, { k: 5, shuffleSeed: 1 });
    expect(fit.back[0]).toBeNull();
    expect(fit.back[1]!.smearing).toBeGreaterThan(1);
    expect(fit.back[1]!.cap).toBeCloseTo(Math.log1p(Math.max(...values)) + Math.LN2, 12);
    expect(fit.weights[1]).toBeGreaterThan(fit.weights[0]);
    const own = nestedStack([counts, logged], values, rows, { k: 5, shuffleSeed: 3 }).perSet;
    const r2 = (p: Float64Array): number => {
      const mean = values.reduce((a, v) => a + v, 0) / n;
      let ss = 0;
      let tot = 0;
      p.forEach((v, i) => ((ss += (values[i] - v) ** 2), (tot += (values[i] - mean) ** 2)));
      return 1 - ss / tot;
    };
    expect(r2(own[1])).toBeGreaterThan(r2(own[0]) + 0.1);
  });
});
