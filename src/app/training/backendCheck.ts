/** Runs the backend check in a Web Worker and reports each backend's result as it comes. */
import { BROWSER_BACKENDS } from '../../core/backend/names';
import type { City } from '../../core/city/types';
import { WorkerClient, type WorkerLike } from '../../workers/client';
import { BACKEND_CHECK_WORKER, type BackendCheckJobs } from '../../workers/protocol';

/** The training worker's bundle, started as the backend check (one copy of TensorFlow.js to ship). */
const backendCheckWorker = (): WorkerLike =>
  new Worker(new URL('../../workers/training.worker.ts', import.meta.url), {
    type: 'module',
    name: BACKEND_CHECK_WORKER,
  });

/**
 * Check every browser backend on the city (the worker builds the inputs); `onEvent` hears each
 * backend start and finish, `onEnd` once when all are done or the check failed.
 */
export function runBackendCheck(
  city: City,
  onEvent: (e: BackendCheckJobs['event']) => void,
  onEnd: () => void,
  epochs = 3,
  create: () => WorkerLike = backendCheckWorker,
): { cancel: () => void } {
  const client = new WorkerClient<BackendCheckJobs>(create, 'the backend-check worker');
  client
    .run({ city, backends: BROWSER_BACKENDS, epochs }, { onEvent })
    .result.catch((e: unknown) =>
      onEvent({
        type: 'backend-result',
        result: { backend: 'cpu', status: 'failed', reason: e instanceof Error ? e.message : String(e) },
      }),
    )
    .finally(() => {
      client.close();
      onEnd();
    });
  return { cancel: () => client.close() };
}
