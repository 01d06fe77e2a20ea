import type { WeightRule } from './stacking';

/**
 * The combined predictor's feature sets by name (predictor.ts), in the combiner's order; its
 * own module so that the app's results table can tell them apart without loading the model code.
 */
export const SET_LABELS = {
  plain: 'raw counts',
  /** Only where the city has no lag (neither centroids nor trips): in the lagged set's place. */
  log1p: 'raw counts, log1p, log target',
  lagged: "raw log1p with neighbours' mean, log target",
  embedding: 'SREL',
  prompt: 'SREL + task prompt',
} as const;

/**
 * How the combiner's weights were bounded, in words (stacking.ts WeightRule). Undefined is a run
 * saved before the rule was recorded: its weights were 'non-negative', not an average.
 */
export function describeWeights(rule: WeightRule | undefined): string {
  return rule === 'convex' ? 'weights of 0 or more that sum to 1' : 'weights of 0 or more (their sum free)';
}
