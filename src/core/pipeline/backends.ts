/**
 * Which TensorFlow.js backend to train on. With 'auto' every backend that initialises trains a
 * small probe model for a few epochs and the fastest (after its first, compiling epoch) wins;
 * on the project's machines WASM beats a software WebGPU by far, on a real GPU WebGPU should.
 * The others follow as fallbacks, in order of speed.
 */
import * as tf from '@tensorflow/tfjs';
import { useBackend, type BackendName } from '../backend';
import { PROBE_SREL_CONFIG } from '../srel/config';
import type { SrelInputs } from '../srel/inputs';
import { SrelModel, srelDims } from '../srel/train';
import type { BackendPreference, BackendTiming } from './types';

/** Epochs each backend trains the probe model for: the first compiles, the rest are timed. */
export const PROBE_EPOCHS = 3;

/** Whether a backend works here and how fast it trains the probe model. */
export type BackendCheckResult =
  | {
      backend: BackendName;
      status: 'ok';
      /** The first epoch includes kernel compilation (slow on WebGPU). */
      firstEpochSeconds: number;
      /** Mean of the later epochs (the first one's time when there is only one). */
      secondsPerEpoch: number;
      finalLoss: number;
      /** The loss's parts at the last epoch: mobility, POI, land use. */
      parts: [number, number, number];
    }
  | { backend: BackendName; status: 'unavailable' | 'failed'; reason: string };

/** Train the probe model on one backend for `epochs` epochs (training diverging is a failure). */
export async function checkBackend(
  inputs: SrelInputs,
  backend: BackendName,
  epochs = PROBE_EPOCHS,
): Promise<BackendCheckResult> {
  try {
    await useBackend([backend]);
  } catch (e) {
    return { backend, status: 'unavailable', reason: e instanceof Error ? e.message : String(e) };
  }
  const model = new SrelModel(PROBE_SREL_CONFIG, srelDims(inputs));
  try {
    const history = await model.train(inputs, { epochs });
    const later = history.slice(1);
    const last = history[history.length - 1];
    return {
      backend,
      status: 'ok',
      firstEpochSeconds: history[0].seconds,
      secondsPerEpoch: later.length
        ? later.reduce((a, r) => a + r.seconds, 0) / later.length
        : history[0].seconds,
      finalLoss: last.loss,
      parts: [last.mobility, last.poi, last.landUse],
    };
  } catch (e) {
    return { backend, status: 'failed', reason: e instanceof Error ? e.message : String(e) };
  } finally {
    model.dispose();
    tf.disposeVariables();
  }
}

export interface BackendRanking {
  /** Backends to try, best first. */
  order: BackendName[];
  /** Why the first, for the user. */
  reason: string;
  timings: BackendTiming[];
}

/**
 * The backends to train on, best first: the chosen one then the others of `available`, or
 * (auto) the working ones of `available` by probe speed. `onProbe` says which is being probed.
 */
export async function rankBackends(
  inputs: SrelInputs,
  preference: BackendPreference,
  available: BackendName[],
  options: { signal?: AbortSignal; onProbe?: (backend: BackendName) => void } = {},
): Promise<BackendRanking> {
  if (preference !== 'auto') {
    const rest = available.filter((b) => b !== preference);
    return { order: [preference, ...rest], reason: 'chosen in the settings', timings: [] };
  }
  const timings: BackendTiming[] = [];
  for (const backend of available) {
    if (options.signal?.aborted) break;
    options.onProbe?.(backend);
    const check = await checkBackend(inputs, backend);
    timings.push(
      check.status === 'ok'
        ? { backend, secondsPerEpoch: check.secondsPerEpoch }
        : { backend, secondsPerEpoch: null, error: check.reason },
    );
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
