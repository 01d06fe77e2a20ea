/**
 * Raw layers onto regions (bring your own city): which region each point falls in, through a
 * spatial index of the regions' bounding boxes (flatbush) and a robust point-in-polygon test
 * (@turf/boolean-point-in-polygon, holes and multipolygons included) on the few candidates.
 * A point on a shared border goes to the first region (in row order) that contains it; a
 * point inside no region is counted as dropped, never guessed.
 */
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import Flatbush from 'flatbush';
import { geometryBounds } from './geometry';
import type { Matrix, Region, RegionGeometry } from './types';

export class RegionLocator {
  private readonly index: Flatbush | null;
  private readonly rows: number[];
  private readonly geometries: RegionGeometry[];

  constructor(regions: Region[]) {
    this.rows = [];
    this.geometries = [];
    regions.forEach((r, i) => {
      if (!r.geometry) return;
      this.rows.push(i);
      this.geometries.push(r.geometry);
    });
    if (this.rows.length === 0) {
      this.index = null;
      return;
    }
    const index = new Flatbush(this.rows.length);
    for (const g of this.geometries) {
      const [minX, minY, maxX, maxY] = geometryBounds(g);
      index.add(minX, minY, maxX, maxY);
    }
    index.finish();
    this.index = index;
  }

  /** Row of the region containing [lon, lat], or -1 when none does. */
  locate(lon: number, lat: number): number {
    if (!this.index || !Number.isFinite(lon) || !Number.isFinite(lat)) return -1;
    let best = -1;
    for (const k of this.index.search(lon, lat, lon, lat)) {
      const row = this.rows[k];
      if ((best < 0 || row < best) && booleanPointInPolygon([lon, lat], this.geometries[k])) best = row;
    }
    return best;
  }
}

export interface PointCounts {
  /** N x C counts (C = categories). */
  counts: Matrix;
  /** Points inside no region. */
  outside: number;
  /** Points with a category index outside 0..C-1 (e.g. unmapped categories). */
  uncategorised: number;
}

/**
 * Count points per region and category: lon[i], lat[i], category[i] (an index into the C
 * categories; -1 for none). `onProgress` is called every `progressEvery` points.
 */
export function countPointsPerRegion(
  locator: RegionLocator,
  n: number,
  categoryCount: number,
  lon: ArrayLike<number>,
  lat: ArrayLike<number>,
  category: ArrayLike<number>,
  onProgress?: (done: number, total: number) => void,
  progressEvery = 50_000,
): PointCounts {
  const data = new Float64Array(n * categoryCount);
  let outside = 0;
  let uncategorised = 0;
  const total = lon.length;
  for (let i = 0; i < total; i++) {
    const c = category[i];
    if (!(c >= 0 && c < categoryCount)) {
      uncategorised++;
      continue;
    }
    const row = locator.locate(lon[i], lat[i]);
    if (row < 0) outside++;
    else data[row * categoryCount + c]++;
    if (onProgress && (i + 1) % progressEvery === 0) onProgress(i + 1, total);
  }
  onProgress?.(total, total);
  return { counts: { rows: n, cols: categoryCount, data }, outside, uncategorised };
}
