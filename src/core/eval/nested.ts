/**
 * Honest selection: choose among candidates (e.g. embeddings after different epoch counts,
 * or ridge strengths) by K-fold R² on the training regions of each outer fold only, then
 * predict that fold's test regions with the chosen candidate. Test labels never influence
 * a choice.
 */
import type { EnsembleMember } from './crossValidate';
import { resolveFolds, type Fold, type FoldsOrSettings, type KFoldOptions } from './folds';
import { rowGram } from '../math/gram';
import { regressionMetrics, type RegressionMetrics } from './metrics';
import {
  combineSums,
  combineTargetSums,
  dualSystemFromKernel,
  joinedSums,
  joinedTargetSums,
  predictRidgeRows,
  predictRidgeRowsMany,
  ridgeFactor,
  ridgeSystem,
  ridgeSystemFromSums,
  rowSums,
  scaleSums,
  scaleTargetSums,
  solveRidge,
  takeRows,
  targetSums,
  type RidgeSystem,
  type RowSums,
  type TargetSums,
} from './ridge';

export interface Candidate extends EnsembleMember {
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
  /** It uses the task's prompt features (reports count the folds that chose such a candidate). */
  usesPrompt?: boolean;
}

export interface NestedResult extends RegressionMetrics {
  predictions: Float64Array;
  rows: number[];
  /** The label of the candidate chosen in each outer fold. */
  chosen: string[];
  /** The candidate chosen in each outer fold. */
  picked: Candidate[];
}

/**
 * Row sums (`rowSums`) of feature matrices over sets of rows, kept for as long as the cache
 * and the matrix live: the task report scores every task of a city on the same embedding and
 * raw features with the same folds, so the O(rows d^2) Gram sums of each fold's parts are
 * computed for the first task and reused by the others. Keyed by the matrix (its identity:
 * feature matrices are never changed in place) and the exact list of rows.
 */
export class RowSumsCache {
  private readonly byFeatures = new WeakMap<Float64Array, Map<string, RowSums>>();
  private readonly kernels = new WeakMap<Float64Array, Float64Array>();

  /** X Xᵀ of a whole feature matrix (N x N), for the dual systems of its wide splits. */
  kernel(features: Float64Array, d: number): Float64Array {
    let k = this.kernels.get(features);
    if (!k) {
      k = rowGram(features, features.length / d, d);
      this.kernels.set(features, k);
    }
    return k;
  }

  get(features: Float64Array, d: number, rows: number[]): RowSums {
    let sums = this.byFeatures.get(features);
    if (!sums) {
      sums = new Map();
      this.byFeatures.set(features, sums);
    }
    const key = `${d}:${rows.join(',')}`;
    let s = sums.get(key);
    if (!s) {
      s = rowSums(features, d, rows);
      sums.set(key, s);
    }
    return s;
  }
}

/** Gives the ridge system of one feature matrix on a training split. */
export type SystemSource = (m: EnsembleMember) => RidgeSystem;

/**
 * A source that builds each system directly from the rows (and remembers it). With `sums`, a
 * wide matrix's dual system comes from its whole kernel, computed once (dualSystemFromKernel).
 */
function directSystems(values: Float64Array, trainRows: number[], sums?: RowSumsCache): SystemSource {
  const y = Float64Array.from(trainRows, (r) => values[r]);
  const cache = new Map<Float64Array, RidgeSystem>();
  return ({ features, d }) => {
    let system = cache.get(features);
    if (!system) {
      system =
        sums && d > trainRows.length
          ? dualSystemFromKernel(features, d, trainRows, sums.kernel(features, d), y)
          : ridgeSystem(takeRows(features, d, trainRows), trainRows.length, d, y);
      cache.set(features, system);
    }
    return system;
  };
}

/**
 * The ridge systems of a K-fold loop over `rows`, per feature matrix: the sums of each test
 * part are computed once, a training split's Gram matrix is their total minus its own part
 * (`rowSums`), and `all` is the system on every row. Candidates that differ only in alpha, and
 * ensembles that share members, reuse the same systems. Wide matrices (d above a split's
 * size) fall back to the direct dual system.
 */
class FoldSystems {
  private readonly sums = new Map<Float64Array, { parts: RowSums[]; total: RowSums }>();
  private readonly targets = new Map<Float64Array, { parts: TargetSums[]; total: TargetSums }>();
  private readonly trainRows: number[][];
  private readonly sources: SystemSource[];
  readonly all: SystemSource;

