/**
 * Honest selection: choose among candidates (e.g. embeddings after different epoch counts,
 * or ridge strengths) by K-fold R² on the training regions of each outer fold only, then
 * predict that fold's test regions with the chosen candidate. Test labels never influence
 * a choice.
 */
import type { EnsembleMember } from './crossValidate';
import { kFold, type Fold, type KFoldOptions } from './folds';
import { regressionMetrics, type RegressionMetrics } from './metrics';
import { predictRidge, ridgeSystem, solveRidge, takeRows, type RidgeSystem } from './ridge';

export interface Candidate {
  label: string;
  /** N x d features for all regions (labels are never part of them). */
  features: Float64Array;
  d: number;
  alpha?: number;
  /**
   * When set, the candidate is a snapshot ensemble: its prediction is the mean of ridge fits
   * on each member's features (and `features` is not used).
   */
  members?: EnsembleMember[];
}

export interface NestedResult extends RegressionMetrics {
  predictions: Float64Array;
  rows: number[];
  /** The candidate chosen in each outer fold. */
  chosen: string[];
}

/**
 * Ridge systems of one training split, per feature matrix: candidates that differ only in
 * alpha (and ensembles that share members) reuse them instead of recomputing the Gram matrix.
 */
type SystemCache = Map<Float64Array, RidgeSystem>;

/** Ridge fitted on `trainRows`, clipped predictions for `testRows` (for an ensemble, their mean). */
export function predictCandidate(
  c: Candidate,
  values: Float64Array,
  trainRows: number[],
  testRows: number[],
  cache: SystemCache = new Map(),
): Float64Array {
  const y = Float64Array.from(trainRows, (r) => values[r]);
  const members = c.members ?? [c];
  const mean = new Float64Array(testRows.length);
  for (const m of members) {
    let system = cache.get(m.features);
    if (!system) {
      system = ridgeSystem(takeRows(m.features, m.d, trainRows), trainRows.length, m.d, y);
      cache.set(m.features, system);
    }
    const model = solveRidge(system, c.alpha ?? 1);
    predictRidge(model, takeRows(m.features, m.d, testRows), testRows.length).forEach(
      (p, i) => (mean[i] += Math.max(0, p) / members.length),
    );
  }
  return mean;
}

/** Pooled R² of clipped ridge predictions over inner folds of `rows` (indices into features). */
function innerScore(
  c: Candidate,
  values: Float64Array,
  rows: number[],
  folds: Fold[],
  caches: SystemCache[],
): number {
  const truth: number[] = [];
  const pred: number[] = [];
  for (const [k, f] of folds.entries()) {
    const train = f.train.map((i) => rows[i]);
    const test = f.test.map((i) => rows[i]);
    const p = predictCandidate(c, values, train, test, caches[k]);
    test.forEach((r, k) => {
      truth.push(values[r]);
      pred.push(p[k]);
    });
  }
  return regressionMetrics(truth, pred).r2;
}

/** The candidate with the best inner K-fold R² on `rows` (the first one if there is only one). */
export function chooseCandidate(
  candidates: Candidate[],
  values: Float64Array,
  rows: number[],
  inner: KFoldOptions,
): Candidate {
  if (candidates.length === 0) throw new Error('chooseCandidate needs at least one candidate');
  let best = candidates[0];
  let bestScore = -Infinity;
  const folds = kFold(rows.length, inner);
  const caches = folds.map((): SystemCache => new Map());
  for (const c of candidates) {
    const score = candidates.length === 1 ? 0 : innerScore(c, values, rows, folds, caches);
    if (score > bestScore) {
      bestScore = score;
      best = c;
    }
  }
  return best;
}

/** The inner folds that choose among candidates within each training fold. */
export const INNER_FOLDS: KFoldOptions = { k: 5, shuffleSeed: 2024 };

export function nestedCrossValidate(
  candidates: Candidate[],
  values: Float64Array,
  rows: number[],
  outer: KFoldOptions,
  inner: KFoldOptions = INNER_FOLDS,
  /** Called after each outer fold (`done` of `total`), for progress bars. */
  onFold?: (done: number, total: number) => void,
): NestedResult {
  if (candidates.length === 0) throw new Error('nestedCrossValidate needs at least one candidate');
  const folds = kFold(rows.length, outer);
  const predictions = new Float64Array(rows.length);
  const chosen: string[] = [];
  for (const fold of folds) {
    const trainRows = fold.train.map((i) => rows[i]);
    const testRows = fold.test.map((i) => rows[i]);
    const best = chooseCandidate(candidates, values, trainRows, inner);
    chosen.push(best.label);
    const p = predictCandidate(best, values, trainRows, testRows);
    fold.test.forEach((i, k) => (predictions[i] = p[k]));
    onFold?.(chosen.length, folds.length);
  }
  const truth = Float64Array.from(rows, (r) => values[r]);
  return { ...regressionMetrics(truth, predictions), predictions, rows, chosen };
}
