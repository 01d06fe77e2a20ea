/**
 * The training slice: the run of the city shown (from the worker's events to its results),
 * the training settings, a run a reload interrupted, and a model the user imported.
 */
import type { BackendName } from '../../core/backend/names';
import type { TaskReport } from '../../core/eval/taskReport';
import { DEFAULT_TRAIN_SETTINGS, type TrainSettings } from '../../core/pipeline/settings';
import type { BackendTiming, MeasuredBackend, RunEvent, TrainedResult } from '../../core/pipeline/types';
import type { SavedSrel } from '../../core/srel/serialize';
import type { EpochReport } from '../../core/srel/train';
import { secondsSince, timeLeft } from '../ui/timeLeft';
import { apply, type SetState } from './slice';

export type TrainingStatus =
  'probing' | 'training' | 'paused' | 'evaluating' | 'done' | 'cancelled' | 'failed';

export interface EvaluationProgress {
  task: string;
  taskIndex: number;
  tasks: number;
  /** Work units of the current task done, of `total`. */
  done: number;
  total: number;
  /** Date.now() when evaluation began. */
  startedAt: number;
}

export interface TrainingRun {
  /** The load of the city (LoadedCity.loadId) the run belongs to. */
  loadId: string;
  status: TrainingStatus;
  /** Backend being probed (auto pick) or trained on. */
  probing: BackendName | null;
  backend: BackendName | null;
  backendReason: string;
  timings: BackendTiming[];
  /** Why some backends were not measured (the automatic choice). */
  backendNotes: string[];
  /** WebAssembly: threads it computes on; null for other backends or where unknown. */
  threads: number | null;
  /** Whether the training worker was cross-origin isolated; null where unknown. */
  isolated: boolean | null;
  /** Fallbacks and other things the user should know. */
  notices: string[];
  history: EpochReport[];
  epochs: number;
  /** The last epoch a checkpoint was kept after (a reload resumes from it); null before the first. */
  checkpointEpoch: number | null;
  /** The settings this run was started with. */
  settings: TrainSettings;
  /** How the model started: from scratch or from which saved model. */
  startedFrom: string;
  /** The finished run is stored in this browser (a reload brings it back). */
  saved: boolean;
  /** The browser refused to store the finished run (it is lost on a reload unless downloaded). */
  saveFailed: boolean;
  /**
   * The finished run this one replaced ("Train again"): shown again if this one is cancelled
   * (it is still the one saved in this browser).
   */
  previous: TrainingRun | null;
  /** This finished run is shown again because the run that was to replace it was cancelled. */
  keptAfterCancel: boolean;
  error: string | null;
  result: TrainedResult | null;
  /** While the tasks are cross-validated after training: how far, and since when. */
  evaluation?: EvaluationProgress;
}

/** A city's last finished run, as saved in this browser (IndexedDB `run:<savedId>`). */
export interface SavedRun {
  result: TrainedResult;
  history: EpochReport[];
  settings: TrainSettings;
  /** How the model started (from scratch, or from which saved model). */
  startedFrom?: string;
  finishedAt: string;
}

/** A run a reload interrupted (IndexedDB `interrupted`), offered to resume or restart. */
export interface InterruptedRun {
  /** The savedId of its city (the saved field keeps its first name). */
  cityId: string;
  settings: TrainSettings;
  epochsDone: number;
  epochs: number;
  /** The epoch its last checkpoint (IndexedDB `checkpoint`) was kept after; absent before the first. */
  checkpointEpoch?: number;
}

/** A run that opening another city stopped (told in the new city's Train card). */
export interface StoppedRun {
  /** The city it was training on, and the city opened. */
  city: string;
  opened: string;
  epochsDone: number;
  epochs: number;
}

/** A model the user imported (manifest + weights), to fine-tune from. */
export interface ImportedModel {
  name: string;
  model: SavedSrel;
}

export interface TrainingState {
  training: TrainingRun | null;
  trainSettings: TrainSettings;
  /**
   * The city (its name) the training settings were last set on; null: never set (the
   * defaults). On another city they are told as carried over (`carriedOverSettings`).
   */
  trainSettingsSetOn: string | null;
  /** A run of the current city that a reload interrupted (offered for restart). */
  interrupted: InterruptedRun | null;
  importedModel: ImportedModel | null;
  /** A run that opening another city stopped; null once dismissed or another run starts. */
  stoppedRun: StoppedRun | null;
  /**
   * The automatic backend choice measured in this browser (kept with the session): 'auto'
   * trains there without measuring again; null until measured, or after "Re-measure backends".
   */
  backendChoice: MeasuredBackend | null;
}

