/**
 * The city bundle: a folder or .zip with a `city.json` manifest, `regions.geojson` and
 * views/labels as CSV or .npy. Format documented in docs/city-bundle.md.
 */
import { zipSync } from 'fflate';
import { writeCsv } from '../io/csv';
import { writeNpy } from '../io/npy';
import { unsafePathProblem, type FileSource, type ReadResult } from '../io/source';
import { sparseToDense, type SparseMatrix } from '../math/sparse';
import { adjacencyProblem, assembleCity, makeLabels, taskNameOfColumn } from './city';
import { ProblemList, decodeText, parseJson } from './problems';
import { parseRegionsGeoJson } from './regionsGeoJson';
import type { City, CityViews, LoadResult, Matrix, TaskLabels } from './types';
import { readLabelValues, readTripMatrix, readTripPairs, readViewMatrix } from './views';

export const BUNDLE_FORMAT = 'topt-city';
/**
 * The newest version this code reads. A bundle says the oldest version that describes it:
 * 1 unless its trips are a list of pairs (`"layout": "pairs"`, version 2), so every bundle a
 * version-1 reader could read is still written as version 1, byte for byte, and a version-1
 * reader refuses a bundle of pairs by its version instead of misreading the K x 3 array.
 * Nothing to migrate: a version-1 bundle is a version-2 bundle.
 */
export const BUNDLE_VERSION = 2;
/** The version that added trips as a list of pairs. */
export const TRIP_PAIRS_VERSION = 2;
/**
 * Cities above this many regions have their trips written as pairs in the .npy format: a
 * dense N x N trips.npy is 16 MB of int32 at 2,000 regions (the largest sample city, which
 * keeps its dense form) but 400 MB at 10,000, past the loader's 256 MB file limit from about
 * 5,800 regions (float64) or 8,200 (int32); pairs take 12 bytes per pair with trips.
 */
export const DENSE_TRIPS_MAX_REGIONS = 2000;
export const MANIFEST = 'city.json';

export interface ViewRef {
  file: string;
  /** Category names for .npy views (CSV views take them from the header). */
  columns?: string[];
  /**
   * Trips only: "pairs" when `file` is a K x 3 .npy of (origin row, destination row, count),
   * the sparse form of large cities (version 2); absent: dense N x N .npy, or a CSV edge list.
   */
  layout?: 'pairs';
}

export interface LabelRef {
  id: string;
  name?: string;
  unit?: string;
  note?: string;
  file: string;
  /** Value column of a CSV label file (default: the second column). */
  column?: string;
}

export interface CityManifest {
  format: typeof BUNDLE_FORMAT;
  version: number;
  name: string;
  source?: string;
  licence?: string;
  description?: string;
  regions: { file: string; idProperty?: string; nameProperty?: string };
  views?: { poi?: ViewRef; landUse?: ViewRef; trips?: ViewRef };
  labels?: LabelRef[];
  adjacency?: string;
}

type JsonObject = Record<string, unknown>;
const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

