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

/** Area-weighted centroid [lon, lat] of a Polygon or MultiPolygon; null for empty geometry. */
export function geometryCentroid(geometry: RegionGeometry): [number, number] | null {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  let area = 0;
  let sx = 0;
  let sy = 0;
  for (const rings of polygons) {
    if (rings.length === 0) continue;
    const m = polygonMoments(rings);
    area += m.area;
    sx += m.cx;
    sy += m.cy;
  }
  if (area === 0) {
    // Degenerate (zero-area) geometry: fall back to the mean of the vertices.
    const pts = polygons.flat(2);
    if (pts.length === 0) return null;
    const mx = pts.reduce((s, p) => s + p[0], 0) / pts.length;
    const my = pts.reduce((s, p) => s + p[1], 0) / pts.length;
    return [mx, my];
  }
  return [sx / area, sy / area];
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
