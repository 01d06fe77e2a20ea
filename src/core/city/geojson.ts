/**
 * A plain GeoJSON FeatureCollection as a city: polygons are the regions and numeric
 * properties are mapped by the user to view columns or task labels.
 */
import { assembleCity, makeLabels, taskNameOfColumn } from './city';
import { ProblemList } from './problems';
import { parseRegionsGeoJson, type RegionsOptions, type RegionsProgress } from './regionsGeoJson';
import type { CityViews, LoadResult, Matrix, TaskLabels } from './types';
import { jsonNumberProblem, parseDecimal } from '../io/number';

export interface GeoJsonMapping extends RegionsOptions {
  /** City name (default: the file name without extension). */
  cityName?: string;
  /** Numeric properties forming the POI view (one column each). */
  poi?: string[];
  /** Numeric properties forming the land-use view. */
  landUse?: string[];
  /** Numeric properties used as task labels (empty or absent value = no label). */
  labels?: { property: string; id?: string; name?: string; unit?: string }[];
}

export interface PropertySummary {
  name: string;
  /** Features whose value is a number (or a numeric string). */
  numeric: number;
  /** Features with a non-empty value of any kind. */
  present: number;
  /** A few example values. */
  examples: string[];
  /** The first present value that is not a number, and why, when some are numbers and some not. */
  firstNotNumeric?: string;
}

/** A property value as a number: a finite JSON number or a decimal string (parseDecimal), else null. */
function numericValue(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string') return parseDecimal(v);
  return null;
}

/** A feature's own property (never an inherited one such as "constructor"). */
const own = (props: Record<string, unknown>, key: string): unknown =>
  Object.hasOwn(props, key) ? props[key] : undefined;

/** What properties the features carry, to let the user choose a mapping. */
export function summariseProperties(
  properties: Record<string, unknown>[],
  ids?: string[],
): PropertySummary[] {
  const table = new Map<string, PropertySummary>();
  const firstBad = new Map<string, string>();
  properties.forEach((props, r) => {
    for (const [key, value] of Object.entries(props)) {
      const s = table.get(key) ?? { name: key, numeric: 0, present: 0, examples: [] };
      if (value !== null && value !== undefined && value !== '') {
        s.present++;
        if (numericValue(value) !== null) s.numeric++;
        else if (!firstBad.has(key))
          firstBad.set(key, `${featureName(r, ids)}: ${jsonNumberProblem(value) ?? 'not a number'}`);
        if (s.examples.length < 3)
          s.examples.push(typeof value === 'object' ? JSON.stringify(value) : String(value));
      }
      table.set(key, s);
    }
  });
  return [...table.values()].map((s) => {
    const bad = firstBad.get(s.name);
    return s.numeric > 0 && bad ? { ...s, firstNotNumeric: bad } : s;
  });
}

const featureName = (r: number, ids?: string[]): string =>
  ids ? `feature ${r} (id "${ids[r]}")` : `feature ${r}`;

/**
 * Warnings for properties that are numbers in some features and not in others (one bad value
 * in a column of counts): such a property is still offered for mapping, and this says which
 * feature holds the first value that is not a number, so that it does not quietly vanish.
 */
function mixedPropertyWarnings(summary: PropertySummary[], file: string, problems: ProblemList): void {
  for (const p of summary)
    if (p.firstNotNumeric)
      problems.warn(
        file,
        `${p.present - p.numeric} of ${p.present} values are not numbers (first: ${p.firstNotNumeric}); used as a number, the property is refused until they are fixed`,
        undefined,
        p.name,
      );
}

function columnsToMatrix(
  properties: Record<string, unknown>[],
  columns: string[],
  ids: string[],
  file: string,
  problems: ProblemList,
): Matrix | null {
  const n = properties.length;
  const data = new Float64Array(n * columns.length);
  const before = problems.errorCount();
  let reported = 0;
  properties.forEach((props, r) => {
    columns.forEach((col, c) => {
      const raw = own(props, col);
      const v = numericValue(raw);
      const where = `feature ${r} (id "${ids[r]}")`;
      if (v === null) {
        if (reported++ < 10)
          problems.error(file, jsonNumberProblem(raw ?? null) ?? 'not a number', where, col);
      } else if (v < 0) {
        if (reported++ < 10)
          problems.error(file, `count is negative (${v}): counts must be non-negative`, where, col);
      } else data[r * columns.length + c] = v;
    });
  });
  return problems.errorCount() > before ? null : { rows: n, cols: columns.length, data };
}

/** What loadGeoJsonCity answers: the city or its problems, and the features' properties. */
export type GeoJsonCityResult = LoadResult & { properties: PropertySummary[] };

