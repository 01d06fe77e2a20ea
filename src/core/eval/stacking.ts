/**
 * The combiner: stacked regression (Breiman 1996, "Stacked regressions"). Each feature set
 * (raw counts, SREL snapshots, spatially lagged counts, ...) predicts by ridge; the combined
 * prediction is a weighted average of theirs plus an intercept, with weights fitted to their
 * held-out predictions on inner folds of the training regions:
 *
 *   (c, w) = argmin_{c, w >= 0, sum_s w_s = 1} || c + P w - y ||²,  P: m x S, column s = set
 *            s's inner out-of-fold predictions, y: the m training labels (m = rows), c free
 *   prediction(test) = max(0, c + sum_s w_s ridge_s(test)),  ridge_s fitted on every training row
 *
 * Each set's ridge strength is chosen on the same inner folds (best pooled R²) before its
 * column enters P. Test labels are never read: everything above sees `trainRows` only.
 *
 * The weights' bounds are WEIGHT_RULE (below: convex, chosen on the sample cities); the bench's
 * older rows keep w >= 0 alone (non-negative least squares). The intercept: every set's
 * prediction carries the label's mean, and c corrects a shared bias (stops 26 to 35, without the
 * sum-to-one bound, it also let two sets that each know half of y be added up). Both are solved
 * on columns centred over the m rows; c = mean(y) - sum_s w_s mean(P_s). Where no set's inner
 * predictions go with the labels, every weight is 0 and the fit predicts the labels' mean.
 */
import type { FoldsOrSettings, KFoldOptions } from './folds';
import { regressionMetrics, type RegressionMetrics } from './metrics';
import {
  INNER_FOLDS,
  innerPredictions,
  overOuterFolds,
  predictCandidate,
  type Candidate,
  type RowSumsCache,
  type SystemSource,
} from './nested';

/** One feature set the combiner may use: its candidates differ only in ridge strength. */
export interface StackInput {
  label: string;
  candidates: Candidate[];
  /**
   * What the set is to a report: its own held-out figures are the report's "embedding" or
   * "raw" column (they come free with the combiner, nestedStack's `perSet`).
   */
  role?: 'embedding' | 'raw' | 'prompt';
  /**
   * 'log1p': its ridge predicts log(1 + y) and its prediction is brought back to counts by
   * logTargetBack (still scored, weighted and clipped on the original scale).
   */
  target?: 'log1p';
}

/** What the combiner fitted on one set of training rows. */
export interface StackFit {
  /** Per input (same order): the candidate (ridge strength) chosen on inner folds. */
  chosen: Candidate[];
  /** Per input: the chosen candidate's pooled inner-fold R². */
  innerR2: number[];
  /** Per input: its weight in the sum, >= 0 (0: not used). */
  weights: number[];
  /** c: added to the weighted sum (the label's mean when no weight is positive). */
  intercept: number;
  /** Per input: how its log predictions come back to counts (null: it predicts counts). */
  back: (LogBack | null)[];
}

/** The way back from a predicted log(1 + y): logTargetBack. */
export interface LogBack {
  /** Duan's smearing factor of the chosen candidate (smearingFactor). */
  smearing: number;
  /** The largest log(1 + y) of the training rows plus log 2: no prediction goes above it. */
  cap: number;
}

/**
 * Back from a prediction p of log(1 + y) to counts, with Duan's smearing (1983): E[y] =
 * E[exp(log(1 + y))] - 1 = exp(p) * mean(exp(residual)) - 1 when the residuals' law does not
 * depend on p. Our choice: the residuals are the inner folds' out-of-fold ones (the training
 * residuals of a ridge are too small), so the factor is itself an honest estimate; and p is
 * capped at the training rows' largest log(1 + y) plus log 2 (at most about twice the largest
 * count seen), as a linear model's extrapolation becomes exponential on the way back.
 */
export function logTargetBack(p: number, { smearing, cap }: LogBack): number {
  return Math.max(0, Math.exp(Math.min(p, cap)) * smearing - 1);
}

/**
 * Duan's smearing factor: mean(exp(t_i - min(p_i, cap))) over held-out predictions p of
 * t = log(1 + y).
 */
