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
