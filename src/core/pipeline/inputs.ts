/**
 * What the model and the evaluation need from a City, built where the job runs (in the
 * training worker, in Node), never on the page: SREL's N x N inputs and each task's prompt
 * features (the raw feature sets the evaluation uses: eval/predictor.ts). On Metropolis (2,000 regions) building them took 8.5 to
 * 15 s; in the page that froze the map.
 */
import type { City } from '../city/types';
import type { FeatureSet } from '../eval/taskReport';
import { taskPromptFeatures, type TaskPromptFeatures } from '../prompt/taskAttention';
import type { SrelConfig } from '../srel/config';
import { srelInputs, type SrelInputs } from '../srel/inputs';
import type { SparseOptions } from '../srel/inputTypes';
import { DENSE_UP_TO, sparseSrelInputs } from '../srel/sparseInputs';
import { buildSpatialPriors } from '../spatial/priors';
import type { TaskText } from '../tasks/types';

/**
 * SREL's inputs for the city, with the spatial priors its data allows: N x N for cities of up
 * to DENSE_UP_TO regions (the benchmark cities, Riverton), neighbourhoods and sampled pairs
 * above (no N x N array is built), or sparse with `sparse`'s settings at any size.
 */
export function srelInputsOf(
  city: City,
  config: Partial<SrelConfig> = {},
  sparse?: Partial<SparseOptions>,
): SrelInputs {
  const countFeatures = config.countFeatures ? { countFeatures: config.countFeatures } : {};
  if (sparse || city.regions.length > DENSE_UP_TO)
    return sparseSrelInputs(city, {
      ...countFeatures,
      seed: config.seed ?? 0,
      ...(sparse ? { sparse } : {}),
    });
  return srelInputs(city, buildSpatialPriors(city), countFeatures);
}

/** The task's prompt features: those given (LLM vectors), else the offline task-attended composition. */
export async function promptFeaturesOf(
  city: City,
  task: TaskText,
  given: TaskPromptFeatures | undefined,
): Promise<TaskPromptFeatures> {
  return given ?? taskPromptFeatures(city, task);
}

/** The embedding as the evaluation reads it: float64 copies of the embedding and its snapshots. */
export function embeddingFeatures(
  embedding: Float32Array,
  d: number,
  snapshots?: Float32Array[],
): FeatureSet {
  return {
    data: Float64Array.from(embedding),
    d,
    ...(snapshots ? { snapshots: snapshots.map((x) => Float64Array.from(x)) } : {}),
  };
}
