/**
 * Scoring a task on a trained embedding, the one way the app, the headless run and the
 * benchmark do it: ridge on the embedding's snapshots beside the raw-feature baseline and the
 * semantic ridge head on the task's prompt features, all on the city's protocol (or a split
 * of the same rows chosen in the context: splits.ts).
 */
import { protocolOf } from '../city/protocol';
import type { City } from '../city/types';
import {
  EMBEDDING_ALPHAS,
  taskReport,
  type FeatureSet,
  type PromptCandidates,
  type TaskReport,
} from '../eval/taskReport';
import { RowSumsCache } from '../eval/nested';
import { predictorInputs, rawSets, type RawSets } from '../eval/predictor';
import { spatialWeights, type SpatialWeights } from '../eval/spatialLag';
import { taskFolds, type SplitSpec } from '../eval/splits';
import { residualPattern } from '../spatial/moran';
import { semanticRidgeCandidates } from '../prompt/ridgeHead';
import type { TaskPromptFeatures } from '../prompt/taskAttention';
import type { Task } from '../tasks/types';
import { promptFeaturesOf } from './inputs';

/**
 * Weights of the prompt block in the semantic ridge head: [E / sE | lambda S / sS].
 *
 * Our choice: lambda 1 only, the head being one of the combiner's sets (which gives it weight
 * 0 where the prompt does not help) rather than scored on its own with lambda in {0, 0.5, 1}
 * (0: ignore the prompt). On Riverton (3 seeds; its 10 folds, 10 other shuffled folds, 5
 * spatial blocks) the combiner went from 0.638, 0.651, 0.512 without the prompt to 0.642,
 * 0.661, 0.540 with it (0.640, 0.658, 0.541 with lambda in {0, 0.5, 1}), the prompt column
 * (the head's own figure) from 0.561, 0.572, 0.427 to 0.569, 0.591, 0.455, and a task's
 * evaluation from about 4.1 to 2.1 s of CPU (a third of the ridge systems of the old head).
 * Riverton's labels are built from its categories, so its prompts help more than the
 * benchmark's (docs/model.md, Prompt4RE); where the inner folds find no help the combiner gives the
 * set no weight, and this choice was made before the benchmark was scored with it.
 */
export const PROMPT_WEIGHTS = [1];

/** The semantic ridge head's candidates: [E | lambda S] for each weight and ridge strength. */
export function promptCandidates(
  embedding: FeatureSet,
  prompt: TaskPromptFeatures,
  /** The prompt block's weights (the app's: PROMPT_WEIGHTS). */
  weights: number[] = PROMPT_WEIGHTS,
): PromptCandidates {
  const n = embedding.data.length / embedding.d;
  return {
    name: prompt.name,
    llmVectors: prompt.llmVectors,
    candidates: semanticRidgeCandidates(
      embedding.data,
      embedding.d,
      prompt.data,
      prompt.t,
      n,
      { weights, alphas: EMBEDDING_ALPHAS },
      embedding.snapshots,
    ),
  };
}

/** What scoring tasks needs besides the embedding; built once per city. */
export interface EvaluationContext {
  city: City;
  /**
   * The raw feature sets the combined predictor uses beside the embedding; the plain one is
   * also the raw-feature baseline (null: the city has no views).
   */
  sets: RawSets | null;
  /** Gram sums of the embedding and raw features on the folds, shared by the city's tasks. */
  cache?: RowSumsCache;
  /** The split the tasks are scored on; absent: the city's protocol (the literature's folds). */
  split?: SplitSpec;
  /**
   * The city's spatial weights (eval/spatialLag.ts), for the raw sets' lag and the residuals'
   * Moran's I; null for a city with neither centroids nor trips (absent: not computed).
   */
  weights?: SpatialWeights | null;
}

export function evaluationContext(city: City, split?: SplitSpec): EvaluationContext {
  const weights = spatialWeights(city);
  const sets = rawSets(city, weights);
  return {
    city,
    weights,
    sets: sets.plain.d > 0 ? sets : null,
    cache: new RowSumsCache(),
    ...(split ? { split } : {}),
  };
}

/**
 * One task's report: held-out metrics and per-region predictions of the combined predictor
 * (raw sets, their spatial lag and the embedding, stacked), ridge on the embedding alone, the
 * raw baseline and the semantic ridge head, on the city's protocol. `prompt` are the
 * task's prompt features (default: the offline task-attended composition; null: no semantic
 * ridge head).
 */
export async function evaluateTask(
  context: EvaluationContext,
  task: Task,
  embedding: FeatureSet,
  options: { prompt?: TaskPromptFeatures | null; onProgress?: (done: number, total: number) => void } = {},
): Promise<TaskReport> {
  const prompt = options.prompt === null ? null : await promptFeaturesOf(context.city, task, options.prompt);
  // The baseline is the combiner's plain raw set (the same matrix: its figures come with it).
  const { sets } = context;
  const raw = sets ? { data: sets.plain.data, d: sets.plain.d } : null;
  const head = prompt ? promptCandidates(embedding, prompt) : null;
  const report = taskReport(task.id, task.labels, embedding, raw, {
    protocol: protocolOf(context.city),
    ...(context.split ? { folds: taskFolds(context.split, context.city) } : {}),
    ...(head ? { prompt: head } : {}),
    ...(sets ? { combine: predictorInputs(sets, embedding, [], head?.candidates ?? null) } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(context.cache ? { cache: context.cache } : {}),
  });
  const weights = context.weights === undefined ? spatialWeights(context.city) : context.weights;
  return {
    ...report,
    residualPattern: weights ? residualPattern(task.labels, report.predicted, report.heldOut, weights) : null,
  };
}
