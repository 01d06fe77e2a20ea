/**
 * Reading region polygons from a GeoJSON FeatureCollection, with validation that names
 * the feature, the field and the reason for every problem.
 */
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import type { Position } from 'geojson';
import { MAX_REGIONS, tooManyRegionsMessage } from '../io/limits';
import { describeJsonValue } from '../io/number';
import { antimeridianEdge, geometryCentroid, polygonSelfIntersections, ringIsDegenerate } from './geometry';
import { ProblemList, decodeText, parseJson } from './problems';
import type { Region, RegionGeometry } from './types';

export interface RegionsOptions {
  /** Property holding the region id; default: feature.id, else "id", "region_id", "index". */
  idProperty?: string;
  /** Property holding the region name; default "name" (falls back to the id). */
  nameProperty?: string;
}

export interface ParsedRegions {
  regions: Region[];
  /** Feature properties, row-aligned with regions (for mapping numeric properties). */
  properties: Record<string, unknown>[];
}

/**
 * How far reading a regions file is: `parsing` once, before its JSON is parsed (done 0 of its
 * bytes: JSON.parse tells nothing until it ends), then `checking` its features, done of total,
 * every PROGRESS_EVERY features and once all are checked.
 */
export type RegionsProgress = (phase: 'parsing' | 'checking', done: number, total: number) => void;

/** Features checked between two progress calls (50,000 polygons took about 1 s to check in Node). */
export const PROGRESS_EVERY = 2000;

const ID_CANDIDATES = ['id', 'region_id', 'index'];
const MAX_REPORTS_PER_KIND = 10;

type JsonObject = Record<string, unknown>;

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function featureLabel(index: number, id?: string): string {
  return id === undefined ? `feature ${index}` : `feature ${index} (id "${id}")`;
}

function isPosition(p: unknown): p is Position {
  return Array.isArray(p) && p.length >= 2 && p.every((x) => typeof x === 'number' && Number.isFinite(x));
}

/** How many of each warning have been reported, to list only the first few of a kind. */
interface Reported {
  unclosed: number;
  holesOutside: number;
}

/** Why a position is not [lon, lat], where a plain "expected numbers" would not say. */
function positionNote(p: unknown): string {
  if (!Array.isArray(p)) return '';
  if (p.some((x) => typeof x === 'number' && !Number.isFinite(x)))
    return ' (a coordinate beyond about 1.8e308, such as 1e999, reads as Infinity)';
  if (p.some((x) => typeof x === 'string')) return ' (a coordinate is text in quotes)';
  return '';
}

/**
 * A region id as text, or why the value cannot be one: ids are strings or finite numbers,
 * compared without surrounding spaces (so " R1" and "R1" are one id, and CSV cells, read
 * trimmed, find it). An object or array would become "[object Object]"; true and false are
 * not ids either.
 */
function regionIdOf(raw: unknown): { id: string; trimmed: boolean } | { error: string } | null {
  if (raw === undefined || raw === null) return null;
  if (typeof raw === 'number')
    return Number.isFinite(raw)
      ? { id: String(raw), trimmed: false }
      : { error: `region id is ${String(raw)}, not a finite number` };
  if (typeof raw !== 'string')
    return {
      error: `region id is ${Array.isArray(raw) ? 'an array' : typeof raw === 'object' ? 'an object' : `a ${typeof raw}`} (${describeJsonValue(raw)}): ids must be strings or numbers`,
    };
  const id = raw.trim();
  return id === '' ? null : { id, trimmed: id !== raw };
}

