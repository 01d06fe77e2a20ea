/**
 * What the app shows for a task after training: cross-validated metrics of ridge on the
 * region embeddings beside the raw-feature baseline, and one predicted value per region.
 * Labelled regions get their held-out (out-of-fold) prediction, so the map never shows a
 * region predicted by a model that saw its label; regions without a label get the prediction
 * of ridge fitted on every labelled region (they are predicted, not trained on). Given
 * snapshots of the embedding along the training run, every prediction is the mean of ridge on
 * each snapshot (the snapshot ensemble of the benchmark).
 */
import { DEFAULT_PROTOCOL, evaluationRows, foldsForLabels, type EvaluationProtocol } from '../city/protocol';
import { resolveFolds } from './folds';
import { bootstrapSpread, type MetricSpread, type RegressionMetrics } from './metrics';
import type { TaskFolds } from './splits';
import {
  INNER_FOLDS,
  chooseAndPredict,
  nestedCrossValidate,
  type Candidate,
  type RowSumsCache,
  type NestedResult,
} from './nested';

/**
 * Ridge strengths to choose among, on inner folds of each training fold only. On the
 * benchmark (bench:prompt, 3 seeds) this lifted SREL + ridge's 9-cell mean R² from 0.638 at
 * the protocol's fixed alpha 1 to 0.655; the raw-feature baseline gets the same choice.
 */
export const TASK_ALPHAS = [0.01, 0.1, 1, 10, 100];

/** A feature set's ridge candidates, one per strength in TASK_ALPHAS (with its snapshots as members). */
export const withAlphas = (f: FeatureSet): Candidate[] =>
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
    /** The prompt features are LLM vectors of the regions, not the task-attended composition. */
    llmVectors: boolean;
    metrics: ReportedMetrics;
    predicted: Float64Array;
    foldsUsingPrompt: number;
  } | null;
}

export class TaskReportError extends Error {}

/**
 * More candidates to score the task with beside the embedding: the semantic ridge head's
 * (ridge on the embedding beside the task's prompt features, prompt/ridgeHead.ts), built by
 * the caller. Candidates with `usesPrompt` count as folds that used the prompt.
 */
export interface PromptCandidates {
  /** What the prompt features are, for the report. */
  name: string;
  llmVectors: boolean;
  candidates: Candidate[];
}

export interface TaskReportOptions {
  /** How the city's tasks are scored (folds, zero labels); default: DEFAULT_PROTOCOL. */
  protocol?: EvaluationProtocol;
  /**
   * The outer folds of the task's evaluation rows (splits.ts taskFolds: random folds, spatial
   * blocks); default: the protocol's folds. They also choose the candidate that predicts the
   * unlabelled regions; the inner folds within each training fold stay INNER_FOLDS.
   */
  folds?: TaskFolds;
  /**
   * Progress, `done` of `total` work units: an outer fold of the embedding costs one unit per
   * snapshot, a fold of the raw baseline one unit, the fit for unlabelled regions as a fold.
   */
  onProgress?: (done: number, total: number) => void;
  /** With these, also the semantic ridge head, scored on the same folds. */
  prompt?: PromptCandidates;
  /**
   * Gram sums to share with the reports of other tasks on the same features (the same
   * figures, computed once: at 10,000 regions they are most of a report's time).
   */
  cache?: RowSumsCache;
}

export function taskReport(
  task: string,
  values: Float64Array,
  embedding: FeatureSet,
  raw: FeatureSet | null,
  options: TaskReportOptions = {},
): TaskReport {
  const { protocol = DEFAULT_PROTOCOL, onProgress, prompt, cache } = options;
  const n = values.length;
  const rows = evaluationRows(values, task, protocol);
  if (rows.length < 3)
    throw new TaskReportError(
      `task "${task}" has ${rows.length} labelled region${rows.length === 1 ? '' : 's'}; cross-validation needs at least 3`,
    );
  const folds = options.folds
    ? resolveFolds(rows.length, options.folds(rows))
    : foldsForLabels(protocol, rows.length);
  const k = Array.isArray(folds) ? folds.length : folds.k;
  const perFold = embedding.snapshots?.length || 1;
  const labelled = new Set(rows);
  const unlabelled = Array.from({ length: n }, (_, i) => i).filter((i) => !labelled.has(i));
  // A prompt candidate per (weight, alpha) costs a snapshot ensemble per weight: one unit per
  // snapshot and distinct feature matrix.
  const perPromptFold = prompt ? perFold * new Set(prompt.candidates.map((c) => c.features)).size : 0;
  const total =
    (k + (unlabelled.length > 0 ? 1 : 0)) * (perFold + (prompt ? perPromptFold : 0)) + (raw ? k : 0);
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
    const cv = nestedCrossValidate(candidates, values, rows, folds, INNER_FOLDS, step(units), cache);
    const predicted = new Float64Array(n);
    rows.forEach((r, k) => (predicted[r] = cv.predictions[k]));
    if (unlabelled.length > 0) {
      const p = chooseAndPredict(candidates, values, rows, unlabelled, folds, cache).predictions;
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
  const rawCv = raw
    ? nestedCrossValidate(withAlphas(raw), values, rows, folds, INNER_FOLDS, step(1), cache)
    : null;
  let promptReport: TaskReport['prompt'] = null;
  if (prompt) {
    const result = evaluate(prompt.candidates, perPromptFold);
    promptReport = {
      name: prompt.name,
      llmVectors: prompt.llmVectors,
      metrics: metrics(result.cv),
      predicted: result.predicted,
      foldsUsingPrompt: result.cv.picked.filter((c) => c.usesPrompt).length,
    };
  }
  return {
    task,
    embedding: metrics(cv),
    raw: rawCv ? metrics(rawCv) : null,
    predicted,
    heldOut,
    folds: k,
    prompt: promptReport,
  };
}