function checkManifest(json: unknown, problems: ProblemList): CityManifest | null {
  const before = problems.errorCount();
  if (!isObject(json)) {
    problems.error(MANIFEST, 'manifest is not a JSON object');
    return null;
  }
  if (json.format !== BUNDLE_FORMAT) {
    problems.error(
      MANIFEST,
      `"format" is ${JSON.stringify(json.format)}, expected "${BUNDLE_FORMAT}"`,
      undefined,
      'format',
    );
  }
  if (typeof json.version !== 'number' || json.version > BUNDLE_VERSION) {
    problems.error(
      MANIFEST,
      `unsupported bundle version ${JSON.stringify(json.version)} (this app reads up to ${BUNDLE_VERSION})`,
      undefined,
      'version',
    );
  }
  if (typeof json.name !== 'string' || json.name.trim() === '')
    problems.error(MANIFEST, 'missing city name', undefined, 'name');
  if (!isObject(json.regions) || typeof json.regions.file !== 'string') {
    problems.error(MANIFEST, 'missing "regions": { "file": "regions.geojson" }', undefined, 'regions');
  }
  const views = json.views;
  if (views !== undefined) {
    if (!isObject(views)) problems.error(MANIFEST, '"views" must be an object', undefined, 'views');
    else
      for (const [key, ref] of Object.entries(views)) {
        if (!['poi', 'landUse', 'trips'].includes(key))
          problems.warn(MANIFEST, `unknown view "${key}" ignored`, undefined, `views.${key}`);
        else if (!isObject(ref) || typeof ref.file !== 'string')
          problems.error(MANIFEST, 'a view needs a "file"', undefined, `views.${key}`);
        else if (ref.layout !== undefined && (key !== 'trips' || ref.layout !== 'pairs'))
          problems.error(
            MANIFEST,
            `unknown layout ${JSON.stringify(ref.layout)}${key === 'trips' ? ' (trips may say "pairs")' : ''}`,
            undefined,
            `views.${key}.layout`,
          );
      }
  }
  if (json.labels !== undefined) {
    if (!Array.isArray(json.labels))
      problems.error(MANIFEST, '"labels" must be an array', undefined, 'labels');
    else
      json.labels.forEach((l: unknown, i: number) => {
        if (!isObject(l) || typeof l.id !== 'string' || typeof l.file !== 'string') {
          problems.error(MANIFEST, 'a label needs an "id" and a "file"', undefined, `labels[${i}]`);
        }
      });
  }
  if (problems.errorCount() === before) {
    // Every file the manifest names must stay inside the bundle: a manifest is not trusted.
    const m = json as unknown as CityManifest;
    const paths: [string, string][] = [['regions.file', m.regions.file]];
    for (const key of ['poi', 'landUse', 'trips'] as const) {
      const ref = m.views?.[key];
      if (ref) paths.push([`views.${key}.file`, ref.file]);
    }
    (m.labels ?? []).forEach((l, i) => paths.push([`labels[${i}].file`, l.file]));
    if (m.adjacency !== undefined && m.adjacency !== null) {
      if (typeof m.adjacency === 'string') paths.push(['adjacency', m.adjacency]);
      else problems.error(MANIFEST, '"adjacency" must be a file name', undefined, 'adjacency');
    }
    for (const [field, path] of paths) {
      const problem = unsafePathProblem(path);
      if (problem !== null) problems.error(MANIFEST, problem, undefined, field);
    }
  }
  return problems.errorCount() > before ? null : (json as unknown as CityManifest);
}

async function readOrReport(
  source: FileSource,
  file: string,
  problems: ProblemList,
): Promise<Uint8Array | null> {
  const res = await source.read(file);
  if (!res.ok) {
    problems.error(file, res.message);
    return null;
  }
  if (res.bytes.length === 0) {
    problems.error(file, 'file is empty');
    return null;
  }
  return res.bytes;
}

/**
 * The source, reading each path at most once. Tasks usually share one label file
 * (writeCityBundle puts every task in `labels.csv`), and over a URL each read is a download.
 */
function readingOnce(source: FileSource): FileSource {
  const reads = new Map<string, Promise<ReadResult>>();
  return {
    label: source.label,
    exists: (path) => source.exists(path),
    read(path) {
      let read = reads.get(path);
      if (!read) {
        read = source.read(path);
        reads.set(path, read);
      }
      return read;
    },
  };
}

