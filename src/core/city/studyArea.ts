/**
 * What a new city's study area and tessellation are, and the limits on them: plain data and
 * parsing only (no h3-js), so the app's panel can use them without loading the H3 library,
 * which lives with the tessellation itself in ./tessellate.ts (run in a worker).
 */
import type { MultiPolygon, Polygon, Position } from 'geojson';
import { describeNotDecimal, parseDecimal } from '../io/number';
import { MAX_NEW_CITY_REGIONS } from '../srel/capacity';

/** [west, south, east, north] in degrees. */
export type Bbox = [number, number, number, number];

export type StudyArea = { bbox: Bbox } | { polygon: Polygon | MultiPolygon };

export type Tessellation = { kind: 'h3'; resolution: number } | { kind: 'grid'; sizeMeters: number };

/**
 * The most cells a new city may have (MAX_NEW_CITY_REGIONS of ../srel/capacity.ts: 20,000
 * regions, where an epoch takes about 50 s on WebAssembly, one thread).
 */
export const MAX_CELLS = MAX_NEW_CITY_REGIONS;
export const H3_MIN_RESOLUTION = 0;
export const H3_MAX_RESOLUTION = 15;
/** Grid cells smaller than this are refused (far below what any raw layer resolves). */
export const GRID_MIN_METERS = 10;
/**
 * The grid is laid out in one local equirectangular projection about the area's middle
 * latitude: metres per degree of longitude are taken at that latitude for the whole grid, so
 * cells further north or south are narrower or wider than asked by cos(lat)/cos(lat0). An
 * area where that exceeds this share is refused (H3 has no such limit).
 */
export const GRID_MAX_WIDTH_ERROR = 0.05;

/** What a city made from an area lacks until raw layers are dropped on it, said to the user. */
export const NO_VIEWS_YET = 'no views yet: drop POI points / trip records';

/** The form a bounding box is written in, for messages. */
export const BBOX_FORM = 'four numbers west,south,east,north in degrees (e.g. 8.76,47.48,9.06,47.62)';

const BBOX_SIDES = ['west', 'south', 'east', 'north'] as const;

/**
 * The cells as typed (the CLI's --h3 or --grid, the app's field): a decimal number (not `0x5`
 * or `1e999`, which Number() would take); its range is checked by tessellate, as any
 * tessellation's is.
 */
export function tessellationFromText(
  kind: Tessellation['kind'],
  text: string,
): Tessellation | { error: string } {
  const value = parseDecimal(text);
  if (value !== null) return kind === 'h3' ? { kind, resolution: value } : { kind, sizeMeters: value };
  const expected =
    kind === 'h3'
      ? `an H3 resolution, a whole number from ${H3_MIN_RESOLUTION} to ${H3_MAX_RESOLUTION}`
      : `a cell size in metres, at least ${GRID_MIN_METERS}`;
  return { error: `${describeNotDecimal(text)}; expected ${expected}` };
}

/**
 * Parse "west,south,east,north" in degrees (commas and/or spaces), each a decimal number
 * (parseDecimal: not `0x10`, `Infinity` or `1e999`, which Number() would take), longitudes
 * within ±180° and latitudes within ±90°. An error names the value and the form expected;
 * an empty box (west not less than east, south not less than north) is refused by
 * checkStudyArea (./tessellate.ts), which every use of the box goes through.
 */
export function parseBbox(text: string): { bbox: Bbox } | { error: string } {
  const parts = text
    .trim()
    .split(/[\s,;]+/)
    .filter(Boolean);
  if (parts.length !== 4)
    return {
      error: `a bounding box is ${BBOX_FORM}; got ${JSON.stringify(text.trim())} (${parts.length} ${parts.length === 1 ? 'value' : 'values'})`,
    };
  const nums: number[] = [];
  for (const [i, part] of parts.entries()) {
    const side = BBOX_SIDES[i];
    const v = parseDecimal(part);
    if (v === null)
      return {
        error: `the bounding box's ${side} ${describeNotDecimal(part)}; a bounding box is ${BBOX_FORM}`,
      };
    const limit = i % 2 === 0 ? 180 : 90;
    if (Math.abs(v) > limit)
      return {
        error: `the bounding box's ${side} (${v}) is beyond ±${limit}°, not a ${i % 2 === 0 ? 'longitude' : 'latitude'}; a bounding box is ${BBOX_FORM}, not projected coordinates`,
      };
    nums.push(v);
  }
  return { bbox: [nums[0], nums[1], nums[2], nums[3]] };
}

/**
 * A study area from GeoJSON: a Polygon or MultiPolygon geometry, a Feature with one, or a
 * FeatureCollection of them (their polygons together).
 */
export function studyAreaFromGeoJson(json: unknown): { polygon: Polygon | MultiPolygon } | { error: string } {
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
  if (!isObject(json)) return { error: 'the study area file is not a GeoJSON object' };
  const geometries: unknown[] =
    json.type === 'FeatureCollection' && Array.isArray(json.features)
      ? json.features.map((f: unknown) => (isObject(f) ? f.geometry : null))
      : json.type === 'Feature'
        ? [json.geometry]
        : [json];
  const polygons: Position[][][] = [];
  for (const g of geometries) {
    if (!isObject(g) || (g.type !== 'Polygon' && g.type !== 'MultiPolygon') || !Array.isArray(g.coordinates))
      return {
        error: `the study area must be a Polygon or MultiPolygon; the file holds ${isObject(g) ? `a ${String(g.type)}` : 'a feature without geometry'}`,
      };
    if (g.type === 'Polygon') polygons.push(g.coordinates as Position[][]);
    else polygons.push(...(g.coordinates as Position[][][]));
  }
  if (polygons.length === 0) return { error: 'the study area file holds no polygon' };
  return {
    polygon:
      polygons.length === 1
        ? { type: 'Polygon', coordinates: polygons[0] }
        : { type: 'MultiPolygon', coordinates: polygons },
  };
}
