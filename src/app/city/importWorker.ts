/**
 * The import worker's client (src/workers/import.worker.ts). A worker that asked for POI
 * categories is kept, since it holds the points it read, and the import with the user's answer
 * goes to it; any other import starts a fresh worker, and a finished import ends its worker
 * (its memory goes with it).
 */
import { WorkerClient, type WorkerLike } from '../../workers/client';
import type { GeoJsonCityResult, GeoJsonMapping } from '../../core/city/geojson';
import type { ImportJobs, ImportRequest } from '../../workers/protocol';

const importWorker = (): WorkerLike =>
  new Worker(new URL('../../workers/import.worker.ts', import.meta.url), { type: 'module' });

export type ImportOutcome =
  | Extract<ImportJobs['result'], { type: 'categories' } | { type: 'done' }>
  | { type: 'failed'; message: string };

export class ImportClient {
  private readonly client: WorkerClient<ImportJobs>;
  /** Another worker of the same kind for GeoJSONs of regions, so that neither ends the other's job. */
  private readonly regionsClient: WorkerClient<ImportJobs>;
  /** Regions jobs not yet ended: the worker ends with the last. */
  private regionsRunning = 0;

  constructor(create: () => WorkerLike = importWorker) {
    this.client = new WorkerClient<ImportJobs>(create, 'the import worker');
    this.regionsClient = new WorkerClient<ImportJobs>(create, 'the import worker');
  }

  /** Import raw layers; a request without `askMapping` answers the last category question. */
  async run(request: ImportRequest, onProgress: (p: ImportJobs['event']) => void): Promise<ImportOutcome> {
    if (request.askMapping) this.client.close();
    try {
      const result = await this.client.run(request, { onEvent: onProgress }).result;
      if (result.type !== 'categories') this.client.close();
      if (result.type === 'regions') throw new Error('the import worker answered with regions');
      return result;
    } catch (e) {
      this.client.close();
      return { type: 'failed', message: e instanceof Error ? e.message : String(e) };
    }
  }

  /**
   * Read a GeoJSON of regions as a city (with the user's mapping of its properties, if any) in
   * a worker of its own, ended with the last such job (its memory goes with it): the page stays
   * responsive, told how far it is.
   */
  async regions(
    file: { name: string; bytes: Uint8Array },
    mapping: GeoJsonMapping | undefined,
    onProgress: (p: ImportJobs['event']) => void,
  ): Promise<GeoJsonCityResult | { failed: string }> {
    this.regionsRunning++;
    try {
      const result = await this.regionsClient.run(
        { regions: file, ...(mapping ? { mapping } : {}) },
        { onEvent: onProgress },
      ).result;
      if (result.type !== 'regions') throw new Error('the import worker did not answer with regions');
      return result.loaded;
    } catch (e) {
      return { failed: e instanceof Error ? e.message : String(e) };
    } finally {
      if (--this.regionsRunning === 0) this.regionsClient.close();
    }
  }

  /** The category question was cancelled: the worker waiting for the answer goes. */
  drop(): void {
    this.client.close();
  }
}
