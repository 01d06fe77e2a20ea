/**
 * Scoring a task on a trained embedding, the one way the app, the headless run and the
 * benchmark do it: ridge on the embedding's snapshots beside the raw-feature baseline and the
 * semantic ridge head on the task's prompt features, all on the city's protocol (or a split
 * of the same rows chosen in the context: splits.ts).
 */
import { protocolOf } from '../city/protocol';
import type { City } from '../city/types';
import {
  TASK_ALPHAS,
  taskReport,
  type FeatureSet,
  type PromptCandidates,
  type TaskReport,
} from '../eval/taskReport';
import { RowSumsCache } from '../eval/nested';
import { predictorInputs, rawSets, type RawSets } from '../eval/predictor';
import { taskFolds, type SplitSpec } from '../eval/splits';
import { semanticRidgeCandidates } from '../prompt/ridgeHead';
import type { TaskPromptFeatures } from '../prompt/taskAttention';
import type { Task } from '../tasks/types';
import { promptFeaturesOf } from './inputs';

/** Weights of the prompt block the semantic ridge head chooses among (0: ignore it). */
export const PROMPT_WEIGHTS = [0, 0.5, 1];

/** The semantic ridge head's candidates: [E | lambda S] for each weight and ridge strength. */
export function promptCandidates(embedding: FeatureSet, prompt: TaskPromptFeatures): PromptCandidates {
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
      { weights: PROMPT_WEIGHTS, alphas: TASK_ALPHAS },
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
}

export function evaluationContext(city: City, split?: SplitSpec): EvaluationContext {
  const sets = rawSets(city);
  return {
    city,
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
  return taskReport(task.id, task.labels, embedding, raw, {
    protocol: protocolOf(context.city),
    ...(context.split ? { folds: taskFolds(context.split, context.city) } : {}),
    ...(prompt ? { prompt: promptCandidates(embedding, prompt) } : {}),
    ...(sets ? { combine: predictorInputs(sets, embedding) } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(context.cache ? { cache: context.cache } : {}),
  });
}
