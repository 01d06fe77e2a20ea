/**
 * The session survives a reload: IndexedDB (through idb-keyval) keeps where the current city
 * came from (a catalog key, or the user's own files as bytes), the map and training settings,
 * each city's custom tasks, and each city's last finished training run (embeddings, task
 * reports, model, loss history).
 * A run interrupted by a reload is remembered, so the app can offer to restart it.
 * "Clear saved data" removes all of it.
 */
import type { RegionAnalysisState } from '../../core/llm/regionAnalyses';
import type { SemanticVectors } from '../../core/prompt/encoder';
import type { TaskTemplate } from '../../core/tasks/types';
import { clear, del, get, set } from 'idb-keyval';
import type { PropertyRole } from '../../core/city/geojson';
import type { EpochReport } from '../../core/srel/train';
import type { TrainedResult } from '../../core/pipeline/types';
import type { Settings, TrainSettings } from '../state/store';

const VERSION = 1;

/** Where a city came from, enough to load it again. */
export type CitySource =
  | { kind: 'entry'; key: string }
  | { kind: 'files'; files: { name: string; bytes: Uint8Array }[] }
  | { kind: 'mapped'; fileName: string; bytes: Uint8Array; roles: Record<string, PropertyRole> };

export interface SavedSession {
  version: number;
  city: CitySource | null;
  valueId: string;
  settings: Settings;
  trainSettings: TrainSettings;
}

export interface SavedRun {
  result: TrainedResult;
  history: EpochReport[];
  settings: TrainSettings;
  /** How the model started (from scratch, or from which saved model). */
  startedFrom?: string;
  finishedAt: string;
}

export interface InterruptedRun {
  cityId: string;
  settings: TrainSettings;
  epochsDone: number;
  epochs: number;
}

/** A stable id for a city source: the catalog key, or the files' names and sizes. */
export function cityIdOf(source: CitySource): string {
  if (source.kind === 'entry') return source.key;
  if (source.kind === 'mapped') return `mapped:${source.fileName}:${source.bytes.length}`;
  return `files:${source.files.map((f) => `${f.name}:${f.bytes.length}`).join('|')}`;
}

let warned = false;

/** IndexedDB can be missing or refused (private windows, quota): saving is best effort. */
async function attempt<T>(what: () => Promise<T>, fallback: T): Promise<T> {
  try {
    return await what();
  } catch (e) {
    if (!warned)
      console.warn('ToPT Studio: saved data unavailable, the session will not survive a reload:', e);
    warned = true;
    return fallback;
  }
}

export const loadSession = (): Promise<SavedSession | null> =>
  attempt(async () => {
    const s = await get<SavedSession>('session');
    return s && s.version === VERSION ? s : null;
  }, null);

export const saveSession = (session: Omit<SavedSession, 'version'>): Promise<void> =>
  attempt(() => set('session', { ...session, version: VERSION }), undefined);

export const loadRun = (cityId: string): Promise<SavedRun | null> =>
  attempt(async () => {
    const run = await get<SavedRun>(`run:${cityId}`);
    return run ? withPromptSources(run) : null;
  }, null);

/**
 * Runs saved before task reports said whether their prompt features were LLM vectors: only
 * the task-attended composition was ever named "task-attended composition (...)".
 */
function withPromptSources(run: SavedRun): SavedRun {
  const reports = run.result.reports.map((r) =>
    r.prompt && r.prompt.llmVectors === undefined
      ? { ...r, prompt: { ...r.prompt, llmVectors: !r.prompt.name.startsWith('task-attended composition') } }
      : r,
  );
  return { ...run, result: { ...run.result, reports } };
}

/** Resolves true once the run is stored (false when the browser refused). */
export const saveRun = (cityId: string, run: SavedRun): Promise<boolean> =>
  attempt(async () => {
    await set(`run:${cityId}`, run);
    return true;
  }, false);

export const loadInterrupted = (): Promise<InterruptedRun | null> =>
  attempt(async () => (await get<InterruptedRun>('interrupted')) ?? null, null);

export const saveInterrupted = (run: InterruptedRun | null): Promise<void> =>
  attempt(() => (run ? set('interrupted', run) : del('interrupted')), undefined);

/** A custom task the user added to a city (restored with the city). */
export interface SavedTask {
  id: string;
  name: string;
  description: string;
  values: Float64Array;
  /** Written by the in-browser LLM, where it was used. */
  template?: TaskTemplate;
}

export const loadTasks = (cityId: string): Promise<SavedTask[]> =>
  attempt(async () => (await get<SavedTask[]>(`tasks:${cityId}`)) ?? [], []);

export const saveTasks = (cityId: string, tasks: SavedTask[]): Promise<void> =>
  attempt(() => set(`tasks:${cityId}`, tasks), undefined);

export const clearSaved = (): Promise<void> => attempt(() => clear(), undefined);

/** A run of per-region analyses by the chat model, saved after every batch (it resumes). */
export const loadAnalyses = (runKey: string): Promise<RegionAnalysisState | null> =>
  attempt(async () => (await get<RegionAnalysisState>(`analyses:${runKey}`)) ?? null, null);

export const saveAnalyses = (state: RegionAnalysisState): Promise<void> =>
  attempt(() => set(`analyses:${state.runKey}`, state), undefined);

export const deleteAnalyses = (runKey: string): Promise<void> =>
  attempt(() => del(`analyses:${runKey}`), undefined);

/** Semantic vectors a web-llm embedding model made for one task of a city (its prompt features). */
export interface SavedTaskVectors {
  vectors: SemanticVectors;
  /** What they are, for the report, e.g. "region analyses by SmolLM2…, encoded by snowflake…". */
  name: string;
}

export const loadTaskVectors = (cityId: string, taskId: string): Promise<SavedTaskVectors | null> =>
  attempt(async () => (await get<SavedTaskVectors>(`vectors:${cityId}:${taskId}`)) ?? null, null);

export const saveTaskVectors = (
  cityId: string,
  taskId: string,
  entry: SavedTaskVectors | null,
): Promise<void> =>
  attempt(
    () => (entry ? set(`vectors:${cityId}:${taskId}`, entry) : del(`vectors:${cityId}:${taskId}`)),
    undefined,
  );
