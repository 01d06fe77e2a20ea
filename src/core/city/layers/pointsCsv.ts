/**
 * Raw points from a CSV (POIs, incidents, check-ins): longitude, latitude and an optional
 * category column, found by name. A file that cannot be read as points fails as a whole with
 * one specific message; rows that cannot be read are dropped and reported by line.
 */
import { parseCsv } from '../../io/csv';
import { describeNotDecimal, parseDecimal } from '../../io/number';
import { RegionLocator } from '../aggregate';
import {
  applyCategoryMapping,
  categoryCounts,
  mappedTarget,
  namedCounts,
  newMapping,
  sameNameTarget,
  suggestCategoryMapping,
  type CategoryMapping,
} from './categoryMapping';
import { OSM_KEY_COLUMNS } from './osmCategories';
import { regionsBounds } from '../geometry';
import type { City, Matrix, Region } from '../types';

/** Longitude and latitude column names. */
export const LON = /^(lon|lng|long|longitude|x)$/i;
export const LAT = /^(lat|latitude|y)$/i;
const CATEGORY =
  /^(category|categories|type|kind|class|landuse|land_use|amenity|shop|leisure|poi_type|fclass|task|label)$/i;
/** Problems listed one by one before the rest are only counted. */
const LISTED = 20;

export interface PointTable {
  lon: Float64Array;
  lat: Float64Array;
  /** Per point, its category text ('' without a category column). */
  category: string[];
  /** The header names used. */
  columns: { lon: string; lat: string; category: string | null };
  /** Rows dropped, with the first few reasons by line. */
  dropped: number;
  problems: string[];
}

/** A header's columns as a message lists them: "lon", "lat", "category". */
export const columnNames = (header: string[]): string => header.map((h) => `"${h}"`).join(', ');

/** Delimiters a CSV is sometimes written with that the reader does not take, in words. */
const OTHER_DELIMITERS: [string, string][] = [
  ['|', 'pipes'],
  [':', 'colons'],
];

/**
 * Why a header of one column cannot be a layer when it looks split by another delimiter (a
 * pipe or a colon: the reader takes commas, semicolons and tabs), naming the one it found;
 * null otherwise.
 */
export function singleColumnError(header: string[], fileName: string): string | null {
  if (header.length !== 1) return null;
  const found = OTHER_DELIMITERS.map(([d, word]) => ({ d, word, n: header[0].split(d).length - 1 }))
    .filter((c) => c.n > 0)
    .sort((a, b) => b.n - a.n)[0];
  if (!found) return null;
  return `${fileName} has a single column "${header[0]}": its columns seem separated by ${found.word} ("${found.d}"); separate them with commas (semicolons and tabs are read too)`;
}

/** Why a points file without a longitude or a latitude column cannot be read, naming its columns. */
export function missingCoordinateError(header: string[], fileName: string): string {
  const lon = header.some((h) => LON.test(h));
  return `${fileName} needs a ${!lon ? 'longitude' : 'latitude'} column (named ${!lon ? 'lon, lng, longitude or x' : 'lat, latitude or y'}); its columns are ${columnNames(header)}`;
}

/** Why points whose coordinates are not degrees are refused, with the first point as an example. */
export function projectedError(fileName: string, lon: number, lat: number): string {
  return `${fileName}: the coordinates look projected (e.g. ${lon}, ${lat}), not longitude and latitude in degrees (WGS84)`;
}

/**
 * How far the import of one layer is: `reading` counts characters of the file parsed,
 * `locating` counts points (or records) put into regions, reported every `PROGRESS_EVERY`.
 */
export type LayerProgress = (phase: 'reading' | 'locating', done: number, total: number) => void;
export const PROGRESS_EVERY = 50_000;

/** Options every raw-layer importer takes: progress, and for POI points the category mapping. */
export interface LayerOptions extends PoiCategoryOptions {
  onProgress?: LayerProgress;
  /** The layer's points, already read from its text by pointsFromCsv (so it is read once). */
  points?: PointTable;
}

