/// <reference lib="webworker" />
/**
 * Imports raw layers (POI points, incident points, trip records; CSV or gzip CSV) into a city
 * off the main thread: point-in-polygon for up to millions of points takes seconds. All or
 * nothing: the first layer that cannot be used fails the whole import.
 */
import { importIncidentLabels, importPoiPoints, rawLayerKind, rawLayerText } from '../core/city/pointsCsv';
import { importTripRecords } from '../core/city/tripsCsv';
import type { ImportMessage, ImportRequest } from './protocol';

const post = (m: ImportMessage): void => (self as DedicatedWorkerGlobalScope).postMessage(m);
const IMPORTERS = { poi: importPoiPoints, incidents: importIncidentLabels, trips: importTripRecords };

self.onmessage = (e: MessageEvent<ImportRequest>): void => {
  let city = e.data.city;
  const report: string[] = [];
  try {
    for (const [k, file] of e.data.files.entries()) {
      post({ type: 'progress', done: k, total: e.data.files.length, file: file.name });
      const read = rawLayerText(file.name, file.bytes);
      if ('error' in read) {
        post({ type: 'failed', message: read.error });
        return;
      }
      const { text } = read;
      const kind = rawLayerKind(text);
      if (!kind) {
        post({
          type: 'failed',
          message: `${file.name} has no longitude and latitude columns (or origin and destination ones)`,
        });
        return;
      }
      const result = IMPORTERS[kind](city, text, file.name);
      if ('error' in result) {
        post({ type: 'failed', message: result.error });
        return;
      }
      report.push(...result.report);
      city = result.city;
    }
    post({ type: 'done', city, report });
  } catch (error) {
    post({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  }
};
