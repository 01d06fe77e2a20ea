/// <reference lib="webworker" />
/**
 * Trains a small SREL for a few epochs on each requested backend and reports, per backend,
 * whether it works here and how fast it is. Runs off the main thread: WebGPU's first epoch
 * can spend many seconds compiling shaders. The inputs are built here from the City.
 */
import './tfSetup';
import { checkBackend, type BackendCheckResult } from '../core/pipeline/backends';
import { srelInputsOf } from '../core/pipeline/inputs';
import type { BackendCheckJobs } from './protocol';
import { serveJobs } from './serve';

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
