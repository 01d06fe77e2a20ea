/**
 * Warming the training worker before Train is clicked: which backend to get ready, and when.
 * The first view stays light: nothing starts until the map has been drawn and the page is idle
 * (TensorFlow.js and its WebAssembly then load in the worker, off the main thread), so a click
 * on Train finds a worker with its backend initialised.
 */
import type { BackendName } from '../../core/backend/names';
import type { BackendPreference, MeasuredBackend } from '../../core/pipeline/types';
import { expectedBackend } from './estimate';

/**
 * The backend a run will most likely train on: the one chosen in the settings, or the
 * automatic choice remembered in this browser; WebAssembly when the automatic choice has not
 * been measured yet (it is what the measurement picks where no GPU is worth probing, and the
 * fallback everywhere).
 */
export function likelyBackend(
  preference: BackendPreference,
  remembered: MeasuredBackend | null,
): BackendName {
  return expectedBackend(preference, remembered) ?? 'wasm';
}

/** How the page waits: an idle moment (requestIdleCallback), or a delay. Each returns its own cancel. */
export interface Waits {
  idle(run: () => void): () => void;
  later(run: () => void, ms: number): () => void;
}

/** How long an idle wait may last at most, and how often the map is asked whether it has drawn. */
export const IDLE_TIMEOUT_MS = 2000;
export const DRAWN_POLL_MS = 250;

export const browserWaits: Waits = {
  idle(run) {
    if (typeof requestIdleCallback === 'function') {
      const id = requestIdleCallback(run, { timeout: IDLE_TIMEOUT_MS });
      return () => cancelIdleCallback(id);
    }
    return browserWaits.later(run, 0);
  },
  later(run, ms) {
    const id = setTimeout(run, ms);
    return () => clearTimeout(id);
  },
};

/**
 * Call `run` once the map has drawn (`drawn()`, asked every DRAWN_POLL_MS) and then the page
 * is idle; the function returned cancels it (a component's effect cleans up with it).
 */
export function whenDrawnAndIdle(
  drawn: () => boolean,
  run: () => void,
  waits: Waits = browserWaits,
): () => void {
  let cancel: () => void = () => {};
  let cancelled = false;
  const attempt = (): void => {
    if (cancelled) return;
    if (!drawn()) {
      cancel = waits.later(attempt, DRAWN_POLL_MS);
      return;
    }
    cancel = waits.idle(() => {
      if (!cancelled) run();
    });
  };
  attempt();
  return () => {
    cancelled = true;
    cancel();
  };
}
