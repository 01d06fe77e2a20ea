/**
 * Regions from nothing: a study area (a bounding box or a GeoJSON polygon, WGS84 degrees)
 * tessellated into H3 hexagons at a chosen resolution (h3-js) or a square grid of a chosen
 * size in metres. A cell is kept when its centre lies inside the area, so cells along the
 * border stick out a little rather than being cut. The result is a City with regions and no
 * views: raw layers (POI points, trip records, incident points) dropped onto it fill those.
 * Every refusal is a value with a specific message, never a throw.
 */
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import type { Polygon, Position } from 'geojson';
import { cellToBoundary, getHexagonAreaAvg, polygonToCells } from 'h3-js';
import { assembleCity } from './city';
import { geometryAreaM2, geometryCentroid, polygonSelfIntersections } from './geometry';
import {
  GRID_MAX_WIDTH_ERROR,
  GRID_MIN_METERS,
  H3_MAX_RESOLUTION,
  H3_MIN_RESOLUTION,
  MAX_CELLS,
  type Bbox,
  type StudyArea,
  type Tessellation,
} from './studyArea';
import type { City, Region } from './types';

export * from './studyArea';

/** Metres per degree of latitude (mean Earth radius 6,371,008.8 m). */
const METERS_PER_DEGREE = (6_371_008.8 * Math.PI) / 180;
const RAD = Math.PI / 180;

export interface CellCount {
  count: number;
  /** false when the count is an estimate from the area (it was too large to enumerate). */
  exact: boolean;
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

/** Outer rings and holes of the area, as polygons of rings ([lon, lat], closed). */
function polygonsOf(area: StudyArea): Position[][][] {
  if ('bbox' in area) {
    const [w, s, e, n] = area.bbox;
    return [
      [
        [
          [w, s],
          [e, s],
          [e, n],
          [w, n],
          [w, s],
        ],
      ],
    ];
  }
  return area.polygon.type === 'Polygon' ? [area.polygon.coordinates] : area.polygon.coordinates;
}

interface CheckedArea {
  polygons: Position[][][];
  bounds: Bbox;
  /** Area in m² (`geometryAreaM2`). */
  areaM2: number;
}

/** Validate the study area: degrees, finite, not degenerate, not across the antimeridian. */
export function checkStudyArea(area: StudyArea): CheckedArea | { error: string } {
  if ('bbox' in area) {
    const b = area.bbox;
    if (b.length !== 4 || !b.every((v) => typeof v === 'number' && Number.isFinite(v)))
      return { error: `the bounding box needs four numbers west,south,east,north; got ${b.join(',')}` };
  } else {
    const type: unknown = (area.polygon as { type?: unknown }).type;
    if (type !== 'Polygon' && type !== 'MultiPolygon')
      return { error: `the study area must be a Polygon or MultiPolygon, not ${String(type)}` };
  }
  const polygons = polygonsOf(area);
  const points = polygons.flat(2);
  if (points.length === 0) return { error: 'the study area has no coordinates' };
  for (const p of points)
    if (!Array.isArray(p) || p.length < 2 || !Number.isFinite(p[0]) || !Number.isFinite(p[1]))
      return { error: `the study area has a position that is not two numbers: ${JSON.stringify(p)}` };
  const bad = points.find(([x, y]) => Math.abs(x) > 180 || Math.abs(y) > 90);
  if (bad)
    return {
      error: `the study area's coordinates look projected (e.g. ${bad[0]}, ${bad[1]}), not longitude and latitude in degrees (WGS84)`,
    };
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x, y] of points)
    [w, s, e, n] = [Math.min(w, x), Math.min(s, y), Math.max(e, x), Math.max(n, y)];
  if ('bbox' in area) {
    const [bw, bs, be, bn] = area.bbox;
    if (bw >= be)
      return {
        error: `the bounding box is empty: west (${bw}) must be less than east (${be}); boxes across the antimeridian are not supported`,
      };
    if (bs >= bn)
      return { error: `the bounding box is empty: south (${bs}) must be less than north (${bn})` };
  }
  // H3 takes an edge longer than 180° the other way round the globe.
  if (e - w > 180)
    return {
      error: `the study area spans ${Math.round(e - w)}° of longitude: areas wider than 180° (or across the antimeridian) are not supported`,
    };
  if (!('bbox' in area))
    for (const rings of polygons) {
      const crossing = polygonSelfIntersections(rings)[0];
      if (crossing) {
        const [x, y] = crossing;
        return {
          error: `the study area's outline crosses itself (near ${x.toFixed(4)}, ${y.toFixed(4)}): draw it again without crossing edges`,
        };
      }
    }
  const areaM2 = geometryAreaM2({ type: 'MultiPolygon', coordinates: polygons });
  if (!(areaM2 > 1)) return { error: 'the study area is degenerate: it encloses no area' };
  return { polygons, bounds: [w, s, e, n], areaM2 };
}