/** Validate one ring; returns the (possibly closed) ring or null when unusable. */
function checkRing(
  ring: unknown,
  file: string,
  where: string,
  problems: ProblemList,
  reported: Reported,
): Position[] | null {
  if (!Array.isArray(ring)) {
    problems.error(file, 'a ring is not an array of positions', where, 'geometry');
    return null;
  }
  for (let i = 0; i < ring.length; i++) {
    if (!isPosition(ring[i])) {
      problems.error(
        file,
        `position ${i} is ${describeJsonValue(ring[i])}: expected [lon, lat] finite numbers${positionNote(ring[i])}`,
        where,
        'geometry',
      );
      return null;
    }
  }
  let positions = ring as Position[];
  if (positions.length === 0) {
    problems.error(file, 'empty ring (no positions)', where, 'geometry');
    return null;
  }
  const first = positions[0];
  const last = positions[positions.length - 1];
  if (first[0] !== last[0] || first[1] !== last[1]) {
    if (reported.unclosed++ < MAX_REPORTS_PER_KIND)
      problems.warn(file, 'ring is not closed: closed it by repeating the first position', where, 'geometry');
    positions = [...positions, [first[0], first[1]]];
  }
  if (positions.length < 4) {
    problems.error(
      file,
      `ring has ${positions.length} positions: a closed ring needs at least 4`,
      where,
      'geometry',
    );
    return null;
  }
  // Only on longitudes: projected coordinates are named as such (checkCoordinateRanges).
  const crossing = positions.every((p) => Math.abs(p[0]) <= 180) ? antimeridianEdge(positions) : -1;
  if (crossing >= 0) {
    const [a, b] = [positions[crossing], positions[crossing + 1]];
    problems.error(
      file,
      `ring crosses the antimeridian (edge from ${JSON.stringify(a)} to ${JSON.stringify(b)} spans more than 180° of longitude): its centroid and area would be on the other side of the Earth; split it at ±180° into a MultiPolygon (RFC 7946, 3.1.9)`,
      where,
      'geometry',
    );
    return null;
  }
  return positions;
}

/** A hole wholly outside its outer ring: some of its positions (up to 16 looked at) lie outside. */
function holeOutside(shell: Position[], hole: Position[]): boolean {
  const polygon = { type: 'Polygon' as const, coordinates: [shell] };
  const step = Math.max(1, Math.floor(hole.length / 16));
  for (let i = 0; i < hole.length; i += step) if (!booleanPointInPolygon(hole[i], polygon)) return true;
  return false;
}

function checkGeometry(
  geometry: unknown,
  file: string,
  where: string,
  problems: ProblemList,
  reported: Reported,
): RegionGeometry | null | 'none' {
  if (geometry === null || geometry === undefined) return 'none';
  if (!isObject(geometry)) {
    problems.error(file, 'geometry is not an object', where, 'geometry');
    return null;
  }
  const type = geometry.type;
  if (type !== 'Polygon' && type !== 'MultiPolygon') {
    problems.error(
      file,
      `geometry type is ${JSON.stringify(type)}: regions must be Polygon or MultiPolygon`,
      where,
      'geometry',
    );
    return null;
  }
  const coords = geometry.coordinates;
  if (!Array.isArray(coords) || coords.length === 0) {
    problems.error(file, `empty ${type} (no coordinates)`, where, 'geometry');
    return null;
  }
  const polygons: unknown[] = type === 'Polygon' ? [coords] : coords;
  const out: Position[][][] = [];
  for (const poly of polygons) {
    if (!Array.isArray(poly) || poly.length === 0) {
      problems.error(file, 'empty polygon (no rings)', where, 'geometry');
      return null;
    }
    const rings: Position[][] = [];
    for (const ring of poly) {
      const checked = checkRing(ring, file, where, problems, reported);
      if (!checked) return null;
      rings.push(checked);
    }
    const part = type === 'Polygon' ? '' : ` (polygon ${out.length})`;
    if (ringIsDegenerate(rings[0])) {
      problems.error(
        file,
        `outer ring${part} has no area (its positions lie on one line, or its loops cancel out): a region needs a polygon that encloses its area`,
        where,
        'geometry',
      );
      return null;
    }
    // A hole outside its shell would be subtracted from the area and pull the centroid away.
    const kept = [rings[0]];
    rings.slice(1).forEach((hole, h) => {
      if (ringIsDegenerate(hole) || holeOutside(rings[0], hole)) {
        if (reported.holesOutside++ < MAX_REPORTS_PER_KIND)
          problems.warn(
            file,
            `hole ${h + 1}${part} ${ringIsDegenerate(hole) ? 'has no area' : 'lies outside its outer ring'}: left out, so that it does not change the region's area and centroid`,
            where,
            'geometry',
          );
      } else kept.push(hole);
    });
    out.push(kept);
  }
  return type === 'Polygon' ? { type, coordinates: out[0] } : { type, coordinates: out };
}

/** Self-intersections of each polygon part (warning only: the region is kept as drawn). */
function selfIntersections(geometry: RegionGeometry): Position[] {
  const parts = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  return parts.flatMap((rings) => polygonSelfIntersections(rings));
}

/**
 * Coordinates must be WGS84 [lon, lat]. Projected coordinates (metres) and swapped
 * [lat, lon] pairs are recognised and reported with an example.
 */
