/**
 * What dropped files are, decided in one place for the app's drop handling, the import worker
 * and `npm run city` (inspect, import). From each file's name and first bytes, so that it is
 * cheap on the page however large the files: a .zip city bundle, the files of a bundle, a
 * GeoJSON of regions (a new city), or raw layers of the open city, each with its kind; else a
 * refusal that names the file and says why, in the words the layer importers use, so that the
 * app and the CLI say the same thing about the same file.
 */
import { Gunzip } from 'fflate';
import { parseCsv } from '../io/csv';
import { parseDecimal } from '../io/number';
import { firstInvalidUtf8, notUtf8Message, SAVE_AS_UTF8 } from '../io/utf8';
import { tooLargeMessage } from '../io/limits';
import { DEFAULT_MAX_FILE_BYTES } from '../io/source';
import { MANIFEST } from './bundle';
import {
  columnNames,
  LAT,
  LON,
  missingCoordinateError,
  projectedError,
  singleColumnError,
} from './layers/pointsCsv';
import { looksLikePointGeoJson } from './layers/pointsGeoJson';
import { notGzipMessage, RAW_LAYER_NAMES, rawLayerText, type RawLayerKind } from './layers/rawLayerFiles';
import { REGION_ID_COLUMN } from './layers/taskLabelsCsv';
import { hasRegionIdTripColumns } from './layers/tripsCsv';
import type { LoadProblem } from './types';

/**
 * How much of a file is looked at (once decompressed, for .gz): any header, and the first few
 * hundred rows for the checks on rows (none, or every one projected).
 */
export const HEAD_BYTES = 65536;

export interface DroppedFile {
  name: string;
  /** All its bytes, or at least its first HEAD_BYTES (then `size` says how many it has). */
  bytes: Uint8Array;
  /** Its size in bytes, when `bytes` holds only its start. */
  size?: number;
}

/**
 * What a raw layer holds: a kind the importers take, or points in a GeoJSON (POIs, incidents or
 * land-use points, told from their properties once the file is read whole as CSV).
 */
export type DroppedLayerKind = RawLayerKind | 'geoJsonPoints';

/** A file that cannot be used, and why: a sentence naming the file, as `npm run city` prints it. */
export interface Refusal {
  file: string;
  message: string;
}

export type DroppedFiles =
  /** One .zip: a city bundle (or benchmark folder) archive. */
  | { kind: 'bundleArchive'; file: DroppedFile }
  /** The files of a bundle (city.json among them) or of a benchmark folder (poi_dist.npy). */
  | { kind: 'bundleFiles'; files: DroppedFile[] }
  /** One GeoJSON of region polygons: a new city (its numeric properties may need a mapping). */
  | { kind: 'regions'; file: DroppedFile }
  /** Raw layers of the open city, in the order dropped. */
  | { kind: 'layers'; layers: { file: DroppedFile; kind: DroppedLayerKind }[] }
  /** Nothing is opened; `asLayers` when the files were taken as layers of the open city. */
  | { kind: 'refused'; asLayers: boolean; refusals: Refusal[] };

export interface DropContext {
  /** Whether a city is open: CSVs and GeoJSON points dropped are its layers (else refused). */
  cityOpen: boolean;
  maxFileBytes?: number;
}

const baseName = (name: string): string => name.replace(/^.*[\\/]/, '');
const isGzName = (name: string): boolean => /\.gz$/i.test(name);
const isCsvName = (name: string): boolean => /\.csv(\.gz)?$/i.test(name);
/** A GeoJSON by its name (.geojson or .json, perhaps gzipped), not a bundle's city.json. */
export const isGeoJsonName = (name: string): boolean =>
  /\.(geo)?json(\.gz)?$/i.test(name) && baseName(name).toLowerCase() !== MANIFEST;
/** A file named as land use ("land use", "land_use", "landuse"): its polygons or classed points. */
export const isLandUseName = (name: string): boolean => /land.?use/i.test(name);

const LAND_USE_COLUMN = /^(landuse|land_use|land_use_class|landuse_class|lu_class)$/i;
const ORIGIN_COORDINATE = /^(origin|o|start|from|pickup)_?(lon|lng|longitude|x)$/i;
const POINT_KINDS = new Set<RawLayerKind>(['poi', 'incidents', 'landUsePoints']);

