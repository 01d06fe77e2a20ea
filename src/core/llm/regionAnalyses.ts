/**
 * Per-region task analyses written by a chat model (method.md, Prompt4RE step 2: "chat model
 * writes or completes the task analysis; embedding model encodes it"). Each region's filled
 * template (promptBuilder.buildPrompt) is sent to the model, which answers in the template's
 * output structure; the answer, with the prompt's facts, is what the embedding model encodes.
 *
 * The run is resumable: its state holds one answer per region (null until written) and is
 * handed back after every batch, so the app can save it and a paused, failed or reloaded run
 * goes on from the first region without an answer. Nothing here imports web-llm: the caller
 * passes `generate`, the one call to the model.
 */
import type { TaskPromptFeatures } from '../prompt/taskAttention';
import type { SemanticVectors } from '../prompt/encoder';
import { hashString } from '../prompt/offlineEncoder';
import type { ChatMessage } from './templateGeneration';

/** Analyses longer than this are cut at the last sentence end before it. */
export const ANALYSIS_MAX_CHARS = 900;
/** Regions written between two saves of the state. */
export const ANALYSIS_BATCH = 8;
/**
 * Texts given to the embedding model are cut to this many characters: web-llm's embedding
 * models refuse inputs over their context window (512 tokens for snowflake-arctic-embed, about
 * 3 to 4 characters a token in these prompts), and a prompt with its analysis is about 1,700.
 */
export const EMBEDDING_TEXT_MAX_CHARS = 1800;

export interface RegionAnalysisState {
  /** City, task, model and prompts this run belongs to (analysisRunKey): never mix two runs. */
  runKey: string;
  model: string;
  /** One per region, in row order: the analysis, '' when the model's answer was unusable, null until written. */
  analyses: (string | null)[];
  /** Why a region's answer was unusable, by region row. */
  skipped: Record<number, string>;
}

/** Identifies a run: the same city, task, model and prompts give the same key. */
export function analysisRunKey(cityKey: string, taskId: string, model: string, prompts: string[]): string {
  const digest = hashString(prompts.join('\u0000')).toString(36);
  return `${cityKey}|${taskId}|${model}|${prompts.length}|${digest}`;
}

/** A fresh run, or `saved` when it belongs to the same run (so it resumes). */
export function startAnalysisRun(
  runKey: string,
  model: string,
  n: number,
  saved: RegionAnalysisState | null | undefined,
): RegionAnalysisState {
  if (saved && saved.runKey === runKey && saved.analyses.length === n) return saved;
  return { runKey, model, analyses: new Array<string | null>(n).fill(null), skipped: {} };
}

/** Regions with an answer written (usable or not), of all regions. */
export function analysesDone(state: RegionAnalysisState): number {
  return state.analyses.filter((a) => a !== null).length;
}

/** The messages asking for one region's analysis: the filled template is the request. */
export function analysisRequestMessages(prompt: string): ChatMessage[] {
  return [
    {
      role: 'system',
      content:
        'You are an urban analyst. Answer the request about one region of a city in plain text, ' +
        'at most 120 words, following the structure it asks for. Use only the facts given; do not ' +
        'invent names or numbers.',
    },
    { role: 'user', content: prompt },
  ];
}

/** The usable analysis in a model's answer, or why there is none. */
export function cleanAnalysis(answer: string): { text: string } | { error: string } {
  let text = answer.replace(/<think>[\s\S]*?<\/think>/gi, ' ');
  text = text.replace(/```[a-z]*\n?/gi, ' ');
  text = text.replace(/\s+/g, ' ').trim();
  if (!text) return { error: 'the model wrote nothing' };
  if (text.length < 20) return { error: `the answer is too short to be an analysis ("${text}")` };
  if (text.length > ANALYSIS_MAX_CHARS) {
    const head = text.slice(0, ANALYSIS_MAX_CHARS);
    const end = Math.max(head.lastIndexOf('. '), head.lastIndexOf('.'));
    text = end > ANALYSIS_MAX_CHARS / 2 ? head.slice(0, end + 1) : head;
  }
  return { text };
}

export type AnalysisOutcome =
  | { status: 'done' }
  | { status: 'paused' }
  /** The model failed on `region` (a row); every region before it keeps its answer. */
  | { status: 'failed'; region: number; message: string };

export interface AnalysisRunOptions {
  /** Aborting pauses the run before the next region. */
  signal?: AbortSignal;
  batchSize?: number;
  /** After every batch and when the run stops: save the state. */
  onBatch?: (state: RegionAnalysisState, done: number, total: number) => void | Promise<void>;
  /** After every region: regions with an answer, of all. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Write the missing analyses of `state` in row order, in batches. An unusable answer is
 * recorded as skipped (that region is encoded from its prompt alone); an error from the model
 * stops the run with the region it failed on, keeping every answer written before it.
 */
export async function writeRegionAnalyses(
  prompts: string[],
  state: RegionAnalysisState,
  generate: (messages: ChatMessage[]) => Promise<string>,
  options: AnalysisRunOptions = {},
): Promise<AnalysisOutcome> {
  if (prompts.length !== state.analyses.length)
    throw new Error(`${prompts.length} prompts for a run of ${state.analyses.length} regions`);
  const batch = Math.max(1, options.batchSize ?? ANALYSIS_BATCH);
  const total = prompts.length;
  let sinceSave = 0;
  const save = async (): Promise<void> => {
    sinceSave = 0;
    await options.onBatch?.(state, analysesDone(state), total);
  };
  for (let i = 0; i < total; i++) {
    if (state.analyses[i] !== null) continue;
    if (options.signal?.aborted) {
      await save();
      return { status: 'paused' };
    }
    let answer: string;
    try {
      answer = await generate(analysisRequestMessages(prompts[i]));
    } catch (e) {
      await save();
      return { status: 'failed', region: i, message: e instanceof Error ? e.message : String(e) };
    }
    const cleaned = cleanAnalysis(answer);
    if ('error' in cleaned) {
      state.analyses[i] = '';
      state.skipped[i] = cleaned.error;
    } else state.analyses[i] = cleaned.text;
    options.onProgress?.(analysesDone(state), total);
    if (++sinceSave >= batch) await save();
  }
  await save();
  return { status: 'done' };
}

/**
 * The text the embedding model encodes for each region: its analysis first (the part that is
 * about the task), then the prompt's facts; cut to `maxChars` so it fits the model's context.
 * Regions without a usable analysis give their prompt alone.
 */
export function textsToEncode(
  prompts: string[],
  analyses: readonly (string | null)[] | null,
  maxChars = EMBEDDING_TEXT_MAX_CHARS,
): string[] {
  return prompts.map((prompt, i) => {
    const analysis = analyses?.[i];
    const text = analysis ? `Analysis: ${analysis}\n\n${prompt}` : prompt;
    return text.length > maxChars ? text.slice(0, maxChars) : text;
  });
}

/**
 * Encoded region texts as a task's prompt features (taskReport's `prompt`): the N x T vectors
 * as they are; the semantic ridge head takes their principal-component scores and scales the
 * block itself (ridgeHead.ts). Null when they are not one vector per region of this city.
 */
export function promptFeaturesFromVectors(
  vectors: SemanticVectors,
  name: string,
  regions: number,
): TaskPromptFeatures | null {
  if (vectors.n !== regions || vectors.dimension === 0 || vectors.data.length !== regions * vectors.dimension)
    return null;
  return { data: Float64Array.from(vectors.data), t: vectors.dimension, name, llmVectors: true };
}