export function smearingFactor(
  logTruth: ArrayLike<number>,
  predictions: ArrayLike<number>,
  cap: number,
): number {
  let sum = 0;
  for (let i = 0; i < predictions.length; i++) sum += Math.exp(logTruth[i] - Math.min(predictions[i], cap));
  return sum / predictions.length;
}

/** The labels an input's ridge fits: y itself, or log(1 + y) (counts below 0 taken as 0). */
const logOf = (values: Float64Array): Float64Array => values.map((v) => Math.log1p(Math.max(0, v)));

/**
 * Non-negative least squares from the normal equations: argmin_{w >= 0} wᵀGw - 2bᵀw, i.e.
 * ||A w - y||² with G = AᵀA (p x p, row-major) and b = Aᵀy. Lawson and Hanson's active-set
 * method (1974, ch. 23); p is the number of feature sets (a handful), so each step solves
 * its passive block directly.
 */
export function nnls(g: Float64Array, b: Float64Array, p: number): Float64Array {
  const w = new Float64Array(p);
  const passive = new Array<boolean>(p).fill(false);
  let scale = 0;
  for (let i = 0; i < p; i++) scale = Math.max(scale, Math.abs(b[i]), g[i * p + i]);
  const tol = 1e-12 * Math.max(scale, 1e-300);
  for (let outer = 0; outer < 3 * p + 3; outer++) {
    // The gradient of the objective's negative half: b - G w.
    let j = -1;
    let best = tol;
    for (let i = 0; i < p; i++) {
      if (passive[i]) continue;
      let grad = b[i];
      for (let k = 0; k < p; k++) grad -= g[i * p + k] * w[k];
      if (grad > best) {
        best = grad;
        j = i;
      }
    }
    if (j < 0) break;
    passive[j] = true;
    for (let inner = 0; inner <= p; inner++) {
      const s = solvePassive(g, b, p, passive);
      let step = 1;
      for (let i = 0; i < p; i++)
        if (passive[i] && s[i] <= 0 && w[i] - s[i] > 0) step = Math.min(step, w[i] / (w[i] - s[i]));
      for (let i = 0; i < p; i++) w[i] += step * (s[i] - w[i]);
      if (step === 1) break;
      for (let i = 0; i < p; i++)
        if (passive[i] && w[i] <= tol) {
          passive[i] = false;
          w[i] = 0;
        }
    }
  }
  return w;
}

/** Solve G_PP s_P = b_P for the passive set P (zeros elsewhere). */
function solvePassive(g: Float64Array, b: Float64Array, p: number, passive: boolean[]): Float64Array {
  const idx = passive.flatMap((on, i) => (on ? [i] : []));
  // A tiny ridge keeps exactly collinear sets (the same predictions twice) solvable.
  const jitter = 1e-12 * Math.max(1e-300, ...idx.map((i) => g[i * p + i]));
  const x = solveAugmented(
    idx.map((i, r) => [...idx.map((k, c) => g[i * p + k] + (r === c ? jitter : 0)), b[i]]),
  );
  const s = new Float64Array(p);
  idx.forEach((i, r) => (s[i] = x[r]));
  return s;
}

/**
 * x with A x = c, for the rows [A | c] of a small dense system (changed in place), by Gaussian
 * elimination with partial pivoting; NaN where A is singular.
 */
function solveAugmented(a: number[][]): Float64Array {
  const n = a.length;
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r][c]) > Math.abs(a[pivot][c])) pivot = r;
    [a[c], a[pivot]] = [a[pivot], a[c]];
    for (let r = c + 1; r < n; r++) {
      const f = a[r][c] / a[c][c];
      for (let k = c; k <= n; k++) a[r][k] -= f * a[c][k];
    }
  }
  const x = new Float64Array(n);
  for (let r = n - 1; r >= 0; r--) {
    let v = a[r][n];
    for (let k = r + 1; k < n; k++) v -= a[r][k] * x[k];
    x[r] = v / a[r][r];
  }
  return x;
}

