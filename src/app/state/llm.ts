/**
 * The LLM slice: the web-llm embedding model that task prompts use (and its encoder), and
 * which tasks have LLM vectors as their prompt features.
 */
import type { Encoder } from '../../core/prompt/encoder';
import { apply, type SetState } from './slice';

export interface LlmState {
  /** The web-llm embedding model in use for task prompts; null: the built-in offline encoder. */
  encoderModel: string | null;
  promptEncoder: Encoder | null;
  /** Names of the LLM vectors in use, by `${vectorsId}:${taskId}` (see llm/controller.ts). */
  taskVectors: Record<string, string>;
}

export interface LlmActions {
  /** A web-llm encoder loaded (or none: back to the offline encoder). */
  setPromptEncoder: (model: { id: string; encoder: Encoder } | null) => void;
  /** What the saved data says of a task's LLM vectors: their name, or none. */
  taskVectorsFound: (key: string, name: string | null) => void;
}

export type LlmSlice = LlmState & LlmActions;

export const initialLlm: LlmState = { encoderModel: null, promptEncoder: null, taskVectors: {} };

export const promptEncoderSet = (model: { id: string; encoder: Encoder } | null): Partial<LlmState> => ({
  encoderModel: model?.id ?? null,
  promptEncoder: model?.encoder ?? null,
});

/** A task's LLM vectors by name, or none; unchanged when already known. */
export function taskVectorsFound(
  s: Pick<LlmState, 'taskVectors'>,
  key: string,
  name: string | null,
): Partial<LlmState> {
  if ((s.taskVectors[key] ?? null) === name) return {};
  const taskVectors = { ...s.taskVectors };
  if (name === null) delete taskVectors[key];
  else taskVectors[key] = name;
  return { taskVectors };
}

export function llmSlice(set: SetState<LlmSlice>): LlmSlice {
  return {
    ...initialLlm,
    setPromptEncoder: (model) => apply(set, () => promptEncoderSet(model)),
    taskVectorsFound: (key, name) => apply(set, (s) => taskVectorsFound(s, key, name)),
  };
}