/** Load a city bundle from any file source (folder, zip, dropped files, URL). */
export async function loadCityBundle(source: FileSource): Promise<LoadResult> {
  const problems = new ProblemList();
  const manifestBytes = await readOrReport(source, MANIFEST, problems);
  const manifest = manifestBytes
    ? checkManifest(parseJson(decodeText(manifestBytes, MANIFEST, problems), MANIFEST, problems), problems)
    : null;
  if (!manifest) return { city: null, problems: problems.items };

  const regionsBytes = await readOrReport(source, manifest.regions.file, problems);
  const parsed = regionsBytes
    ? parseRegionsGeoJson(regionsBytes, manifest.regions.file, problems, {
        idProperty: manifest.regions.idProperty,
        nameProperty: manifest.regions.nameProperty,
      })
    : null;
  if (!parsed) return { city: null, problems: problems.items };
  const ids = parsed.regions.map((r) => r.id);

  const views: CityViews = { poi: null, poiCategories: [], landUse: null, landUseClasses: [], trips: null };
  for (const key of ['poi', 'landUse'] as const) {
    const ref = manifest.views?.[key];
    if (!ref) continue;
    const bytes = await readOrReport(source, ref.file, problems);
    const view = bytes ? readViewMatrix(bytes, ref.file, ids, problems, { columns: ref.columns }) : null;
    if (!view) continue;
    if (key === 'poi') {
      views.poi = view.matrix;
      views.poiCategories = view.columns;
    } else {
      views.landUse = view.matrix;
      views.landUseClasses = view.columns;
    }
  }
  const tripsRef = manifest.views?.trips;
  if (tripsRef) {
    const bytes = await readOrReport(source, tripsRef.file, problems);
    const read = tripsRef.layout === 'pairs' ? readTripPairs : readTripMatrix;
    views.trips = bytes ? read(bytes, tripsRef.file, ids, problems) : null;
  }

  const labels: TaskLabels[] = [];
  const labelSource = readingOnce(source);
  for (const ref of manifest.labels ?? []) {
    const bytes = await readOrReport(labelSource, ref.file, problems);
    const values = bytes ? readLabelValues(bytes, ref.file, ids, problems, ref.column) : null;
    // Unnamed, the task is named from its id (humanised, a bracketed unit its unit).
    const derived = taskNameOfColumn(ref.id);
    if (values)
      labels.push(
        makeLabels(
          ref.id,
          ref.name ?? derived.name,
          ref.unit ?? (ref.name ? '' : derived.unit),
          values,
          ref.note,
        ),
      );
  }

  let adjacency: number[][] | null = null;
  if (manifest.adjacency) {
    const bytes = await readOrReport(source, manifest.adjacency, problems);
    const json = bytes
      ? parseJson(decodeText(bytes, manifest.adjacency, problems), manifest.adjacency, problems)
      : undefined;
    if (json !== undefined) {
      const problem = adjacencyProblem(json, ids.length);
      if (problem) problems.error(manifest.adjacency, problem);
      else adjacency = json as number[][];
    }
  }

  if (problems.hasErrors) return { city: null, problems: problems.items };
  const city = assembleCity(
    {
      name: manifest.name,
      source: manifest.source ?? source.label,
      licence: manifest.licence ?? 'not stated',
      ...(manifest.description ? { description: manifest.description } : {}),
    },
    parsed.regions,
    views,
    labels,
    adjacency,
  );
  return { city, problems: problems.items };
}

function matrixRows(m: Matrix, ids: string[]): (string | number)[][] {
  return ids.map((id, r) => [id, ...Array.from(m.data.subarray(r * m.cols, (r + 1) * m.cols))]);
}

/** Sparse trip edge list (origin, destination, count) for non-zero entries, row by row. */
function tripRows(m: SparseMatrix, ids: string[]): (string | number)[][] {
  const rows: (string | number)[][] = [];
  for (let i = 0; i < m.rows; i++)
    for (let k = m.rowStart[i]; k < m.rowStart[i + 1]; k++)
      rows.push([ids[i], ids[m.colIndex[k]], m.values[k]]);
  return rows;
}

const allIntegers = (data: ArrayLike<number>): boolean =>
  Array.prototype.every.call(data, (v: number) => Number.isInteger(v) && Math.abs(v) < 2 ** 31);

function npyOf(m: Matrix): Uint8Array {
  return writeNpy({
    dtype: allIntegers(m.data) ? 'int32' : 'float64',
    shape: [m.rows, m.cols],
    data: m.data,
  });
}

/** Trips as K x 3 (origin row, destination row, count), row by row: int32 when every count is one. */
function tripPairsNpy(m: SparseMatrix): Uint8Array {
  const k = m.rowStart[m.rows];
  const data = new Float64Array(3 * k);
  for (let i = 0; i < m.rows; i++)
    for (let e = m.rowStart[i]; e < m.rowStart[i + 1]; e++) {
      data[3 * e] = i;
      data[3 * e + 1] = m.colIndex[e];
      data[3 * e + 2] = m.values[e];
    }
  return writeNpy({ dtype: allIntegers(m.values) ? 'int32' : 'float64', shape: [k, 3], data });
}