function checkTessellation(t: Tessellation): string | null {
  if (t.kind === 'h3') {
    const r = t.resolution;
    if (!Number.isInteger(r) || r < H3_MIN_RESOLUTION || r > H3_MAX_RESOLUTION)
      return `H3 resolution must be a whole number from ${H3_MIN_RESOLUTION} to ${H3_MAX_RESOLUTION}, got ${r}`;
    return null;
  }
  const m = t.sizeMeters;
  if (!Number.isFinite(m) || m < GRID_MIN_METERS)
    return `grid cell size must be a number of metres of at least ${GRID_MIN_METERS}, got ${m}`;
  return null;
}

const h3AreaM2 = (res: number): number => getHexagonAreaAvg(res, 'm2');

/** The mean area of one cell in km² (H3: the mean hexagon at that resolution). */
export function cellAreaKm2(t: Tessellation): number {
  return t.kind === 'h3' ? h3AreaM2(t.resolution) / 1e6 : (t.sizeMeters * t.sizeMeters) / 1e6;
}

/** The expected number of cells from the area alone. */
function estimate(areaM2: number, t: Tessellation): number {
  return t.kind === 'h3' ? areaM2 / h3AreaM2(t.resolution) : areaM2 / (t.sizeMeters * t.sizeMeters);
}

/** A setting that would give at most MAX_CELLS cells over this area, said in words. */
function fittingSetting(areaM2: number, t: Tessellation): string {
  if (t.kind === 'h3') {
    for (let r = t.resolution - 1; r >= H3_MIN_RESOLUTION; r--) {
      const n = areaM2 / h3AreaM2(r);
      if (n <= MAX_CELLS * 0.9) return `resolution ${r} gives about ${fmt(n)}`;
    }
    return `resolution ${H3_MIN_RESOLUTION} gives about ${fmt(areaM2 / h3AreaM2(0))}`;
  }
  const exact = Math.sqrt(areaM2 / (MAX_CELLS * 0.9));
  const step = exact < 100 ? 10 : exact < 1000 ? 50 : 500;
  const size = Math.ceil(exact / step) * step;
  return `${fmt(size)} m cells give about ${fmt(areaM2 / (size * size))}`;
}

function describe(t: Tessellation): string {
  return t.kind === 'h3' ? `H3 resolution ${t.resolution}` : `a ${fmt(t.sizeMeters)} m grid`;
}

function tooMany(areaM2: number, t: Tessellation, count: CellCount): string {
  return `${describe(t)} over this area gives ${count.exact ? '' : 'about '}${fmt(count.count)} cells, over the limit of ${fmt(MAX_CELLS)}: ${fittingSetting(areaM2, t)}`;
}

/** Cells of the area's bounding box that would be checked one by one (or allocated by h3-js). */
export const MAX_CANDIDATES = 2_000_000;

/**
 * Both tessellations look at every cell of the area's bounding box, so a thin diagonal area
 * with few cells of its own can still cost millions: refused before any work.
 */
function tooSpread(checked: CheckedArea, t: Tessellation): string | null {
  const box = polygonsOf({ bbox: checked.bounds })[0];
  const candidates = estimate(geometryAreaM2({ type: 'Polygon', coordinates: box }), t);
  if (candidates <= MAX_CANDIDATES) return null;
  return `${describe(t)} over this area's bounding box means checking about ${fmt(candidates)} cells (over ${fmt(MAX_CANDIDATES)}), though the area itself holds about ${fmt(estimate(checked.areaM2, t))}: draw a more compact area or choose ${t.kind === 'h3' ? 'a coarser resolution' : 'bigger cells'}`;
}

function insideArea(polygons: Position[][][], lon: number, lat: number): boolean {
  for (const rings of polygons)
    if (booleanPointInPolygon([lon, lat], { type: 'Polygon', coordinates: rings })) return true;
  return false;
}

/** H3 cells (index strings, sorted) whose centre lies in the area. */
function h3Cells(polygons: Position[][][], resolution: number): string[] {
  const cells = new Set<string>();
  for (const rings of polygons) for (const c of polygonToCells(rings, resolution, true)) cells.add(c);
  return [...cells].sort();
}

interface GridLayout {
  west: number;
  north: number;
  dLon: number;
  dLat: number;
  rows: number;
  cols: number;
}

/**
 * The grid: cells of `size` metres in a local equirectangular projection about the area's
 * middle latitude, from its north-west corner; row 0 is the northernmost, column 0 the
 * westernmost. Vertices are computed from (row, column) alone, so neighbours share them
 * exactly.
 */
function gridLayout(bounds: Bbox, size: number): GridLayout | { error: string } {
  const [w, s, e, n] = bounds;
  const lat0 = (s + n) / 2;
  const cos0 = Math.cos(lat0 * RAD);
  const worst = Math.max(Math.abs(Math.cos(s * RAD) / cos0 - 1), Math.abs(Math.cos(n * RAD) / cos0 - 1));
  if (worst > GRID_MAX_WIDTH_ERROR)
    return {
      error: `the study area spans ${fmt(((n - s) * METERS_PER_DEGREE) / 1000)} km north to south: a square grid in one flat projection would be ${Math.round(worst * 100)}% off in cell width at its edges (at most ${GRID_MAX_WIDTH_ERROR * 100}%); use H3 hexagons for an area this large`,
    };
  const dLat = size / METERS_PER_DEGREE;
  const dLon = size / (METERS_PER_DEGREE * cos0);
  return {
    west: w,
    north: n,
    dLon,
    dLat,
    rows: Math.max(1, Math.ceil((n - s) / dLat)),
    cols: Math.max(1, Math.ceil((e - w) / dLon)),
  };
}

