/**
 * Files a user downloads after training: embeddings (.npy N x d float32, and .csv with region
 * ids), predictions (.csv), and names that carry city, content and date.
 */
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import type { Region } from '../city/types';
import { writeCsv } from '../io/csv';
import { writeNpy } from '../io/npy';
import { slug } from '../slug';
import { LISA_KINDS } from '../spatial/moran';

export interface ExportFile {
  name: string;
  mime: string;
  bytes: Uint8Array;
}

/** A file-name-safe form of a city name ("Riverton (sample)" -> "riverton-sample"). */
export function fileSlug(text: string): string {
  return slug(text) || 'city';
}

/** e.g. "riverton_embeddings_2026-11-24.npy". */
export function exportName(city: string, what: string, date: Date, extension: string): string {
  return `${fileSlug(city)}_${what}_${date.toISOString().slice(0, 10)}.${extension}`;
}

const encoder = new TextEncoder();

export function embeddingsNpy(embedding: Float32Array, n: number, d: number, name: string): ExportFile {
  return {
    name,
    mime: 'application/octet-stream',
    bytes: writeNpy({ dtype: 'float32', shape: [n, d], data: embedding }),
  };
}

/** region_id, e0 ... e{d-1}. */
export function embeddingsCsv(ids: string[], embedding: Float32Array, d: number, name: string): ExportFile {
  const header = ['region_id', ...Array.from({ length: d }, (_, k) => `e${k}`)];
  const rows = ids.map((id, i) => [id, ...Array.from(embedding.subarray(i * d, (i + 1) * d))]);
  return { name, mime: 'text/csv', bytes: encoder.encode(writeCsv(header, rows)) };
}

export interface PredictionColumn {
  task: string;
  /** Per region; NaN = no label. */
  actual: Float64Array | null;
  predicted: Float64Array;
  /** 1 where `predicted` is held out (cross-validated), 0 where predicted from all labels. */
  heldOut: Uint8Array;
  /**
   * The LISA cluster of the region's held-out residual (spatial/moran.ts: an index into
   * LISA_KINDS, -1 for none); absent: no `<task>_residual_cluster` column.
   */
  residualCluster?: Int8Array | null;
}

/** A region's residual cluster as the exports write it: the LISA kind, or '' / null for none. */
const clusterOf = (c: PredictionColumn, i: number): string | null =>
  c.residualCluster && c.residualCluster[i] >= 0 ? LISA_KINDS[c.residualCluster[i]] : null;

/** region_id, name, then per task: actual, predicted, held_out (and residual_cluster where known). */
export function predictionsCsv(
  ids: string[],
  names: (string | null)[],
  columns: PredictionColumn[],
  name: string,
): ExportFile {
  const header = [
    'region_id',
    'name',
    ...columns.flatMap((c) => [
      `${c.task}_actual`,
      `${c.task}_predicted`,
      `${c.task}_held_out`,
      ...(c.residualCluster ? [`${c.task}_residual_cluster`] : []),
    ]),
  ];
  const rows = ids.map((id, i) => [
    id,
    names[i] ?? '',
    ...columns.flatMap((c) => [
      c.actual ? c.actual[i] : NaN,
      c.predicted[i],
      c.heldOut[i],
      ...(c.residualCluster ? [clusterOf(c, i) ?? ''] : []),
    ]),
  ]);
  return { name, mime: 'text/csv', bytes: encoder.encode(writeCsv(header, rows)) };
}

/**
 * Predictions as GeoJSON: one feature per region with its geometry (a Point at the centroid
 * when the city has no boundaries; null geometry when neither is known) and, per task,
 * `<task>_actual`, `<task>_predicted` and `<task>_held_out` properties (null for no label),
 * and `<task>_residual_cluster` (the LISA kind of its residual, null for none) where known.
 */
export function predictionsGeoJson(regions: Region[], columns: PredictionColumn[], name: string): ExportFile {
  const value = (v: number): number | null => (Number.isFinite(v) ? v : null);
  const features: Feature<Geometry | null>[] = regions.map((r, i) => {
    const properties: Record<string, string | number | boolean | null> = { region_id: r.id, name: r.name };
    for (const c of columns) {
      properties[`${c.task}_actual`] = c.actual ? value(c.actual[i]) : null;
      properties[`${c.task}_predicted`] = value(c.predicted[i]);
      properties[`${c.task}_held_out`] = c.heldOut[i] === 1;
      if (c.residualCluster) properties[`${c.task}_residual_cluster`] = clusterOf(c, i);
    }
    const geometry: Geometry | null =
      r.geometry ?? (r.centroid ? { type: 'Point', coordinates: r.centroid } : null);
    return { type: 'Feature', geometry, properties };
  });
  const collection: FeatureCollection<Geometry | null> = { type: 'FeatureCollection', features };
  return { name, mime: 'application/geo+json', bytes: encoder.encode(JSON.stringify(collection)) };
}
