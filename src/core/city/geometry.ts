/**
 * Geometry on WGS84 lon/lat: area, centroid, bounds.
 *
 * Area in m² has one source, `geometryAreaM2` (@turf/area, on a sphere). The planar shoelace
 * `ringSignedArea` is kept for what is planar by nature: a ring's orientation, the weights of
 * the planar centroid (an equirectangular rescaling of x is affine, so the planar centroid in
 * lon/lat is the same point as in a local metric projection, adequate at city scale), and
 * areas in the flat km plane of the sample-city generator.
 */
import { area } from '@turf/area';
import Flatbush from 'flatbush';
import type { Position } from 'geojson';
import type { Region, RegionGeometry } from './types';

/**
 * Area in m² of a Polygon or MultiPolygon, holes subtracted, whatever the winding: @turf/area's
 * spherical formula (Earth radius 6,371,008.8 m). Rings need not repeat their first position.
 */
export function geometryAreaM2(geometry: RegionGeometry): number {
  const close = (rings: Position[][]): Position[][] =>
    rings.map((ring) => {
      const [first, last] = [ring[0], ring[ring.length - 1]];
      return ring.length > 0 && (first[0] !== last[0] || first[1] !== last[1]) ? [...ring, first] : ring;
    });
  return geometry.type === 'Polygon'
    ? area({ type: 'Polygon', coordinates: close(geometry.coordinates) })
    : area({ type: 'MultiPolygon', coordinates: geometry.coordinates.map(close) });
}

/** Signed planar area of a ring (shoelace, in the ring's own units), positive when counter-clockwise. */
export function ringSignedArea(ring: Position[]): number {
  let a = 0;
  for (let i = 0, n = ring.length; i < n; i++) {
    const [x1, y1] = ring[i];
    const [x2, y2] = ring[(i + 1) % n];
    a += x1 * y2 - x2 * y1;
  }
  return a / 2;
}

function polygonMoments(rings: Position[][]): { area: number; cx: number; cy: number } {
  // Exterior minus holes; each ring's contribution is taken with the sign that makes
  // the exterior positive, whatever the file's winding order.
  let area = 0;
  let sx = 0;
  let sy = 0;
  rings.forEach((ring, k) => {
    const signed = ringSignedArea(ring);
    if (signed === 0) return;
    const sign = (k === 0 ? 1 : -1) * Math.sign(signed);
    let cx = 0;
    let cy = 0;
    for (let i = 0, n = ring.length; i < n; i++) {
      const [x1, y1] = ring[i];
      const [x2, y2] = ring[(i + 1) % n];
      const cross = x1 * y2 - x2 * y1;
      cx += (x1 + x2) * cross;
      cy += (y1 + y2) * cross;
    }
    // centroid of ring = (cx, cy) / (6 * signed); weight by |area| with the ring's sign.
    const a = Math.abs(signed) * sign;
    area += a;
    sx += (cx / (6 * signed)) * a;
    sy += (cy / (6 * signed)) * a;
  });
  return { area, cx: sx, cy: sy };
}

/**
 * Whether a ring of a polygon has (next to) no area: its positions lie on one line, or its
 * loops cancel out. Relative to the square of its extent, so the same at any scale.
 */
export function ringIsDegenerate(ring: Position[]): boolean {
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x, y] of ring) {
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
    maxX = Math.max(maxX, x);
    maxY = Math.max(maxY, y);
  }
  const extent = Math.max(maxX - minX, maxY - minY);
  if (!(extent > 0)) return true;
  // Shoelace about the first position: with absolute coordinates (x·y near 400 at 8.5°, 47.4°)
  // rounding alone would be larger than the area of a small region.
  const [x0, y0] = ring[0];
  let a = 0;
  for (let i = 0, n = ring.length; i < n; i++) {
    const [x1, y1] = ring[i];
    const [x2, y2] = ring[(i + 1) % n];
    a += (x1 - x0) * (y2 - y0) - (x2 - x0) * (y1 - y0);
  }
  return Math.abs(a / 2) <= 1e-9 * extent * extent;
}

