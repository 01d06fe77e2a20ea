/**
 * Starts, pauses, resumes and cancels SREL training in a Web Worker and keeps the store up
 * to date. When training ends, the tasks' predictions and residuals become map values.
 */
import { srelConfigFrom } from '../../core/pipeline/settings';
import type { RunEvent, TrainedResult, TrainingJob } from '../../core/pipeline/types';
import type { TaskPromptFeatures } from '../../core/prompt/taskAttention';
import { resolveSrelConfig } from '../../core/srel/config';
import { tasksOfCity, withTemplate } from '../../core/tasks/tasks';
import { JobCancelled, WorkerClient, type Job } from '../../workers/client';
import type { TrainingJobs } from '../../workers/protocol';
import { restoreCustomTasks } from '../tasks/controller';
import {
  cityIdOf,
  clearSaved,
  loadInterrupted,
  loadRun,
  saveInterrupted,
  saveRun,
  saveSession,
} from '../session/persistence';
import { PRETRAINED_NAME, fetchPretrained } from './pretrained';
import type { ValueOption } from '../region/regionStats';
import { promptFeaturesFor } from '../llm/webllm';
import { useApp, type EvaluationProgress, type LoadedCity, type TrainingState } from '../state/store';

/** The training worker (the page sends the City and its Tasks; the worker builds the rest). */
const trainer = new WorkerClient<TrainingJobs>(
  () => new Worker(new URL('../../workers/training.worker.ts', import.meta.url), { type: 'module' }),
  'the training worker',
);
let run: Job<TrainingJobs> | null = null;
/** A value to show once a restored run's predictions exist (from a link or the saved session). */
let preferredValue: string | null = null;

export function preferValue(id: string | null): void {
  preferredValue = id;
}

// A run belongs to its city: loading another city stops it, and brings back that city's last
// finished run, if one was saved.
useApp.subscribe((s, previous) => {
  if (s.current?.key === previous.current?.key) return;
  stopWorker();
  const loaded = s.current;
  if (loaded)
    void restoreCustomTasks(loaded).then(() => {
      const now = useApp.getState().current;
      if (now?.key === loaded.key) return restoreSavedRun(now);
    });
});

const cityIdOfLoaded = (loaded: LoadedCity): string | null =>
  loaded.source ? cityIdOf(loaded.source) : null;

/** Show the city's last finished run and offer to restart a run a reload interrupted. */
export async function restoreSavedRun(loaded: LoadedCity): Promise<void> {
  const id = cityIdOfLoaded(loaded);
  if (!id) return;
  const [run, interrupted] = await Promise.all([loadRun(id), loadInterrupted()]);
  const s = useApp.getState();
  if (s.current?.key !== loaded.key) return;
  s.setInterrupted(interrupted?.cityId === id ? interrupted : null);
  if (!run || s.training) return;
  s.setTraining(() => ({
    cityKey: loaded.key,
    status: 'done',
    probing: null,
    backend: run.result.backend,
    backendReason: `restored from your last session (trained ${new Date(run.finishedAt).toLocaleString()})`,
    timings: [],
    notices: [],
    history: run.history,
    epochs: run.result.epochs,
    settings: run.settings,
    startedFrom: run.startedFrom ?? '',
    saved: true,
    error: null,
    result: run.result,
  }));
  showPredictions(loaded, run.result, false);
  if (preferredValue && useApp.getState().current?.options.some((o) => o.id === preferredValue))
    useApp.getState().setValueId(preferredValue);
  preferredValue = null;
}

/** Save the session (city source, settings, value shown) whenever it changes. */
export function persistSession(): void {
  const save = (): void => {
    const s = useApp.getState();
    void saveSession({
      city: s.current?.source ?? null,
      valueId: s.valueId,
      settings: s.settings,
      trainSettings: s.trainSettings,
    });
  };
  save();
  useApp.subscribe((s, p) => {
    if (
      s.current !== p.current ||
      s.valueId !== p.valueId ||
      s.settings !== p.settings ||
      s.trainSettings !== p.trainSettings
    )
      save();
  });
}

/** Forget everything saved and the current run's results (the city stays on screen). */
export async function clearSavedData(): Promise<void> {
  await clearSaved();
  useApp.getState().setInterrupted(null);
}

