/**
 * Which TensorFlow.js backend to train on. With 'auto' the backends worth measuring train a
 * small probe model for a few epochs and the fastest (after its first, compiling epoch) wins;
 * the others follow as fallbacks. Not measured: a GPU backend whose device says it is software
 * (WebGPU's fallback adapter, a SwiftShader or llvmpipe renderer: no GPU, and slower than
 * WebAssembly by far), and plain JavaScript (never faster than WebAssembly), which both stay
 * fallbacks and can still be chosen in the settings. A probe that spends more than
 * PROBE_BUDGET_SECONDS on its first epoch is abandoned. A choice once measured is remembered
 * by the caller and passed back in: it is used as it is until the user asks to measure again.
 */
import * as tf from '@tensorflow/tfjs';
import { useBackend, type BackendName } from '../backend';
import { PROBE_SREL_CONFIG } from '../srel/config';
import type { SrelInputs } from '../srel/inputs';
import { SrelModel, TrainingCancelled, srelDims } from '../srel/train';
import type { MeasuredBackend, BackendPreference, BackendTiming } from './types';

/** Epochs each backend trains the probe model for: the first compiles, the rest are timed. */
export const PROBE_EPOCHS = 3;

/**
 * Seconds a probe's first epoch may take before the backend is abandoned as too slow here
 * (WebAssembly takes about 0.2 s on the sample city, WebGPU on a software adapter about 6).
 */
export const PROBE_BUDGET_SECONDS = 3;

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
  | { backend: BackendName; status: 'unavailable' | 'failed'; reason: string }
  /** Its first epoch took longer than the budget: abandoned after it. */
  | { backend: BackendName; status: 'slow'; firstEpochSeconds: number; reason: string };

/**
 * Train the probe model on one backend for `epochs` epochs (training diverging is a failure).
 * With `budgetSeconds`, a first epoch slower than that ends the probe ('slow').
 */
export async function checkBackend(
  inputs: SrelInputs,
  backend: BackendName,
  epochs = PROBE_EPOCHS,
  budgetSeconds = Infinity,
): Promise<BackendCheckResult> {
  try {
    await useBackend([backend]);
  } catch (e) {
    return { backend, status: 'unavailable', reason: e instanceof Error ? e.message : String(e) };
  }
  const model = new SrelModel(PROBE_SREL_CONFIG, srelDims(inputs));
  const abandon = new AbortController();
  let first = 0;
  try {
    const history = await model.train(inputs, {
      epochs,
      signal: abandon.signal,
      onEpoch: (r) => {
        if (r.epoch === 1) first = r.seconds;
        if (r.epoch === 1 && r.seconds > budgetSeconds) abandon.abort();
      },
    });
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
    if (e instanceof TrainingCancelled && abandon.signal.aborted)
      return {
        backend,
        status: 'slow',
        firstEpochSeconds: first,
        reason: `abandoned: its first probe epoch took ${first.toFixed(1)} s, over the ${budgetSeconds} s budget`,
      };
    return { backend, status: 'failed', reason: e instanceof Error ? e.message : String(e) };
  } finally {
    model.dispose();
    tf.disposeVariables();
  }
}

import { softwareDevice, type GpuDevices } from '../backend/devices';

export { softwareDevice, type GpuDevice, type GpuDevices } from '../backend/devices';

export const BACKEND_LABELS: Record<BackendName, string> = {
  webgpu: 'WebGPU',
  webgl: 'WebGL',
  wasm: 'WebAssembly',
  cpu: 'plain JavaScript',
};

/** What 'auto' does before training: which backends to measure, and which not, with why. */
export interface BackendPlan {
  /** Backends to train the probe model on, in order; empty when the choice needs no probe. */
  probe: BackendName[];
  /** Not measured, each with why (for the user); they follow the measured ones as fallbacks. */
  skipped: { backend: BackendName; reason: string }[];
}

/**
 * The backends of `available` worth measuring on this device: not a GPU backend whose device
 * is software or missing, and not plain JavaScript while any other is left.
 */
export function planProbe(available: BackendName[], devices: GpuDevices): BackendPlan {
  const probe: BackendName[] = [];
  const skipped: BackendPlan['skipped'] = [];
  for (const backend of available) {
    const device = backend === 'webgpu' || backend === 'webgl' ? devices[backend] : undefined;
    const software = device?.available ? softwareDevice(device) : null;
    if (device && !device.available)
      skipped.push({ backend, reason: `${BACKEND_LABELS[backend]} is not available in this browser` });
    else if (software)
      skipped.push({
        backend,
        reason: `${BACKEND_LABELS[backend]} not measured: ${software}, no GPU (choose it under Training settings to use it anyway)`,
      });
    else probe.push(backend);
  }
  const cpu = probe.indexOf('cpu');
  if (cpu >= 0 && probe.length > 1) {
    probe.splice(cpu, 1);
    skipped.push({ backend: 'cpu', reason: 'plain JavaScript not measured: never faster than WebAssembly' });
  }
  return { probe, skipped };
}

