/// <reference lib="webworker" />
/**
 * Imports raw layers (POI points, incident points, trip records, land use, task labels; CSV
 * or gzip CSV, land-use polygons as GeoJSON) into a city off the main thread: point-in-polygon
 * for up to millions of points takes seconds, so progress within each file is reported (rows
 * read, points placed). All or nothing: the first layer that cannot be used fails the whole
 * import. With `askMapping`, POI points whose categories the city lacks (and the given mapping
 * does not cover) are not imported: the job ends with their categories for the user to map.
 * Also reads a GeoJSON of regions as a new city (parsing and checking 50,000 polygons on the
 * page kept it from answering), telling how many polygons are checked.
 */
import { loadGeoJsonCity } from '../core/city/geojson';
import type { PointTable } from '../core/city/layers/pointsCsv';
import { runImport } from './importRun';
import type { ImportJobs, ImportMessage } from './protocol';
import { serveJobs } from './serve';

/** POI points read to ask for their categories, kept for the request that follows the answer. */
const readPoints = new Map<string, PointTable>();

serveJobs<ImportJobs>((request, { emit }) => {
  if ('regions' in request) {
    const { name, bytes } = request.regions;
    const loaded = loadGeoJsonCity(bytes, name, request.mapping, (phase, done, total) =>
      emit({ type: 'progress', done: 0, total: 1, file: name, within: { phase, done, total } }),
    );
    return { type: 'regions', loaded };
  }
  // runImport ends with one message that is not progress: the result, or why there is none.
  const ends: ImportMessage[] = [];
  runImport(request, (m) => (m.type === 'progress' ? emit(m) : ends.push(m)), readPoints);
  const end = ends[0];
  if (end?.type === 'done' || end?.type === 'categories') return end;
  throw new Error(end?.type === 'failed' ? end.message : 'the import ended without a result');
});
