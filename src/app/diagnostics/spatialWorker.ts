/**
 * Test a map layer for spatial clustering in a Web Worker (src/workers/spatial.worker.ts),
 * each test in a fresh worker ended with it.
 */
import type { SpatialPattern } from '../../core/spatial/moran';
import { WorkerClient, type WorkerLike } from '../../workers/client';
import type { SpatialJobs } from '../../workers/protocol';

const spatialWorker = (): WorkerLike =>
  new Worker(new URL('../../workers/spatial.worker.ts', import.meta.url), { type: 'module' });

export type TestLayer = (request: SpatialJobs['request']) => Promise<SpatialPattern>;

export function layerTester(create: () => WorkerLike = spatialWorker): TestLayer {
  return async (request) => {
    const client = new WorkerClient<SpatialJobs>(create, 'the spatial-diagnostics worker');
    try {
      return await client.run(request).result;
    } finally {
      client.close();
    }
  };
}
