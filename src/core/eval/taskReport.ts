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
import { bootstrapSpread, regressionMetrics, type MetricSpread, type RegressionMetrics } from './metrics';
import type { TaskFolds } from './splits';
import type { ResidualPattern } from '../spatial/moran';
import {
  WEIGHT_RULE,
  nestedStack,
  stackAndPredict,
  type StackFit,
  type StackInput,
  type WeightRule,
} from './stacking';
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

/**
 * Ridge strengths for the sets built on the SREL embedding (SREL, SREL + task prompt): the
 * middle three of TASK_ALPHAS.
 *
 * Our choice: cost. Each strength is one factorisation per snapshot, fold and set (a dual
 * system of about 110 x 110 on Riverton: most of the evaluation's CPU), and the ends of the
 * grid were rarely what the inner folds chose for them. On Riverton (3 seeds, mean R² of the
 * combined predictor over its 3 tasks; its 10 folds, 10 other shuffled folds seed 7, 5 spatial
 * blocks seed 1) the shipped combiner gave 0.642, 0.661, 0.540 with TASK_ALPHAS and 0.642,
 * 0.660, 0.540 with these, at 28% less CPU in the combiner; alpha 1 alone gave 0.643, 0.658,
 * 0.529 and {1, 10} 0.643, 0.658, 0.531 (worse on spatial blocks), so both were not taken.
 */
export const EMBEDDING_ALPHAS = [0.1, 1, 10];

