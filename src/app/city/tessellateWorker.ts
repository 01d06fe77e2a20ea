/**
 * The tessellate worker's client (src/workers/tessellate.worker.ts): counts the cells of a
 * study area as the user types, and builds the city. The worker stays for the next count.
 */
import { WorkerClient, type WorkerLike } from '../../workers/client';
import type { TessellateJobs } from '../../workers/protocol';

const tessellateWorker = (): WorkerLike =>
  new Worker(new URL('../../workers/tessellate.worker.ts', import.meta.url), { type: 'module' });

export type TessellateClient = WorkerClient<TessellateJobs>;

export const tessellateClient = (create: () => WorkerLike = tessellateWorker): TessellateClient =>
  new WorkerClient<TessellateJobs>(create, 'the tessellation worker');