function update(patch: Partial<TrainingState>): void {
  useApp.getState().setTraining((t) => (t ? { ...t, ...patch } : t));
}

export function showPredictions(loaded: LoadedCity, result: TrainedResult, show = true): void {
  const options: ValueOption[] = [];
  const values: Record<string, Float64Array> = {};
  for (const report of result.reports) {
    const labels = loaded.city.labels.find((l) => l.id === report.task);
    const name = labels?.name ?? report.task;
    options.push({
      id: `predicted:${report.task}`,
      label: `${name}: predicted`,
      group: 'Predictions (SREL + ridge)',
      note: 'Labelled regions show held-out predictions (cross-validation); unlabelled regions are predicted from all labels.',
    });
    values[`predicted:${report.task}`] = report.predicted;
    if (labels) {
      options.push({
        id: `residual:${report.task}`,
        label: `${name}: residual (predicted − actual)`,
        group: 'Predictions (SREL + ridge)',
      });
      values[`residual:${report.task}`] = Float64Array.from(report.predicted, (p, i) =>
        report.heldOut[i] ? p - labels.values[i] : NaN,
      );
    }
    const prompt = report.prompt;
    if (prompt) {
      options.push({
        id: `prompt:${report.task}`,
        label: `${name}: predicted with the task prompt`,
        group: 'Predictions (SREL + task prompt)',
        note: `The semantic ridge head on the embedding and the ${prompt.name}; held-out where labelled.`,
      });
      values[`prompt:${report.task}`] = prompt.predicted;
      if (labels) {
        options.push({
          id: `prompt-residual:${report.task}`,
          label: `${name}: residual with the task prompt`,
          group: 'Predictions (SREL + task prompt)',
        });
        values[`prompt-residual:${report.task}`] = Float64Array.from(prompt.predicted, (p, i) =>
          report.heldOut[i] ? p - labels.values[i] : NaN,
        );
      }
    }
  }
  useApp.getState().addDerivedValues(loaded.key, options, values, show ? options[0]?.id : undefined);
}

function onEvent(loaded: LoadedCity, m: RunEvent): void {
  switch (m.type) {
    case 'probing':
      update({ status: 'probing', probing: m.backend });
      break;
    case 'backend':
      update({
        status: 'training',
        probing: null,
        backend: m.backend,
        backendReason: m.reason,
        timings: m.timings,
        history: [],
      });
      break;
    case 'started':
      update({ startedFrom: m.description });
      break;
    case 'notice':
      useApp.getState().setTraining((t) => (t ? { ...t, notices: [...t.notices, m.message] } : t));
      break;
    case 'epoch':
      if (m.report.epoch === 1 || m.report.epoch % 10 === 0) {
        const id = cityIdOfLoaded(loaded);
        if (id)
          void saveInterrupted({
            cityId: id,
            settings: useApp.getState().trainSettings,
            epochsDone: m.report.epoch,
            epochs: m.report.epochs,
          });
      }
      useApp.getState().setTraining((t) =>
        t
          ? {
              ...t,
              status: t.status === 'paused' ? 'paused' : 'training',
              history: [...t.history, m.report],
            }
          : t,
      );
      break;
    case 'paused':
      update({ status: 'paused' });
      break;
    case 'resumed':
      update({ status: 'training' });
      break;
    case 'evaluating': {
      const { task, taskIndex, tasks, done, total } = m;
      const startedAt = useApp.getState().training?.evaluation?.startedAt ?? Date.now();
      update({ status: 'evaluating', evaluation: { task, taskIndex, tasks, done, total, startedAt } });
      break;
    }
  }
}

/** The run finished: show its predictions and save it (a reload brings it back). */
function onDone(loaded: LoadedCity, result: TrainedResult): void {
  update({ status: 'done', result, evaluation: undefined });
  showPredictions(loaded, result);
  const id = cityIdOfLoaded(loaded);
  const t = useApp.getState().training;
  if (id && t)
    void Promise.all([
      saveRun(id, {
        result,
        history: t.history,
        settings: t.settings,
        startedFrom: t.startedFrom,
        finishedAt: new Date().toISOString(),
      }),
      saveInterrupted(null),
    ]).then(([saved]) => {
      if (saved) update({ saved: true });
    });
  else void saveInterrupted(null);
}

