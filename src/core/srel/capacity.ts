/**
 * What training SREL costs at a city's size: the one place for the measured figures, from
 * which the app's limits and its time estimates follow (the new-city cell cap, the Train
 * card's "about 7 s per epoch"). Measured with `npm run bench:scale` on 2-core machines,
 * WASM, one thread (December 2026), sparse SREL with the default settings (embedding 144,
 * two region-fusion layers, four heads). Cities up to DENSE_UP_TO regions train the dense
 * path instead; the figure at 150 regions stands for them.
 *
 * No TensorFlow.js here: the page reads these figures without loading it.
 */
import type { BackendName } from '../backend/names';

/** How the figures below were measured, for comments, reports and the UI. */
export const CAPACITY_MEASURED_WITH = 'npm run bench:scale on 2-core machines, WASM, one thread';

/** CPU seconds per epoch on WebAssembly (one thread) at each measured size, smallest first. */
export const WASM_EPOCH_SECONDS: readonly { regions: number; seconds: number }[] = [
  { regions: 150, seconds: 0.4 },
  { regions: 2_000, seconds: 2.2 },
  { regions: 5_000, seconds: 6.9 },
  // Above 8,192 regions in mini-batches (srel/miniBatch.ts): bounded memory, more seconds.
  { regions: 10_000, seconds: 22 },
  { regions: 20_000, seconds: 50 },
  { regions: 100_000, seconds: 226 },
];

/** Above the largest measured size, each further region adds about this much to an epoch (2.2 ms). */
export const WASM_SECONDS_PER_REGION = 0.0022;

/** Peak WebAssembly heap while training, bytes, at each measured size (mini-batches from 10,000 on). */
export const WASM_HEAP_BYTES: readonly { regions: number; bytes: number }[] = [
  { regions: 2_000, bytes: 1.25e9 },
  { regions: 5_000, bytes: 1.33e9 },
  { regions: 10_000, bytes: 0.75e9 },
  { regions: 20_000, bytes: 0.76e9 },
  { regions: 100_000, bytes: 0.89e9 },
];

/** A WebAssembly (wasm32) memory holds at most 4 GiB: the heap cannot grow past it. */
export const WASM_MEMORY_LIMIT_BYTES = 4 * 2 ** 30;

/**
 * The most regions a new city cut from an area may have. Memory no longer sets it (mini-batches
 * train 100,000 regions in 0.89 GB); time does: at 20,000 regions an epoch takes about 50 s
 * on WebAssembly, one thread (the default 500 epochs about 7 hours), and 20,000 is the largest
 * city measured to train in headless Chromium (npm run bench:scale:browser).
 */
export const MAX_NEW_CITY_REGIONS = 20_000;

/**
 * The most regions the app imports trips for. Reading trips no longer limits it (they are
 * sparse from file to tensor); training does: trips are SREL's mobility view, and 20,000
 * regions is the largest city measured to train in headless Chromium (npm run
 * bench:scale:browser), at about 50 s per epoch on WebAssembly, one thread. The same figure
 * as MAX_NEW_CITY_REGIONS, for the same reason. Node has no such cap (`npm run city --
 * import` and `train`: 100,000 regions train there in 0.89 GB).
 */
export const MAX_TRIPS_REGIONS = MAX_NEW_CITY_REGIONS;

/** From here on an epoch takes several seconds on WebAssembly (6.9 s at 5,000): worth a word before training. */
export const LONG_TRAINING_REGIONS = 5_000;

/** Linear between measured points; flat below the first; a straight line of `slope` past the last. */
function piecewise(points: readonly { x: number; y: number }[], x: number, slope: number): number {
  const first = points[0];
  const last = points[points.length - 1];
  if (x <= first.x) return first.y;
  if (x >= last.x) return last.y + slope * (x - last.x);
  let k = 1;
  while (points[k].x < x) k++;
  const a = points[k - 1];
  const b = points[k];
  return a.y + ((b.y - a.y) * (x - a.x)) / (b.x - a.x);
}

/** Seconds per epoch on WebAssembly (one thread) for a city of `regions`, from the measured figures. */
export function wasmEpochSeconds(regions: number): number {
  const points = WASM_EPOCH_SECONDS.map((p) => ({ x: p.regions, y: p.seconds }));
  return piecewise(points, regions, WASM_SECONDS_PER_REGION);
}

/**
 * WebAssembly heap bytes for training a city of `regions`, from the measured figures (past
 * 100,000 regions, the growth from 20,000 to 100,000 continued; below 2,000, the figure at 2,000).
 */
export function wasmHeapBytes(regions: number): number {
  const points = WASM_HEAP_BYTES.map((p) => ({ x: p.regions, y: p.bytes }));
  const a = points[points.length - 2];
  const b = points[points.length - 1];
  return piecewise(points, regions, (b.y - a.y) / (b.x - a.x));
}

export interface EpochEstimate {
  /** Seconds per epoch. */
  seconds: number;
  /** The backend the figure is for: the one asked about, or WebAssembly when nothing relates the two. */
  backend: BackendName;
  /**
   * 'measured': WebAssembly's own figures; 'scaled': WebAssembly's figure times the ratio of
   * the two backends in a measurement on this machine; 'wasm-only': no such measurement, so
   * the figure is WebAssembly's.
   */
  basis: 'measured' | 'scaled' | 'wasm-only';
}

/**
 * Seconds per epoch of training a city of `regions` on `backend`. WebAssembly's come from the
 * measured figures; another backend's are WebAssembly's scaled by how the two compared in
 * `timings` (the app's remembered backend measurement: seconds per probe epoch on this
 * machine), or, without both in it, WebAssembly's figure said to be for WebAssembly.
 */
export function estimateEpochSeconds(
  regions: number,
  backend: BackendName,
  timings: readonly { backend: BackendName; secondsPerEpoch: number | null }[] = [],
): EpochEstimate {
  const wasm = wasmEpochSeconds(regions);
  if (backend === 'wasm') return { seconds: wasm, backend, basis: 'measured' };
  const probe = (b: BackendName): number | null => {
    const s = timings.find((t) => t.backend === b)?.secondsPerEpoch;
    return typeof s === 'number' && s > 0 ? s : null;
  };
  const own = probe(backend);
  const reference = probe('wasm');
  if (own === null || reference === null) return { seconds: wasm, backend: 'wasm', basis: 'wasm-only' };
  return { seconds: (wasm * own) / reference, backend, basis: 'scaled' };
}

/**
 * Whether training at this estimate is slow enough to say so before a run: an epoch as long
 * as WebAssembly's at LONG_TRAINING_REGIONS (6.9 s) or longer.
 */
export function isSlowTraining(estimate: Pick<EpochEstimate, 'seconds'>): boolean {
  return estimate.seconds >= wasmEpochSeconds(LONG_TRAINING_REGIONS);
}
