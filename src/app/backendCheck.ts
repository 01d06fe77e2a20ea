/** Runs the backend check in a Web Worker and reports each backend's result as it comes. */
import { BROWSER_BACKENDS } from '../core/backend/names';
import type { City } from '../core/city/types';
import { srelInputs } from '../core/srel/inputs';
import { buildSpatialPriors } from '../core/spatial/priors';
import type { BackendCheckMessage, BackendCheckRequest } from '../workers/protocol';

export function runBackendCheck(
  city: City,
  onMessage: (m: BackendCheckMessage) => void,
  epochs = 3,
): { cancel: () => void } {
  const worker = new Worker(new URL('../workers/backendCheck.worker.ts', import.meta.url), {
    type: 'module',
  });
  worker.onmessage = (e: MessageEvent<BackendCheckMessage>) => {
    onMessage(e.data);
    if (e.data.type === 'done') worker.terminate();
  };
  worker.onerror = (e) => {
    onMessage({
      type: 'backend-result',
      result: { backend: 'cpu', status: 'failed', reason: e.message || 'worker failed' },
    });
    onMessage({ type: 'done' });
    worker.terminate();
  };
  const request: BackendCheckRequest = {
    type: 'check-backends',
    inputs: srelInputs(city, buildSpatialPriors(city)),
    backends: BROWSER_BACKENDS,
    epochs,
  };
  worker.postMessage(request);
  return { cancel: () => worker.terminate() };
}
