/** Entry points: load a city from whatever the user has (folder, zip, URL, dropped files). */
import { DEFAULT_MAX_FILE_BYTES, memorySource, zipSource, type FileSource } from '../io/source';
import { isBenchmarkLayout, loadBenchmarkCity } from './benchmark';
import { MANIFEST, loadCityBundle } from './bundle';
import { classifyDroppedFiles, refusalProblems, type DroppedFile } from './droppedFiles';
import { loadGeoJsonCity, type GeoJsonMapping } from './geojson';
import type { LoadResult } from './types';

/** Detects the layout: a bundle (city.json) or the benchmark arrays (poi_dist.npy). */
export async function loadCity(source: FileSource): Promise<LoadResult> {
  if (await source.exists(MANIFEST)) return loadCityBundle(source);
  if (await isBenchmarkLayout(source)) return loadBenchmarkCity(source);
  const res = await source.read(MANIFEST);
  // An archive that cannot be unpacked (corrupt, or over a size limit) says so on its own.
  if (!res.ok && res.reason === 'unreadable')
    return { city: null, problems: [{ severity: 'error', file: source.label, message: res.message }] };
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

export type { DroppedFile } from './droppedFiles';

/**
 * Files the user dropped or picked, or a file `npm run city -- inspect` was given, as a city:
 * what they are is classifyDroppedFiles's answer with no city open (one .zip is a bundle or
 * benchmark archive, several files with city.json the parts of a bundle, one GeoJSON a city of
 * regions); raw layers and anything else are refused with the reason.
 */
export async function loadDroppedFiles(
  files: DroppedFile[],
  options: { maxFileBytes?: number; mapping?: GeoJsonMapping } = {},
): Promise<LoadResult> {
  const max = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const what = classifyDroppedFiles(files, { cityOpen: false, maxFileBytes: max });
  switch (what.kind) {
    case 'refused':
      return { city: null, problems: refusalProblems(what.refusals) };
    case 'bundleArchive':
      return loadCity(zipSource(what.file.name, what.file.bytes, max));
    case 'regions':
      return loadGeoJsonCity(what.file.bytes, what.file.name, options.mapping);
    case 'bundleFiles': {
      const table: Record<string, Uint8Array> = {};
      for (const f of files) table[f.name.replace(/^.*[\\/]/, '')] = f.bytes;
      return loadCity(memorySource(`${files.length} dropped files`, table, max));
    }
    case 'layers':
      throw new Error('raw layers need an open city');
  }
}
