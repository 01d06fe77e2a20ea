/**
 * What the app shows for a task after training: cross-validated metrics of ridge on the
 * region embeddings beside the raw-feature baseline, and one predicted value per region.
 * Labelled regions get their held-out (out-of-fold) prediction, so the map never shows a
 * region predicted by a model that saw its label; regions without a label get the prediction
 * of ridge fitted on every labelled region (they are predicted, not trained on). Given
 * snapshots of the embedding along the training run, every prediction is the mean of ridge on
 * each snapshot (the snapshot ensemble of the benchmark).
 */
import { semanticRidgeCandidates, usesSemanticVectors } from '../prompt/ridgeHead';
import { evaluationRows } from './crossValidate';
import { foldsFor, type KFoldOptions } from './folds';
import { bootstrapSpread, type MetricSpread, type RegressionMetrics } from './metrics';
import {
  INNER_FOLDS,
  chooseAndPredict,
  nestedCrossValidate,
  type Candidate,
  type NestedResult,
} from './nested';

/**
 * Ridge strengths to choose among, on inner folds of each training fold only. On the
 * benchmark (bench:prompt, 3 seeds) this lifted SREL + ridge's 9-cell mean R² from 0.638 at
 * the protocol's fixed alpha 1 to 0.655; the raw-feature baseline gets the same choice.
 */
export const TASK_ALPHAS = [0.01, 0.1, 1, 10, 100];

const withAlphas = (f: FeatureSet): Candidate[] =>
  TASK_ALPHAS.map((alpha) => ({
    label: `alpha ${alpha}`,
    features: f.data,
    d: f.d,
    alpha,
    members: f.snapshots?.map((features) => ({ features, d: f.d })),
  }));

export interface FeatureSet {
  data: Float64Array; // N x d
  d: number;
  /** Embeddings at evenly spaced epochs of the run (N x d each), for a snapshot ensemble. */
  snapshots?: Float64Array[];
}

/** Pooled held-out metrics and their bootstrap spread over regions (absent in older saved runs). */
export interface ReportedMetrics extends RegressionMetrics {
  spread?: MetricSpread;
}

export interface TaskReport {
  task: string;
  /** Ridge on the embeddings (alpha chosen on inner folds): pooled held-out metrics. */
  embedding: ReportedMetrics;
  /** Ridge on the raw features, same folds. */
  raw: ReportedMetrics | null;
  /** Per region: held-out prediction where labelled, else the all-labels fit; clipped at 0. */
  predicted: Float64Array;
  /** Per region: true where `predicted` is a held-out prediction of a labelled region. */
  heldOut: Uint8Array;
  folds: number;
  /**
   * The semantic ridge head on the task's prompt features, same folds: its metrics, its
   * predictions (held-out where labelled) and in how many outer folds the inner folds chose
   * to use the prompt at all. Null without prompt features (and in runs saved before them).
   */
  prompt?: {
    name: string;
    metrics: ReportedMetrics;
    predicted: Float64Array;
    foldsUsingPrompt: number;
  } | null;
}

export class TaskReportError extends Error {}

/** Fold settings for a task with `labelled` regions: the city's own, fewer folds when labels are scarce. */
export function foldsForLabels(cityKey: string, labelled: number): KFoldOptions {
  const folds = foldsFor(cityKey);
  return { ...folds, k: Math.min(folds.k, labelled) };
}

/** Task-specific features from the task's text (e.g. the task-attended composition), N x t. */
export interface TaskPromptFeatures {
  data: Float64Array;
  t: number;
  /** What they are, for the report, e.g. "task-attended composition (offline encoder)". */
  name: string;
}

export interface TaskReportOptions {
  /** Benchmark city key ('chicago', ...) for its folds, or '' for the protocol's defaults. */
  cityKey?: string;
  /**
   * Progress, `done` of `total` work units: an outer fold of the embedding costs one unit per
   * snapshot, a fold of the raw baseline one unit, the fit for unlabelled regions as a fold.
   */
  onProgress?: (done: number, total: number) => void;
  /** With these, also the semantic ridge head: [E | lambda S], lambda and alpha on inner folds. */
  prompt?: TaskPromptFeatures;
}

/** Weights of the prompt block the semantic ridge head chooses among (0: ignore it). */
export const PROMPT_WEIGHTS = [0, 0.5, 1];

export function taskReport(
  task: string,
  values: Float64Array,
  embedding: FeatureSet,
  raw: FeatureSet | null,
  options: TaskReportOptions = {},
): TaskReport {
  const { cityKey = '', onProgress, prompt } = options;
  const n = values.length;
  const rows = evaluationRows(values, task, cityKey);
  if (rows.length < 3)
    throw new TaskReportError(
      `task "${task}" has ${rows.length} labelled region${rows.length === 1 ? '' : 's'}; cross-validation needs at least 3`,
    );
  const folds = foldsForLabels(cityKey, rows.length);
  const perFold = embedding.snapshots?.length || 1;
  const labelled = new Set(rows);
  const unlabelled = Array.from({ length: n }, (_, i) => i).filter((i) => !labelled.has(i));
  const promptCandidates = prompt
    ? semanticRidgeCandidates(
        embedding.data,
        embedding.d,
        prompt.data,
        prompt.t,
        n,
        { weights: PROMPT_WEIGHTS, alphas: TASK_ALPHAS },
        embedding.snapshots,
      )
    : null;
  const perPromptFold = perFold * PROMPT_WEIGHTS.length;
  const total =
    (folds.k + (unlabelled.length > 0 ? 1 : 0)) * (perFold + (prompt ? perPromptFold : 0)) +
    (raw ? folds.k : 0);
  let done = 0;
  const step = (units: number) => (): void => {
    done += units;
    onProgress?.(done, total);
  };
  /** Nested CV over the labelled rows, and a prediction for every region (held-out where labelled). */
  const evaluate = (
    candidates: Candidate[],
    units: number,
  ): { cv: NestedResult; predicted: Float64Array } => {
    const cv = nestedCrossValidate(candidates, values, rows, folds, INNER_FOLDS, step(units));
    const predicted = new Float64Array(n);
    rows.forEach((r, k) => (predicted[r] = cv.predictions[k]));
    if (unlabelled.length > 0) {
      const p = chooseAndPredict(candidates, values, rows, unlabelled, folds).predictions;
      unlabelled.forEach((r, k) => (predicted[r] = p[k]));
      step(units)();
    }
    return { cv, predicted };
  };
  const truth = Float64Array.from(rows, (r) => values[r]);
  const metrics = ({ mae, rmse, r2, n, predictions }: NestedResult): ReportedMetrics => ({
    mae,
    rmse,
    r2,
    n,
    spread: bootstrapSpread(truth, predictions),
  });

  const { cv, predicted } = evaluate(withAlphas(embedding), perFold);
  const heldOut = new Uint8Array(n);
  for (const r of rows) heldOut[r] = 1;
  const rawCv = raw ? nestedCrossValidate(withAlphas(raw), values, rows, folds, INNER_FOLDS, step(1)) : null;
  let promptReport: TaskReport['prompt'] = null;
  if (prompt && promptCandidates) {
    const result = evaluate(promptCandidates, perPromptFold);
    promptReport = {
      name: prompt.name,
      metrics: metrics(result.cv),
      predicted: result.predicted,
      foldsUsingPrompt: result.cv.chosen.filter(usesSemanticVectors).length,
    };
  }
  return {
    task,
    embedding: metrics(cv),
    raw: rawCv ? metrics(rawCv) : null,
    predicted,
    heldOut,
    folds: folds.k,
    prompt: promptReport,
  };
}