export interface WriteBundleOptions {
  /** CSV is readable by people; .npy is compact for large cities. Default "csv". */
  viewsFormat?: 'csv' | 'npy';
}

/** Serialise a City as bundle files (relative path -> bytes), `city.json` included. */
export function writeCityBundle(city: City, options: WriteBundleOptions = {}): Record<string, Uint8Array> {
  const format = options.viewsFormat ?? 'csv';
  const enc = new TextEncoder();
  const ids = city.regions.map((r) => r.id);
  const files: Record<string, Uint8Array> = {};
  const features = city.regions.map((r) => ({
    type: 'Feature' as const,
    properties: {
      id: r.id,
      name: r.name,
      ...(r.geometry === null && r.centroid ? { lon: r.centroid[0], lat: r.centroid[1] } : {}),
      ...(r.description ? { description: r.description } : {}),
    },
    geometry: r.geometry,
  }));
  files['regions.geojson'] = enc.encode(JSON.stringify({ type: 'FeatureCollection', features }));
  const manifest: CityManifest = {
    format: BUNDLE_FORMAT,
    version: 1,
    name: city.metadata.name,
    source: city.metadata.source,
    licence: city.metadata.licence,
    ...(city.metadata.description ? { description: city.metadata.description } : {}),
    regions: { file: 'regions.geojson', idProperty: 'id', nameProperty: 'name' },
    views: {},
    labels: [],
  };
  const views = manifest.views as NonNullable<CityManifest['views']>;
  const addView = (key: 'poi' | 'landUse', base: string, m: Matrix | null, columns: string[]): void => {
    if (!m) return;
    if (format === 'npy') {
      files[`${base}.npy`] = npyOf(m);
      views[key] = { file: `${base}.npy`, columns };
    } else {
      files[`${base}.csv`] = enc.encode(writeCsv(['region_id', ...columns], matrixRows(m, ids)));
      views[key] = { file: `${base}.csv` };
    }
  };
  addView('poi', 'poi', city.views.poi, city.views.poiCategories);
  addView('landUse', 'land_use', city.views.landUse, city.views.landUseClasses);
  const trips = city.views.trips;
  if (trips) {
    if (format === 'npy' && trips.rows > DENSE_TRIPS_MAX_REGIONS) {
      files['trips_pairs.npy'] = tripPairsNpy(trips);
      views.trips = { file: 'trips_pairs.npy', layout: 'pairs' };
      manifest.version = TRIP_PAIRS_VERSION;
    } else if (format === 'npy') {
      files['trips.npy'] = npyOf({ rows: trips.rows, cols: trips.cols, data: sparseToDense(trips) });
      views.trips = { file: 'trips.npy' };
    } else {
      files['trips.csv'] = enc.encode(writeCsv(['origin', 'destination', 'count'], tripRows(trips, ids)));
      views.trips = { file: 'trips.csv' };
    }
  }
  if (city.labels.length > 0) {
    const header = ['region_id', ...city.labels.map((l) => l.id)];
    const rows = ids.map((id, i) => [id, ...city.labels.map((l) => l.values[i])]);
    files['labels.csv'] = enc.encode(writeCsv(header, rows));
    manifest.labels = city.labels.map((l) => ({
      id: l.id,
      name: l.name,
      unit: l.unit,
      ...(l.note ? { note: l.note } : {}),
      file: 'labels.csv',
      column: l.id,
    }));
  }
  if (city.adjacency) {
    files['adjacency.json'] = enc.encode(JSON.stringify(city.adjacency));
    manifest.adjacency = 'adjacency.json';
  }
  files[MANIFEST] = enc.encode(JSON.stringify(manifest, null, 2) + '\n');
  return files;
}

/** The bundle as one .zip archive (deterministic: fixed timestamps). */
export function zipCityBundle(city: City, options: WriteBundleOptions = {}): Uint8Array {
  const files = writeCityBundle(city, options);
  const entries: Record<string, [Uint8Array, { mtime: Date }]> = {};
  for (const name of Object.keys(files).sort())
    entries[name] = [files[name], { mtime: new Date('2000-01-01T00:00:00Z') }];
  return zipSync(entries, { level: 6 });
}