export interface TrainingActions {
  /** New settings, set on city `setOn` (its name; omitted: where they were set stays). */
  updateTrainSettings: (patch: Partial<TrainSettings>, setOn?: string | null) => void;
  setInterrupted: (run: InterruptedRun | null) => void;
  setImportedModel: (model: ImportedModel | null) => void;
  dismissStoppedRun: () => void;
  /** The settings back to the defaults for city `city` (its name). */
  resetTrainSettings: (city: string) => void;
  /** Remember a measured backend choice (from a run, or the saved session), or forget it (null). */
  rememberBackend: (choice: MeasuredBackend | null) => void;
  /** A run begins on this load of the city (any earlier run is dropped). */
  runStarted: (loadId: string, settings: TrainSettings) => void;
  /** The worker's event about the run of `loadId`; `now` dates the start of the evaluation. */
  runEvent: (loadId: string, event: RunEvent, now?: number) => void;
  runFinished: (loadId: string, end: RunEnd) => void;
  /** The run's result (still the one shown) was stored in this browser, or the browser refused. */
  runSaved: (result: TrainedResult, saved: boolean) => void;
  runRestored: (loadId: string, run: SavedRun) => void;
  /** A task scored after the run (a user's task, or one predicted again) joins its reports. */
  taskReported: (loadId: string, model: TrainedResult['model'], report: TaskReport) => void;
}

export type TrainingSlice = TrainingState & TrainingActions;

/** How a run ended (or why it could not start). */
export type RunEnd =
  { status: 'done'; result: TrainedResult } | { status: 'cancelled' } | { status: 'failed'; error: string };

export const initialTraining: TrainingState = {
  training: null,
  trainSettings: DEFAULT_TRAIN_SETTINGS,
  trainSettingsSetOn: null,
  interrupted: null,
  importedModel: null,
  stoppedRun: null,
  backendChoice: null,
};

/** New settings; `setOn` names the city they were set on (undefined: where they were set stays). */
export const updateTrainSettings = (
  s: Pick<TrainingState, 'trainSettings' | 'trainSettingsSetOn'>,
  patch: Partial<TrainSettings>,
  setOn?: string | null,
): Partial<TrainingState> => ({
  trainSettings: { ...s.trainSettings, ...patch },
  ...(setOn === undefined ? {} : { trainSettingsSetOn: setOn }),
});

/** The settings that shape a run of a city, in words, as the carried-over line names them. */
const CARRIED: { key: keyof TrainSettings; words: (v: TrainSettings[keyof TrainSettings]) => string }[] = [
  { key: 'epochs', words: (v) => `${String(v)} epochs` },
  { key: 'embeddingSize', words: (v) => `embedding size ${String(v)}` },
  { key: 'regionFusionLayers', words: (v) => `${String(v)} region-fusion layers` },
  { key: 'heads', words: (v) => `${String(v)} attention heads` },
  { key: 'distancePrior', words: (v) => `spatial prior ${v ? 'on' : 'off'}` },
  { key: 'centrality', words: (v) => `centrality encoding ${v ? 'on' : 'off'}` },
  { key: 'start', words: (v) => (v === 'scratch' ? 'from scratch' : `fine-tuning the ${String(v)} model`) },
  { key: 'scoring', words: (v) => (v === 'spatial' ? 'scored on spatial blocks' : 'scored on random folds') },
];

/**
 * The settings set on another city that differ from the defaults, in words ("Set on Riverton:
 * 100 epochs (default 300)"); null when they were set on `city`, never set, or all defaults.
 * The backend is the browser's, not the city's: never told.
 */
export function carriedOverSettings(
  s: Pick<TrainingState, 'trainSettings' | 'trainSettingsSetOn'>,
  city: string,
): string | null {
  if (s.trainSettingsSetOn === null || s.trainSettingsSetOn === city) return null;
  const changed = CARRIED.filter(
    ({ key }) => (s.trainSettings[key] ?? DEFAULT_TRAIN_SETTINGS[key]) !== DEFAULT_TRAIN_SETTINGS[key],
  ).map(({ key, words }) => `${words(s.trainSettings[key])} (default ${words(DEFAULT_TRAIN_SETTINGS[key])})`);
  return changed.length ? `Set on ${s.trainSettingsSetOn}: ${changed.join(', ')}.` : null;
}

/** The city's settings back to the defaults (the backend, the browser's, stays). */
export const defaultTrainSettings = (
  s: Pick<TrainingState, 'trainSettings'>,
  city: string,
): Partial<TrainingState> => ({
  trainSettings: { ...DEFAULT_TRAIN_SETTINGS, backend: s.trainSettings.backend },
  trainSettingsSetOn: city,
});