export function pointsFromCsv(
  text: string,
  fileName: string,
  onProgress?: LayerProgress,
): { points: PointTable } | { error: string } {
  if (text.trim() === '') return { error: `${fileName} is empty` };
  const table = parseCsv(text, onProgress && ((done, total) => onProgress('reading', done, total)));
  const { header } = table;
  const oneColumn = singleColumnError(header, fileName);
  if (oneColumn) return { error: oneColumn };
  const lonCol = header.findIndex((h) => LON.test(h));
  const latCol = header.findIndex((h) => LAT.test(h));
  if (lonCol < 0 || latCol < 0) return { error: missingCoordinateError(header, fileName) };
  if (table.rows.length === 0) return { error: `${fileName} has a header but no rows` };
  let catCol = header.findIndex((h) => CATEGORY.test(h));
  // An OSM export with one column per key (amenity, shop, leisure, ...): the category of a
  // row is "key=value" of its first non-empty key column.
  const keyCols = OSM_KEY_COLUMNS.map((k) => header.findIndex((h) => h.trim().toLowerCase() === k)).filter(
    (i) => i >= 0,
  );
  const osmKeys = keyCols.length >= 2 && (catCol < 0 || keyCols.includes(catCol));
  if (osmKeys) catCol = -1;
  const categoryOf = (cells: string[]): string => {
    if (osmKeys) {
      for (const c of keyCols) {
        const v = (cells[c] ?? '').trim();
        if (v !== '') return `${header[c].trim().toLowerCase()}=${v}`;
      }
      return '';
    }
    return catCol >= 0 ? (cells[catCol] ?? '').trim() : '';
  };
  const lon: number[] = [];
  const lat: number[] = [];
  const category: string[] = [];
  const problems: string[] = [];
  let dropped = 0;
  // A GeoJSON layer comes as the CSV it amounts to (pointGeoJsonAsCsv, one row per point, in
  // file order): its rows are named as points, not as lines of a text the user never saw.
  const geoJson = /\.(geo)?json(\.gz)?$/i.test(fileName);
  const drop = (line: number, row: number, why: string): void => {
    dropped++;
    if (problems.length < LISTED)
      problems.push(`${fileName} ${geoJson ? `point ${row + 1}` : `line ${line}`}: ${why}`);
  };
  for (const [row, { line, cells }] of table.rows.entries()) {
    const x = parseDecimal(cells[lonCol] ?? '');
    const y = parseDecimal(cells[latCol] ?? '');
    if (x === null) drop(line, row, `longitude ${describeNotDecimal(cells[lonCol] ?? '')}`);
    else if (y === null) drop(line, row, `latitude ${describeNotDecimal(cells[latCol] ?? '')}`);
    else {
      lon.push(x);
      lat.push(y);
      category.push(categoryOf(cells));
    }
  }
  if (dropped > LISTED) problems.push(`… and ${dropped - LISTED} more rows dropped`);
  if (lon.length === 0)
    return { error: `${fileName}: no row has numeric coordinates (${problems[0] ?? ''})` };
  const outOfRange = lon.filter((x, i) => Math.abs(x) > 180 || Math.abs(lat[i]) > 90).length;
  if (outOfRange > lon.length / 2) return { error: projectedError(fileName, lon[0], lat[0]) };
  return {
    points: {
      lon: Float64Array.from(lon),
      lat: Float64Array.from(lat),
      category,
      columns: {
        lon: header[lonCol],
        lat: header[latCol],
        category: osmKeys ? keyCols.map((c) => header[c]).join('/') : catCol >= 0 ? header[catCol] : null,
      },
      dropped,
      problems,
    },
  };
}

/**
 * Which region each point is in, or a specific error when the points and the regions do not
 * meet: none inside (with both extents), or lon and lat swapped (they land inside when swapped).
 */
export function locatePoints(
  regions: Region[],
  points: PointTable,
  fileName: string,
  onProgress?: LayerProgress,
): { rows: Int32Array; outside: number } | { error: string } {
  const locator = new RegionLocator(regions);
  const total = points.lon.length;
  const locate = (swap: boolean): Int32Array =>
    Int32Array.from(points.lon, (x, i) => {
      if (!swap && onProgress && i % PROGRESS_EVERY === 0 && i > 0) onProgress('locating', i, total);
      return swap ? locator.locate(points.lat[i], x) : locator.locate(x, points.lat[i]);
    });
  const rows = locate(false);
  onProgress?.('locating', total, total);
  const inside = rows.filter((r) => r >= 0).length;
  if (inside > 0) return { rows, outside: rows.length - inside };
  if (locate(true).some((r) => r >= 0))
    return {
      error: `${fileName}: longitude and latitude look swapped (the points fall inside the regions only when swapped)`,
    };
  const b = regionsBounds(regions);
  const span = (v: Float64Array): string => {
    let lo = Infinity;
    let hi = -Infinity;
    for (const x of v) [lo, hi] = [Math.min(lo, x), Math.max(hi, x)];
    return `${lo.toFixed(3)} to ${hi.toFixed(3)}`;
  };
  return {
    error: `${fileName}: none of its ${rows.length} points lies inside a region (points: lon ${span(points.lon)}, lat ${span(points.lat)}${b ? `; regions: lon ${b[0].toFixed(3)} to ${b[2].toFixed(3)}, lat ${b[1].toFixed(3)} to ${b[3].toFixed(3)}` : ''})`,
  };
}

