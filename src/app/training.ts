/**
 * Starts, pauses, resumes and cancels SREL training in a Web Worker and keeps the store up
 * to date. When training ends, the tasks' predictions and residuals become map values.
 */
import { rawFeatures, zScore } from '../core/eval/features';
import { resolveSrelConfig, type SrelConfig } from '../core/srel/config';
import { srelInputs } from '../core/srel/inputs';
import { buildSpatialPriors } from '../core/spatial/priors';
import type { TrainControl, TrainMessage, TrainRequest, TrainedResult } from '../workers/protocol';
import type { ValueOption } from './regionStats';
import { useApp, type LoadedCity, type TrainSettings, type TrainingState } from './store';

let worker: Worker | null = null;

// A run belongs to its city: loading another city stops it.
useApp.subscribe((s, previous) => {
  if (s.current?.key !== previous.current?.key) stopWorker();
});

export function srelConfigFrom(settings: TrainSettings): Partial<SrelConfig> {
  return {
    epochs: settings.epochs,
    embeddingSize: settings.embeddingSize,
    regionFusionLayers: settings.regionFusionLayers,
    heads: settings.heads,
    priors: { distance: settings.distancePrior, centrality: settings.centrality, hops: false },
  };
}

/** Benchmark cities keep their literature folds; every other city gets 10 shuffled folds. */
function cityKeyForFolds(loaded: LoadedCity): string {
  return loaded.entryKey?.startsWith('benchmark:') ? loaded.entryKey.slice('benchmark:'.length) : '';
}

function update(patch: Partial<TrainingState>): void {
  useApp.getState().setTraining((t) => (t ? { ...t, ...patch } : t));
}

function showPredictions(loaded: LoadedCity, result: TrainedResult): void {
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
  }
  useApp.getState().addDerivedValues(loaded.key, options, values, options[0]?.id);
}

function onMessage(loaded: LoadedCity, m: TrainMessage): void {
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
    case 'notice':
      useApp.getState().setTraining((t) => (t ? { ...t, notices: [...t.notices, m.message] } : t));
      break;
    case 'epoch':
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
    case 'evaluating':
      update({ status: 'evaluating' });
      break;
    case 'done':
      update({ status: 'done', result: m.result });
      showPredictions(loaded, m.result);
      stopWorker();
      break;
    case 'cancelled':
      update({ status: 'cancelled' });
      stopWorker();
      break;
    case 'failed':
      update({ status: 'failed', error: m.message });
      stopWorker();
      break;
  }
}

function stopWorker(): void {
  worker?.terminate();
  worker = null;
}

export function startTraining(): void {
  const { current: loaded, trainSettings, setTraining } = useApp.getState();
  if (!loaded) return;
  stopWorker();
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
    error: null,
    result: null,
  };
  let request: TrainRequest;
  try {
    const config = srelConfigFrom(trainSettings);
    resolveSrelConfig(config); // throws on settings no model can have
    const city = loaded.city;
    const raw = zScore(rawFeatures(city));
    request = {
      type: 'train',
      inputs: srelInputs(city, buildSpatialPriors(city)),
      config,
      backend: trainSettings.backend,
      cityKey: cityKeyForFolds(loaded),
      tasks: city.labels.map((l) => ({ id: l.id, values: l.values })),
      raw: raw.d > 0 ? { data: raw.data, d: raw.d } : null,
    };
  } catch (e) {
    setTraining(() => ({ ...base, status: 'failed', error: e instanceof Error ? e.message : String(e) }));
    return;
  }
  setTraining(() => base);
  const w = new Worker(new URL('../workers/training.worker.ts', import.meta.url), { type: 'module' });
  worker = w;
  w.onmessage = (e: MessageEvent<TrainMessage>) => {
    if (worker === w) onMessage(loaded, e.data);
  };
  w.onerror = (e) => {
    if (worker !== w) return;
    update({ status: 'failed', error: e.message || 'the training worker stopped unexpectedly' });
    stopWorker();
  };
  w.postMessage(request);
}

function control(m: TrainControl): void {
  worker?.postMessage(m);
}

export const pauseTraining = (): void => control({ type: 'pause' });
export const resumeTraining = (): void => control({ type: 'resume' });
export const cancelTraining = (): void => control({ type: 'cancel' });

/** Seconds left, from the mean of the last (up to) 20 epochs; null before the first epoch. */
export function secondsLeft(t: TrainingState): number | null {
  const last = t.history.slice(-20);
  if (last.length === 0) return null;
  const mean = last.reduce((s, r) => s + r.seconds, 0) / last.length;
  return mean * Math.max(0, t.epochs - t.history.length);
}
