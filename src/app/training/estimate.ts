/**
 * The Train card's estimate before a run: seconds per epoch and the total for the chosen
 * epochs, from the city's size and the backend (core/srel/capacity.ts's measured figures).
 * Once training runs, the progress line's time left (the rate so far) takes over.
 */
import type { BackendName } from '../../core/backend/names';
import { DEFAULT_TRAIN_SETTINGS } from '../../core/pipeline/settings';
import type { BackendPreference, MeasuredBackend } from '../../core/pipeline/types';
import { LONG_TRAINING_REGIONS, estimateEpochSeconds, wasmEpochSeconds } from '../../core/srel/capacity';
import { formatNumber } from '../region/regionStats';
import { BACKEND_NAMES } from './backendNames';

/** "under 1 s", "about 7 s", "about 6 min", "about 2 h 05 min": rounded as an estimate should be. */
export function roughDuration(seconds: number): string {
  if (seconds < 0.95) return 'under 1 s';
  if (seconds < 59.5) return `about ${Math.round(seconds)} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `about ${minutes} min`;
  return `about ${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** The backend a run will train on as far as is known before it starts; null: measured first. */
export function expectedBackend(
  preference: BackendPreference,
  remembered: MeasuredBackend | null,
): BackendName | null {
  if (preference !== 'auto') return preference;
  return remembered?.backend ?? null;
}

/**
 * "WebAssembly: about 7 s per epoch, about 6 min for 50 epochs at 5,000 regions (measured on
 * 2-core machines, one thread)", with why the figure is what it is. (Memory needs no warning:
 * cities above 8,192 regions train in mini-batches, 0.89 GB at 100,000 regions.)
 */
export function trainEstimateText(
  regions: number,
  epochs: number,
  preference: BackendPreference,
  remembered: MeasuredBackend | null,
): string {
  const backend = expectedBackend(preference, remembered);
  const e = estimateEpochSeconds(regions, backend ?? 'wasm', remembered?.timings ?? []);
  const head =
    `${BACKEND_NAMES[e.backend]}: ${roughDuration(e.seconds)} per epoch, ` +
    `${roughDuration(e.seconds * epochs)} for ${formatNumber(epochs)} epoch${epochs === 1 ? '' : 's'} ` +
    `at ${formatNumber(regions)} regions`;
  const why =
    backend === null
      ? ' (the automatic choice measures the backends first; this is the figure for WebAssembly, measured on 2-core machines, one thread)'
      : e.basis === 'measured'
        ? ' (measured on 2-core machines, one thread; more threads are faster)'
        : e.basis === 'scaled'
          ? ` (WebAssembly's measured figure, scaled by how ${BACKEND_NAMES[e.backend]} compared with it in this browser)`
          : ` (the figure for WebAssembly: ${BACKEND_NAMES[backend]} has not been measured against it in this browser)`;
  return `${head}${why}.`;
}

/**
 * A word before cutting an area into many cells (LONG_TRAINING_REGIONS or more): how long
 * SREL will take on it on WebAssembly; null for fewer cells.
 */
export function largeCityHint(cells: number): string | null {
  if (cells < LONG_TRAINING_REGIONS) return null;
  const seconds = wasmEpochSeconds(cells);
  const epochs = DEFAULT_TRAIN_SETTINGS.epochs;
  return (
    `${formatNumber(Math.round(cells))} regions: the map copes, but training SREL takes ${roughDuration(seconds)} ` +
    `per epoch on WebAssembly (${roughDuration(seconds * epochs)} for the default ${epochs} epochs; measured on ` +
    `2-core machines, one thread); coarser cells train faster.`
  );
}
