/** Messages between the app and its Web Workers (structured-clone friendly: plain data only). */
import type { BackendName } from '../core/backend';
import type { SrelInputs } from '../core/srel/inputs';

/** App -> backend-check worker: train a small SREL briefly on each backend, in order. */
export interface BackendCheckRequest {
  type: 'check-backends';
  inputs: SrelInputs;
  backends: BackendName[];
  epochs: number;
}

export type BackendCheckResult =
  | {
      backend: BackendName;
      status: 'ok';
      /** The first epoch includes kernel compilation (slow on WebGPU). */
      firstEpochSeconds: number;
      /** Mean of the later epochs. */
      secondsPerEpoch: number;
      finalLoss: number;
      /** The loss's parts at the last epoch: mobility, POI, land use. */
      parts: [number, number, number];
    }
  | { backend: BackendName; status: 'unavailable' | 'failed'; reason: string };

/** Worker -> app. */
export type BackendCheckMessage =
  | { type: 'backend-started'; backend: BackendName }
  | { type: 'backend-result'; result: BackendCheckResult }
  | { type: 'done' };