/** The first edge of a ring that is longer than 180° of longitude (it crosses the antimeridian); -1 when none. */
export function antimeridianEdge(ring: Position[]): number {
  for (let i = 0; i + 1 < ring.length; i++) if (Math.abs(ring[i + 1][0] - ring[i][0]) > 180) return i;
  return -1;
}

/**
 * Longitudes shifted by 360° where that makes the geometry narrower: the parts of a polygon
 * split at the antimeridian (RFC 7946 3.1.9), some at +179.9° and some at -179.9°, are then
 * side by side instead of 360° apart. The geometry itself when it is not split so.
 */
function unwrapped(polygons: Position[][][]): Position[][][] {
  let [minX, maxX] = [Infinity, -Infinity];
  let [minE, maxE] = [Infinity, -Infinity];
  for (const rings of polygons)
    for (const ring of rings)
      for (const [x] of ring) {
        const e = x < 0 ? x + 360 : x;
        minX = Math.min(minX, x);
        maxX = Math.max(maxX, x);
        minE = Math.min(minE, e);
        maxE = Math.max(maxE, e);
      }
  if (!(maxE - minE < maxX - minX)) return polygons;
  return polygons.map((rings) => rings.map((ring) => ring.map(([x, y]) => [x < 0 ? x + 360 : x, y])));
}

/**
 * Area-weighted centroid [lon, lat] of a Polygon or MultiPolygon, in [-180, 180]; a MultiPolygon
 * split at the antimeridian gets its centroid next to it, not on the other side of the Earth.
 * Null for geometry without area (no centroid is sound for it: the loader refuses such rings).
 */
export function geometryCentroid(geometry: RegionGeometry): [number, number] | null {
  const polygons = unwrapped(geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates);
  let area = 0;
  let sx = 0;
  let sy = 0;
  for (const rings of polygons) {
    if (rings.length === 0 || ringIsDegenerate(rings[0])) continue;
    const m = polygonMoments(rings);
    area += m.area;
    sx += m.cx;
    sy += m.cy;
  }
  if (!(area > 0)) return null;
  const lon = sx / area;
  return [lon > 180 ? lon - 360 : lon, sy / area];
}

/**
 * Where the edges of a polygon's rings cross or touch, other than where consecutive edges of a
 * ring meet: each pair of edges once, ordered by the first edge. Edges are indexed by their
 * bounding boxes (flatbush), so a ring of 20,000 positions costs milliseconds, not the seconds
 * of comparing every pair (@turf/kinks).
 */
export function polygonSelfIntersections(rings: Position[][]): Position[] {
  const edges: { ring: number; i: number; n: number }[] = [];
  rings.forEach((ring, r) => {
    for (let i = 0; i + 1 < ring.length; i++) edges.push({ ring: r, i, n: ring.length - 1 });
  });
  if (edges.length < 2) return [];
  const index = new Flatbush(edges.length);
  const ends = (e: { ring: number; i: number }): [Position, Position] => [
    rings[e.ring][e.i],
    rings[e.ring][e.i + 1],
  ];
  for (const e of edges) {
    const [a, b] = ends(e);
    index.add(Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[0], b[0]), Math.max(a[1], b[1]));
  }
  index.finish();
  const found: Position[] = [];
  edges.forEach((e, k) => {
    const [a, b] = ends(e);
    const near = index.search(
      Math.min(a[0], b[0]),
      Math.min(a[1], b[1]),
      Math.max(a[0], b[0]),
      Math.max(a[1], b[1]),
    );
    near.sort((x, y) => x - y);
    for (const j of near) {
      if (j <= k) continue;
      const f = edges[j];
      if (f.ring === e.ring) {
        const gap = f.i - e.i;
        // Consecutive edges share a position, as do the last and first of a closed ring.
        if (gap === 1 || gap === f.n - 1) continue;
      }
      const [c, d] = ends(f);
      const hit = segmentIntersection(a, b, c, d);
      if (hit) found.push(hit);
    }
  });
  return found;
}