/**
 * A GeoJSON of regions as a city, its properties mapped by `mapping`; `onProgress` is told how
 * far parsing and checking the polygons is (every few thousand features, RegionsProgress).
 */
export function loadGeoJsonCity(
  bytes: Uint8Array,
  file: string,
  mapping: GeoJsonMapping = {},
  onProgress?: RegionsProgress,
): GeoJsonCityResult {
  const problems = new ProblemList();
  const parsed = parseRegionsGeoJson(bytes, file, problems, mapping, onProgress);
  if (!parsed) return { city: null, problems: problems.items, properties: [] };
  const ids = parsed.regions.map((r) => r.id);
  const views: CityViews = { poi: null, poiCategories: [], landUse: null, landUseClasses: [], trips: null };
  if (mapping.poi?.length) {
    views.poi = columnsToMatrix(parsed.properties, mapping.poi, ids, file, problems);
    views.poiCategories = mapping.poi;
  }
  if (mapping.landUse?.length) {
    views.landUse = columnsToMatrix(parsed.properties, mapping.landUse, ids, file, problems);
    views.landUseClasses = mapping.landUse;
  }
  const labels: TaskLabels[] = [];
  for (const spec of mapping.labels ?? []) {
    const values = new Float64Array(ids.length).fill(NaN);
    let bad = 0;
    parsed.properties.forEach((props, r) => {
      const raw = own(props, spec.property);
      if (raw === undefined || raw === null || raw === '') return; // no label
      const v = numericValue(raw);
      if (v === null) {
        if (bad++ < 10)
          problems.error(
            file,
            `label ${jsonNumberProblem(raw) ?? 'is not a number'}`,
            `feature ${r} (id "${ids[r]}")`,
            spec.property,
          );
      } else values[r] = v;
    });
    // Unnamed, the task is named from its property (humanised, a bracketed unit its unit).
    const derived = taskNameOfColumn(spec.property);
    labels.push(
      makeLabels(
        spec.id ?? spec.property,
        spec.name ?? derived.name,
        spec.unit ?? (spec.name ? '' : derived.unit),
        values,
      ),
    );
  }
  const properties = summariseProperties(parsed.properties, ids);
  mixedPropertyWarnings(properties, file, problems);
  if (problems.hasErrors) return { city: null, problems: problems.items, properties };
  const city = assembleCity(
    {
      name: mapping.cityName ?? file.replace(/\.(geo)?json$/i, ''),
      source: file,
      licence: 'not stated (user file)',
    },
    parsed.regions,
    views,
    labels,
    null,
  );
  return { city, problems: problems.items, properties };
}

/** How a numeric property could be used, as suggested to the user. */
export type PropertyRole = 'poi' | 'landUse' | 'label' | 'ignore';

const LABEL_HINTS = /crime|check.?in|service|311|calls?|incident|count|rate|price|value|target|label/i;
const LAND_HINTS = /^(lu|land.?use|landuse)[_:]/i;
const POI_HINTS = /^poi[_:]/i;
const ID_HINTS = /^(id|region_?id|index|fid|objectid|gid|code)$/i;

/**
 * A first guess of a mapping from the properties of a dropped GeoJSON: numeric properties
 * named like the benchmark's POI categories (or prefixed poi_) are POI counts, lu_/land_use_
 * prefixes are land use, names that sound like an outcome are labels; ids and anything else
 * are ignored. The user confirms or changes it before the city is built.
 */
export function suggestMapping(
  properties: PropertySummary[],
  poiCategories: string[],
): Record<string, PropertyRole> {
  const categories = new Set(poiCategories.map((c) => c.toLowerCase()));
  // Keys are the file's property names, "__proto__" perhaps: no prototype to collide with.
  const roles = Object.create(null) as Record<string, PropertyRole>;
  for (const p of properties) {
    const numeric = p.present > 0 && p.numeric === p.present;
    if (!numeric || ID_HINTS.test(p.name)) roles[p.name] = 'ignore';
    else if (POI_HINTS.test(p.name) || categories.has(p.name.toLowerCase())) roles[p.name] = 'poi';
    else if (LAND_HINTS.test(p.name)) roles[p.name] = 'landUse';
    else if (LABEL_HINTS.test(p.name)) roles[p.name] = 'label';
    else roles[p.name] = 'ignore';
  }
  return roles;
}

/** Turn chosen roles into the loader's mapping (properties in their original order). */
export function mappingFromRoles(
  roles: Record<string, PropertyRole>,
  base: GeoJsonMapping = {},
): GeoJsonMapping {
  const names = Object.keys(roles);
  return {
    ...base,
    poi: names.filter((n) => roles[n] === 'poi'),
    landUse: names.filter((n) => roles[n] === 'landUse'),
    labels: names.filter((n) => roles[n] === 'label').map((property) => ({ property })),
  };
}