  constructor(
    private readonly values: Float64Array,
    private readonly rows: number[],
    private readonly folds: Fold[],
    private readonly cache?: RowSumsCache,
  ) {
    this.trainRows = folds.map((f) => f.train.map((i) => rows[i]));
    this.sources = folds.map((_, k) => this.source(k));
    this.all = this.source(-1);
  }

  fold(k: number): SystemSource {
    return this.sources[k];
  }

  private sumsOf(m: EnsembleMember): { parts: RowSums[]; total: RowSums } {
    const { features, d, scaledFrom, joinedFrom } = m;
    let s = this.sums.get(features);
    if (!s && joinedFrom) {
      const { left, leftScale, right, r } = joinedFrom;
      const base = this.sumsOf({ features: left, d: d - r });
      const parts = base.parts.map((p, k) =>
        joinedSums(
          p,
          leftScale,
          left,
          right,
          r,
          this.folds[k].test.map((i) => this.rows[i]),
        ),
      );
      s = { parts, total: parts.slice(1).reduce((a, b) => combineSums(a, b, 1), parts[0]) };
      this.sums.set(features, s);
    }
    if (!s && scaledFrom) {
      const { features: from, joinedFrom: fromJoined } = scaledFrom;
      const base = this.sumsOf({ features: from, d, ...(fromJoined ? { joinedFrom: fromJoined } : {}) });
      const c = scaledFrom.columnScale;
      s = { parts: base.parts.map((p) => scaleSums(p, c)), total: scaleSums(base.total, c) };
      this.sums.set(features, s);
    }
    if (!s) {
      const parts = this.folds.map((f) => {
        const rows = f.test.map((i) => this.rows[i]);
        return this.cache ? this.cache.get(features, d, rows) : rowSums(features, d, rows);
      });
      const total = parts.slice(1).reduce((a, b) => combineSums(a, b, 1), parts[0]);
      s = { parts, total };
      this.sums.set(features, s);
    }
    return s;
  }

  /**
   * The target sums of each test part and their total, derived for scaled and joined matrices
   * as their Gram sums are (the right block's own sums are a pass over r columns).
   */
  private targetsOf(m: EnsembleMember): { parts: TargetSums[]; total: TargetSums } {
    const { features, d, scaledFrom, joinedFrom } = m;
    let s = this.targets.get(features);
    if (s) return s;
    const partRows = (k: number): number[] => this.folds[k].test.map((i) => this.rows[i]);
    let parts: TargetSums[];
    if (joinedFrom) {
      const { left, leftScale, right, r } = joinedFrom;
      const base = this.targetsOf({ features: left, d: d - r });
      parts = base.parts.map((p, k) =>
        joinedTargetSums(p, leftScale, targetSums(right, r, partRows(k), this.values)),
      );
    } else if (scaledFrom) {
      const { features: from, joinedFrom: fromJoined } = scaledFrom;
      const base = this.targetsOf({ features: from, d, ...(fromJoined ? { joinedFrom: fromJoined } : {}) });
      parts = base.parts.map((p) => scaleTargetSums(p, scaledFrom.columnScale));
    } else {
      parts = this.folds.map((_, k) => targetSums(features, d, partRows(k), this.values));
    }
    s = { parts, total: parts.slice(1).reduce((a, b) => combineTargetSums(a, b, 1), parts[0]) };
    this.targets.set(features, s);
    return s;
  }

  /** Fold k's training split, or every row for k = -1. */
  private source(k: number): SystemSource {
    const rows = k < 0 ? this.rows : this.trainRows[k];
    const direct = directSystems(this.values, rows, this.cache);
    const cache = new Map<Float64Array, RidgeSystem>();
    return (m) => {
      const { features, d } = m;
      if (d > rows.length || this.folds.length < 2) return direct(m);
      let system = cache.get(features);
      if (!system) {
        const { parts, total } = this.sumsOf(m);
        const targets = this.targetsOf(m);
        system =
          k < 0
            ? ridgeSystemFromSums(total, targets.total)
            : ridgeSystemFromSums(
                combineSums(total, parts[k], -1),
                combineTargetSums(targets.total, targets.parts[k], -1),
              );
        cache.set(features, system);
      }
      return system;
    };
  }
}

/** Ridge fitted on `trainRows`, clipped predictions for `testRows` (for an ensemble, their mean). */
export function predictCandidate(
  c: Candidate,
  values: Float64Array,
  trainRows: number[],
  testRows: number[],
  systems: SystemSource = directSystems(values, trainRows),
): Float64Array {
  const members = c.members ?? [c];
  const mean = new Float64Array(testRows.length);
  for (const m of members) {
    const model = solveRidge(systems(m), c.alpha ?? 1);
    const p = predictRidgeRows(model, m.features, testRows);
    for (let i = 0; i < p.length; i++) mean[i] += Math.max(0, p[i]) / members.length;
  }
  return mean;
}

