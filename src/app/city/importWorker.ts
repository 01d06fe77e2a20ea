/**
 * The import worker's client (src/workers/import.worker.ts). A worker that asked for POI
 * categories is kept, since it holds the points it read, and the import with the user's answer
 * goes to it; any other import starts a fresh worker, and a finished import ends its worker
 * (its memory goes with it).
 */
import { WorkerClient, type WorkerLike } from '../../workers/client';
import type { ImportJobs } from '../../workers/protocol';

const importWorker = (): WorkerLike =>
  new Worker(new URL('../../workers/import.worker.ts', import.meta.url), { type: 'module' });

export type ImportOutcome = ImportJobs['result'] | { type: 'failed'; message: string };

export class ImportClient {
  private readonly client: WorkerClient<ImportJobs>;

  constructor(create: () => WorkerLike = importWorker) {
    this.client = new WorkerClient<ImportJobs>(create, 'the import worker');
  }

  /** Import raw layers; a request without `askMapping` answers the last category question. */
  async run(
    request: ImportJobs['request'],
    onProgress: (p: ImportJobs['event']) => void,
  ): Promise<ImportOutcome> {
    if (request.askMapping) this.client.close();
    try {
      const result = await this.client.run(request, { onEvent: onProgress }).result;
      if (result.type !== 'categories') this.client.close();
      return result;
    } catch (e) {
      this.client.close();
      return { type: 'failed', message: e instanceof Error ? e.message : String(e) };
    }
  }

  /** The category question was cancelled: the worker waiting for the answer goes. */
  drop(): void {
    this.client.close();
  }
}
