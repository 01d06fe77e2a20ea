/**
 * The import worker's work, apart from the worker so that tests can run it: read each raw
 * layer and tell what it holds (readRawLayer: size limits, gzip, encoding, columns), ask for a
 * POI category mapping when one is needed, then import the layers in order, all or nothing,
 * reporting progress within each file through `send`.
 */
import { readRawLayer } from '../core/city/droppedFiles';
import { mappedTarget } from '../core/city/layers/categoryMapping';
import { poiCategoryChoices, pointsFromCsv, type PointTable } from '../core/city/layers/pointsCsv';
import type { RawLayerKind } from '../core/city/layers/rawLayerFiles';
import { RAW_LAYER_IMPORTERS } from '../core/city/layers/rawLayers';
import type { ImportMessage, ImportRequest } from './protocol';

/** Which dropped file a cached point table was read from. */
const fileKey = (file: { name: string; bytes: Uint8Array }): string => `${file.name}:${file.bytes.length}`;

/**
 * Run one import request; every message (progress, categories, done, failed) goes to `send`.
 * `cache` keeps the POI points read to ask for their categories, by file, so the request that
 * follows the user's answer (to the same worker) does not read them again; it is emptied then.
 */
export function runImport(
  request: ImportRequest,
  send: (m: ImportMessage) => void,
  cache: Map<string, PointTable> = new Map(),
): void {
  let city = request.city;
  const report: string[] = [];
  const mapping = request.poi?.mapping ?? {};
  const texts: { name: string; text: string; kind: RawLayerKind }[] = [];
  for (const file of request.files) {
    // What each layer holds, told from its whole text (the page told it from its start).
    const read = readRawLayer(file);
    if ('error' in read) return send({ type: 'failed', message: read.error });
    texts.push({ name: file.name, text: read.text, kind: read.kind });
  }
  // POI files read to ask for their categories are not read again to import them.
  const readPoints = new Map<string, PointTable>();
  for (const file of request.files) {
    const cached = cache.get(fileKey(file));
    if (cached) readPoints.set(file.name, cached);
  }
  cache.clear();
  if (request.askMapping && !request.poi?.ownCategories && city.views.poiCategories.length) {
    const layers: Extract<ImportMessage, { type: 'categories' }>['layers'] = [];
    for (const [k, { name, text, kind }] of texts.entries()) {
      if (kind !== 'poi') continue;
      const parsed = pointsFromCsv(text, name, (phase, done, total) =>
        send({ type: 'progress', done: k, total: texts.length, file: name, within: { phase, done, total } }),
      );
      if ('error' in parsed) return send({ type: 'failed', message: parsed.error });
      readPoints.set(name, parsed.points);
      cache.set(fileKey(request.files[k]), parsed.points);
      const choices = poiCategoryChoices(city, parsed.points);
      // Own keys only: a category called "__proto__", "constructor" or "toString" is not
      // answered by the mapping's prototype (structured cloning gives it Object.prototype).
      if (choices?.some((c) => !c.sameName && mappedTarget(mapping, c.name) === undefined))
        layers.push({ file: name, choices, targets: city.views.poiCategories });
    }
    if (layers.length) return send({ type: 'categories', layers });
    cache.clear();
  }
  for (const [k, { name, text, kind }] of texts.entries()) {
    send({ type: 'progress', done: k, total: texts.length, file: name });
    const result = RAW_LAYER_IMPORTERS[kind](city, text, name, {
      // The category choices are the POI layer's; other layers match their classes by name.
      ...(kind === 'poi' ? { ...request.poi, points: readPoints.get(name) } : {}),
      onProgress: (phase, done, total) =>
        send({ type: 'progress', done: k, total: texts.length, file: name, within: { phase, done, total } }),
    });
    if ('error' in result) return send({ type: 'failed', message: result.error });
    report.push(...result.report);
    city = result.city;
  }
  send({ type: 'done', city, report });
}
