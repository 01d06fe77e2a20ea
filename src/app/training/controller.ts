/**
 * Starts, pauses, resumes and cancels SREL training in a Web Worker and keeps the training
 * slice up to date. When training ends, the tasks' predictions and residuals become map
 * values, and the run is saved in this browser (a reload brings it back).
 */
import { splitOf, srelConfigFrom } from '../../core/pipeline/settings';
import type { RunCheckpoint } from '../../core/pipeline/checkpoint';
import type { RunEvent, TrainedResult, TrainingJob } from '../../core/pipeline/types';
import type { TaskPromptFeatures } from '../../core/prompt/taskAttention';
import { resolveSrelConfig } from '../../core/srel/config';
import { tasksOfCity, withTemplate } from '../../core/tasks/tasks';
import { vectorsIdOf, type LlmController } from '../llm/controller';
import {
  clearSaved,
  loadCheckpoint,
  loadInterrupted,
  loadRun,
  saveCheckpoint,
  saveInterrupted,
  saveRun,
} from '../session/persistence';
import { savedIdOfLoaded, type LoadedCity } from '../state/city';
import type { AppStore } from '../state/store';
import { interruptedAfter, isRunning, savedRunOf, type RunEnd } from '../state/training';
import { PRETRAINED_NAME, fetchPretrained } from './pretrained';
import { predictionValues } from './predictions';
import type { WarmedResult } from '../../workers/protocol';
import type { TrainingClient } from './trainingWorker';
import { likelyBackend } from './warm';

export interface TrainingController {
  /**
   * Train SREL on the city shown; resolves when the run ends (or was stopped). `resume`: go on
   * from the last checkpoint of the run a reload interrupted (from epoch 0 if none can be read).
   */
  start(options?: { resume?: boolean }): Promise<void>;
  pause(): void;
  resume(): void;
  /** Cancel the run in progress at once (its worker ends; nothing is kept). */
  cancel(): void;
  /**
   * Start the training worker and initialise the backend the next run will most likely use
   * (likelyBackend), unless a run is in progress or it is warm already: a Train then starts at
   * once. The page calls it when idle after the map is drawn.
   */
  warm(): Promise<WarmedResult | null>;
  /** Stop the run in progress, if any (its result is not kept). */
  stop(): void;
  /** Show the city's last finished run and offer to resume a run a reload interrupted. */
  restoreSavedRun(loaded: LoadedCity): Promise<void>;
  /** Forget the run a reload interrupted, and its checkpoint, here and in this browser. */
  dismissInterrupted(): Promise<void>;
  /** Forget everything saved and the interrupted run (what is on screen stays). */
  clearSavedData(): Promise<void>;
}

/** The run's predictions join the city's map values; `show`: colour the map by the first. */
export function showPredictions(
  store: AppStore,
  loaded: LoadedCity,
  result: Pick<TrainedResult, 'reports'>,
  show = true,
): void {
  const { options, values } = predictionValues(loaded.city, result.reports);
  store.getState().addDerivedValues(loaded.loadId, options, values, show ? options[0]?.id : undefined);
}

/** A city's finished run, in words, for the message should the browser refuse to save it. */
export const runInWords = (loaded: LoadedCity): string =>
  `the trained run of ${loaded.city.metadata.name} (embeddings, predictions, model)`;

