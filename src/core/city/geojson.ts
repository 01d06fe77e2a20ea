/**
 * A plain GeoJSON FeatureCollection as a city: polygons are the regions and numeric
 * properties are mapped by the user to view columns or task labels.
 */
import { assembleCity, makeLabels } from './city';
import { ProblemList } from './problems';
import { parseRegionsGeoJson, type RegionsOptions } from './regionsGeoJson';
import type { CityViews, LoadResult, Matrix, TaskLabels } from './types';
import { parseNumberCell } from './views';

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
}

function numericValue(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string') return parseNumberCell(v);
  return null;
}

/** What properties the features carry, to let the user choose a mapping. */
export function summariseProperties(properties: Record<string, unknown>[]): PropertySummary[] {
  const table = new Map<string, PropertySummary>();
  for (const props of properties)
    for (const [key, value] of Object.entries(props)) {
      const s = table.get(key) ?? { name: key, numeric: 0, present: 0, examples: [] };
      if (value !== null && value !== undefined && value !== '') {
        s.present++;
        if (numericValue(value) !== null) s.numeric++;
        if (s.examples.length < 3) s.examples.push(String(value));
      }
      table.set(key, s);
    }
  return [...table.values()];
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
      const raw = props[col];
      const v = numericValue(raw);
      const where = `feature ${r} (id "${ids[r]}")`;
      if (v === null) {
        if (reported++ < 10)
          problems.error(file, `${JSON.stringify(raw ?? null)} is not a number`, where, col);
      } else if (v < 0) {
        if (reported++ < 10)
          problems.error(file, `count is negative (${v}): counts must be non-negative`, where, col);
      } else data[r * columns.length + c] = v;
    });
  });
  return problems.errorCount() > before ? null : { rows: n, cols: columns.length, data };
}

export function loadGeoJsonCity(
  bytes: Uint8Array,
  file: string,
  mapping: GeoJsonMapping = {},
): LoadResult & {
  properties: PropertySummary[];
} {
  const problems = new ProblemList();
  const parsed = parseRegionsGeoJson(bytes, file, problems, mapping);
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
      const raw = props[spec.property];
      if (raw === undefined || raw === null || raw === '') return; // no label
      const v = numericValue(raw);
      if (v === null) {
        if (bad++ < 10)
          problems.error(
            file,
            `label ${JSON.stringify(raw)} is not a number`,
            `feature ${r} (id "${ids[r]}")`,
            spec.property,
          );
      } else values[r] = v;
    });
    labels.push(makeLabels(spec.id ?? spec.property, spec.name ?? spec.property, spec.unit ?? '', values));
  }
  const properties = summariseProperties(parsed.properties);
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