/** What a layer is, for messages. */
const layerName = (kind: DroppedLayerKind): string =>
  kind === 'geoJsonPoints' ? 'points (a GeoJSON of Point features)' : RAW_LAYER_NAMES[kind];

// The messages, one function each so that every path says the same words.
const emptyMessage = (name: string): string => `${name} is empty`;
const noRowsMessage = (name: string): string => `${name} has a header but no rows`;
const unsupportedMessage = (name: string): string => {
  const ext = /\.[^./\\]+$/.exec(baseName(name))?.[0];
  return `${name}: unsupported file type (${ext ? `"${ext}"` : 'no extension'}): drop a .geojson of regions, a .zip city bundle or all the files of a bundle, or, on an open city, raw layers (.csv, .csv.gz, or a .geojson of points)`;
};
const noCityMessage = (name: string, kind: DroppedLayerKind): string =>
  `${name} holds ${layerName(kind)}, a raw layer of a city, not a city: open a city first, then drop it on that city${kind === 'geoJsonPoints' ? ' (as the regions of a new city, its features would have to be Polygon or MultiPolygon)' : ''}`;
const zipAmongOthersMessage = (name: string): string =>
  `${name} is a .zip city bundle: drop it on its own to open it`;
const polygonsAmongLayersMessage = (name: string): string =>
  `${name} holds no points: a GeoJSON of region polygons opens as a new city when dropped on its own, and a GeoJSON of land-use polygons needs "land use" in its name`;
const gzipRegionsMessage = (name: string): string =>
  `${name} is a gzipped GeoJSON without points: a GeoJSON of regions is read uncompressed, so unzip it and drop the .geojson`;
const bundleTableMessage = (name: string): string =>
  `${name} is a city bundle's table of counts by region id: drop it with the other files of its bundle, ${MANIFEST} among them`;
const noLayerColumnsMessage = (name: string, header: string[]): string =>
  `${name} has no columns a raw layer is read from: its columns are ${columnNames(header)}; expected lon and lat (POI, incident or land-use points), origin and destination coordinates or region ids (trip records, e.g. origin_lon or origin_id), or a region id column first (task labels, e.g. region_id)`;

/**
 * What a raw layer holds, from its header (and its name: a "class" column is a land-use class in a
 * file named land use; a bundle's poi.csv and land_use.csv are not labels): trip records (origin
 * and destination coordinates, or origin and destination region ids), land-use points
 * (coordinates and a "landuse" column), incident points (coordinates and a "task" column), POI
 * points (coordinates, perhaps a category), or task labels (a region id column first and value
 * columns); null when it is none of these.
 */
function headerKind(header: string[], fileName: string): RawLayerKind | null {
  if (header.some((h) => ORIGIN_COORDINATE.test(h))) return 'trips';
  const coordinates = header.some((h) => LON.test(h)) && header.some((h) => LAT.test(h));
  if (!coordinates) {
    if (hasRegionIdTripColumns(header)) return 'trips';
    // A bundle's own view tables (poi.csv, land_use.csv) have the same shape but are not labels.
    const viewTable = /^(poi|land_use)\.csv$/i.test(baseName(fileName));
    return !viewTable && header.length >= 2 && REGION_ID_COLUMN.test(header[0]) ? 'labels' : null;
  }
  if (
    header.some((h) => LAND_USE_COLUMN.test(h)) ||
    (isLandUseName(fileName) && header.some((h) => /^class$/i.test(h)))
  )
    return 'landUsePoints';
  return header.some((h) => /^task$/i.test(h)) ? 'incidents' : 'poi';
}

const headerOf = (text: string): string[] => parseCsv(text.slice(0, 4096).split(/\r?\n/)[0] ?? '').header;

/**
 * What a raw layer's text holds (a CSV, GeoJSON points read as CSV, or GeoJSON polygons still as
 * JSON: land-use polygons when the file is named land use); null when it is none of the kinds.
 */