/**
 * How the combiner's weights are bounded: 'convex' (the app's), w >= 0 and sum_s w_s = 1, so
 * the combined prediction is a weighted average of the sets' plus the intercept; or
 * 'non-negative' (stops 26 to 35, the bench's older rows), w >= 0 only (Breiman's form).
 */
export type WeightRule = 'convex' | 'non-negative';

/**
 * Our choice: convex weights. The non-negative weights' sum is free, and on a city's 60 to 200
 * training regions it moves from fold to fold (its mean over the folds was already close to 1,
 * 0.99 to 1.03 on Riverton's tasks). Bounding it at 1 (LeBlanc and Tibshirani 1996) steadies
 * the weights; it can no longer add up two sets that each know half of the labels (the
 * constructed case in stacking.test.ts), which no sample city showed. Mean R² of the shipped
 * predictor over each city's 3 tasks, on its own folds, 10 other shuffled folds (seed 7) and 5
 * spatial blocks (seed 1), chosen on the sample cities only, at the same cost (non-negative ->
 * convex, [convex without the intercept]):
 *
 *   city, SREL runs                    own folds         kfold:10:7        spatial:5:1
 *   Riverton, 150 regions, 3 x 500     0.6421 -> 0.6487  0.6599 -> 0.6618  0.5404 -> 0.5419
 *                                      [0.6492]          [0.6611]          [0.5437]
 *   generated, 80 regions (seed 21),   0.7101 -> 0.7144  0.6897 -> 0.6920  0.5942 -> 0.6128
 *   2 x 500                            [0.7137]          [0.6911]          [0.6169]
 *   generated, 120 regions (seed 22),  0.5954 -> 0.6015  0.6201 -> 0.6236  0.3328 -> 0.3400
 *   2 x 500                            [0.6021]          [0.6236]          [0.3414]
 *   Metropolis, 2,000 regions, 2 x 100 0.8837 -> 0.8836  0.8856 -> 0.8851  0.8579 -> 0.8580
 *                                      [0.8835]          [0.8851]          [0.8582]
 *
 * Better in all 9 figures of the small cities, the benchmark's size (77 to 180 regions); neutral
 * at 2,000 regions, where the weights are steady anyway. With or without the intercept is a tie;
 * we keep it (a shared bias, and the labels' mean where no set helps). Also tried on Riverton
 * (seed 0): 10 inner folds instead of 5, +0.007, +0.003, -0.005 at twice the cost; 20, +0.006,
 * +0.001, -0.022.
 */
export const WEIGHT_RULE: WeightRule = 'convex';

/**
 * Least squares on the simplex: argmin_{w >= 0, sum w = 1} wᵀGw - 2bᵀw (G = AᵀA, p x p
 * row-major, b = Aᵀy). The minimum of this convex problem solves, on its support S, the
 * equality-constrained system [G_SS 1; 1ᵀ 0] [w_S; λ] = [b_S; 1]; every support is tried and
 * the feasible solution with the least objective kept. p is the number of feature sets (4 in
 * the app), so the 2^p - 1 supports are few; a vertex (one set, weight 1) is always feasible.
 */
export function convexWeights(g: Float64Array, b: Float64Array, p: number): Float64Array {
  if (p < 1 || p > MAX_CONVEX_SETS)
    throw new RangeError(`convex weights take 1 to ${MAX_CONVEX_SETS} feature sets, got ${p}`);
  let best: Float64Array = new Float64Array(p);
  let bestObjective = Infinity;
  for (let support = 1; support < 1 << p; support++) {
    const idx: number[] = [];
    for (let i = 0; i < p; i++) if (support & (1 << i)) idx.push(i);
    const w = solveOnSupport(g, b, p, idx);
    if (!w) continue;
    let objective = 0;
    for (const i of idx) {
      objective -= 2 * b[i] * w[i];
      for (const k of idx) objective += w[i] * g[i * p + k] * w[k];
    }
    if (objective < bestObjective) {
      bestObjective = objective;
      best = w;
    }
  }
  return best;
}

/** 2^10 - 1 supports at most: the app and the bench combine 4 sets at most. */
const MAX_CONVEX_SETS = 10;

/**
 * The weights on `idx` with sum 1 that solve the bordered system (zeros elsewhere), or null
 * when one is negative or not a number (a singular system).
 */
