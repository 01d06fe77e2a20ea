/**
 * The city bundle: a folder or .zip with a `city.json` manifest, `regions.geojson` and
 * views/labels as CSV or .npy. Format documented in docs/city-bundle.md.
 */
import { zipSync } from 'fflate';
import { writeCsv } from '../io/csv';
import { writeNpy } from '../io/npy';
import type { FileSource, ReadResult } from '../io/source';
import { adjacencyProblem, assembleCity, makeLabels } from './city';
import { ProblemList, decodeText, parseJson } from './problems';
import { parseRegionsGeoJson } from './regionsGeoJson';
import type { City, CityViews, LoadResult, Matrix, TaskLabels } from './types';
import { readLabelValues, readTripMatrix, readViewMatrix } from './views';

export const BUNDLE_FORMAT = 'topt-city';
export const BUNDLE_VERSION = 1;
export const MANIFEST = 'city.json';

export interface ViewRef {
  file: string;
  /** Category names for .npy views (CSV views take them from the header). */
  columns?: string[];
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
    ? checkManifest(parseJson(decodeText(manifestBytes), MANIFEST, problems), problems)
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
    views.trips = bytes ? readTripMatrix(bytes, tripsRef.file, ids, problems) : null;
  }

  const labels: TaskLabels[] = [];
  const labelSource = readingOnce(source);
  for (const ref of manifest.labels ?? []) {
    const bytes = await readOrReport(labelSource, ref.file, problems);
    const values = bytes ? readLabelValues(bytes, ref.file, ids, problems, ref.column) : null;
    if (values) labels.push(makeLabels(ref.id, ref.name ?? ref.id, ref.unit ?? '', values, ref.note));
  }

  let adjacency: number[][] | null = null;
  if (manifest.adjacency) {
    const bytes = await readOrReport(source, manifest.adjacency, problems);
    const json = bytes ? parseJson(decodeText(bytes), manifest.adjacency, problems) : undefined;
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

/** Sparse trip edge list (origin, destination, count) for non-zero entries. */
function tripRows(m: Matrix, ids: string[]): (string | number)[][] {
  const rows: (string | number)[][] = [];
  for (let i = 0; i < m.rows; i++)
    for (let j = 0; j < m.cols; j++) {
      const v = m.data[i * m.cols + j];
      if (v !== 0) rows.push([ids[i], ids[j], v]);
    }
  return rows;
}

const allIntegers = (m: Matrix): boolean => m.data.every((v) => Number.isInteger(v) && Math.abs(v) < 2 ** 31);

function npyOf(m: Matrix): Uint8Array {
  return writeNpy({ dtype: allIntegers(m) ? 'int32' : 'float64', shape: [m.rows, m.cols], data: m.data });
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
    version: BUNDLE_VERSION,
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
  if (city.views.trips) {
    if (format === 'npy') {
      files['trips.npy'] = npyOf(city.views.trips);
      views.trips = { file: 'trips.npy' };
    } else {
      files['trips.csv'] = enc.encode(
        writeCsv(['origin', 'destination', 'count'], tripRows(city.views.trips, ids)),
      );
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