export function rawLayerKind(text: string, fileName = ''): RawLayerKind | null {
  // A GeoJSON file still as GeoJSON holds polygons (point layers are read as CSV, rawLayerText).
  if (/\.(geo)?json(\.gz)?$/i.test(fileName) && (text === '' || text.trimStart().startsWith('{')))
    return isLandUseName(fileName) ? 'landUsePolygons' : null;
  return headerKind(headerOf(text), fileName);
}

/**
 * A CSV layer from the start of its text (all of it when `complete`): its kind, or why it is
 * none: empty, one column split by another delimiter, no columns a layer is read from (named),
 * a header but no rows, or points whose every coordinate in view is out of degree range.
 */
function csvLayer(text: string, name: string, complete: boolean): { kind: RawLayerKind } | { error: string } {
  if (text.trim() === '') return { error: emptyMessage(name) };
  const lastLine = text.lastIndexOf('\n');
  // Only whole lines: the last line of a cut head may be cut too.
  const { header, rows } = parseCsv(complete || lastLine < 0 ? text : text.slice(0, lastLine + 1));
  const oneColumn = singleColumnError(header, name);
  if (oneColumn) return { error: oneColumn };
  const kind = headerKind(header, name);
  if (!kind) {
    if (/^(poi|land_use)\.csv$/i.test(baseName(name)) && REGION_ID_COLUMN.test(header[0] ?? ''))
      return { error: bundleTableMessage(name) };
    const lon = header.some((h) => LON.test(h));
    const lat = header.some((h) => LAT.test(h));
    return {
      error: lon !== lat ? missingCoordinateError(header, name) : noLayerColumnsMessage(name, header),
    };
  }
  if (complete && rows.length === 0) return { error: noRowsMessage(name) };
  if (POINT_KINDS.has(kind)) {
    // Projected when every readable point in view is out of degree range (pointsFromCsv, which
    // reads the whole file, refuses it when over half are; its message is the same).
    const lonCol = header.findIndex((h) => LON.test(h));
    const latCol = header.findIndex((h) => LAT.test(h));
    let first: [number, number] | null = null;
    for (const { cells } of rows) {
      const [x, y] = [parseDecimal(cells[lonCol] ?? ''), parseDecimal(cells[latCol] ?? '')];
      if (x === null || y === null) continue;
      if (Math.abs(x) <= 180 && Math.abs(y) <= 90) return { kind };
      first ??= [x, y];
    }
    if (first) return { error: projectedError(name, first[0], first[1]) };
  }
  return { kind };
}

/**
 * Why the start of a text file is not UTF-8 text: a UTF-16 byte-order mark, UTF-16 without one
 * (every other byte zero), other zero bytes (not text), or a byte UTF-8 does not allow (Latin-1
 * or Windows-1252, named by line); null when it reads as UTF-8.
 */
function encodingError(name: string, b: Uint8Array, complete: boolean): string | null {
  if ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff))
    return `${name} is UTF-16 text (it starts with a UTF-16 byte-order mark), not UTF-8: save it as UTF-8 (e.g. "CSV UTF-8" in Excel) and load it again`;
  const zero = b.indexOf(0);
  if (zero >= 0) {
    const pairs = Math.min(b.length, 1024) >> 1;
    let even = 0;
    let odd = 0;
    for (let k = 0; k < pairs; k++) {
      if (b[2 * k] === 0) even++;
      if (b[2 * k + 1] === 0) odd++;
    }
    if (Math.max(even, odd) > pairs / 4 && Math.min(even, odd) === 0)
      return `${name} looks like UTF-16 text without a byte-order mark (every other byte is zero), not UTF-8: ${SAVE_AS_UTF8}`;
    return `${name} is not text: byte ${zero + 1} is a zero byte (a CSV or GeoJSON is plain UTF-8 text)`;
  }
  const bad = firstInvalidUtf8(b, complete);
  if (bad < 0) return null;
  return `${name} is ${notUtf8Message(b, bad)}`;
}

