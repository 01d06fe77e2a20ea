/**
 * What SREL reads from a city, as plain Float32 arrays (row-major): the three views, the
 * reconstruction targets and the spatial priors. No tensors here.
 */
import type { City, Matrix } from '../city/types';
import {
  sparseColumnSums,
  sparseGet,
  sparseRowSums,
  sparseTranspose,
  type SparseMatrix,
} from '../math/sparse';
import { standardiseColumns } from '../math/stats';
import { UNREACHABLE, type SpatialPriors } from '../spatial/priors';
import type { CountFeatures } from './config';
import type { DenseSrelInputs, SrelInputsBase } from './inputTypes';

export type { DenseSrelInputs, SparseSrelInputs, SrelInputs, SrelInputsBase } from './inputTypes';

export class SrelInputError extends Error {}

export function log1pMatrix(m: Matrix): Float32Array {
  return Float32Array.from(m.data, (v) => Math.log1p(v));
}

/** S_ij = cos(x_i, x_j); 0 where either vector is all zeros (as scikit-learn). */
export function cosineSimilarityMatrix(m: Matrix): Float32Array {
  const { rows: n, cols: d, data } = m;
  const norms = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < d; k++) s += data[i * d + k] ** 2;
    norms[i] = Math.sqrt(s);
  }
  const out = new Float32Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = i; j < n; j++) {
      if (norms[i] === 0 || norms[j] === 0) continue;
      let s = 0;
      for (let k = 0; k < d; k++) s += data[i * d + k] * data[j * d + k];
      const v = s / (norms[i] * norms[j]);
      out[i * n + j] = v;
      out[j * n + i] = v;
    }
  return out;
}

/**
 * Trip-weighted mean of Z's rows: (row-normalised W) Z, N x d, over W's stored entries (j
 * ascending, as a dense row would be summed). Rows without trips stay 0.
 */
function flowWeightedMean(w: SparseMatrix, z: Float32Array, d: number): Float32Array {
  const n = w.rows;
  const out = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const [from, to] = [w.rowStart[i], w.rowStart[i + 1]];
    let total = 0;
    for (let e = from; e < to; e++) total += w.values[e];
    if (total === 0) continue;
    for (let e = from; e < to; e++) {
      const share = w.values[e] / total;
      if (share === 0) continue;
      const j = w.colIndex[e];
      for (let k = 0; k < d; k++) out[i * d + k] += share * z[j * d + k];
    }
  }
  return out;
}

export function mobilityFeatures(
  trips: SparseMatrix,
  poi: Float32Array,
  poiDim: number,
  landUse: Float32Array,
  landUseDim: number,
): { data: Float32Array; dim: number } {
  const n = trips.rows;
  const profileDim = poiDim + landUseDim;
  const profile = new Float32Array(n * profileDim);
  const poiZ = standardiseColumns(poi, n, poiDim);
  const landZ = standardiseColumns(landUse, n, landUseDim);
  for (let i = 0; i < n; i++) {
    profile.set(poiZ.subarray(i * poiDim, (i + 1) * poiDim), i * profileDim);
    profile.set(landZ.subarray(i * landUseDim, (i + 1) * landUseDim), i * profileDim + poiDim);
  }
  const outTo = flowWeightedMean(trips, profile, profileDim);
  const inFrom = flowWeightedMean(sparseTranspose(trips), profile, profileDim);
  const out = sparseRowSums(trips);
  const inn = sparseColumnSums(trips);
  const totals = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    totals[i * 2] = Math.log1p(out[i]);
    totals[i * 2 + 1] = Math.log1p(inn[i]);
  }
  const totalsZ = standardiseColumns(totals, n, 2);
  const dim = 2 + 2 * profileDim;
  const data = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    data.set(totalsZ.subarray(i * 2, i * 2 + 2), i * dim);
    data.set(outTo.subarray(i * profileDim, (i + 1) * profileDim), i * dim + 2);
    data.set(inFrom.subarray(i * profileDim, (i + 1) * profileDim), i * dim + 2 + profileDim);
  }
  return { data, dim };
}

/** Mhat = M / mean(M) over all N x N entries (0 where M is all zeros), dense N x N. */
function normalisedByMean(m: SparseMatrix): Float32Array {
  let sum = 0;
  for (const v of m.values) sum += v; // row by row, as the dense sum (zeros add nothing)
  const mean = sum / (m.rows * m.cols);
  const out = new Float32Array(m.rows * m.cols);
  if (mean > 0)
    for (let i = 0; i < m.rows; i++)
      for (let e = m.rowStart[i]; e < m.rowStart[i + 1]; e++)
        out[i * m.cols + m.colIndex[e]] = m.values[e] / mean;
  return out;
}