/** A feature set's ridge candidates, one per strength in `alphas` (with its snapshots as members). */
export const withAlphas = (f: FeatureSet, alphas: number[] = TASK_ALPHAS): Candidate[] =>
  alphas.map((alpha) => ({
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
  /**
   * Per region: held-out prediction where labelled, else the all-labels fit; clipped at 0. The
   * combined predictor's where the report has one (`combined`), else ridge on the embedding's.
   */
  predicted: Float64Array;
  /**
   * The predictor the app ships (eval/predictor.ts): a weighted average of the feature sets'
   * ridge predictions, weights fitted on inner folds (eval/stacking.ts); its held-out metrics on the
   * same folds, and what it combines in them (the fit on every labelled region predicts the
   * unlabelled regions). Absent in runs saved before it.
   */
  combined?: {
    metrics: ReportedMetrics;
    /**
     * Per feature set: its mean weight over the outer folds' fits (those that gave the
     * held-out figures), the ridge strength they chose most often, and in how many it had weight.
     */
    parts: { label: string; weight: number; alpha: number; folds: number }[];
    /**
     * How the weights were bounded (stacking.ts WEIGHT_RULE). Absent in runs saved before it,
     * whose weights were 0 or more with a free sum (describeWeights reads them so).
     */
    weights?: WeightRule;
  } | null;
  /** Per region: true where `predicted` is a held-out prediction of a labelled region. */
  heldOut: Uint8Array;
  folds: number;
  /**
   * Ridge on the embedding beside the task's prompt features (the semantic ridge head), same
   * folds: its metrics, its predictions (held-out where labelled) and in how many outer folds
   * the prompt was used: where it is one of the combiner's sets, the folds in which it had
   * weight; alone, the folds whose inner folds chose a candidate with the prompt. Null without
   * prompt features (and in runs saved before them).
   */
  prompt?: {
    name: string;
    /** The prompt features are LLM vectors of the regions, not the task-attended composition. */
    llmVectors: boolean;
    metrics: ReportedMetrics;
    predicted: Float64Array;
    foldsUsingPrompt: number;
  } | null;
  /**
   * Spatial autocorrelation of the held-out residuals (`predicted` - label on the labelled
   * regions; spatial/moran.ts): Moran's I, its pseudo p-value and the weights. Set by the
   * pipeline's evaluateTask, which knows the city; null where the city has no spatial weights
   * or too few labelled regions; absent in runs saved before it.
   */
  residualPattern?: ResidualPattern | null;
}

export class TaskReportError extends Error {}

/**
 * What the combiner's outer folds chose, per feature set: the mean weight, the ridge strength
 * chosen most often (the smaller on a tie) and the number of folds that gave it weight.
 */
export function stackParts(
  inputs: StackInput[],
  fits: StackFit[],
): NonNullable<TaskReport['combined']>['parts'] {
  return inputs.map((input, s) => {
    const counts = new Map<number, number>();
    for (const f of fits) {
      const alpha = f.chosen[s].alpha ?? 1;
      counts.set(alpha, (counts.get(alpha) ?? 0) + 1);
    }
    const [alpha] = [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0];
    return {
      label: input.label,
      weight: fits.reduce((a, f) => a + f.weights[s], 0) / fits.length,
      alpha,
      folds: fits.filter((f) => f.weights[s] > 0).length,
    };
  });
}

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
   * The combined predictor's feature sets (eval/predictor.ts predictorInputs): scored on the
   * same folds, and then `predicted` is its.
   */
  combine?: StackInput[];
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
  const { protocol = DEFAULT_PROTOCOL, onProgress, prompt, cache, combine } = options;
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
  const promptAlone = prompt !== undefined && !combine?.some((i) => i.role === 'prompt');
  const perPromptFold = promptAlone ? perFold * new Set(prompt.candidates.map((c) => c.features)).size : 0;
  // The combiner's fold scores every set: a unit per snapshot and distinct matrix.
  const perCombineFold = combine
    ? new Set(combine.flatMap((i) => i.candidates.flatMap((c) => (c.members ?? [c]).map((m) => m.features))))
        .size
    : 0;
  const embeddingAlone = !combine?.some((i) => i.role === 'embedding');
  const rawAlone = raw !== null && !combine?.some((i) => i.role === 'raw');
  const total =
    (k + (unlabelled.length > 0 ? 1 : 0)) *
      ((embeddingAlone ? perFold : 0) + perPromptFold + perCombineFold) +
    (rawAlone ? k : 0);
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
  const metrics = ({
    mae,
    rmse,
    r2,
    n,
    predictions,
  }: Pick<NestedResult, 'mae' | 'rmse' | 'r2' | 'n' | 'predictions'>): ReportedMetrics => ({
    mae,
    rmse,
    r2,
    n,
    spread: bootstrapSpread(truth, predictions),
  });

  const heldOut = new Uint8Array(n);
  for (const r of rows) heldOut[r] = 1;
  // The combined predictor first: its sets' own held-out predictions are the embedding's, the
  // raw baseline's and the prompt's figures (the same as scoring them alone, not twice).
  let combined: TaskReport['combined'] = null;
  let shipped: Float64Array | null = null;
  /** A set's own held-out predictions, by its role in the combiner (null: not in it). */
  let own = (_role: StackInput['role']): Float64Array | null => null;
  /** A set's predictions for every region (held-out where labelled), and its folds with weight. */
  let ownEverywhere = (_role: StackInput['role']): { predicted: Float64Array; folds: number } | null => null;
  if (combine) {
    const stacked = nestedStack(combine, values, rows, folds, INNER_FOLDS, step(perCombineFold), cache);
    shipped = new Float64Array(n);
    rows.forEach((r, k) => (shipped![r] = stacked.predictions[k]));
    // The all-labels fit predicts the unlabelled regions (and, for the prompt's own map, so
    // does the prompt set alone); where every region is labelled it is not needed.
    const withPrompt = combine.some((i) => i.role === 'prompt');
    const all =
      unlabelled.length > 0
        ? stackAndPredict(combine, values, rows, unlabelled, folds, cache, withPrompt)
        : null;
    if (all) {
      unlabelled.forEach((r, k) => (shipped![r] = all.predictions[k]));
      step(perCombineFold)();
    }
    combined = { metrics: metrics(stacked), parts: stackParts(combine, stacked.fits), weights: WEIGHT_RULE };
    own = (role) => {
      const s = combine.findIndex((i) => i.role === role);
      return s >= 0 ? stacked.perSet[s] : null;
    };
    ownEverywhere = (role) => {
      const s = combine.findIndex((i) => i.role === role);
      if (s < 0) return null;
      const everywhere = new Float64Array(n);
      rows.forEach((r, k) => (everywhere[r] = stacked.perSet[s][k]));
      if (all) unlabelled.forEach((r, k) => (everywhere[r] = all.perSet[s]![k]));
      return { predicted: everywhere, folds: stacked.fits.filter((f) => f.weights[s] > 0).length };
    };
  }
  const heldOutMetrics = (p: Float64Array): ReportedMetrics =>
    metrics({ ...regressionMetrics(truth, p), predictions: p });
  const ownEmbedding = own('embedding');
  let embeddingMetrics: ReportedMetrics;
  let predicted: Float64Array;
  if (ownEmbedding && shipped) {
    embeddingMetrics = heldOutMetrics(ownEmbedding);
    predicted = shipped;
  } else {
    const alone = evaluate(withAlphas(embedding, EMBEDDING_ALPHAS), perFold);
    embeddingMetrics = metrics(alone.cv);
    predicted = shipped ?? alone.predicted;
  }
  const ownRaw = raw ? own('raw') : null;
  const rawMetrics = ownRaw
    ? heldOutMetrics(ownRaw)
    : raw
      ? metrics(nestedCrossValidate(withAlphas(raw), values, rows, folds, INNER_FOLDS, step(1), cache))
      : null;
  let promptReport: TaskReport['prompt'] = null;
  const ownPrompt = own('prompt');
  const promptEverywhere = ownEverywhere('prompt');
  if (prompt && ownPrompt && promptEverywhere) {
    // The prompt as one of the combiner's sets: "uses the prompt" where it had weight.
    promptReport = {
      name: prompt.name,
      llmVectors: prompt.llmVectors,
      metrics: heldOutMetrics(ownPrompt),
      predicted: promptEverywhere.predicted,
      foldsUsingPrompt: promptEverywhere.folds,
    };
  } else if (prompt) {
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
    embedding: embeddingMetrics,
    raw: rawMetrics,
    combined,
    predicted,
    heldOut,
    folds: k,
    prompt: promptReport,
  };
}