/** The first HEAD_BYTES (or fewer) bytes of a file, decompressed when it is gzip, and whether that is all of it. */
function headOf(file: DroppedFile): { bytes: Uint8Array; complete: boolean } | { error: string } {
  const whole = file.bytes.length >= (file.size ?? file.bytes.length);
  if (!isGzName(file.name)) {
    const bytes = file.bytes.subarray(0, HEAD_BYTES);
    return { bytes, complete: whole && bytes.length === file.bytes.length };
  }
  const chunks: Uint8Array[] = [];
  let length = 0;
  let ended = false;
  const gunzip = new Gunzip((chunk, final) => {
    chunks.push(chunk.slice());
    length += chunk.length;
    ended ||= final;
  });
  const step = 16384;
  try {
    for (let i = 0; i < file.bytes.length && length <= HEAD_BYTES; i += step) {
      const end = Math.min(i + step, file.bytes.length);
      gunzip.push(file.bytes.subarray(i, end), whole && end === file.bytes.length);
    }
  } catch (e) {
    return { error: notGzipMessage(file.name, e) };
  }
  const bytes = new Uint8Array(Math.min(length, HEAD_BYTES));
  let at = 0;
  for (const c of chunks) {
    if (at >= bytes.length) break;
    bytes.set(c.subarray(0, bytes.length - at), at);
    at += Math.min(c.length, bytes.length - at);
  }
  return { bytes, complete: ended && length <= HEAD_BYTES };
}

/** One file as far as its name and first bytes tell. */
type Look =
  | { is: 'archive' }
  | { is: 'manifest' }
  /** A GeoJSON that does not start with points (regions, or not GeoJSON at all: its loader says). */
  | { is: 'regions' }
  | { is: 'layer'; kind: DroppedLayerKind }
  | { is: 'refused'; message: string };

function lookAt(file: DroppedFile): Look {
  const { name } = file;
  const lower = baseName(name).toLowerCase();
  if (lower === MANIFEST) return { is: 'manifest' };
  const json = isGeoJsonName(name);
  const zip = lower.endsWith('.zip');
  if (!zip && !json && !isCsvName(name)) return { is: 'refused', message: unsupportedMessage(name) };
  if ((file.size ?? file.bytes.length) === 0) return { is: 'refused', message: emptyMessage(name) };
  if (zip) return { is: 'archive' };
  const head = headOf(file);
  if ('error' in head) return { is: 'refused', message: head.error };
  const encoding = encodingError(name, head.bytes, head.complete);
  if (encoding) return { is: 'refused', message: encoding };
  const text = new TextDecoder().decode(head.bytes);
  if (!json) {
    const layer = csvLayer(text, name, head.complete);
    return 'error' in layer ? { is: 'refused', message: layer.error } : { is: 'layer', kind: layer.kind };
  }
  if (text.trim() === '') return { is: 'refused', message: emptyMessage(name) };
  // A GeoJSON of points is a layer (POIs, incidents), not regions of a new city.
  if (looksLikePointGeoJson(text)) return { is: 'layer', kind: 'geoJsonPoints' };
  if (isLandUseName(name)) return { is: 'layer', kind: 'landUsePolygons' };
  return { is: 'regions' };
}

/** The refusals as load problems, one per file. */
export function refusalProblems(refusals: Refusal[]): LoadProblem[] {
  return refusals.map((r) => ({ severity: 'error', file: r.file, message: r.message }));
}

/**
 * What the dropped files are. One .zip is a bundle archive; files among which is city.json (or
 * a benchmark folder's poi_dist.npy) are the files of a bundle; with a city open, CSV (.csv,
 * .csv.gz) and GeoJSON of points or of land-use polygons (named "land use") are its raw layers,
 * all of the files or none; one other GeoJSON is the regions of a new city. Anything else is
 * refused, every file that cannot be used with its reason.
 */
