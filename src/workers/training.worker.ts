/// <reference lib="webworker" />
/**
 * Trains SREL on a city off the main thread, then evaluates its tasks (ridge on the
 * embeddings beside the raw-feature baseline, held-out predictions per region). It keeps the
 * embedding at ten evenly spaced epochs: tasks are predicted by their snapshot ensemble.
 *
 * Backend: with 'auto' every browser backend that initialises trains a small probe model for
 * a few epochs and the fastest (after its first, compiling epoch) wins; on these machines
 * WASM beats a software WebGPU by far, on a real GPU WebGPU should. If training fails on the
 * chosen backend, the worker says so and starts again on the next one.
 * Pause holds the loop between epochs; cancel stops it (the app keeps nothing half-trained).
 */
import './tfSetup';
import * as tf from '@tensorflow/tfjs';
import { BROWSER_BACKENDS, useBackend, type BackendName } from '../core/backend';
import { PROBE_SREL_CONFIG } from '../core/srel/config';
import { taskReport } from '../core/eval/taskReport';
import { saveSrel, transferSrel } from '../core/srel/serialize';
import { SrelModel, TrainingCancelled, snapshotEpochs, srelDims } from '../core/srel/train';
import type { BackendTiming, TrainControl, TrainMessage, TrainRequest } from './protocol';

const post = (m: TrainMessage): void => (self as DedicatedWorkerGlobalScope).postMessage(m);

const PROBE_EPOCHS = 3;
/** Regions kept per region for the inspector's "attends most to". */
const ATTENTION_TOP = 8;

let abort = new AbortController();
let paused = false;
let resumeWaiters: (() => void)[] = [];

async function probe(request: TrainRequest, backend: BackendName): Promise<BackendTiming> {
  try {
    await useBackend([backend]);
  } catch (e) {
    return { backend, secondsPerEpoch: null, error: e instanceof Error ? e.message : String(e) };
  }
  const model = new SrelModel(PROBE_SREL_CONFIG, srelDims(request.inputs));
  try {
    const history = await model.train(request.inputs, { epochs: PROBE_EPOCHS });
    const later = history.slice(1);
    if (!history.every((h) => Number.isFinite(h.loss)))
      return { backend, secondsPerEpoch: null, error: 'the loss was not finite' };
    return { backend, secondsPerEpoch: later.reduce((s, h) => s + h.seconds, 0) / later.length };
  } catch (e) {
    return { backend, secondsPerEpoch: null, error: e instanceof Error ? e.message : String(e) };
  } finally {
    model.dispose();
    tf.disposeVariables();
  }
}

/** Backends to try, best first, with the reason for the first. */
async function rankBackends(
  request: TrainRequest,
): Promise<{ order: BackendName[]; reason: string; timings: BackendTiming[] }> {
  if (request.backend !== 'auto') {
    const rest = BROWSER_BACKENDS.filter((b) => b !== request.backend);
    return { order: [request.backend, ...rest], reason: 'chosen in the settings', timings: [] };
  }
  const timings: BackendTiming[] = [];
  for (const backend of BROWSER_BACKENDS) {
    if (abort.signal.aborted) break;
    post({ type: 'probing', backend });
    timings.push(await probe(request, backend));
  }
  const working = timings
    .filter((t) => t.secondsPerEpoch !== null)
    .sort((a, b) => (a.secondsPerEpoch ?? 0) - (b.secondsPerEpoch ?? 0));
  const order = working.map((t) => t.backend);
  const best = working[0];
  const reason = best
    ? `fastest of ${working.length} working backend${working.length === 1 ? '' : 's'} (${(1000 * (best.secondsPerEpoch ?? 0)).toFixed(0)} ms per probe epoch)`
    : 'no backend passed the probe';
  return { order: order.length ? order : ['cpu'], reason, timings };
}

async function waitWhilePaused(epoch: number): Promise<void> {
  if (!paused) return;
  post({ type: 'paused', epoch });
  await new Promise<void>((resolve) => resumeWaiters.push(resolve));
  if (!abort.signal.aborted) post({ type: 'resumed' });
}