/** Where segments ab and cd meet (ends included); null when they do not or are parallel. */
function segmentIntersection(a: Position, b: Position, c: Position, d: Position): Position | null {
  const den = (d[1] - c[1]) * (b[0] - a[0]) - (d[0] - c[0]) * (b[1] - a[1]);
  if (den === 0) return null;
  const s = ((d[0] - c[0]) * (a[1] - c[1]) - (d[1] - c[1]) * (a[0] - c[0])) / den;
  const t = ((b[0] - a[0]) * (a[1] - c[1]) - (b[1] - a[1]) * (a[0] - c[0])) / den;
  if (s < 0 || s > 1 || t < 0 || t > 1) return null;
  return [a[0] + s * (b[0] - a[0]), a[1] + s * (b[1] - a[1])];
}

/** [minLon, minLat, maxLon, maxLat] of a geometry. */
export function geometryBounds(geometry: RegionGeometry): [number, number, number, number] {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  for (const rings of polygons) {
    for (const ring of rings) {
      for (const [x, y] of ring) {
        if (x < minX) minX = x;
        if (y < minY) minY = y;
        if (x > maxX) maxX = x;
        if (y > maxY) maxY = y;
      }
    }
  }
  return [minX, minY, maxX, maxY];
}

/** [minLon, minLat, maxLon, maxLat] over all regions with geometry; null when none has one. */
export function regionsBounds(regions: Region[]): [number, number, number, number] | null {
  let b: [number, number, number, number] | null = null;
  for (const r of regions) {
    if (!r.geometry) continue;
    const g = geometryBounds(r.geometry);
    b = b ? [Math.min(b[0], g[0]), Math.min(b[1], g[1]), Math.max(b[2], g[2]), Math.max(b[3], g[3])] : g;
  }
  return b && b.every(Number.isFinite) ? b : null;
}

/**
 * The edges of every ring of the geometries as one line list: [x0, y0, x1, y1, ...], two
 * positions per edge, each ring closed (its last position back to the first unless it repeats
 * it). One flat array instead of a path per region lets the map draw all outlines in one
 * non-instanced draw: a path layer's draw is one instance per edge, and a software renderer
 * (SwiftShader) spends about 0.1 ms on each, 8 s for 5,000 twelve-sided regions.
 */
export function ringEdges(geometries: readonly (RegionGeometry | null)[]): Float64Array {
  const ringsOf = (g: RegionGeometry): Position[][][] =>
    g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  const closed = (ring: Position[], n: number): boolean =>
    ring[0][0] === ring[n - 1][0] && ring[0][1] === ring[n - 1][1];
  let edges = 0;
  for (let gi = 0; gi < geometries.length; gi++) {
    const g = geometries[gi];
    if (!g) continue;
    for (const polygon of ringsOf(g)) {
      for (let r = 0; r < polygon.length; r++) {
        const n = polygon[r].length;
        if (n >= 2) edges += closed(polygon[r], n) ? n - 1 : n;
      }
    }
  }
  const out = new Float64Array(edges * 4);
  let o = 0;
  for (let gi = 0; gi < geometries.length; gi++) {
    const g = geometries[gi];
    if (!g) continue;
    for (const polygon of ringsOf(g)) {
      for (let r = 0; r < polygon.length; r++) {
        const ring = polygon[r];
        const n = ring.length;
        if (n < 2) continue;
        const m = closed(ring, n) ? n - 1 : n;
        let a = ring[0];
        for (let i = 1; i <= m; i++) {
          const b = ring[i === n ? 0 : i];
          out[o] = a[0];
          out[o + 1] = a[1];
          out[o + 2] = b[0];
          out[o + 3] = b[1];
          o += 4;
          a = b;
        }
      }
    }
  }
  return out;
}