export function trainingController(
  store: AppStore,
  worker: TrainingClient,
  llm: Pick<LlmController, 'promptFeaturesFor'>,
): TrainingController {
  /**
   * The job for the worker: the City, its Tasks (with their LLM templates) and the settings;
   * `resume`, the checkpoint to go on from (the model then starts from its weights).
   */
  async function jobFor(loaded: LoadedCity, resume: RunCheckpoint | null): Promise<TrainingJob> {
    const { trainSettings: settings, importedModel, taskTemplates } = store.getState();
    const initial: TrainingJob['initial'] = resume
      ? null
      : settings.start === 'pretrained'
        ? { name: PRETRAINED_NAME, model: await fetchPretrained() }
        : settings.start === 'imported'
          ? importedModel
          : null;
    if (!resume && settings.start === 'imported' && !importedModel)
      throw new Error(
        'no imported model: pick its .json and .bin files under Training settings, or start from scratch',
      );
    const config = srelConfigFrom(settings);
    resolveSrelConfig(config); // throws on settings no model can have
    const city = loaded.city;
    const tasks = tasksOfCity(city).map((t) => withTemplate(t, taskTemplates[t.id]));
    // Only LLM vectors, or a web-llm encoder (which lives on the page), make prompt features
    // here; the worker builds every other task's composition itself.
    const promptFeatures: Record<string, TaskPromptFeatures> = {};
    for (const task of tasks) {
      const features = await llm.promptFeaturesFor(city, task, vectorsIdOf(loaded), (message) =>
        store.getState().runEvent(loaded.loadId, { type: 'notice', message }),
      );
      if (features) promptFeatures[task.id] = features;
    }
    const split = splitOf(settings);
    return {
      city,
      tasks,
      config,
      initial,
      promptFeatures,
      ...(split ? { split } : {}),
      ...(resume ? { resume } : {}),
    };
  }

  function onEvent(loaded: LoadedCity, event: RunEvent): void {
    const savedId = savedIdOfLoaded(loaded);
    if (event.type === 'checkpoint') {
      // The run is told of a checkpoint once it is stored: the interrupted run saved after the
      // next epoch then says where a resume goes on from.
      if (savedId)
        void saveCheckpoint(savedId, event.checkpoint).then((stored) => {
          if (stored) store.getState().runEvent(loaded.loadId, event);
        });
      return;
    }
    // After every epoch, remember the run: a reload then offers to resume it, saying how far
    // it got (saved only every tenth epoch, a reload after 3 said "1 of 200 epochs").
    if (event.type === 'epoch' && savedId) {
      const { trainSettings, training } = store.getState();
      const checkpointEpoch = training?.loadId === loaded.loadId ? training.checkpointEpoch : null;
      void saveInterrupted(interruptedAfter(savedId, trainSettings, event.report, checkpointEpoch));
    }
    store.getState().runEvent(loaded.loadId, event);
  }

  /** The run ended: show its predictions and save it, or forget the interrupted run. */
  async function onEnd(loaded: LoadedCity, end: RunEnd): Promise<void> {
    store.getState().runFinished(loaded.loadId, end);
    if (end.status === 'done') showPredictions(store, loaded, end.result);
    const savedId = savedIdOfLoaded(loaded);
    const run = store.getState().training;
    if (end.status !== 'done' || !savedId || run?.loadId !== loaded.loadId) {
      await saveInterrupted(null);
      return;
    }
    const [saved] = await Promise.all([
      saveRun(savedId, savedRunOf(run, end.result, new Date()), runInWords(loaded)),
      saveInterrupted(null),
    ]);
    // Refused (quota): the Train card says so instead of "Saving…", and the user was told.
    store.getState().runSaved(end.result, saved);
  }

  return {
    async start(options = {}) {
      const loaded = store.getState().current;
      if (!loaded) return;
      worker.stop();
      const savedId = savedIdOfLoaded(loaded);
      const resume = options.resume && savedId ? await loadCheckpoint(savedId) : null;
      store.getState().runStarted(loaded.loadId, store.getState().trainSettings);
      if (options.resume && !resume)
        store.getState().runEvent(loaded.loadId, {
          type: 'notice',
          message:
            'No checkpoint of the interrupted run could be read in this browser: training starts over.',
        });
      const made = await jobFor(loaded, resume).then(
        (job) => ({ job }),
        (e: unknown) => ({ error: e instanceof Error ? e.message : String(e) }),
      );
      if ('error' in made) {
        store.getState().runFinished(loaded.loadId, { status: 'failed', error: made.error });
        return;
      }
      if (store.getState().current?.loadId !== loaded.loadId) return;
      const { backend } = store.getState().trainSettings;
      const remembered = backend === 'auto' ? store.getState().backendChoice : null;
      const end = await worker.run({ job: made.job, backend, remembered }, (e) => onEvent(loaded, e));
      if (end) await onEnd(loaded, end);
    },
    pause: () => worker.control({ type: 'pause' }),
    resume: () => worker.control({ type: 'resume' }),
    cancel: () => worker.cancel(),
    warm() {
      const { trainSettings, backendChoice, training } = store.getState();
      if (training && isRunning(training)) return Promise.resolve(null);
      return worker.warm(likelyBackend(trainSettings.backend, backendChoice), srelConfigFrom(trainSettings));
    },
    stop: () => worker.stop(),
    async restoreSavedRun(loaded) {
      const savedId = savedIdOfLoaded(loaded);
      if (!savedId) return store.getState().noSavedRun();
      const [run, interrupted] = await Promise.all([loadRun(savedId), loadInterrupted()]);
      const s = store.getState();
      if (s.current?.loadId !== loaded.loadId) return;
      s.setInterrupted(interrupted?.cityId === savedId ? interrupted : null);
      if (s.training) return;
      if (!run) return s.noSavedRun();
      s.dismissWaitingValue();
      s.runRestored(loaded.loadId, run);
      showPredictions(store, loaded, run.result, false);
      // The value a link or the saved session asked for, now that the predictions exist.
      const wanted = store.getState().preferredValue;
      if (wanted && store.getState().current?.options.some((o) => o.id === wanted))
        store.getState().setValueId(wanted);
      store.getState().preferValue(null);
    },
    async dismissInterrupted() {
      store.getState().setInterrupted(null);
      await saveInterrupted(null);
    },
    async clearSavedData() {
      await clearSaved();
      store.getState().setInterrupted(null);
    },
  };
}