/**
 * Points counted per region and category (N x C, categories named as `categories`): the
 * region of each point from `locatePoints`, its category through `mapping` (see
 * applyCategoryMapping: a category it does not list is matched by name, case and
 * underscores/spaces ignored). Points in no region, points the mapping drops and points of
 * unmapped categories are counted by category for the import report.
 */
export function countPointsByCategory(
  regionCount: number,
  categories: string[],
  points: PointTable,
  rows: Int32Array,
  mapping: CategoryMapping = newMapping(),
): { counts: Matrix; outside: number; unknown: Map<string, number>; dropped: Map<string, number> } {
  const { column, dropped, unmapped } = applyCategoryMapping(points.category, categories, mapping);
  const data = new Float64Array(regionCount * categories.length);
  let outside = 0;
  column.forEach((k, i) => {
    if (k < 0) return;
    if (rows[i] < 0) outside++;
    else data[rows[i] * categories.length + k]++;
  });
  return {
    counts: { rows: regionCount, cols: categories.length, data },
    outside,
    unknown: unmapped,
    dropped,
  };
}

/** How the categories of POI points become the city's POI categories. */
export interface PoiCategoryOptions {
  /** Source category -> city category or DROP; unlisted categories fall back to the same name. */
  mapping?: CategoryMapping;
  /** Suggest targets for unlisted categories from the OpenStreetMap table (osmCategories.ts). */
  osm?: boolean;
  /** Keep the points' own categories as the columns, replacing the city's. */
  ownCategories?: boolean;
}

export interface PointImport {
  /** The city with its POI view rebuilt from the points (every other view as before). */
  city: City;
  /** What was read and what was dropped, one line each, for the user and a report file. */
  report: string[];
}

/**
 * A point layer read and placed into the city's regions: its points (from `options.points`
 * when the caller read them already) and each one's region row. With `needsCategory`, a file
 * without a category column is refused with that message.
 */
export function readLocatedPoints(
  city: City,
  text: string,
  fileName: string,
  options: LayerOptions,
  needsCategory: string | null = null,
): { points: PointTable; rows: Int32Array } | { error: string } {
  const parsed = options.points
    ? { points: options.points }
    : pointsFromCsv(text, fileName, options.onProgress);
  if ('error' in parsed) return parsed;
  if (needsCategory && !parsed.points.columns.category) return { error: needsCategory };
  const located = locatePoints(city.regions, parsed.points, fileName, options.onProgress);
  if ('error' in located) return located;
  return { points: parsed.points, rows: located.rows };
}

/**
 * Replace a city's POI view by POI points from a CSV, all or nothing: on any file-level
 * problem the error comes back and the city is untouched. Categories go to the city's POI
 * categories through the mapping (by name where it says nothing; with `osm`, the OSM table
 * suggests the rest) when the city has them; otherwise, or with `ownCategories`, the points'
 * own categories (sorted) become the columns.
 */