async function trainOn(request: TrainRequest, backend: BackendName): Promise<void> {
  await useBackend([backend]);
  const model = startingModel(request);
  const snapshotAt = new Set(snapshotEpochs(model.config.epochs));
  const snapshots: Float32Array[] = [];
  try {
    const history = await model.train(request.inputs, {
      signal: abort.signal,
      onEpoch: async (report) => {
        if (snapshotAt.has(report.epoch)) snapshots.push(await model.embed(request.inputs));
        post({ type: 'epoch', report });
        // On WASM and CPU an epoch ends in resolved promises only: yield a task so that
        // pause and cancel messages get delivered.
        await new Promise((resolve) => setTimeout(resolve, 0));
        await waitWhilePaused(report.epoch);
      },
    });
    const tasks = request.tasks.length;
    post({ type: 'evaluating', task: request.tasks[0]?.id ?? '', taskIndex: 0, tasks, done: 0, total: 1 });
    const embedding = await model.embed(request.inputs);
    const d = model.config.embeddingSize;
    const features = {
      data: Float64Array.from(embedding),
      d,
      snapshots: snapshots.map((x) => Float64Array.from(x)),
    };
    const reports = request.tasks.map((t, taskIndex) =>
      taskReport(t.id, t.values, features, request.raw, {
        cityKey: request.cityKey,
        prompt: t.prompt ?? undefined,
        onProgress: (done, total) => post({ type: 'evaluating', task: t.id, taskIndex, tasks, done, total }),
      }),
    );
    const attention = await model.regionAttention(request.inputs, ATTENTION_TOP);
    const saved = await saveSrel(model, { backend });
    post({
      type: 'done',
      result: { backend, epochs: history.length, embedding, snapshots, d, reports, attention, model: saved },
    });
  } finally {
    model.dispose();
  }
}

/** A fresh model, or the saved one with every weight that fits this city (fine-tuning). */
function startingModel(request: TrainRequest): SrelModel {
  const dims = srelDims(request.inputs);
  if (!request.initial) {
    post({ type: 'started', description: 'from scratch' });
    return new SrelModel(request.config, dims);
  }
  const { epochs, priors } = request.config;
  const { model, transferred, reinitialised } = transferSrel(request.initial.model, dims, {
    ...(epochs ? { epochs } : {}),
    ...(priors ? { priors } : {}),
  });
  const fresh = reinitialised.length
    ? `; ${reinitialised.length} start fresh because their input width depends on this city's categories (${reinitialised.join(', ')})`
    : '';
  post({
    type: 'started',
    description: `from ${request.initial.name}: ${transferred.length} of ${transferred.length + reinitialised.length} weight tensors copied${fresh}`,
  });
  return model;
}

async function train(request: TrainRequest): Promise<void> {
  abort = new AbortController();
  paused = false;
  try {
    const { order, reason, timings } = await rankBackends(request);
    if (abort.signal.aborted) throw new TrainingCancelled(0);
    for (let i = 0; i < order.length; i++) {
      const backend = order[i];
      post({
        type: 'backend',
        backend,
        reason: i === 0 ? reason : `fallback after ${order[i - 1]} failed`,
        timings,
      });
      try {
        await trainOn(request, backend);
        return;
      } catch (e) {
        if (e instanceof TrainingCancelled) throw e;
        const message = e instanceof Error ? e.message : String(e);
        if (i === order.length - 1) throw e;
        post({
          type: 'notice',
          message: `Training failed on ${backend} (${message}); starting again on ${order[i + 1]}.`,
        });
      }
    }
  } catch (e) {
    if (e instanceof TrainingCancelled) post({ type: 'cancelled', epoch: e.epoch });
    else post({ type: 'failed', message: e instanceof Error ? e.message : String(e) });
  }
}

self.onmessage = (event: MessageEvent<TrainRequest | TrainControl>) => {
  const m = event.data;
  if (m.type === 'train') void train(m);
  else if (m.type === 'pause') paused = true;
  else if (m.type === 'resume' || m.type === 'cancel') {
    if (m.type === 'cancel') abort.abort();
    paused = false;
    const waiters = resumeWaiters;
    resumeWaiters = [];
    waiters.forEach((w) => w());
  }
};
