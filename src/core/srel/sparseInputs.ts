/**
 * SREL's inputs for large cities, with no N x N array anywhere: the three views (N x width),
 * each region's neighbourhood (N x k) with the distance prior and trip flow at those pairs, the
 * trips as a sparse matrix for the sampled mobility loss, and the unit-length count vectors
 * from which the sampled similarity targets are computed. Time and memory O(N k + trips).
 */
import type { City } from '../city/types';
import { Rng } from '../random';
import { nonZeros, sparseGet, sparseTotal, sparseTranspose, type SparseMatrix } from '../math/sparse';
import {
  distanceSigmaKm,
  nearestRegions,
  planarKm,
  priorAtNeighbours,
  sparseCentrality,
  withSharedRegions,
  type RegionNeighbours,
} from '../spatial/neighbours';
import type { CountFeatures } from './config';
import { srelViews } from './inputs';
import type { SparseOptions, SparseSrelInputs } from './inputTypes';

export const DEFAULT_SPARSE_OPTIONS: SparseOptions = {
  neighbours: 32,
  sharedRegions: 8,
  positives: 32,
  negatives: 32,
  similarityPairs: 32,
  batchAbove: 8192,
  batchRegions: 1024,
};

/** Cities above this many regions train sparse; the benchmark cities (77 to 180) and Riverton stay dense. */
export const DENSE_UP_TO = 1000;

/** Count vectors scaled to unit length (zero rows stay 0).   N x dim */
export function unitRows(counts: ArrayLike<number>, n: number, dim: number): Float32Array {
  const out = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < dim; k++) s += counts[i * dim + k] ** 2;
    if (s === 0) continue;
    const norm = Math.sqrt(s);
    for (let k = 0; k < dim; k++) out[i * dim + k] = counts[i * dim + k] / norm;
  }
  return out;
}

/** log1p(M_ij + M_ji) / max over all stored pairs, read at the neighbour pairs.   N x k */
function tripFlowAtNeighbours(
  trips: SparseMatrix,
  byDestination: SparseMatrix,
  nb: RegionNeighbours,
): Float32Array {
  let max = 0;
  for (let i = 0; i < trips.rows; i++)
    for (let e = trips.rowStart[i]; e < trips.rowStart[i + 1]; e++) {
      const j = trips.colIndex[e];
      const v = Math.log1p(trips.values[e] + sparseGet(trips, j, i));
      if (v > max) max = v;
    }
  const out = new Float32Array(nb.n * nb.k);
  if (max === 0) return out;
  for (let i = 0; i < nb.n; i++)
    for (let s = 0; s < nb.k; s++) {
      const j = nb.index[i * nb.k + s];
      out[i * nb.k + s] = Math.log1p(sparseGet(trips, i, j) + sparseGet(byDestination, i, j)) / max;
    }
  return out;
}

/** Neighbourhoods from trips where a city has no coordinates: the largest trip partners, then random regions. */
function tripNeighbours(
  trips: SparseMatrix,
  byDestination: SparseMatrix,
  k: number,
  seed: number,
): RegionNeighbours {
  const n = trips.rows;
  const kk = Math.min(k, n);
  const index = new Int32Array(n * kk);
  const rng = new Rng(seed);
  for (let i = 0; i < n; i++) {
    const flow = new Map<number, number>();
    for (const m of [trips, byDestination])
      for (let e = m.rowStart[i]; e < m.rowStart[i + 1]; e++)
        flow.set(m.colIndex[e], (flow.get(m.colIndex[e]) ?? 0) + m.values[e]);
    flow.delete(i);
    const row = [i, ...[...flow.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([j]) => j)].slice(
      0,
      kk,
    );
    const inRow = new Set(row);
    while (row.length < kk) {
      const j = rng.int(n);
      if (!inRow.has(j)) {
        inRow.add(j);
        row.push(j);
      }
    }
    index.set(row, i * kk);
  }
  return { n, k: kk, index };
}

export interface SparseInputOptions {
  countFeatures?: CountFeatures;
  sparse?: Partial<SparseOptions>;
  /** Seed of the shared regions (and of the sigma estimate for very large cities). */
  seed?: number;
  /** Hop buckets of the dense layout, so a model's widths match in both layouts. */
  maxHops?: number;
}

export function sparseSrelInputs(city: City, options: SparseInputOptions = {}): SparseSrelInputs {
  const { countFeatures = 'log1p', seed = 0, maxHops = 6 } = options;
  const sampling = { ...DEFAULT_SPARSE_OPTIONS, ...(options.sparse ?? {}) };
  const { counts, trips: tripsM, views } = srelViews(city, countFeatures);
  const n = views.n;
  const tripsT = sparseTranspose(tripsM);

  const target = city.views.mobilityTarget ?? tripsM;
  const total = sparseTotal(target);

  const centroids = city.spatial.centroids ? city.regions.map((r) => r.centroid as [number, number]) : null;
  let neighbours: RegionNeighbours;
  let prior: Float32Array | null = null;
  let priorDescription: string;
  const k = sampling.neighbours;
  if (centroids) {
    const nearest = nearestRegions(centroids, k + sampling.sharedRegions);
    neighbours = withSharedRegions(nearest, k, sampling.sharedRegions, seed + 17);
    const sigmaKm = distanceSigmaKm(centroids, 4_000_000, seed);
    prior = priorAtNeighbours(centroids, neighbours, sigmaKm, 10);
    priorDescription = `Gaussian distance prior on centroid distances (sigma ${sigmaKm.toFixed(2)} km, cut-off 10 km), over each region's ${neighbours.k} neighbours (${Math.min(sampling.sharedRegions, neighbours.k - 1)} shared by all)`;
  } else if (nonZeros(tripsM) > 0) {
    neighbours = tripNeighbours(tripsM, tripsT, k, seed + 17);
    priorDescription = `no coordinates: each region attends to its ${neighbours.k} largest trip partners (then random regions), without a distance prior`;
  } else {
    neighbours = tripNeighbours(tripsM, tripsT, k, seed + 17);
    priorDescription = 'no spatial prior: the city has neither coordinates nor trips';
  }
  return {
    layout: 'sparse',
    ...views,
    centrality: prior ? sparseCentrality(prior, n, neighbours.k) : null,
    hopBucketCount: maxHops + 2,
    priorDescription,
    positions: centroids ? Float32Array.from(planarKm(centroids)) : null,
    neighbours,
    prior,
    tripFlow: tripFlowAtNeighbours(tripsM, tripsT, neighbours),
    mobilityTarget: target,
    mobilityTargetByDestination: target === tripsM ? tripsT : sparseTranspose(target),
    mobilityScale: total > 0 ? (n * n) / total : 0,
    poiUnit: unitRows(counts.poi.data, n, counts.poi.cols),
    poiCountDim: counts.poi.cols,
    landUseUnit: unitRows(counts.landUse.data, n, counts.landUse.cols),
    landUseCountDim: counts.landUse.cols,
    sampling,
  };
}