/** Stop the run in progress, if any (its result is not kept). */
function stopWorker(): void {
  run = null;
  trainer.close();
}

export async function startTraining(): Promise<void> {
  const { current: loaded, trainSettings, setTraining, setInterrupted, importedModel } = useApp.getState();
  if (!loaded) return;
  stopWorker();
  setInterrupted(null);
  const base: TrainingState = {
    cityKey: loaded.key,
    status: 'probing',
    probing: null,
    backend: null,
    backendReason: '',
    timings: [],
    notices: [],
    history: [],
    epochs: trainSettings.epochs,
    settings: trainSettings,
    startedFrom: '',
    saved: false,
    error: null,
    result: null,
  };
  let job: TrainingJob;
  setTraining(() => base);
  try {
    let initial: TrainingJob['initial'] = null;
    if (trainSettings.start === 'pretrained')
      initial = { name: PRETRAINED_NAME, model: await fetchPretrained() };
    else if (trainSettings.start === 'imported') {
      if (!importedModel)
        throw new Error(
          'no imported model: pick its .json and .bin files under Training settings, or start from scratch',
        );
      initial = importedModel;
    }
    const config = srelConfigFrom(trainSettings);
    resolveSrelConfig(config); // throws on settings no model can have
    const city = loaded.city;
    const { taskTemplates } = useApp.getState();
    const tasks = tasksOfCity(city).map((t) => withTemplate(t, taskTemplates[t.id]));
    // Only LLM vectors, or a web-llm encoder (which lives on the page), make prompt features
    // here; the worker builds every other task's composition itself.
    const promptFeatures: Record<string, TaskPromptFeatures> = {};
    for (const task of tasks) {
      const features = await promptFeaturesFor(
        city,
        task,
        (m) => useApp.getState().setTraining((t) => (t ? { ...t, notices: [...t.notices, m] } : t)),
        cityIdOfLoaded(loaded) ?? loaded.key,
      );
      if (features) promptFeatures[task.id] = features;
    }
    job = { city, tasks, config, initial, promptFeatures };
  } catch (e) {
    setTraining(() => ({ ...base, status: 'failed', error: e instanceof Error ? e.message : String(e) }));
    return;
  }
  if (useApp.getState().current?.key !== loaded.key) return;
  const started = trainer.run(
    { job, backend: trainSettings.backend },
    { onEvent: (e) => run === started && onEvent(loaded, e) },
  );
  run = started;
  started.result.then(
    (result) => {
      if (run !== started) return;
      stopWorker(); // its WebAssembly memory goes with it
      onDone(loaded, result);
    },
    (e: unknown) => {
      if (run !== started) return;
      stopWorker();
      if (e instanceof JobCancelled) update({ status: 'cancelled' });
      else update({ status: 'failed', error: e instanceof Error ? e.message : String(e) });
      void saveInterrupted(null);
    },
  );
}

export const pauseTraining = (): void => run?.control({ type: 'pause' });
export const resumeTraining = (): void => run?.control({ type: 'resume' });
export const cancelTraining = (): void => run?.control({ type: 'cancel' });

/** Share of the evaluation done, 0..1: tasks finished plus the current task's share. */
export function evaluationFraction(e: EvaluationProgress): number {
  return e.tasks > 0 ? Math.min(1, (e.taskIndex + (e.total > 0 ? e.done / e.total : 0)) / e.tasks) : 0;
}

/** Seconds of evaluation left at `now`, by the rate so far; null until some of it is done. */
export function evaluationSecondsLeft(e: EvaluationProgress, now = Date.now()): number | null {
  const fraction = evaluationFraction(e);
  if (fraction <= 0) return null;
  const elapsed = (now - e.startedAt) / 1000;
  return (elapsed * (1 - fraction)) / fraction;
}

/** Seconds left, from the mean of the last (up to) 20 epochs; null before the first epoch. */
export function secondsLeft(t: TrainingState): number | null {
  const last = t.history.slice(-20);
  if (last.length === 0) return null;
  const mean = last.reduce((s, r) => s + r.seconds, 0) / last.length;
  return mean * Math.max(0, t.epochs - t.history.length);
}
