/** Entry points: load a city from whatever the user has (folder, zip, URL, dropped files). */
import {
  DEFAULT_MAX_FILE_BYTES,
  memorySource,
  tooLargeMessage,
  zipSource,
  type FileSource,
} from '../io/source';
import { isBenchmarkLayout, loadBenchmarkCity } from './benchmark';
import { MANIFEST, loadCityBundle } from './bundle';
import { loadGeoJsonCity, type GeoJsonMapping } from './geojson';
import type { LoadResult } from './types';

/** Detects the layout: a bundle (city.json) or the benchmark arrays (poi_dist.npy). */
export async function loadCity(source: FileSource): Promise<LoadResult> {
  if (await source.exists(MANIFEST)) return loadCityBundle(source);
  if (await isBenchmarkLayout(source)) return loadBenchmarkCity(source);
  const res = await source.read(MANIFEST);
  const why = res.ok ? '' : ` (${res.message})`;
  return {
    city: null,
    problems: [
      {
        severity: 'error',
        file: source.label,
        message: `not a city: expected a city bundle with ${MANIFEST} or the benchmark layout with poi_dist.npy${why}`,
      },
    ],
  };
}

export interface DroppedFile {
  name: string;
  bytes: Uint8Array;
}

/**
 * Files the user dropped or picked: one .geojson/.json is a plain GeoJSON city; one .zip is
 * a bundle (or benchmark folder) archive; several files are the parts of a bundle.
 */
export async function loadDroppedFiles(
  files: DroppedFile[],
  options: { maxFileBytes?: number; mapping?: GeoJsonMapping } = {},
): Promise<LoadResult> {
  const max = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const fail = (file: string, message: string): LoadResult => ({
    city: null,
    problems: [{ severity: 'error', file, message }],
  });
  if (files.length === 0) return fail('(no file)', 'no file was dropped');
  for (const f of files) {
    if (f.bytes.length > max) return fail(f.name, tooLargeMessage(f.name, f.bytes.length, max));
  }
  if (files.length === 1) {
    const [f] = files;
    const lower = f.name.toLowerCase();
    if (f.bytes.length === 0) return fail(f.name, 'file is empty');
    if (lower.endsWith('.zip')) return loadCity(zipSource(f.name, f.bytes, max));
    if (lower.endsWith('.geojson') || (lower.endsWith('.json') && lower !== MANIFEST)) {
      return loadGeoJsonCity(f.bytes, f.name, options.mapping);
    }
    if (lower !== MANIFEST) {
      return fail(
        f.name,
        'unsupported file type: drop a .geojson, a .zip city bundle, or all files of a bundle',
      );
    }
  }
  const table: Record<string, Uint8Array> = {};
  for (const f of files) table[f.name.replace(/^.*[\\/]/, '')] = f.bytes;
  return loadCity(memorySource(`${files.length} dropped files`, table, max));
}