export function importPoiPoints(
  city: City,
  text: string,
  fileName: string,
  options: LayerOptions = {},
): PointImport | { error: string } {
  const located = readLocatedPoints(city, text, fileName, options);
  if ('error' in located) return located;
  const parsed = located;
  const own = [...new Set(parsed.points.category.filter((c) => c !== ''))].sort();
  const keepOwn = options.ownCategories || city.views.poiCategories.length === 0;
  const categories = keepOwn ? own : city.views.poiCategories;
  if (categories.length === 0)
    return { error: `${fileName} has no category column and the city has no POI categories` };
  const sources = own;
  const mapping: CategoryMapping = keepOwn
    ? newMapping()
    : newMapping(
        options.osm ? suggestCategoryMapping(sources, categories, { osm: true }) : undefined,
        options.mapping,
      );
  const listed = (c: string): boolean => mappedTarget(mapping, c) !== undefined;
  const { counts, outside, unknown, dropped } = countPointsByCategory(
    city.regions.length,
    categories,
    parsed.points,
    located.rows,
    mapping,
  );
  const sum = (m: Map<string, number>): number => [...m.values()].reduce((a, b) => a + b, 0);
  const kept = parsed.points.lon.length - outside - sum(unknown) - sum(dropped);
  const mapped = keepOwn
    ? []
    : [
        `${sources.length} categories in the file: ${sources.filter((c) => !listed(c) && sameNameTarget(c, categories) !== null).length} by name, ${sources.filter(listed).length} by the mapping${options.osm ? ' (OpenStreetMap defaults where not given)' : ''}`,
        ...(dropped.size ? [`${sum(dropped)} points dropped by the mapping: ${namedCounts(dropped)}`] : []),
      ];
  const report = [
    `${fileName}: ${parsed.points.lon.length + parsed.points.dropped} rows; columns ${parsed.points.columns.lon}, ${parsed.points.columns.lat}${parsed.points.columns.category ? `, ${parsed.points.columns.category}` : ' (no category column)'}`,
    `${kept} points counted into ${categories.length} categories of ${city.regions.length} regions`,
    `${parsed.points.dropped} rows unreadable`,
    ...parsed.points.problems.map((p) => `  ${p}`),
    `${outside} points outside every region`,
    ...mapped,
    `${sum(unknown)} points of unknown categories${unknown.size ? `: ${namedCounts(unknown)}` : ''}`,
  ];
  return { city: { ...city, views: { ...city.views, poi: counts, poiCategories: categories } }, report };
}

/**
 * Task labels from incident points (crime reports, 311 calls, check-ins): one count per
 * region for each value of the category column, which names the task. A task the city
 * already has keeps its name, unit and note and gets the new counts; a new one is added.
 * All or nothing, like importPoiPoints.
 */
export function importIncidentLabels(
  city: City,
  text: string,
  fileName: string,
  options: LayerOptions = {},
): PointImport | { error: string } {
  const located = readLocatedPoints(
    city,
    text,
    fileName,
    options,
    `${fileName} needs a column naming each incident's task (e.g. "task" or "category")`,
  );
  if ('error' in located) return located;
  const parsed = located;
  const tasks = [...new Set(parsed.points.category.filter((c) => c !== ''))].sort();
  const { counts, outside } = countPointsByCategory(city.regions.length, tasks, parsed.points, located.rows);
  const n = city.regions.length;
  const column = (k: number): Float64Array =>
    Float64Array.from({ length: n }, (_, i) => counts.data[i * tasks.length + k]);
  const labels = [...city.labels];
  tasks.forEach((task, k) => {
    const existing = labels.findIndex((l) => l.id === task);
    const values = column(k);
    if (existing >= 0) labels[existing] = { ...labels[existing], values, missing: 0 };
    else labels.push({ id: task, name: task, unit: 'incidents', values, missing: 0 });
  });
  const report = [
    `${fileName}: ${parsed.points.lon.length + parsed.points.dropped} rows; ${tasks.length} tasks (${tasks.join(', ')})`,
    `${parsed.points.dropped} rows unreadable`,
    ...parsed.points.problems.map((p) => `  ${p}`),
    `${outside} points outside every region`,
  ];
  return { city: { ...city, labels }, report };
}

/** A category of a points file, its points, and the target the suggestion gives it (null: none). */
export interface CategoryChoice {
  name: string;
  count: number;
  /** Whether the city has a category of this very name (no choice needed). */
  sameName: boolean;
  suggested: string | null;
}

/**
 * The categories of POI points (read by pointsFromCsv) beside the city's, for the user to map:
 * each with its count and suggested target (the same name, else the OpenStreetMap table, else
 * null). Null when no mapping is needed: the city has no POI categories (the points' own are
 * kept) or every category of the points is one of the city's.
 */
export function poiCategoryChoices(city: City, points: PointTable): CategoryChoice[] | null {
  const targets = city.views.poiCategories;
  if (targets.length === 0) return null;
  const counts = categoryCounts(points.category);
  const names = counts.map((c) => c.name);
  const suggested = suggestCategoryMapping(names, targets, { osm: true });
  const same = suggestCategoryMapping(names, targets);
  if (counts.every((c) => mappedTarget(same, c.name) !== undefined)) return null;
  return counts.map((c) => ({
    ...c,
    sameName: mappedTarget(same, c.name) !== undefined,
    suggested: mappedTarget(suggested, c.name) ?? null,
  }));
}