function gridCells(polygons: Position[][][], g: GridLayout): { row: number; col: number }[] {
  const out: { row: number; col: number }[] = [];
  for (let row = 0; row < g.rows; row++)
    for (let col = 0; col < g.cols; col++) {
      const lon = g.west + (col + 0.5) * g.dLon;
      const lat = g.north - (row + 0.5) * g.dLat;
      if (insideArea(polygons, lon, lat)) out.push({ row, col });
    }
  return out;
}

/**
 * How many cells the tessellation gives: exact when the area is small enough to enumerate
 * (up to a few times MAX_CELLS), else an estimate from the area (for a live count in the UI).
 */
export function countCells(area: StudyArea, t: Tessellation): CellCount | { error: string } {
  const checked = checkStudyArea(area);
  if ('error' in checked) return checked;
  const bad = checkTessellation(t);
  if (bad) return { error: bad };
  const guess = estimate(checked.areaM2, t);
  if (guess > 4 * MAX_CELLS) return { count: guess, exact: false };
  const spread = tooSpread(checked, t);
  if (spread) return { error: spread };
  if (t.kind === 'h3') return { count: h3Cells(checked.polygons, t.resolution).length, exact: true };
  const layout = gridLayout(checked.bounds, t.sizeMeters);
  if ('error' in layout) return layout;
  return { count: gridCells(checked.polygons, layout).length, exact: true };
}

export interface TessellateOptions {
  /** City name (default "New city"). */
  name?: string;
  /** Where the area came from, for the city's source line (e.g. a file name). */
  areaLabel?: string;
}

/** The study area tessellated into regions: a City with no views, or why not. */
export function tessellate(
  area: StudyArea,
  t: Tessellation,
  options: TessellateOptions = {},
): { city: City } | { error: string } {
  const checked = checkStudyArea(area);
  if ('error' in checked) return checked;
  const bad = checkTessellation(t);
  if (bad) return { error: bad };
  const guess = estimate(checked.areaM2, t);
  if (guess > 4 * MAX_CELLS) return { error: tooMany(checked.areaM2, t, { count: guess, exact: false }) };
  const spread = tooSpread(checked, t);
  if (spread) return { error: spread };

  // Each region's centroid is its polygon's area-weighted centroid, as every loader computes
  // it, so the city is the same after a round trip through a bundle (for H3 it lies within
  // centimetres of the cell's own centre).
  const region = (id: string, ring: Position[]): Region => {
    const geometry: Polygon = { type: 'Polygon', coordinates: [ring] };
    return { id, name: id, geometry, centroid: geometryCentroid(geometry) };
  };
  const regions: Region[] = [];
  if (t.kind === 'h3') {
    for (const id of h3Cells(checked.polygons, t.resolution))
      regions.push(region(id, cellToBoundary(id, true)));
  } else {
    const g = gridLayout(checked.bounds, t.sizeMeters);
    if ('error' in g) return g;
    for (const { row, col } of gridCells(checked.polygons, g)) {
      const [x0, x1] = [g.west + col * g.dLon, g.west + (col + 1) * g.dLon];
      const [y0, y1] = [g.north - (row + 1) * g.dLat, g.north - row * g.dLat];
      regions.push(
        region(`r${row}c${col}`, [
          [x0, y0],
          [x1, y0],
          [x1, y1],
          [x0, y1],
          [x0, y0],
        ]),
      );
    }
  }
  if (regions.length === 0)
    return {
      error: `no cell of ${describe(t)} has its centre inside the study area (about ${fmt(checked.areaM2 / 1e6)} km²): choose ${t.kind === 'h3' ? 'a finer resolution' : 'smaller cells'}`,
    };
  if (regions.length > MAX_CELLS)
    return { error: tooMany(checked.areaM2, t, { count: regions.length, exact: true }) };

  const [w, s, e, n] = checked.bounds.map((v) => Number(v.toFixed(6)));
  const where = options.areaLabel ?? `the box ${w},${s},${e},${n}`;
  const cellWords =
    t.kind === 'h3'
      ? `H3 hexagons at resolution ${t.resolution} (about ${fmt(h3AreaM2(t.resolution) / 1e4)} ha each)`
      : `${fmt(t.sizeMeters)} m grid squares`;
  const city = assembleCity(
    {
      name: options.name?.trim() || 'New city',
      source: `${regions.length} ${cellWords} over ${where}, made by ToPT Studio`,
      licence: 'regions generated (no third-party data)',
      description: `${regions.length} ${cellWords} whose centres lie in the study area.`,
    },
    regions,
    { poi: null, poiCategories: [], landUse: null, landUseClasses: [], trips: null },
    [],
    null,
  );
  return { city };
}