function checkCoordinateRanges(geoms: (RegionGeometry | null)[], file: string, problems: ProblemList): void {
  let maxAbsX = 0;
  let maxAbsY = 0;
  let minAbsY = Infinity;
  let example: { x: number; y: number; feature: number } | null = null;
  geoms.forEach((g, k) => {
    if (!g) return;
    const parts = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
    for (const rings of parts)
      for (const ring of rings)
        for (const [x, y] of ring) {
          if (!example && (Math.abs(x) > 180 || Math.abs(y) > 90)) example = { x, y, feature: k };
          maxAbsX = Math.max(maxAbsX, Math.abs(x));
          maxAbsY = Math.max(maxAbsY, Math.abs(y));
          minAbsY = Math.min(minAbsY, Math.abs(y));
        }
  });
  if (maxAbsX === 0 && maxAbsY === 0) return;
  const ex = example as { x: number; y: number; feature: number } | null;
  if (maxAbsX <= 90 && maxAbsY > 90 && maxAbsY <= 180) {
    problems.error(
      file,
      `coordinates look like [lat, lon] (second value up to ${maxAbsY.toFixed(3)}, beyond ±90): GeoJSON positions are [lon, lat]; swap the two values`,
      ex ? featureLabel(ex.feature) : undefined,
      'geometry',
    );
  } else if (ex) {
    problems.error(
      file,
      `coordinates look projected (e.g. [${ex.x}, ${ex.y}], outside ±180/±90 degrees): reproject to WGS84 lon/lat (EPSG:4326)`,
      featureLabel(ex.feature),
      'geometry',
    );
  } else if (minAbsY > 85.06 && maxAbsX <= 90) {
    problems.error(
      file,
      `every latitude is beyond ±85° (polar): the coordinates look like [lat, lon]; GeoJSON positions are [lon, lat]`,
      undefined,
      'geometry',
    );
  }
}

function pickId(feature: JsonObject, props: JsonObject, options: RegionsOptions): unknown {
  // Own properties only: an id property named "constructor" must not find Object's.
  const own = (key: string): unknown => (Object.hasOwn(props, key) ? props[key] : undefined);
  if (options.idProperty) return own(options.idProperty);
  if (feature.id !== undefined && feature.id !== null) return feature.id;
  for (const key of ID_CANDIDATES) if (own(key) !== undefined && own(key) !== null) return own(key);
  return undefined;
}

/**
 * Parse and validate a regions FeatureCollection. Returns null when it has errors. `onProgress`
 * is told how far it is (RegionsProgress), so that a worker can say it to the page.
 */