export function classifyDroppedFiles(files: DroppedFile[], context: DropContext): DroppedFiles {
  const refuse = (refusals: Refusal[], asLayers = false): DroppedFiles => ({
    kind: 'refused',
    asLayers,
    refusals,
  });
  if (files.length === 0) return refuse([{ file: '(no file)', message: 'no file was dropped' }]);
  const max = context.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const tooLarge = files
    .filter((f) => (f.size ?? f.bytes.length) > max)
    .map((f) => ({ file: f.name, message: tooLargeMessage(f.name, f.size ?? f.bytes.length, max) }));
  if (tooLarge.length) return refuse(tooLarge);
  const names = files.map((f) => baseName(f.name).toLowerCase());
  if (files.length > 1 && (names.includes(MANIFEST) || names.includes('poi_dist.npy')))
    return { kind: 'bundleFiles', files };
  const looks = files.map(lookAt);
  if (files.length === 1) {
    const [file] = files;
    const [look] = looks;
    if (look.is === 'manifest') return { kind: 'bundleFiles', files };
    if (look.is === 'archive') return { kind: 'bundleArchive', file };
    // A CSV refused on an open city was taken as a layer of it.
    if (look.is === 'refused')
      return refuse([{ file: file.name, message: look.message }], context.cityOpen && isCsvName(file.name));
    const gzip = isGzName(file.name);
    if (look.is === 'regions')
      return gzip
        ? refuse([{ file: file.name, message: gzipRegionsMessage(file.name) }])
        : { kind: 'regions', file };
    if (context.cityOpen) return { kind: 'layers', layers: [{ file, kind: look.kind }] };
    // Without a city, land-use polygons are polygons like any others: the regions of a new city.
    if (look.kind === 'landUsePolygons' && !gzip) return { kind: 'regions', file };
    return refuse([{ file: file.name, message: noCityMessage(file.name, look.kind) }]);
  }
  if (!context.cityOpen) {
    // Layers without a city to put them in; anything else is left to the bundle loader to name.
    if (!looks.every((l) => l.is === 'layer')) return { kind: 'bundleFiles', files };
    return refuse(
      files.map((f, k) => ({
        file: f.name,
        message: noCityMessage(f.name, (looks[k] as { kind: DroppedLayerKind }).kind),
      })),
    );
  }
  const layers: { file: DroppedFile; kind: DroppedLayerKind }[] = [];
  const refusals: Refusal[] = [];
  files.forEach((file, k) => {
    const look = looks[k];
    if (look.is === 'layer') layers.push({ file, kind: look.kind });
    else
      refusals.push({
        file: file.name,
        message:
          look.is === 'refused'
            ? look.message
            : look.is === 'archive'
              ? zipAmongOthersMessage(file.name)
              : look.is === 'regions'
                ? polygonsAmongLayersMessage(file.name)
                : unsupportedMessage(file.name),
      });
  });
  return refusals.length ? refuse(refusals, true) : { kind: 'layers', layers };
}

/**
 * One raw layer read whole, for import (the import worker, `npm run city -- import`): its text
 * (CSV, or GeoJSON points as the CSV they amount to) and its kind, or why it cannot be used.
 * The same checks as classifyDroppedFiles (a layer refused on the page is refused here in the
 * same words), then the kind from the whole text. `as` is a kind the caller was told (a CLI
 * flag): then only the file's reading is checked, and 'landUse' is points or polygons as the
 * text says.
 */
export function readRawLayer(
  file: { name: string; bytes: Uint8Array },
  options: { as?: RawLayerKind | 'landUse'; maxFileBytes?: number } = {},
): { text: string; kind: RawLayerKind } | { error: string } {
  const { name } = file;
  const max = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  if (file.bytes.length > max) return { error: tooLargeMessage(name, file.bytes.length, max) };
  if (file.bytes.length === 0) return { error: emptyMessage(name) };
  const head = headOf(file);
  if ('error' in head) return head;
  const encoding = encodingError(name, head.bytes, head.complete);
  if (encoding) return { error: encoding };
  const read = rawLayerText(name, file.bytes, max);
  if ('error' in read) return read;
  const { text } = read;
  const { as } = options;
  if (isGeoJsonName(name) && text.trimStart().startsWith('{')) {
    // Polygons (point layers were turned into CSV by rawLayerText).
    const polygons = as ? as === 'landUse' || as === 'landUsePolygons' : isLandUseName(name);
    return polygons ? { text, kind: 'landUsePolygons' } : { error: polygonsAmongLayersMessage(name) };
  }
  if (as) {
    const oneColumn = text.trim() === '' ? emptyMessage(name) : singleColumnError(headerOf(text), name);
    if (oneColumn) return { error: oneColumn };
    return { text, kind: as === 'landUse' ? 'landUsePoints' : as };
  }
  const layer = csvLayer(text.slice(0, HEAD_BYTES), name, text.length <= HEAD_BYTES);
  return 'error' in layer ? layer : { text, kind: layer.kind };
}
