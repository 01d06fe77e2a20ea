/**
 * Point layers as GeoJSON (POIs, incidents, land-use points): a FeatureCollection of Point or
 * MultiPoint features is read as the CSV the point importers take, `lon,lat` and one column per
 * property, so every check, report and mapping of pointsCsv.ts applies to it unchanged (its
 * rows are named as points, the first point 1: pointsFromCsv).
 *
 * A coordinate that is not a JSON number is written as its JSON text, so that the CSV reader
 * drops its point with the reason, as it drops a CSV row with a coordinate that is not a
 * number: a string `"-87.6"` is the cell `"-87.6"`, quotes and all (a string, not a number),
 * `null` the cell `null`. A number beyond a double (1e999) reads as Infinity.
 */
import { writeCsv } from '../../io/csv';
import { describeJsonValue } from '../../io/number';

const POINT_TYPES = new Set(['Point', 'MultiPoint']);

/**
 * Whether the start of a GeoJSON text holds point features: its first geometry type that is
 * not a Feature or FeatureCollection is Point or MultiPoint. Enough to tell a point layer from
 * region polygons without parsing a file of many megabytes on the page.
 */
export function looksLikePointGeoJson(head: string): boolean {
  const types = head.matchAll(/"type"\s*:\s*"([A-Za-z]+)"/g);
  for (const [, type] of types) {
    if (type === 'FeatureCollection' || type === 'Feature') continue;
    return POINT_TYPES.has(type);
  }
  return false;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const isScalar = (v: unknown): v is string | number | boolean =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

/** A GeoJSON coordinate as a CSV cell: a number as it is, anything else as its JSON text ('' when absent). */
const coordinateCell = (v: unknown): string =>
  typeof v === 'number' ? String(v) : v === undefined ? '' : describeJsonValue(v);

/**
 * The CSV text of a GeoJSON point layer; null when the text is not a FeatureCollection of
 * points (regions or land-use polygons: other readers take those); an error for a collection
 * that mixes points with other geometry.
 */
export function pointGeoJsonAsCsv(
  text: string,
  fileName: string,
): { text: string } | { error: string } | null {
  const start = text.trimStart();
  if (!start.startsWith('{')) return null;
  let value: unknown;
  try {
    value = JSON.parse(start);
  } catch (e) {
    return looksLikePointGeoJson(start.slice(0, 65536))
      ? { error: `${fileName} is not valid JSON (${e instanceof Error ? e.message : String(e)})` }
      : null;
  }
  if (!isRecord(value) || value.type !== 'FeatureCollection' || !Array.isArray(value.features)) return null;
  const features: unknown[] = value.features;
  const counts = new Map<string, number>();
  for (const f of features) {
    const type = isRecord(f) && isRecord(f.geometry) ? String(f.geometry.type) : 'no geometry';
    counts.set(type, (counts.get(type) ?? 0) + 1);
  }
  const points = (counts.get('Point') ?? 0) + (counts.get('MultiPoint') ?? 0);
  if (points === 0) return null;
  const others = [...counts].filter(([type]) => !POINT_TYPES.has(type));
  if (others.length)
    return {
      error: `${fileName} mixes geometry types: ${points} points and ${others.map(([t, k]) => `${k} ${t}`).join(', ')}; give point layers as a file of points only`,
    };
  const keys: string[] = [];
  const seen = new Set<string>(['lon', 'lat']);
  for (const f of features)
    if (isRecord(f) && isRecord(f.properties))
      for (const [k, v] of Object.entries(f.properties))
        if (isScalar(v) && !seen.has(k)) {
          seen.add(k);
          keys.push(k);
        }
  const rows: string[][] = [];
  for (const f of features) {
    if (!isRecord(f) || !isRecord(f.geometry)) continue;
    const props = isRecord(f.properties) ? f.properties : {};
    const cells = keys.map((k) => (isScalar(props[k]) ? String(props[k]) : ''));
    const coordinates: unknown = f.geometry.coordinates;
    const list = f.geometry.type === 'Point' ? [coordinates] : Array.isArray(coordinates) ? coordinates : [];
    for (const c of list) {
      const [lon, lat]: unknown[] = Array.isArray(c) ? c : [];
      rows.push([coordinateCell(lon), coordinateCell(lat), ...cells]);
    }
  }
  return { text: writeCsv(['lon', 'lat', ...keys], rows) };
}
