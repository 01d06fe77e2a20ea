/**
 * The predictor the app ships for a task, and the feature sets it combines (stacking.ts):
 *
 *   raw counts (z-scored)           ridge on [POI | land use | trips out | trips in]
 *   raw counts, log1p               the same, log1p before z-scoring
 *   raw log1p with its spatial lag  [X | W X] (spatialLag.ts), the SLX model
 *   SREL                            the snapshot ensemble of the run (taskReport's embedding)
 *
 * each with its ridge strength chosen on inner folds, combined with non-negative weights
 * fitted on inner folds of the training regions. The bench scores the same inputs
 * (`shipped: true` on that row), so a split's figures are the app's.
 */
import type { City } from '../city/types';
import { rawFeatures, zScore, type FeatureMatrix } from './features';
import type { Candidate } from './nested';
import { spatialWeights, withSpatialLag } from './spatialLag';
import type { StackInput } from './stacking';
import { withAlphas, type FeatureSet } from './taskReport';

/** The city's raw feature sets the combiner may use (features only: no label is read). */
export interface RawSets {
  plain: FeatureMatrix;
  log1p: FeatureMatrix;
  /** [log1p | its spatial lag], z-scored; null for a city with neither centroids nor trips. */
  lagged: FeatureMatrix | null;
  /** What the lag's W is ("6 nearest regions by centroid"), or null. */
  lag: string | null;
}

export function rawSets(city: City): RawSets {
  const log1p = rawFeatures(city, { log1p: true });
  const w = spatialWeights(city);
  return {
    plain: zScore(rawFeatures(city)),
    log1p: zScore(log1p),
    lagged: w ? zScore(withSpatialLag(log1p, w)) : null,
    lag: w?.description ?? null,
  };
}

const fromMatrix = (m: FeatureMatrix): FeatureSet => ({ data: m.data, d: m.d });

/** The feature sets' names, in the combiner's order (reports show them beside the weights). */
export const SET_LABELS = {
  plain: 'raw counts',
  log1p: 'raw counts, log1p',
  lagged: "raw log1p with neighbours' mean",
  embedding: 'SREL',
} as const;

/** One feature set's inputs: a candidate per ridge strength (TASK_ALPHAS), labelled by set. */
function input(label: string, f: FeatureSet, role?: StackInput['role']): StackInput {
  const candidates: Candidate[] = withAlphas(f).map((c) => ({ ...c, label: `${label}, ${c.label}` }));
  return { label, candidates, ...(role ? { role } : {}) };
}

/**
 * The combiner's inputs: the raw sets, and SREL when there is an embedding (`more`: further
 * sets, such as a multi-seed ensemble, after them).
 */
export function predictorInputs(
  raw: RawSets,
  embedding: FeatureSet | null,
  more: { label: string; features: FeatureSet }[] = [],
): StackInput[] {
  return [
    input(SET_LABELS.plain, fromMatrix(raw.plain), 'raw'),
    input(SET_LABELS.log1p, fromMatrix(raw.log1p)),
    ...(raw.lagged ? [input(SET_LABELS.lagged, fromMatrix(raw.lagged))] : []),
    ...(embedding ? [input(SET_LABELS.embedding, embedding, 'embedding')] : []),
    ...more.map(({ label, features }) => input(label, features)),
  ];
}