/**
 * Pooled R² of each candidate's clipped ridge predictions over inner folds of `rows`
 * (indices into features). Candidates that differ only in alpha are scored together: per
 * fold and member one system, its solve for each alpha, and one pass over the member's test
 * rows for all of them (predictRidgeRowsMany). A member with a `leading` member continues that
 * member's Cholesky factors (kept for the fold). Each score is what scoring the candidate
 * alone gives, bit for bit.
 */
function innerScores(
  candidates: Candidate[],
  values: Float64Array,
  rows: number[],
  folds: Fold[],
  systems: FoldSystems,
): { scores: number[]; truth: number[]; predictions: number[][] } {
  const ids = new WeakMap<Float64Array, number>();
  let nextId = 0;
  const byKey = new Map<string, number[]>();
  for (const [i, c] of candidates.entries()) {
    const key = (c.members ?? [c])
      .map((m) => {
        let id = ids.get(m.features);
        if (id === undefined) ids.set(m.features, (id = nextId++));
        return id;
      })
      .join(',');
    const group = byKey.get(key);
    if (group) group.push(i);
    else byKey.set(key, [i]);
  }
  const groups = [...byKey.values()].map((indices) => ({
    indices,
    members: candidates[indices[0]].members ?? [candidates[indices[0]]],
    alphas: indices.map((i) => candidates[i].alpha ?? 1),
  }));
  const leadingMatrices = new Set(
    candidates.flatMap((c) => (c.members ?? [c]).map((m) => m.leading?.features)),
  );
  const truth: number[] = [];
  const pred = groups.map((g) => g.alphas.map((): number[] => []));
  // One array per size for the factors used once (solved at once, then dropped): Riverton's
  // report makes about 10,000, which as new arrays were most of the collector's work.
  const scratch = new Map<number, Float64Array>();
  const scratchOf = (size: number): Float64Array => {
    let a = scratch.get(size);
    if (!a) scratch.set(size, (a = new Float64Array(size)));
    return a;
  };
  for (const [k, f] of folds.entries()) {
    const test = f.test.map((i) => rows[i]);
    for (const r of test) truth.push(values[r]);
    const source = systems.fold(k);
    // Factors of the matrices that lead others, per alpha, for this fold.
    const kept = new Map<Float64Array, Map<number, Float64Array>>();
    const factor = (m: EnsembleMember, system: RidgeSystem, alpha: number): Float64Array => {
      const known = kept.get(m.features)?.get(alpha);
      if (known) return known;
      let leading: { l: Float64Array; m: number } | undefined;
      if (m.leading && !system.dual) {
        const lead = source(m.leading);
        if (!lead.dual && lead.d < system.d) leading = { l: factor(m.leading, lead, alpha), m: lead.d };
      }
      const keep = leadingMatrices.has(m.features);
      const l = ridgeFactor(system, alpha, leading, keep ? undefined : scratchOf(system.gram.length));
      if (keep) {
        if (!kept.has(m.features)) kept.set(m.features, new Map());
        kept.get(m.features)!.set(alpha, l);
      }
      return l;
    };
    for (const [g, { members, alphas }] of groups.entries()) {
      const mean = alphas.map(() => new Float64Array(test.length));
      for (const m of members) {
        const system = source(m);
        const p = predictRidgeRowsMany(
          alphas.map((alpha) => solveRidge(system, alpha, factor(m, system, alpha))),
          m.features,
          test,
        );
        for (let a = 0; a < alphas.length; a++)
          for (let i = 0; i < test.length; i++) mean[a][i] += Math.max(0, p[a][i]) / members.length;
      }
      for (let a = 0; a < alphas.length; a++) for (const v of mean[a]) pred[g][a].push(v);
    }
  }
  const scores = new Array<number>(candidates.length);
  const predictions = new Array<number[]>(candidates.length);
  groups.forEach(({ indices }, g) =>
    indices.forEach((i, a) => {
      scores[i] = regressionMetrics(truth, pred[g][a]).r2;
      predictions[i] = pred[g][a];
    }),
  );
  return { scores, truth, predictions };
}

