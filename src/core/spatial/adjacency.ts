/**
 * Polygon adjacency (regions that share a stretch of boundary) and hop distances on the
 * adjacency graph (Graphormer's shortest-path encoding).
 */
import Flatbush from 'flatbush';
import type { Region } from '../city/types';

export interface AdjacencyOptions {
  /** Gap (metres) still counted as touching, for boundaries that were simplified apart. */
  toleranceMeters?: number;
  /**
   * Minimum number of boundary vertices lying on the other polygon's boundary. 2 means a
   * shared edge ("rook"); 1 (default) also links regions touching at a single corner
   * ("queen"). The default reproduces the published NYC adjacency (HREP) edge for edge.
   */
  minSharedVertices?: number;
}

interface Segment {
  region: number;
  ax: number;
  ay: number;
  bx: number;
  by: number;
}

/** Squared distance from point p to segment ab. */
function pointSegmentDist2(px: number, py: number, s: Segment): number {
  const dx = s.bx - s.ax;
  const dy = s.by - s.ay;
  const len2 = dx * dx + dy * dy;
  let t = len2 > 0 ? ((px - s.ax) * dx + (py - s.ay) * dy) / len2 : 0;
  t = Math.max(0, Math.min(1, t));
  const qx = s.ax + t * dx - px;
  const qy = s.ay + t * dy - py;
  return qx * qx + qy * qy;
}

/**
 * Adjacency list (row indices, sorted) of regions sharing a boundary. Coordinates are
 * projected to local metres (equirectangular about the city's mean latitude).
 * Regions without geometry have no neighbours.
 */
export function polygonAdjacency(regions: Region[], options: AdjacencyOptions = {}): number[][] {
  const tol = options.toleranceMeters ?? 1;
  const minShared = options.minSharedVertices ?? 1;
  const n = regions.length;
  const lats = regions.flatMap((r) => (r.centroid ? [r.centroid[1]] : []));
  const lat0 = lats.length ? lats.reduce((a, b) => a + b, 0) / lats.length : 0;
  const kx = 111_320 * Math.cos((lat0 * Math.PI) / 180);
  const ky = 110_574;

  const segments: Segment[] = [];
  const vertices: { region: number; x: number; y: number }[] = [];
  regions.forEach((r, k) => {
    if (!r.geometry) return;
    const parts = r.geometry.type === 'Polygon' ? [r.geometry.coordinates] : r.geometry.coordinates;
    for (const rings of parts)
      for (const ring of rings) {
        for (let i = 0; i + 1 < ring.length; i++) {
          const [ax, ay] = ring[i];
          const [bx, by] = ring[i + 1];
          segments.push({ region: k, ax: ax * kx, ay: ay * ky, bx: bx * kx, by: by * ky });
          vertices.push({ region: k, x: ax * kx, y: ay * ky });
        }
      }
  });
  const neighbours: Set<number>[] = Array.from({ length: n }, () => new Set());
  if (segments.length === 0) return neighbours.map(() => []);

  const index = new Flatbush(segments.length);
  for (const s of segments) {
    index.add(Math.min(s.ax, s.bx), Math.min(s.ay, s.by), Math.max(s.ax, s.bx), Math.max(s.ay, s.by));
  }
  index.finish();

  // shared[i][j] = number of distinct vertices of i lying on j's boundary.
  const shared = new Map<number, number>();
  const tol2 = tol * tol;
  for (const v of vertices) {
    const hits = new Set<number>();
    for (const k of index.search(v.x - tol, v.y - tol, v.x + tol, v.y + tol)) {
      const s = segments[k];
      if (s.region !== v.region && !hits.has(s.region) && pointSegmentDist2(v.x, v.y, s) <= tol2)
        hits.add(s.region);
    }
    for (const j of hits) {
      const key = v.region * n + j;
      shared.set(key, (shared.get(key) ?? 0) + 1);
    }
  }
  for (const [key, count] of shared) {
    const i = Math.floor(key / n);
    const j = key % n;
    const back = shared.get(j * n + i) ?? 0;
    if (Math.max(count, back) >= minShared) {
      neighbours[i].add(j);
      neighbours[j].add(i);
    }
  }
  return neighbours.map((s) => [...s].sort((a, b) => a - b));
}

/** Value used in `hopDistances` for pairs with no path. */
export const UNREACHABLE = -1;

/** Shortest-path hop counts (N x N, BFS from every region); UNREACHABLE where no path. */
export function hopDistances(adjacency: number[][]): Int32Array {
  const n = adjacency.length;
  const hops = new Int32Array(n * n).fill(UNREACHABLE);
  const queue = new Int32Array(n);
  for (let s = 0; s < n; s++) {
    const row = s * n;
    hops[row + s] = 0;
    let head = 0;
    let tail = 0;
    queue[tail++] = s;
    while (head < tail) {
      const u = queue[head++];
      const next = hops[row + u] + 1;
      for (const v of adjacency[u]) {
        if (hops[row + v] !== UNREACHABLE) continue;
        hops[row + v] = next;
        queue[tail++] = v;
      }
    }
  }
  return hops;
}

/** Number of connected components of the adjacency graph. */
export function componentCount(adjacency: number[][]): number {
  const n = adjacency.length;
  const seen = new Uint8Array(n);
  let count = 0;
  for (let s = 0; s < n; s++) {
    if (seen[s]) continue;
    count++;
    const stack = [s];
    seen[s] = 1;
    while (stack.length) {
      const u = stack.pop() as number;
      for (const v of adjacency[u])
        if (!seen[v]) {
          seen[v] = 1;
          stack.push(v);
        }
    }
  }
  return count;
}