/** log1p(M_ij + M_ji) / max over pairs, dense N x N (0 where neither way has trips). */
function symmetricTripFlow(m: SparseMatrix): Float32Array {
  const n = m.rows;
  const flow = new Float32Array(n * n);
  let maxFlow = 0;
  for (let i = 0; i < n; i++)
    for (let e = m.rowStart[i]; e < m.rowStart[i + 1]; e++) {
      const j = m.colIndex[e];
      const v = Math.log1p(m.values[e] + sparseGet(m, j, i));
      flow[i * n + j] = v;
      flow[j * n + i] = v;
      if (v > maxFlow) maxFlow = v;
    }
  if (maxFlow > 0) for (let k = 0; k < flow.length; k++) flow[k] /= maxFlow;
  return flow;
}

/** [log1p(x) | z-scored x] per row: N x 2d. */
export function withLinearCounts(logCounts: Float32Array, m: Matrix): Float32Array {
  const linear = standardiseColumns(Float32Array.from(m.data), m.rows, m.cols);
  const out = new Float32Array(m.rows * m.cols * 2);
  for (let i = 0; i < m.rows; i++) {
    out.set(logCounts.subarray(i * m.cols, (i + 1) * m.cols), i * 2 * m.cols);
    out.set(linear.subarray(i * m.cols, (i + 1) * m.cols), (2 * i + 1) * m.cols);
  }
  return out;
}

export interface SrelInputOptions {
  /** How the POI and land-use views see counts (SrelConfig.countFeatures). */
  countFeatures?: CountFeatures;
  /** Hop distances at or beyond it share one bucket; unreachable pairs get their own. */
  maxHops?: number;
}

/** What both layouts read alike: the three views (N x width) and the counts and trips behind them. */
export interface SrelViews {
  counts: { poi: Matrix; landUse: Matrix };
  trips: SparseMatrix;
  views: Pick<
    SrelInputsBase,
    'n' | 'poi' | 'poiDim' | 'landUse' | 'landUseDim' | 'mobility' | 'mobilityDim' | 'countFeatures'
  >;
}

/** The city's three views as SREL reads them; SrelInputError when it lacks one. */
export function srelViews(city: City, countFeatures: CountFeatures): SrelViews {
  const { poi, landUse, trips } = city.views;
  const missing = [!poi && 'POI counts', !landUse && 'land-use counts', !trips && 'a trip matrix'].filter(
    Boolean,
  );
  if (missing.length)
    throw new SrelInputError(
      `SREL needs POI counts, land use and trips; ${city.metadata.name} has no ${missing.join(', no ')}`,
    );
  const poiM = poi as Matrix;
  const landM = landUse as Matrix;
  const tripsM = trips as SparseMatrix;
  const poiLog = log1pMatrix(poiM);
  const landLog = log1pMatrix(landM);
  const mob = mobilityFeatures(tripsM, poiLog, poiM.cols, landLog, landM.cols);
  return {
    counts: { poi: poiM, landUse: landM },
    trips: tripsM,
    views: {
      n: city.regions.length,
      poi: countFeatures === 'log1p' ? poiLog : withLinearCounts(poiLog, poiM),
      poiDim: countFeatures === 'log1p' ? poiM.cols : 2 * poiM.cols,
      landUse: countFeatures === 'log1p' ? landLog : withLinearCounts(landLog, landM),
      landUseDim: countFeatures === 'log1p' ? landM.cols : 2 * landM.cols,
      mobility: mob.data,
      mobilityDim: mob.dim,
      countFeatures,
    },
  };
}

export function srelInputs(
  city: City,
  priors: SpatialPriors,
  options: SrelInputOptions = {},
): DenseSrelInputs {
  const { countFeatures = 'log1p', maxHops = 6 } = options;
  const { counts, trips: tripsM, views } = srelViews(city, countFeatures);
  const poiM = counts.poi;
  const landM = counts.landUse;

  const mobilityTarget = normalisedByMean(city.views.mobilityTarget ?? tripsM);
  const tripFlow = symmetricTripFlow(tripsM);

  let hopBuckets: Int32Array | null = null;
  if (priors.hops) {
    hopBuckets = Int32Array.from(priors.hops, (h) =>
      h === UNREACHABLE ? maxHops + 1 : Math.min(h, maxHops),
    );
  }
  return {
    layout: 'dense',
    ...views,
    tripFlow,
    mobilityTarget,
    poiSimilarity: cosineSimilarityMatrix(poiM),
    landUseSimilarity: cosineSimilarityMatrix(landM),
    distancePrior: priors.priorSource === 'none' ? null : Float32Array.from(priors.distancePrior),
    centrality: priors.priorSource === 'none' ? null : Float32Array.from(priors.centrality),
    hopBuckets,
    hopBucketCount: maxHops + 2,
    priorDescription: priors.description,
  };
}
