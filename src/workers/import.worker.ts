/// <reference lib="webworker" />
/**
 * Imports raw layers (POI points, incident points, trip records, land use, task labels; CSV
 * or gzip CSV, land-use polygons as GeoJSON) into a city off the main thread: point-in-polygon
 * for up to millions of points takes seconds, so progress within each file is reported (rows
 * read, points placed). All or nothing: the first layer that cannot be used fails the whole
 * import. With `askMapping`, POI points whose categories the city lacks (and the given mapping
 * does not cover) are not imported: the worker answers with their categories for the user to map.
 */
import type { ImportMessage, ImportRequest } from './protocol';
import { runImport } from './importRun';
import type { PointTable } from '../core/city/layers/pointsCsv';

const post = (m: ImportMessage): void => (self as DedicatedWorkerGlobalScope).postMessage(m);
/** POI points read to ask for their categories, kept for the request that follows the answer. */
const readPoints = new Map<string, PointTable>();

self.onmessage = (e: MessageEvent<ImportRequest>): void => {
  try {
    runImport(e.data, post, readPoints);
  } catch (error) {
    post({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  }
};