export function newRun(loadId: string, settings: TrainSettings): TrainingRun {
  return {
    loadId,
    status: 'probing',
    probing: null,
    backend: null,
    backendReason: '',
    timings: [],
    backendNotes: [],
    threads: null,
    isolated: null,
    notices: [],
    history: [],
    epochs: settings.epochs,
    checkpointEpoch: null,
    settings,
    startedFrom: '',
    saved: false,
    saveFailed: false,
    previous: null,
    keptAfterCancel: false,
    error: null,
    result: null,
  };
}

/** The run after one of the worker's events. */
export function withRunEvent(run: TrainingRun, event: RunEvent, now: number): TrainingRun {
  switch (event.type) {
    case 'probing':
      return { ...run, status: 'probing', probing: event.backend };
    case 'backend':
      return {
        ...run,
        status: 'training',
        probing: null,
        backend: event.backend,
        backendReason: event.reason,
        timings: event.timings,
        backendNotes: event.notes ?? run.backendNotes,
        threads: event.threads ?? null,
        isolated: event.isolated ?? null,
        history: [],
      };
    case 'started':
      // A resumed run goes on from the epochs trained before the reload, the checkpoint it
      // resumed from (after epoch history.length) being its last until the next.
      return event.history
        ? {
            ...run,
            startedFrom: event.description,
            history: event.history,
            checkpointEpoch: event.history.length,
          }
        : { ...run, startedFrom: event.description };
    case 'checkpoint':
      return { ...run, checkpointEpoch: event.checkpoint.point.epoch };
    case 'notice':
      return { ...run, notices: [...run.notices, event.message] };
    case 'epoch':
      // An epoch that ends after the user paused keeps the run paused.
      return {
        ...run,
        status: run.status === 'paused' ? 'paused' : 'training',
        history: [...run.history, event.report],
      };
    case 'paused':
      return { ...run, status: 'paused' };
    case 'resumed':
      return { ...run, status: 'training' };
    case 'evaluating': {
      const { task, taskIndex, tasks, done, total } = event;
      const startedAt = run.evaluation?.startedAt ?? now;
      return { ...run, status: 'evaluating', evaluation: { task, taskIndex, tasks, done, total, startedAt } };
    }
  }
}

/** Apply `change` to the run of `loadId`; a run of another load (or none) is left as it is. */
const changeRun =
  (loadId: string, change: (run: TrainingRun) => TrainingRun) =>
  (s: Pick<TrainingState, 'training'>): Partial<TrainingState> =>
    s.training?.loadId === loadId ? { training: change(s.training) } : {};

/** A run begins; a finished run of the same load is kept behind it, to come back on a cancel. */
export const runStarted =
  (loadId: string, settings: TrainSettings) =>
  (s: Pick<TrainingState, 'training'>): Partial<TrainingState> => {
    const before = s.training;
    const previous =
      before?.loadId === loadId && before.status === 'done' ? { ...before, previous: null } : null;
    return { training: { ...newRun(loadId, settings), previous }, interrupted: null, stoppedRun: null };
  };

/**
 * The run after the worker's event; a backend choice the run measured is remembered (only for
 * the automatic choice: a run on a chosen backend measures nothing).
 */
export const runEvent =
  (loadId: string, event: RunEvent, now: number) =>
  (s: Pick<TrainingState, 'training'>): Partial<TrainingState> => {
    const changed = changeRun(loadId, (run) => withRunEvent(run, event, now))(s);
    const measured = event.type === 'backend' && changed.training ? event.measured : null;
    return measured ? { ...changed, backendChoice: measured } : changed;
  };

export const rememberBackend = (choice: MeasuredBackend | null): Partial<TrainingState> => ({
  backendChoice: choice,
});

export const runFinished = (loadId: string, end: RunEnd) =>
  changeRun(loadId, (run) => {
    if (end.status === 'done') return { ...run, status: 'done', result: end.result, evaluation: undefined };
    // "Train again", then Cancel: the finished run it was to replace is shown again.
    if (end.status === 'cancelled')
      return run.previous ? { ...run.previous, keptAfterCancel: true } : { ...run, status: 'cancelled' };
    return { ...run, status: 'failed', error: end.error };
  });

export const runSaved =
  (result: TrainedResult, saved: boolean) =>
  (s: Pick<TrainingState, 'training'>): Partial<TrainingState> =>
    s.training?.result === result && (s.training.saved !== saved || s.training.saveFailed === saved)
      ? { training: { ...s.training, saved, saveFailed: !saved } }
      : {};