function solveOnSupport(g: Float64Array, b: Float64Array, p: number, idx: number[]): Float64Array | null {
  const q = idx.length;
  if (q === 1) {
    // A vertex: the one set has weight 1, exactly.
    const vertex = new Float64Array(p);
    vertex[idx[0]] = 1;
    return vertex;
  }
  // Rows [G_SS | 1 | b_S] and [1ᵀ | 0 | 1]; a tiny ridge keeps equal sets solvable.
  const jitter = 1e-12 * Math.max(1e-300, ...idx.map((i) => g[i * p + i]));
  const a = idx.map((i, r) => [...idx.map((k, c) => g[i * p + k] + (r === c ? jitter : 0)), 1, b[i]]);
  a.push([...idx.map(() => 1), 0, 1]);
  const x = solveAugmented(a);
  const w = new Float64Array(p);
  for (let r = 0; r < q; r++) {
    if (!(x[r] >= 0)) return null;
    w[idx[r]] = x[r];
  }
  return w;
}

/**
 * Fit the combiner on `rows`: each input's ridge strength and its out-of-fold predictions on
 * inner folds of `rows`, then the non-negative weights and the intercept. Also gives the ridge
 * systems on all of `rows` (for predicting with the fit). When no set's predictions go with the
 * labels (no weight positive), the fit predicts the labels' mean.
 */
export function fitStack(
  inputs: StackInput[],
  values: Float64Array,
  rows: number[],
  inner: FoldsOrSettings,
  cache?: RowSumsCache,
  rule: WeightRule = WEIGHT_RULE,
): StackFit & { systems: SystemSource[]; targets: Float64Array[] } {
  if (inputs.length === 0 || inputs.some((i) => i.candidates.length === 0))
    throw new Error('the combiner needs at least one feature set, each with a candidate');
  const chosen: Candidate[] = [];
  const innerR2: number[] = [];
  const back: (LogBack | null)[] = [];
  const columns: number[][] = [];
  const systems: SystemSource[] = [];
  const targets: Float64Array[] = [];
  let truth: number[] = [];
  // One pass over the inner folds per kind of target (same folds, same Gram sums via `cache`).
  for (const kind of [undefined, 'log1p'] as const) {
    const group = inputs.map((input, s) => ({ input, s })).filter(({ input }) => input.target === kind);
    if (group.length === 0) continue;
    const target = kind ? logOf(values) : values;
    let cap = Infinity;
    if (kind) {
      cap = 0;
      for (const r of rows) cap = Math.max(cap, target[r]);
      cap += Math.LN2;
    }
    const flat = group.flatMap(({ input }) => input.candidates);
    const pass = innerPredictions(flat, target, rows, inner, cache);
    // The labels in fold order, the same for every pass (the counts' pass runs first; only
    // where every set has a log target do they come back from log(1 + y)).
    if (truth.length === 0) truth = kind ? pass.truth.map((t) => Math.expm1(t)) : pass.truth;
    const passTruth = truth;
    let offset = 0;
    for (const { input, s } of group) {
      let best = -1;
      let bestScore = -Infinity;
      let bestColumn: number[] = [];
      let bestBack: LogBack | null = null;
      for (let c = offset; c < offset + input.candidates.length; c++) {
        let column = pass.predictions[c];
        let score = pass.scores[c];
        let way: LogBack | null = null;
        if (kind) {
          way = { smearing: smearingFactor(pass.truth, column, cap), cap };
          column = column.map((p) => logTargetBack(p, way!));
          score = regressionMetrics(passTruth, column).r2;
        }
        if (best < 0 || score > bestScore) {
          best = c;
          bestScore = score;
          bestColumn = column;
          bestBack = way;
        }
      }
      chosen[s] = flat[best];
      innerR2[s] = bestScore;
      columns[s] = bestColumn;
      back[s] = bestBack;
      systems[s] = pass.all;
      targets[s] = target;
      offset += input.candidates.length;
    }
  }
  const p = inputs.length;
  const m = truth.length;
  const mean = (v: number[]): number => v.reduce((a, x) => a + x, 0) / m;
  const yMean = mean(truth);
  const yc = truth.map((v) => v - yMean);
  const means = columns.map(mean);
  const centred = columns.map((c, s) => c.map((v) => v - means[s]));
  const g = new Float64Array(p * p);
  const b = new Float64Array(p);
  for (let s = 0; s < p; s++) {
    for (let i = 0; i < m; i++) b[s] += centred[s][i] * yc[i];
    for (let t = 0; t <= s; t++) {
      let v = 0;
      for (let i = 0; i < m; i++) v += centred[s][i] * centred[t][i];
      g[s * p + t] = g[t * p + s] = v;
    }
  }
  // No set whose inner predictions go with the labels (b <= 0: then the non-negative weights
  // are all 0): every rule predicts the labels' mean.
  const weights = Array.from(
    rule === 'convex' && b.some((v) => v > 0) ? convexWeights(g, b, p) : nnls(g, b, p),
  );
  const intercept = yMean - weights.reduce((a, w, s) => a + w * means[s], 0);
  return { chosen, innerR2, weights, intercept, back, systems, targets };
}

