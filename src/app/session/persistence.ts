/**
 * The session survives a reload: IndexedDB (through idb-keyval) keeps where the current city
 * came from (a catalog key, or the user's own files as bytes), the map and training settings,
 * the automatic backend choice measured in this browser,
 * each city's custom tasks, and each city's last finished training run (embeddings, task
 * reports, model, loss history), each under the city's savedId (state/city.ts).
 * A run interrupted by a reload is remembered with its last checkpoint, so the app can offer to
 * resume it (or start it over).
 * "Clear saved data" removes all of it.
 */
import { clear, del, get, set } from 'idb-keyval';
import type { RegionAnalysisState } from '../../core/llm/regionAnalyses';
import type { TrainSettings } from '../../core/pipeline/settings';
import { isRunCheckpoint, type RunCheckpoint } from '../../core/pipeline/checkpoint';
import type { MeasuredBackend } from '../../core/pipeline/types';
import type { SemanticVectors } from '../../core/prompt/encoder';
import type { TaskTemplate } from '../../core/tasks/types';
import type { CitySource } from '../state/city';
import { useApp } from '../state/store';
import type { InterruptedRun, SavedRun } from '../state/training';
import type { Settings } from '../state/view';

const VERSION = 1;

export interface SavedSession {
  version: number;
  city: CitySource | null;
  valueId: string;
  settings: Settings;
  trainSettings: TrainSettings;
  /** The city the training settings were set on (absent in sessions saved before it). */
  trainSettingsSetOn?: string | null;
  /** The automatic backend choice measured in this browser (absent in sessions saved before it). */
  backendChoice?: MeasuredBackend | null;
}

/**
 * IndexedDB can be missing or refused (private windows, quota, Node): saving is best effort,
 * and the console hears of it once (the session slice remembers). A failed save (`notSaved`
 * says what, in words) is told to the user at once, with a download (StorageAlert).
 */
async function attempt<T>(what: () => Promise<T>, fallback: T, notSaved?: string): Promise<T> {
  try {
    return await what();
  } catch (e) {
    useApp.getState().savedDataUnavailable(e, notSaved);
    return fallback;
  }
}

export const loadSession = (): Promise<SavedSession | null> =>
  attempt(async () => {
    const s = await get<SavedSession>('session');
    return s && s.version === VERSION ? s : null;
  }, null);

/** `notSaved`: what the session holds, in words, for the message should the browser refuse it. */
export const saveSession = (session: Omit<SavedSession, 'version'>, notSaved: string): Promise<void> =>
  attempt(() => set('session', { ...session, version: VERSION }), undefined, notSaved);

export const loadRun = (savedId: string): Promise<SavedRun | null> =>
  attempt(async () => {
    const run = await get<SavedRun>(`run:${savedId}`);
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

/** Resolves true once the run is stored (false when the browser refused: told as `notSaved`). */
export const saveRun = (savedId: string, run: SavedRun, notSaved: string): Promise<boolean> =>
  attempt(
    async () => {
      await set(`run:${savedId}`, run);
      return true;
    },
    false,
    notSaved,
  );

export const loadInterrupted = (): Promise<InterruptedRun | null> =>
  attempt(async () => (await get<InterruptedRun>('interrupted')) ?? null, null);

/** Remember the run in progress; null: it ended, and its checkpoint goes too. */
export const saveInterrupted = (run: InterruptedRun | null): Promise<void> =>
  attempt(
    () =>
      run ? set('interrupted', run) : Promise.all([del('interrupted'), del('checkpoint')]).then(() => {}),
    undefined,
    run ? 'the progress of the training run (a reload could not offer it back)' : undefined,
  );

/** The last checkpoint of the run in progress, one for the whole browser (a run at a time). */
interface SavedCheckpoint {
  cityId: string;
  checkpoint: RunCheckpoint;
}

/** Resolves true once the checkpoint is stored (false when the browser refused, and the user was told). */
export const saveCheckpoint = (cityId: string, checkpoint: RunCheckpoint): Promise<boolean> =>
  attempt(
    async () => {
      await set('checkpoint', { cityId, checkpoint } satisfies SavedCheckpoint);
      return true;
    },
    false,
    'checkpoints of the training run (a reload would start it over)',
  );

/** The checkpoint of an interrupted run of city `cityId`, if one was kept and this app can read it. */
export const loadCheckpoint = (cityId: string): Promise<RunCheckpoint | null> =>
  attempt(async () => {
    const saved = await get<SavedCheckpoint>('checkpoint');
    return saved?.cityId === cityId && isRunCheckpoint(saved.checkpoint) ? saved.checkpoint : null;
  }, null);

/** A custom task the user added to a city (restored with the city). */
export interface SavedTask {
  id: string;
  name: string;
  description: string;
  values: Float64Array;
  /** Written by the in-browser LLM, where it was used. */
  template?: TaskTemplate;
}

export const loadTasks = (savedId: string): Promise<SavedTask[]> =>
  attempt(async () => (await get<SavedTask[]>(`tasks:${savedId}`)) ?? [], []);

export const saveTasks = (savedId: string, tasks: SavedTask[]): Promise<void> =>
  attempt(() => set(`tasks:${savedId}`, tasks), undefined, 'your custom tasks');

export const clearSaved = (): Promise<void> => attempt(() => clear(), undefined);

/** A run of per-region analyses by the chat model, saved after every batch (it resumes). */
export const loadAnalyses = (runKey: string): Promise<RegionAnalysisState | null> =>
  attempt(async () => (await get<RegionAnalysisState>(`analyses:${runKey}`)) ?? null, null);

export const saveAnalyses = (state: RegionAnalysisState): Promise<void> =>
  attempt(() => set(`analyses:${state.runKey}`, state), undefined, "the chat model's region analyses");

export const deleteAnalyses = (runKey: string): Promise<void> =>
  attempt(() => del(`analyses:${runKey}`), undefined);

/** Semantic vectors a web-llm embedding model made for one task of a city (its prompt features). */
export interface SavedTaskVectors {
  vectors: SemanticVectors;
  /** What they are, for the report, e.g. "region analyses by SmolLM2…, encoded by snowflake…". */
  name: string;
}

export const loadTaskVectors = (savedId: string, taskId: string): Promise<SavedTaskVectors | null> =>
  attempt(async () => (await get<SavedTaskVectors>(`vectors:${savedId}:${taskId}`)) ?? null, null);

export const saveTaskVectors = (
  savedId: string,
  taskId: string,
  entry: SavedTaskVectors | null,
): Promise<void> =>
  attempt(
    () => (entry ? set(`vectors:${savedId}:${taskId}`, entry) : del(`vectors:${savedId}:${taskId}`)),
    undefined,
    entry ? `the LLM vectors of task ${taskId}` : undefined,
  );