/** A running run that opening `opened` stops, as the new city's Train card tells it; else null. */
export function stoppedBy(run: TrainingRun | null, city: string, opened: string): StoppedRun | null {
  return run && isRunning(run) ? { city, opened, epochsDone: run.history.length, epochs: run.epochs } : null;
}

/**
 * What an interrupted run is saved as after an epoch: every epoch, so a reload says how far it
 * got, with the epoch of its last checkpoint (where a resume goes on from).
 */
export const interruptedAfter = (
  cityId: string,
  settings: TrainSettings,
  report: Pick<EpochReport, 'epoch' | 'epochs'>,
  checkpointEpoch: number | null = null,
): InterruptedRun => ({
  cityId,
  settings,
  epochsDone: report.epoch,
  epochs: report.epochs,
  ...(checkpointEpoch !== null ? { checkpointEpoch } : {}),
});

/** The city's last finished run, as it was saved; kept out when a run is already shown. */
export const runRestored =
  (loadId: string, saved: SavedRun) =>
  (s: Pick<TrainingState, 'training'>): Partial<TrainingState> =>
    s.training
      ? {}
      : {
          training: {
            ...newRun(loadId, saved.settings),
            // A finished run shown after a reload: it is what the browser holds.
            status: 'done',
            backend: saved.result.backend,
            backendReason: `restored from your last session (trained ${new Date(saved.finishedAt).toLocaleString()})`,
            history: saved.history,
            epochs: saved.result.epochs,
            startedFrom: saved.startedFrom ?? '',
            saved: true,
            result: saved.result,
          },
        };

/**
 * A task's report joins the run's results (replacing an earlier report of that task), if the
 * run is still the one of `loadId` with that model; the run is then no longer saved as shown.
 */
export const taskReported = (loadId: string, model: TrainedResult['model'], report: TaskReport) =>
  changeRun(loadId, (run) =>
    run.result?.model === model
      ? {
          ...run,
          saved: false,
          result: {
            ...run.result,
            reports: [...run.result.reports.filter((r) => r.task !== report.task), report],
          },
        }
      : run,
  );

/** The run as it is saved in this browser. */
export function savedRunOf(run: TrainingRun, result: TrainedResult, finishedAt: Date): SavedRun {
  return {
    result,
    history: run.history,
    settings: run.settings,
    startedFrom: run.startedFrom,
    finishedAt: finishedAt.toISOString(),
  };
}

/** Seconds of training left, at the rate of the last (up to) 20 epochs; null before the first. */
export function trainingSecondsLeft(run: Pick<TrainingRun, 'history' | 'epochs'>): number | null {
  const last = run.history.slice(-20);
  const toGo = Math.max(0, run.epochs - run.history.length);
  const seconds = last.reduce((s, r) => s + r.seconds, 0);
  return last.length === 0 ? null : timeLeft(last.length / (last.length + toGo), seconds);
}

/** Share of the evaluation done, 0..1: tasks finished plus the current task's share. */
export function evaluationFraction(e: EvaluationProgress): number {
  return e.tasks > 0 ? Math.min(1, (e.taskIndex + (e.total > 0 ? e.done / e.total : 0)) / e.tasks) : 0;
}

/** Seconds of evaluation left at `now`, by the rate so far; null until some of it is done. */
export function evaluationSecondsLeft(e: EvaluationProgress, now = Date.now()): number | null {
  return timeLeft(evaluationFraction(e), secondsSince(e.startedAt, now));
}

export const isRunning = (run: TrainingRun | null): boolean =>
  run !== null && ['probing', 'training', 'paused', 'evaluating'].includes(run.status);

export function trainingSlice(set: SetState<TrainingSlice>): TrainingSlice {
  return {
    ...initialTraining,
    updateTrainSettings: (patch, setOn) => apply(set, (s) => updateTrainSettings(s, patch, setOn)),
    setInterrupted: (interrupted) => apply(set, () => ({ interrupted })),
    setImportedModel: (importedModel) => apply(set, () => ({ importedModel })),
    dismissStoppedRun: () => apply(set, () => ({ stoppedRun: null })),
    resetTrainSettings: (city) => apply(set, (s) => defaultTrainSettings(s, city)),
    rememberBackend: (choice) => apply(set, () => rememberBackend(choice)),
    runStarted: (loadId, settings) => apply(set, runStarted(loadId, settings)),
    runEvent: (loadId, event, now = Date.now()) => apply(set, runEvent(loadId, event, now)),
    runFinished: (loadId, end) => apply(set, runFinished(loadId, end)),
    runSaved: (result, saved) => apply(set, runSaved(result, saved)),
    runRestored: (loadId, run) => apply(set, runRestored(loadId, run)),
    taskReported: (loadId, model, report) => apply(set, taskReported(loadId, model, report)),
  };
}