/**
 * Every candidate's pooled held-out predictions over inner folds of `rows` (in fold order:
 * `truth[i]` is the label `predictions[c][i]` predicts), their R², and the ridge systems on all
 * of `rows` for fitting the candidates afterwards (predictCandidate). Scores are those
 * chooseAndPredict chooses by, bit for bit.
 */
export function innerPredictions(
  candidates: Candidate[],
  values: Float64Array,
  rows: number[],
  inner: FoldsOrSettings,
  cache?: RowSumsCache,
): { scores: number[]; truth: number[]; predictions: number[][]; all: SystemSource } {
  const folds = resolveFolds(rows.length, inner);
  const systems = new FoldSystems(values, rows, folds, cache);
  return { ...innerScores(candidates, values, rows, folds, systems), all: systems.all };
}

/**
 * The candidate with the best inner K-fold R² on `rows` (the first one if there is only one),
 * and the ridge systems on all of `rows` for fitting it (they come free with the inner folds).
 */
function chooseWithSystems(
  candidates: Candidate[],
  values: Float64Array,
  rows: number[],
  inner: FoldsOrSettings,
  cache?: RowSumsCache,
): { best: Candidate; all: SystemSource } {
  if (candidates.length === 0) throw new Error('choosing needs at least one candidate');
  let best = candidates[0];
  let bestScore = -Infinity;
  const folds = resolveFolds(rows.length, inner);
  const systems = new FoldSystems(values, rows, folds, cache);
  const scores = candidates.length === 1 ? [0] : innerScores(candidates, values, rows, folds, systems).scores;
  for (const [i, c] of candidates.entries())
    if (scores[i] > bestScore) {
      bestScore = scores[i];
      best = c;
    }
  return { best, all: systems.all };
}

/**
 * Choose on inner folds of `trainRows`, then predict `testRows` with the chosen candidate.
 * Given folds (not settings) are positions in `trainRows`. With `cache`, Gram sums of the inner folds' parts are taken from it (the same figures).
 */
export function chooseAndPredict(
  candidates: Candidate[],
  values: Float64Array,
  trainRows: number[],
  testRows: number[],
  inner: FoldsOrSettings,
  cache?: RowSumsCache,
): { chosen: Candidate; predictions: Float64Array } {
  const { best, all } = chooseWithSystems(candidates, values, trainRows, inner, cache);
  return { chosen: best, predictions: predictCandidate(best, values, trainRows, testRows, all) };
}

/** The inner folds that choose among candidates within each training fold. */
export const INNER_FOLDS: KFoldOptions = { k: 5, shuffleSeed: 2024 };

export function nestedCrossValidate(
  candidates: Candidate[],
  values: Float64Array,
  rows: number[],
  outer: FoldsOrSettings,
  inner: KFoldOptions = INNER_FOLDS,
  /** Called after each outer fold (`done` of `total`), for progress bars. */
  onFold?: (done: number, total: number) => void,
  /** Gram sums shared with other selections on the same features and rows (same figures). */
  cache?: RowSumsCache,
): NestedResult {
  if (candidates.length === 0) throw new Error('nestedCrossValidate needs at least one candidate');
  const { predictions, results } = overOuterFolds(
    rows,
    outer,
    (trainRows, testRows) => chooseAndPredict(candidates, values, trainRows, testRows, inner, cache),
    onFold,
  );
  const truth = Float64Array.from(rows, (r) => values[r]);
  const picked = results.map((r) => r.chosen);
  const chosen = picked.map((c) => c.label);
  return { ...regressionMetrics(truth, predictions), predictions, rows, chosen, picked };
}

/**
 * The outer loop of a nested cross-validation: `predict` fits on each outer fold's training
 * regions (inner folds of them only) and predicts its test regions. Gives the held-out
 * predictions in the order of `rows`, each fold's result and the folds (positions in `rows`).
 */
export function overOuterFolds<T extends { predictions: Float64Array }>(
  rows: number[],
  outer: FoldsOrSettings,
  predict: (trainRows: number[], testRows: number[]) => T,
  /** Called after each outer fold (`done` of `total`), for progress bars. */
  onFold?: (done: number, total: number) => void,
): { predictions: Float64Array; results: T[]; folds: Fold[] } {
  const folds = resolveFolds(rows.length, outer);
  const predictions = new Float64Array(rows.length);
  const results: T[] = [];
  for (const fold of folds) {
    const result = predict(
      fold.train.map((i) => rows[i]),
      fold.test.map((i) => rows[i]),
    );
    results.push(result);
    fold.test.forEach((i, k) => (predictions[i] = result.predictions[k]));
    onFold?.(results.length, folds.length);
  }
  return { predictions, results, folds };
}
