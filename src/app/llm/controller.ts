/**
 * Which encoder task prompts use (the built-in offline one, or a loaded web-llm embedding
 * model) and the LLM vectors saved for a city's tasks: together they give a task's prompt
 * features where the page has to make them (the worker makes every other task's itself).
 */
import type { City } from '../../core/city/types';
import { promptFeaturesFromVectors } from '../../core/llm/regionAnalyses';
import { explainLlmError } from '../../core/llm/models';
import type { Encoder } from '../../core/prompt/encoder';
import { taskPromptFeatures, type TaskPromptFeatures } from '../../core/prompt/taskAttention';
import type { TaskText } from '../../core/tasks/types';
import { loadTaskVectors, saveTaskVectors, type SavedTaskVectors } from '../session/persistence';
import { savedIdOfLoaded, type LoadedCity } from '../state/city';
import type { AppStore } from '../state/store';
import { loadModel, webLlmEncoder, type LoadProgress } from './webllm';

/**
 * The id a city's LLM vectors are saved under: its savedId, or for a city that is not saved,
 * this load's id (its vectors last as long as the load).
 */
export const vectorsIdOf = (loaded: LoadedCity): string => savedIdOfLoaded(loaded) ?? loaded.loadId;

/** The key of a task's LLM vectors in the llm slice's `taskVectors`. */
export const taskVectorsKey = (vectorsId: string, taskId: string): string => `${vectorsId}:${taskId}`;

export interface LlmController {
  /** Load a web-llm embedding model and make it the prompt encoder; null switches back to offline. */
  selectPromptEncoder(modelId: string | null, onProgress: (p: LoadProgress) => void): Promise<Encoder | null>;
  /** The LLM vectors saved for a task of a city, or null (the llm slice learns which). */
  taskVectorsFor(vectorsId: string, taskId: string): Promise<SavedTaskVectors | null>;
  /** Make `entry` the task's prompt features (the "R² + prompt" column); null goes back to the default. */
  setTaskVectors(vectorsId: string, taskId: string, entry: SavedTaskVectors | null): Promise<void>;
  /**
   * A task's prompt features for the semantic ridge head, where the page has to make them: the
   * LLM vectors made for it (region prompts or analyses encoded by a web-llm embedding model,
   * see RegionAnalyses) where there are some for this city, else the task-attended composition
   * with a loaded web-llm embedding model. Undefined otherwise (and when the web-llm encoder
   * fails, saying why): the worker then builds the composition with the offline encoder.
   */
  promptFeaturesFor(
    city: City,
    task: TaskText,
    vectorsId: string,
    onFallback?: (message: string) => void,
  ): Promise<TaskPromptFeatures | undefined>;
}

export function llmController(store: AppStore): LlmController {
  const taskVectorsFor = async (vectorsId: string, taskId: string): Promise<SavedTaskVectors | null> => {
    const saved = await loadTaskVectors(vectorsId, taskId);
    store.getState().taskVectorsFound(taskVectorsKey(vectorsId, taskId), saved?.name ?? null);
    return saved;
  };
  return {
    async selectPromptEncoder(modelId, onProgress) {
      store.getState().setPromptEncoder(null);
      if (!modelId) return null;
      const encoder = webLlmEncoder(await loadModel(modelId, onProgress), modelId);
      store.getState().setPromptEncoder({ id: modelId, encoder });
      return encoder;
    },
    taskVectorsFor,
    async setTaskVectors(vectorsId, taskId, entry) {
      await saveTaskVectors(vectorsId, taskId, entry);
      await taskVectorsFor(vectorsId, taskId);
    },
    async promptFeaturesFor(city, task, vectorsId, onFallback = () => {}) {
      const saved = await taskVectorsFor(vectorsId, task.id);
      const fromVectors = saved && promptFeaturesFromVectors(saved.vectors, saved.name, city.regions.length);
      if (fromVectors) return fromVectors;
      const encoder = store.getState().promptEncoder;
      if (encoder)
        try {
          return await taskPromptFeatures(city, task, encoder);
        } catch (e) {
          onFallback(explainLlmError(e instanceof Error ? e.message : String(e)));
        }
      return undefined;
    },
  };
}