export interface BackendRanking {
  /** Backends to try, best first. */
  order: BackendName[];
  /** Why the first, for the user. */
  reason: string;
  timings: BackendTiming[];
  /** Why some backends were not measured, for the user (auto only). */
  notes: string[];
  /** A choice this ranking measured (auto without a remembered one): the caller remembers it. */
  measured: MeasuredBackend | null;
}

export interface RankOptions {
  signal?: AbortSignal;
  onProbe?: (backend: BackendName) => void;
  /** A choice measured earlier (auto): used as it is, nothing is probed. */
  remembered?: MeasuredBackend | null;
  /** What the GPU backends' devices are (asked only when there is something to measure). */
  devices?: () => Promise<GpuDevices>;
  /** Seconds a probe's first epoch may take (PROBE_BUDGET_SECONDS). */
  budgetSeconds?: number;
  /** The date to stamp a measured choice with. */
  now?: () => Date;
}

/** `order` first (those of `available`, once each), then the rest of `available` in its order. */
const withRest = (order: BackendName[], available: BackendName[]): BackendName[] => [
  ...new Set([...order.filter((b) => available.includes(b)), ...available]),
];

/** The ranking a remembered choice gives, or null when its backend is not available here. */
export function rememberedRanking(
  remembered: MeasuredBackend,
  available: BackendName[],
): BackendRanking | null {
  if (!available.includes(remembered.backend)) return null;
  return {
    order: withRest([remembered.backend, ...remembered.order], available),
    reason: `remembered from ${remembered.measuredAt.slice(0, 10)}: ${remembered.reason}`,
    timings: remembered.timings,
    notes: remembered.notes,
    measured: null,
  };
}

/**
 * The backends to train on, best first: the chosen one then the others of `available`, or
 * (auto) a remembered choice, or the planned backends of `available` measured by probe speed.
 * `onProbe` says which is being probed.
 */
export async function rankBackends(
  inputs: SrelInputs,
  preference: BackendPreference,
  available: BackendName[],
  options: RankOptions = {},
): Promise<BackendRanking> {
  if (preference !== 'auto') {
    const rest = available.filter((b) => b !== preference);
    return {
      order: [preference, ...rest],
      reason: 'chosen in the settings',
      timings: [],
      notes: [],
      measured: null,
    };
  }
  const remembered = options.remembered ? rememberedRanking(options.remembered, available) : null;
  if (remembered) return remembered;
  const { probe, skipped } = planProbe(available, options.devices ? await options.devices() : {});
  const notes = skipped.map((s) => s.reason);
  const timings: BackendTiming[] = [];
  let reason: string;
  let order: BackendName[];
  if (probe.length <= 1) {
    order = withRest(probe, available);
    reason = probe.length ? 'the only backend worth measuring here' : 'no backend worth measuring here';
  } else {
    for (const backend of probe) {
      if (options.signal?.aborted) break;
      options.onProbe?.(backend);
      const check = await checkBackend(
        inputs,
        backend,
        PROBE_EPOCHS,
        options.budgetSeconds ?? PROBE_BUDGET_SECONDS,
      );
      timings.push(
        check.status === 'ok'
          ? { backend, secondsPerEpoch: check.secondsPerEpoch }
          : { backend, secondsPerEpoch: null, error: check.reason },
      );
      if (check.status === 'slow') notes.push(`${BACKEND_LABELS[backend]} ${check.reason}`);
    }
    const working = timings
      .filter((t) => t.secondsPerEpoch !== null)
      .sort((a, b) => (a.secondsPerEpoch ?? 0) - (b.secondsPerEpoch ?? 0));
    const best = working[0];
    order = withRest(
      working.map((t) => t.backend),
      available,
    );
    reason = best
      ? `fastest of ${working.length} working backend${working.length === 1 ? '' : 's'} (${(1000 * (best.secondsPerEpoch ?? 0)).toFixed(0)} ms per probe epoch)`
      : 'no backend passed the probe';
    if (!best) order = withRest(['cpu'], available);
  }
  const measured: MeasuredBackend | null = options.signal?.aborted
    ? null
    : {
        backend: order[0],
        order,
        reason,
        notes,
        timings,
        measuredAt: (options.now?.() ?? new Date()).toISOString(),
      };
  return { order, reason, timings, notes, measured };
}
