/**
 * The evaluation protocol of method.md, made honest: K-fold over regions, ridge (alpha 1)
 * fitted on each training fold only, negative predictions clipped to 0, metrics once over
 * all held-out predictions pooled.
 */
import { resolveFolds, type Fold, type FoldsOrSettings } from './folds';
import { regressionMetrics, type RegressionMetrics } from './metrics';
import { fitRidge, predictRidge, takeRows } from './ridge';

export interface CrossValidation extends RegressionMetrics {
  /** Held-out prediction for every evaluated row (same order as `rows`). */
  predictions: Float64Array;
  rows: number[];
  folds: Fold[];
}

/** K-fold ridge on features X (N x d) for the rows that have labels. */
export function crossValidateRidge(
  x: Float64Array,
  d: number,
  values: Float64Array,
  rows: number[],
  foldOptions: FoldsOrSettings,
  alpha = 1,
): CrossValidation {
  const xs = takeRows(x, d, rows);
  const ys = Float64Array.from(rows, (r) => values[r]);
  const folds = resolveFolds(rows.length, foldOptions);
  const predictions = new Float64Array(rows.length);
  for (const fold of folds) {
    const model = fitRidge(
      takeRows(xs, d, fold.train),
      fold.train.length,
      d,
      Float64Array.from(fold.train, (i) => ys[i]),
      alpha,
    );
    const pred = predictRidge(model, takeRows(xs, d, fold.test), fold.test.length);
    fold.test.forEach((i, k) => (predictions[i] = Math.max(0, pred[k])));
  }
  return { ...regressionMetrics(ys, predictions), predictions, rows, folds };
}

/** Region features of one ensemble member: N x d. */
export interface EnsembleMember {
  features: Float64Array;
  d: number;
  /**
   * When `features` are another matrix's columns times `columnScale` (same shape), ridge
   * derives its Gram sums from that matrix's (scaled) instead of recomputing them. When that
   * matrix is itself joined (its `joinedFrom`), its sums are derived as well.
   */
  scaledFrom?: {
    features: Float64Array;
    columnScale: Float64Array;
    joinedFrom?: EnsembleMember['joinedFrom'];
  };
  /**
   * When `features` are [left times leftScale | right] (left N x (d - r), right N x r), ridge
   * derives the left block's Gram sums from left's (scaled) and sums only the right block
   * and its products with left: O(d r) per row instead of O(d^2).
   */
  joinedFrom?: { left: Float64Array; leftScale: number; right: Float64Array; r: number };
  /**
   * Another member whose matrix is this one's first columns, with Gram sums equal to the bit
   * (as a joined matrix's left block and that block's scaled copy have): the Cholesky factors
   * of this member's ridge systems continue that member's instead of starting over.
   */
  leading?: EnsembleMember;
}

/**
 * K-fold ridge on each member's features (the same folds and alpha for all), and the mean of
 * their clipped held-out predictions as the ensemble's prediction. A fixed rule: nothing is
 * chosen, so it is as honest as one ridge fit.
 */
export function crossValidateEnsemble(
  members: EnsembleMember[],
  values: Float64Array,
  rows: number[],
  foldOptions: FoldsOrSettings,
  alpha = 1,
): CrossValidation {
  if (members.length === 0) throw new Error('an ensemble needs at least one member');
  const predictions = new Float64Array(rows.length);
  let folds: Fold[] = [];
  for (const m of members) {
    const cv = crossValidateRidge(m.features, m.d, values, rows, foldOptions, alpha);
    cv.predictions.forEach((p, i) => (predictions[i] += p / members.length));
    folds = cv.folds;
  }
  const ys = Float64Array.from(rows, (r) => values[r]);
  return { ...regressionMetrics(ys, predictions), predictions, rows, folds };
}