export function parseRegionsGeoJson(
  bytes: Uint8Array,
  file: string,
  problems: ProblemList,
  options: RegionsOptions = {},
  onProgress?: RegionsProgress,
): ParsedRegions | null {
  const before = problems.errorCount();
  onProgress?.('parsing', 0, bytes.length);
  const json = parseJson(decodeText(bytes, file, problems), file, problems);
  if (json === undefined) return null;
  if (!isObject(json) || json.type !== 'FeatureCollection') {
    const found = isObject(json)
      ? `type ${JSON.stringify(json.type)}`
      : Array.isArray(json)
        ? 'an array'
        : typeof json;
    problems.error(file, `not a GeoJSON FeatureCollection (found ${found})`);
    return null;
  }
  if (!Array.isArray(json.features)) {
    problems.error(file, 'FeatureCollection has no "features" array', undefined, 'features');
    return null;
  }
  if (json.features.length === 0) {
    problems.error(file, 'FeatureCollection has no features', undefined, 'features');
    return null;
  }
  if (json.features.length > MAX_REGIONS) {
    problems.error(file, tooManyRegionsMessage(json.features.length), undefined, 'features');
    return null;
  }
  const regions: Region[] = [];
  const properties: JsonObject[] = [];
  const reported: Reported = { unclosed: 0, holesOutside: 0 };
  const geoms: (RegionGeometry | null)[] = [];
  const seen = new Map<string, number>();
  /** Features whose id had spaces around it (removed). */
  const spaced: number[] = [];
  let withoutGeometry = 0;
  let geometryErrors = 0;
  let kinkReports = 0;
  let objectNames = 0;
  const total = json.features.length;
  onProgress?.('checking', 0, total);
  json.features.forEach((f: unknown, k: number) => {
    if (onProgress && k > 0 && k % PROGRESS_EVERY === 0) onProgress('checking', k, total);
    if (!isObject(f) || f.type !== 'Feature') {
      problems.error(file, 'not a GeoJSON Feature', featureLabel(k));
      return;
    }
    const props = isObject(f.properties) ? f.properties : {};
    const rawId = pickId(f, props, options);
    const idField = options.idProperty ?? 'id';
    let id: string | undefined;
    const read = regionIdOf(rawId);
    if (read === null) {
      problems.error(file, 'missing region id', featureLabel(k), idField);
    } else if ('error' in read) {
      problems.error(file, read.error, featureLabel(k), idField);
    } else {
      id = read.id;
      if (read.trimmed) spaced.push(k);
      const prev = seen.get(id);
      if (prev !== undefined) {
        problems.error(
          file,
          `duplicate region id "${id}" (also feature ${prev})${read.trimmed || spaced.includes(prev) ? '; ids are compared without surrounding spaces' : ''}`,
          featureLabel(k, id),
          idField,
        );
      } else seen.set(id, k);
    }
    const where = featureLabel(k, id);
    const errorsBefore = problems.errorCount();
    const checked =
      geometryErrors < MAX_REPORTS_PER_KIND
        ? checkGeometry(f.geometry, file, where, problems, reported)
        : null;
    if (problems.errorCount() > errorsBefore) geometryErrors++;
    let geometry: RegionGeometry | null = null;
    if (checked === 'none') withoutGeometry++;
    else if (checked) {
      geometry = checked;
      const crossings = selfIntersections(geometry);
      if (crossings.length > 0 && kinkReports++ < MAX_REPORTS_PER_KIND) {
        const [x, y] = crossings[0];
        problems.warn(
          file,
          `ring crosses itself (${crossings.length} self-intersection${crossings.length > 1 ? 's' : ''}, first near ${x.toFixed(5)}, ${y.toFixed(5)}): kept as drawn; its area and centroid may be off`,
          where,
          'geometry',
        );
      }
    }
    const nameKey = options.nameProperty ?? 'name';
    const nameValue = Object.hasOwn(props, nameKey) ? props[nameKey] : undefined;
    if (typeof nameValue === 'object' && nameValue !== null && objectNames++ < MAX_REPORTS_PER_KIND)
      problems.warn(
        file,
        `name is ${Array.isArray(nameValue) ? 'an array' : 'an object'} (${describeJsonValue(nameValue)}), not text: the region id is its name`,
        where,
        nameKey,
      );
    const name =
      (typeof nameValue === 'string' || typeof nameValue === 'number') && String(nameValue).trim() !== ''
        ? String(nameValue)
        : (id ?? `#${k}`);
    const description =
      typeof props.description === 'string' && props.description.trim() !== ''
        ? props.description
        : undefined;
    geoms.push(geometry);
    regions.push({
      id: id ?? `#${k}`,
      name,
      geometry,
      centroid: geometry ? geometryCentroid(geometry) : null,
      ...(description ? { description } : {}),
    });
    properties.push(props);
  });
  onProgress?.('checking', total, total);
  if (withoutGeometry > 0 && withoutGeometry < json.features.length) {
    const firstMissing = json.features.findIndex(
      (f: unknown) => isObject(f) && (f.geometry === null || f.geometry === undefined),
    );
    problems.error(
      file,
      `${withoutGeometry} of ${json.features.length} features have no geometry: either every region has a polygon or none has`,
      featureLabel(firstMissing),
      'geometry',
    );
  }
  if (kinkReports > MAX_REPORTS_PER_KIND) {
    problems.warn(
      file,
      `${kinkReports - MAX_REPORTS_PER_KIND} more features cross themselves (not listed)`,
      undefined,
      'geometry',
    );
  }
  if (reported.unclosed > MAX_REPORTS_PER_KIND)
    problems.warn(
      file,
      `${reported.unclosed - MAX_REPORTS_PER_KIND} more rings are not closed (not listed): closed them`,
      undefined,
      'geometry',
    );
  if (reported.holesOutside > MAX_REPORTS_PER_KIND)
    problems.warn(
      file,
      `${reported.holesOutside - MAX_REPORTS_PER_KIND} more holes outside their outer rings left out (not listed)`,
      undefined,
      'geometry',
    );
  if (spaced.length > 0)
    problems.warn(
      file,
      `${spaced.length} region id${spaced.length > 1 ? 's have' : ' has'} spaces around ${spaced.length > 1 ? 'them' : 'it'} (first: feature ${spaced[0]}, "${regions[spaced[0]]?.id ?? ''}"): removed; ids are compared without surrounding spaces`,
      featureLabel(spaced[0], regions[spaced[0]]?.id),
      options.idProperty ?? 'id',
    );
  checkCoordinateRanges(geoms, file, problems);
  if (problems.errorCount() > before) return null;
  return { regions, properties };
}