/** Fit the combiner on `trainRows` (inner folds of them only), predict `testRows`. */
export function stackAndPredict(
  inputs: StackInput[],
  values: Float64Array,
  trainRows: number[],
  testRows: number[],
  inner: FoldsOrSettings,
  cache?: RowSumsCache,
  /** Also give each set's own predictions (its chosen candidate's), weighted or not. */
  everySet = false,
  rule: WeightRule = WEIGHT_RULE,
): StackFit & { predictions: Float64Array; perSet: (Float64Array | null)[] } {
  const { systems, targets, ...fit } = fitStack(inputs, values, trainRows, inner, cache, rule);
  const predictions = new Float64Array(testRows.length).fill(fit.intercept);
  const perSet = fit.chosen.map((c, s) => {
    const w = fit.weights[s];
    if (w === 0 && !everySet) return null;
    const p = predictCandidate(c, targets[s], trainRows, testRows, systems[s]);
    const way = fit.back[s];
    if (way) for (let i = 0; i < p.length; i++) p[i] = logTargetBack(p[i], way);
    for (let i = 0; i < p.length; i++) predictions[i] += w * p[i];
    return p;
  });
  // Counts: never below 0, as every set's own prediction.
  for (let i = 0; i < predictions.length; i++) predictions[i] = Math.max(0, predictions[i]);
  return { ...fit, predictions, perSet };
}

export interface StackResult extends RegressionMetrics {
  /** Held-out prediction for every row (same order as `rows`). */
  predictions: Float64Array;
  rows: number[];
  /** The combiner fitted in each outer fold. */
  fits: StackFit[];
  /**
   * Per input, its own held-out predictions (same order as `rows`): nestedCrossValidate of its
   * candidates alone, the same figures, without scoring them twice.
   */
  perSet: Float64Array[];
}

/** Outer K-fold over `rows`, the combiner fitted on each training fold (stackAndPredict). */
export function nestedStack(
  inputs: StackInput[],
  values: Float64Array,
  rows: number[],
  outer: FoldsOrSettings,
  inner: KFoldOptions = INNER_FOLDS,
  onFold?: (done: number, total: number) => void,
  cache?: RowSumsCache,
  rule: WeightRule = WEIGHT_RULE,
): StackResult {
  const { predictions, results, folds } = overOuterFolds(
    rows,
    outer,
    (trainRows, testRows) => stackAndPredict(inputs, values, trainRows, testRows, inner, cache, true, rule),
    onFold,
  );
  // Each set's own held-out predictions, placed as the combined ones are.
  const perSet = inputs.map((_, s) => {
    const own = new Float64Array(rows.length);
    folds.forEach((fold, f) => fold.test.forEach((i, k) => (own[i] = results[f].perSet[s]![k])));
    return own;
  });
  const fits: StackFit[] = results.map(({ chosen, innerR2, weights, intercept, back }) => ({
    chosen,
    innerR2,
    weights,
    intercept,
    back,
  }));
  const truth = Float64Array.from(rows, (r) => values[r]);
  return { ...regressionMetrics(truth, predictions), predictions, rows, fits, perSet };
}
