/**
 * The predictor the app ships for a task, and the feature sets it combines (stacking.ts):
 *
 *   raw counts (z-scored)           ridge on [POI | land use | trips out | trips in]
 *   raw log1p with its spatial lag  [X | W X] (spatialLag.ts), X the counts after log1p: the
 *                                   SLX model, fitted to log(1 + y) and brought back to
 *                                   counts (stacking.ts)
 *   SREL                            the snapshot ensemble of the run (taskReport's embedding)
 *
 * each with its ridge strength chosen on inner folds, averaged with weights (>= 0, summing to
 * 1: stacking.ts WEIGHT_RULE) fitted on inner folds of the training regions. The bench scores
 * the same inputs (`shipped: true` on that row), so a split's figures are the app's.
 *
 * Our choice: the SLX set predicts the log of the count (a log-log model: counts are skewed,
 * and on the log scale the effects of neighbours and of the mix of POIs may multiply), and the raw log1p set on the
 * counts is left out. On Riverton (3 seeds, mean R² of its 3 tasks; its 10 folds, 10 other
 * shuffled folds, 5 spatial blocks) the combiner went from 0.624, 0.634, 0.469 (stop 26: raw,
 * log1p, SLX and SREL, all on the counts) to 0.638, 0.651, 0.512. Keeping the log1p set beside
 * it gave 0.637, 0.649, 0.503; the log-target SLX as a fifth set beside the plain one 0.631,
 * 0.647, 0.500; a log target for SREL as well 0.633, 0.647, 0.491 (more sets, noisier weights).
 * On Metropolis (raw sets only, no SREL run) the log target lifted the raw stack from 0.851,
 * 0.850, 0.801 to 0.882, 0.885, 0.862, with or without the log1p set.
 */
import type { City } from '../city/types';
import { rawFeatures, tripRankOf, tripSvd, zScore, type FeatureMatrix } from './features';
import type { Candidate } from './nested';
import { spatialWeights, withSpatialLag, type SpatialWeights } from './spatialLag';
import { SET_LABELS } from './setLabels';
import type { StackInput } from './stacking';
import { EMBEDDING_ALPHAS, TASK_ALPHAS, withAlphas, type FeatureSet } from './taskReport';

/** The city's raw feature sets the combiner may use (features only: no label is read). */
export interface RawSets {
  plain: FeatureMatrix;
  log1p: FeatureMatrix;
  /** [log1p | its spatial lag], z-scored; null for a city with neither centroids nor trips. */
  lagged: FeatureMatrix | null;
  /** What the lag's W is ("6 nearest regions by centroid"), or null. */
  lag: string | null;
}

/** `w`: the city's spatial weights when the caller has them already (default: spatialWeights). */
export function rawSets(city: City, w: SpatialWeights | null = spatialWeights(city)): RawSets {
  // Both transforms use the singular vectors of log1p(trips): computed once (0.7 s at 5,000 regions).
  const rank = tripRankOf(city);
  const { trips } = city.views;
  const shared = trips && rank !== null ? { tripSvd: tripSvd(trips, rank) } : {};
  const log1p = rawFeatures(city, { log1p: true, ...shared });
  return {
    plain: zScore(rawFeatures(city, shared)),
    log1p: zScore(log1p),
    lagged: w ? zScore(withSpatialLag(log1p, w)) : null,
    lag: w?.description ?? null,
  };
}

const fromMatrix = (m: FeatureMatrix): FeatureSet => ({ data: m.data, d: m.d });

export { SET_LABELS } from './setLabels';

/**
 * One feature set's inputs: a candidate per ridge strength (TASK_ALPHAS, or EMBEDDING_ALPHAS
 * for a set on the SREL embedding), labelled by set.
 */
export function setInput(
  label: string,
  f: FeatureSet,
  more: Pick<StackInput, 'role' | 'target'> = {},
  alphas: number[] = TASK_ALPHAS,
): StackInput {
  const candidates: Candidate[] = withAlphas(f, alphas).map((c) => ({ ...c, label: `${label}, ${c.label}` }));
  return { label, candidates, ...more };
}

/**
 * The combiner's inputs: the raw sets, SREL when there is an embedding, and SREL beside the
 * task's prompt features when the task has them (`prompt`: the semantic ridge head's
 * candidates, pipeline/evaluate.ts promptCandidates); `more`: further sets, such as a
 * multi-seed ensemble, after them.
 */
export function predictorInputs(
  raw: RawSets,
  embedding: FeatureSet | null,
  more: { label: string; features: FeatureSet }[] = [],
  prompt: Candidate[] | null = null,
): StackInput[] {
  return [
    setInput(SET_LABELS.plain, fromMatrix(raw.plain), { role: 'raw' }),
    raw.lagged
      ? setInput(SET_LABELS.lagged, fromMatrix(raw.lagged), { target: 'log1p' })
      : setInput(SET_LABELS.log1p, fromMatrix(raw.log1p), { target: 'log1p' }),
    ...(embedding
      ? [setInput(SET_LABELS.embedding, embedding, { role: 'embedding' }, EMBEDDING_ALPHAS)]
      : []),
    ...(prompt ? [{ label: SET_LABELS.prompt, candidates: prompt, role: 'prompt' as const }] : []),
    ...more.map(({ label, features }) => setInput(label, features, {}, EMBEDDING_ALPHAS)),
  ];
}
