/**
 * The conversions that turn the benchmark's public sources into the folder the app and the
 * bench read (`npm run benchmark:get`). Each one is pure and writes JSON in one canonical form
 * (`JSON.stringify`, no spaces, keys in a fixed order), so that the result can be checked
 * against a pinned SHA-256. What each source is, and at which commit, is in ./manifest.ts.
 *
 * - NYC boundaries: MGFN's `mh-180` shapefile (read into GeoJSON by the caller), rings turned
 *   counter-clockwise (exterior) and clockwise (holes) as RFC 7946 asks, coordinates rounded to
 *   6 decimals, properties `index` = `region_id` = record number and `cd_label` from `mh_cd.json`.
 * - Chicago boundaries: a public copy of the City's community areas, ordered by area number,
 *   properties `area_number`, `name` (title case) and `index` = area number - 1; rings as given.
 * - NYC adjacency: HREP's `neighbor.npy` (lists of adjacent rows; see ./neighbors.ts), written as
 *   sorted lists.
 * - Chicago region descriptions: the text part of each region's prompt in the ToPT authors'
 *   `prompt_data.json`.
 */
import type { Feature, FeatureCollection, Geometry, MultiPolygon, Polygon, Position } from 'geojson';

export class ConversionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConversionError';
  }
}

/** The one serialisation every converted JSON file is written in (its checksum is of these bytes). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value);
}

/**
 * Rounds to `decimals` places as a decimal number (`toFixed` rounds the exact binary value, so
 * -73.9808874999 becomes -73.980887 and -73.9808875001 becomes -73.980888).
 */
export function roundTo(value: number, decimals: number): number {
  return Number(value.toFixed(decimals));
}

/** Twice the signed area of a closed ring in the plane of its coordinates (> 0: counter-clockwise). */
export function ringSignedArea2(ring: Position[]): number {
  let sum = 0;
  for (let i = 0; i + 1 < ring.length; i++) sum += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  return sum;
}

function mapRing(ring: Position[], decimals: number): Position[] {
  return ring.map((p) => [roundTo(p[0], decimals), roundTo(p[1], decimals)]);
}

/** A polygon's rings with the exterior counter-clockwise and every hole clockwise (RFC 7946 3.1.6). */
function rewindPolygon(rings: Position[][]): Position[][] {
  return rings.map((ring, k) => {
    const ccw = ringSignedArea2(ring) > 0;
    const wantCcw = k === 0;
    return ccw === wantCcw ? ring : [...ring].reverse();
  });
}

/** A polygon or multipolygon, rounded and optionally rewound; any other geometry is refused. */
export function normaliseGeometry(
  geometry: Geometry | null,
  { decimals, rewind }: { decimals: number; rewind: boolean },
): Polygon | MultiPolygon {
  const polygon = (rings: Position[][]) =>
    (rewind ? rewindPolygon(rings) : rings).map((ring) => mapRing(ring, decimals));
  if (geometry?.type === 'Polygon') return { type: 'Polygon', coordinates: polygon(geometry.coordinates) };
  if (geometry?.type === 'MultiPolygon')
    return { type: 'MultiPolygon', coordinates: geometry.coordinates.map(polygon) };
  throw new ConversionError(
    `expected a Polygon or MultiPolygon, found ${geometry ? geometry.type : 'no geometry'}`,
  );
}

/**
 * NYC's 180 regions from MGFN's shapefile (as GeoJSON, records in file order) and its
 * `mh_cd.json` ({"0": 2, "1": 8, ...}: the community district of each record).
 */
export function nycRegionsFromShapefile(shapes: FeatureCollection, cdLabels: unknown): FeatureCollection {
  if (cdLabels === null || typeof cdLabels !== 'object' || Array.isArray(cdLabels))
    throw new ConversionError('mh_cd.json: expected an object from record number to community district');
  const labels = cdLabels as Record<string, unknown>;
  const features: Feature[] = shapes.features.map((f, i) => {
    const cd = labels[String(i)];
    if (typeof cd !== 'number' || !Number.isInteger(cd))
      throw new ConversionError(`mh_cd.json: record ${i} has no community district`);
    return {
      type: 'Feature',
      properties: { index: i, region_id: i, cd_label: cd },
      geometry: normaliseGeometry(f.geometry, { decimals: 6, rewind: true }),
    };
  });
  return { type: 'FeatureCollection', features };
}

/** "MCKINLEY PARK" -> "Mckinley Park" (each word's first letter upper case, the rest lower). */
export function titleCase(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .split(/\s+/)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(' ');
}

function firstOf(props: Record<string, unknown>, keys: string[]): unknown {
  for (const k of keys) if (props[k] !== undefined && props[k] !== null) return props[k];
  return undefined;
}

/**
 * Chicago's 77 community areas in area-number order (row i = area i + 1), from a GeoJSON whose
 * features carry the City's properties (`area_numbe` as text, `community` in capitals) or
 * already-converted ones (`area_number`, `name`).
 */
export function chicagoRegionsFromCommunityAreas(areas: FeatureCollection): FeatureCollection {
  const rows = areas.features.map((f) => {
    const props = (f.properties ?? {}) as Record<string, unknown>;
    const number = Number(firstOf(props, ['area_number', 'area_numbe', 'area_num_1', 'AREA_NUMBE']));
    const name = firstOf(props, ['name', 'community', 'COMMUNITY']);
    if (!Number.isInteger(number) || number < 1)
      throw new ConversionError('community_areas.geojson: a feature has no area number');
    if (typeof name !== 'string') throw new ConversionError(`community area ${number} has no name`);
    return { number, name: titleCase(name), geometry: f.geometry };
  });
  rows.sort((a, b) => a.number - b.number);
  rows.forEach((r, i) => {
    if (r.number !== i + 1)
      throw new ConversionError(
        `community areas: expected area ${i + 1}, found ${r.number} (a missing or repeated area)`,
      );
  });
  return {
    type: 'FeatureCollection',
    features: rows.map((r, i) => ({
      type: 'Feature',
      properties: { area_number: r.number, name: r.name, index: i },
      geometry: normaliseGeometry(r.geometry, { decimals: 6, rewind: false }),
    })),
  };
}

/** Each region's adjacent rows, sorted, without itself or repeats; every index must be a row. */
export function adjacencyLists(neighbors: number[][]): number[][] {
  const n = neighbors.length;
  return neighbors.map((list, i) => {
    for (const j of list)
      if (!Number.isInteger(j) || j < 0 || j >= n)
        throw new ConversionError(`neighbor.npy: region ${i} lists ${j}, not a region of 0..${n - 1}`);
    return [...new Set(list)].filter((j) => j !== i).sort((a, b) => a - b);
  });
}

/**
 * The text part of each region's prompt, in order: `prompt_data.json` is a list with one
 * message per region ({role, content: [{type: 'image', ...}, ..., {type: 'text', text}]}).
 */
export function descriptionsFromPrompts(prompts: unknown): { index: number; text: string }[] {
  if (!Array.isArray(prompts)) throw new ConversionError('prompt_data.json: expected a list of messages');
  return prompts.map((message: unknown, index) => {
    const content = (message as { content?: unknown } | null)?.content;
    const texts = Array.isArray(content)
      ? content.filter(
          (c): c is { type: 'text'; text: string } =>
            (c as { type?: unknown } | null)?.type === 'text' &&
            typeof (c as { text?: unknown }).text === 'string',
        )
      : [];
    if (texts.length === 0) throw new ConversionError(`prompt_data.json: message ${index} has no text part`);
    return { index, text: texts[texts.length - 1].text };
  });
}
