/**
 * What the results panel says about a finished run, in words and marks for an analyst: which
 * predictor has the best held-out R² per task, and whether a task's errors cluster in space.
 */
import type { TaskReport } from '../../core/eval/taskReport';
import { moranOf, residualPatternSentence, type ResidualPattern } from '../../core/spatial/moran';

/** The results table's R² columns, in their order. */
export type R2Column = 'combined' | 'srel' | 'counts' | 'prompt';

/** Each column's R² for a task (undefined where the run has no such figure). */
export function r2Of(r: TaskReport): Record<R2Column, number | undefined> {
  return {
    combined: r.combined?.metrics.r2,
    srel: r.embedding.r2,
    counts: r.raw?.r2,
    prompt: r.prompt?.metrics.r2,
  };
}

/**
 * The column with the highest finite R² among those shown, or null when none has one. A tie
 * goes to the first in column order (the combined predictor, what the map shows).
 */
export function bestR2(r: TaskReport, shown: R2Column[]): R2Column | null {
  const values = r2Of(r);
  let best: R2Column | null = null;
  for (const c of shown) {
    const v = values[c];
    if (v === undefined || !Number.isFinite(v)) continue;
    if (best === null || v > (values[best] as number)) best = c;
  }
  return best;
}

/** A task's line about the spatial pattern of its errors, or null where the run has none. */
export function residualPatternLine(
  p: ResidualPattern | null | undefined,
): { sentence: string; weights: string } | null {
  if (!p) return null;
  return {
    sentence: residualPatternSentence(moranOf(p)),
    weights: `Spatial weights: ${p.spatialWeights}; over ${p.regions} held-out labelled regions.`,
  };
}
