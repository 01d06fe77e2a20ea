/** Small geometry helpers for display: bounds, GeoJSON features, an interior point. */
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import type { Feature, Position } from 'geojson';
import { regionsBounds } from '../../core/city/geometry';
import type { City, RegionGeometry } from '../../core/city/types';

export type Bounds = [number, number, number, number];

export interface RegionProps {
  /** Row of the region in the city. */
  index: number;
}

export type RegionFeature = Feature<RegionGeometry, RegionProps>;

/** [minLon, minLat, maxLon, maxLat] over all regions with geometry; null when none has one. */
export function cityBounds(city: City): Bounds | null {
  return regionsBounds(city.regions);
}

/** One feature per region that has a geometry; properties.index is the region row. */
export function regionFeatures(city: City): RegionFeature[] {
  const out: RegionFeature[] = [];
  city.regions.forEach((r, index) => {
    if (r.geometry) out.push({ type: 'Feature', geometry: r.geometry, properties: { index } });
  });
  return out;
}

const polygonsOf = (g: RegionGeometry): Position[][][] =>
  g.type === 'Polygon' ? [g.coordinates] : g.coordinates;

/** Crossings of the horizontal line y with the rings of one polygon, sorted. */
function crossings(rings: Position[][], y: number): number[] {
  const xs: number[] = [];
  for (const ring of rings) {
    for (let i = 0, n = ring.length; i < n; i++) {
      const [x1, y1] = ring[i];
      const [x2, y2] = ring[(i + 1) % n];
      if (y1 > y !== y2 > y) xs.push(x1 + ((y - y1) * (x2 - x1)) / (y2 - y1));
    }
  }
  return xs.sort((a, b) => a - b);
}

/**
 * A point surely inside the geometry (unlike the centroid of a concave shape): the middle of
 * the widest inside stretch of a horizontal line, tried at a few heights.
 */
export function interiorPoint(g: RegionGeometry): [number, number] | null {
  const stretches: { w: number; p: [number, number] }[] = [];
  for (const rings of polygonsOf(g)) {
    if (!rings.length) continue;
    const ys = rings[0].map((p) => p[1]);
    const lo = Math.min(...ys);
    const hi = Math.max(...ys);
    for (const t of [0.5, 0.35, 0.65, 0.2, 0.8]) {
      const y = lo + (hi - lo) * t;
      const xs = crossings(rings, y);
      for (let k = 0; k + 1 < xs.length; k += 2)
        stretches.push({ w: xs[k + 1] - xs[k], p: [(xs[k] + xs[k + 1]) / 2, y] });
    }
  }
  // The widest, the first of equals.
  const best = stretches.reduce<(typeof stretches)[number] | null>((b, s) => (!b || s.w > b.w ? s : b), null);
  return best ? best.p : null;
}

/**
 * Rows of the regions whose interior point lies inside the polygon with these corners
 * ([lon, lat], not closed; fewer than 3 corners select nothing).
 */
export function regionsInPolygon(city: City, corners: [number, number][]): number[] {
  if (corners.length < 3) return [];
  const polygon = { type: 'Polygon' as const, coordinates: [[...corners, corners[0]]] };
  const inside: number[] = [];
  city.regions.forEach((r, i) => {
    const p = r.geometry ? interiorPoint(r.geometry) : null;
    if (p && booleanPointInPolygon(p, polygon)) inside.push(i);
  });
  return inside;
}
