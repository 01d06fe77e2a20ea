/// <reference lib="webworker" />
/**
 * The backend check, served by the training worker's bundle when the page starts it under the
 * name BACKEND_CHECK_WORKER (one worker bundle for both: TensorFlow.js and its backends are
 * shipped once, not once per worker). Trains a small SREL for a few epochs on each requested
 * backend and reports, per backend, whether it works here and how fast it is. Runs off the
 * main thread: WebGPU's first epoch can spend many seconds compiling shaders. The inputs are
 * built here from the City.
 */
import { checkBackend, type BackendCheckResult } from '../core/pipeline/backends';
import { srelInputsOf } from '../core/pipeline/inputs';
import type { BackendCheckJobs } from './protocol';
import { serveJobs } from './serve';

export function serveBackendCheck(): void {
  serveJobs<BackendCheckJobs>(async ({ city, backends, epochs }, { emit }) => {
    const inputs = srelInputsOf(city);
    const results: BackendCheckResult[] = [];
    for (const backend of backends) {
      emit({ type: 'backend-started', backend });
      const result = await checkBackend(inputs, backend, epochs);
      emit({ type: 'backend-result', result });
      results.push(result);
    }
    return results;
  });
}
