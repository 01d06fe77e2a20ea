/**
 * Sparse spatial structure for cities too large for N x N: each region's nearest regions, the
 * distance prior at those pairs only, and the centrality of that sparse graph. Time and
 * memory O(N k) (plus a spatial index), never O(N^2).
 */
import Flatbush from 'flatbush';
import { Rng } from '../random';
import { haversineKm } from './distance';

/** N x k region rows (row-major). */
export interface RegionNeighbours {
  n: number;
  k: number;
  index: Int32Array;
}

/** Planar km coordinates around the centroids' mean latitude (equirectangular): good enough to rank neighbours. */
export function planarKm(centroids: [number, number][]): Float64Array {
  let meanLat = 0;
  for (const c of centroids) meanLat += c[1];
  meanLat /= Math.max(1, centroids.length);
  const kx = 111.32 * Math.cos((meanLat * Math.PI) / 180);
  const out = new Float64Array(centroids.length * 2);
  centroids.forEach(([lon, lat], i) => {
    out[2 * i] = lon * kx;
    out[2 * i + 1] = lat * 110.57;
  });
  return out;
}

/**
 * Each region's `k` nearest regions by centroid, itself first, then by distance (ties by
 * index). With k = N every region is listed in every row. N x k
 */
export function nearestRegions(centroids: [number, number][], k: number): RegionNeighbours {
  const n = centroids.length;
  const kk = Math.min(k, n);
  const xy = planarKm(centroids);
  const index = new Int32Array(n * kk);
  if (n === 0) return { n, k: kk, index };
  const tree = new Flatbush(n);
  for (let i = 0; i < n; i++) tree.add(xy[2 * i], xy[2 * i + 1], xy[2 * i], xy[2 * i + 1]);
  tree.finish();
  for (let i = 0; i < n; i++) {
    const found = tree.neighbors(xy[2 * i], xy[2 * i + 1], kk);
    // Itself first, even when another region shares its centroid.
    const row = [i, ...found.filter((j) => j !== i)].slice(0, kk);
    index.set(row, i * kk);
  }
  return { n, k: kk, index };
}

/**
 * Add `count` regions every region attends to (drawn once, seeded), so information crosses
 * the city in one step as in the dense attention. Each row keeps its first k - count spatial
 * neighbours and the shared regions it does not already have; the row is then topped up
 * with its next spatial neighbours. `nearest` must list at least k + count per row (or all N).
 * With k = N nothing changes. N x k
 */
export function withSharedRegions(
  nearest: RegionNeighbours,
  k: number,
  count: number,
  seed: number,
): RegionNeighbours {
  const { n } = nearest;
  const kk = Math.min(k, n);
  if (kk === n || count === 0) return truncateNeighbours(nearest, kk);
  const rng = new Rng(seed);
  const shared: number[] = [];
  const taken = new Set<number>();
  while (shared.length < Math.min(count, kk - 1)) {
    const j = rng.int(n);
    if (!taken.has(j)) {
      taken.add(j);
      shared.push(j);
    }
  }
  const index = new Int32Array(n * kk);
  for (let i = 0; i < n; i++) {
    const row: number[] = [];
    const inRow = new Set<number>();
    const push = (j: number): void => {
      if (row.length < kk && !inRow.has(j)) {
        inRow.add(j);
        row.push(j);
      }
    };
    const spatial = nearest.index.subarray(i * nearest.k, (i + 1) * nearest.k);
    for (let s = 0; s < kk - shared.length; s++) push(spatial[s]);
    for (const j of shared) push(j);
    for (let s = 0; s < nearest.k && row.length < kk; s++) push(spatial[s]);
    if (row.length < kk) throw new Error(`withSharedRegions: row ${i} lists too few neighbours`);
    index.set(row, i * kk);
  }
  return { n, k: kk, index };
}

function truncateNeighbours(nb: RegionNeighbours, k: number): RegionNeighbours {
  if (k === nb.k) return nb;
  const index = new Int32Array(nb.n * k);
  for (let i = 0; i < nb.n; i++) index.set(nb.index.subarray(i * nb.k, i * nb.k + k), i * k);
  return { n: nb.n, k, index };
}

/**
 * sigma of the distance prior: the population sd of all N^2 centroid distances (method.md),
 * exact when N^2 ≤ `maxPairs`, else estimated on `maxPairs` pairs drawn with a fixed seed
 * (4 million pairs put the estimate within about 0.1% of the exact value).
 */
export function distanceSigmaKm(centroids: [number, number][], maxPairs = 4_000_000, seed = 0): number {
  const n = centroids.length;
  let sum = 0;
  let sumSq = 0;
  let count = 0;
  const add = (d: number): void => {
    sum += d;
    sumSq += d * d;
    count++;
  };
  if (n * n <= maxPairs) {
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) add(i === j ? 0 : haversineKm(centroids[i], centroids[j]));
  } else {
    const rng = new Rng(seed);
    for (let p = 0; p < maxPairs; p++) {
      const i = rng.int(n);
      const j = rng.int(n);
      add(i === j ? 0 : haversineKm(centroids[i], centroids[j]));
    }
  }
  const mean = sum / count;
  return Math.sqrt(Math.max(0, sumSq / count - mean * mean));
}

/**
 * A_ij = exp(-D_ij^2 / (2 sigma^2)) at the neighbour pairs, 0 for i = j and beyond the cut-off
 * (method.md's prior, read only where attention looks).   N x k
 */
export function priorAtNeighbours(
  centroids: [number, number][],
  nb: RegionNeighbours,
  sigmaKm: number,
  cutoffKm = 10,
): Float32Array {
  const out = new Float32Array(nb.n * nb.k);
  for (let i = 0; i < nb.n; i++)
    for (let s = 0; s < nb.k; s++) {
      const j = nb.index[i * nb.k + s];
      if (j === i) continue;
      const d = haversineKm(centroids[i], centroids[j]);
      if (d <= cutoffKm) out[i * nb.k + s] = Math.exp(-(d * d) / (2 * sigmaKm * sigmaKm));
    }
  return out;
}

/** c_i = sum_s A_is / max_r sum_s A_rs over the sparse graph (all zeros for an empty prior).   N */
export function sparseCentrality(prior: Float32Array, n: number, k: number): Float32Array {
  const deg = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let s = 0; s < k; s++) deg[i] += prior[i * k + s];
  let max = 0;
  for (const d of deg) if (d > max) max = d;
  return Float32Array.from(deg, (d) => (max > 0 ? d / max : 0));
}
