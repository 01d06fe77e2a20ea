/**
 * The distance prior and centrality of method.md:
 *   A_ij = exp(-D_ij^2 / (2 sigma^2)),  sigma = sd of all N^2 entries of D,
 *   A_ii = 0,  A_ij = 0 where D_ij > cutoff (10 km),
 *   c_i = sum_j A_ij / max_k sum_j A_kj.
 * Plus the trip-based proximity used where a city has no coordinates.
 */
import type { SparseMatrix } from '../math/sparse';

export interface DistancePriorOptions {
  /** Gaussian width in km; default: population sd of all N^2 distances. */
  sigmaKm?: number;
  /** Pairs farther apart than this get weight 0; default 10 km; Infinity disables. */
  cutoffKm?: number;
}

/** Population standard deviation of all N^2 entries (numpy's default std, ddof 0). */
export function standardDeviation(values: Float64Array): number {
  let mean = 0;
  for (const v of values) mean += v;
  mean /= values.length;
  let ss = 0;
  for (const v of values) ss += (v - mean) ** 2;
  return Math.sqrt(ss / values.length);
}

/** A (N x N): Gaussian kernel of the distances with cut-off and zero diagonal. */
export function distancePrior(
  distances: Float64Array,
  n: number,
  options: DistancePriorOptions = {},
): { weights: Float64Array; sigmaKm: number; cutoffKm: number } {
  const sigmaKm = options.sigmaKm ?? standardDeviation(distances);
  const cutoffKm = options.cutoffKm ?? 10;
  const weights = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      const d = distances[i * n + j];
      if (i === j || d > cutoffKm) continue;
      weights[i * n + j] = Math.exp(-(d * d) / (2 * sigmaKm * sigmaKm));
    }
  return { weights, sigmaKm, cutoffKm };
}

/** Row sums of an N x N matrix (the weighted degree). */
export function weightedDegree(weights: Float64Array, n: number): Float64Array {
  const deg = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += weights[i * n + j];
    deg[i] = s;
  }
  return deg;
}

/** c_i = deg_i / max_k deg_k (all zeros when the prior is empty). */
export function centrality(weights: Float64Array, n: number): Float64Array {
  const deg = weightedDegree(weights, n);
  const max = Math.max(0, ...deg);
  return max > 0 ? deg.map((d) => d / max) : deg;
}

/**
 * Functional proximity from trips, for cities without coordinates:
 * P = (R + R^T) / 2 with R the row-normalised trip matrix, zero diagonal,
 * rescaled so the largest entry is 1 (the same range as the distance prior).
 * Reads the trips' stored pairs only; the prior itself is N x N, as SREL's attention bias.
 */
export function tripProximity(trips: SparseMatrix): Float64Array {
  const { rows: n, rowStart, colIndex, values } = trips;
  const p = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = rowStart[i]; k < rowStart[i + 1]; k++) if (colIndex[k] !== i) s += values[k];
    if (!(s > 0)) continue;
    // p_ij and p_ji each receive R_ij; with R_ji from row j they hold R_ij + R_ji.
    for (let k = rowStart[i]; k < rowStart[i + 1]; k++) {
      const j = colIndex[k];
      if (j === i) continue;
      const r = values[k] / s;
      p[i * n + j] += r;
      p[j * n + i] += r;
    }
  }
  let max = 0;
  for (let k = 0; k < p.length; k++) {
    const v = p[k] / 2;
    p[k] = v;
    if (v > max) max = v;
  }
  if (max > 0) for (let k = 0; k < p.length; k++) p[k] /= max;
  return p;
}

/** Mobility degree (trips in + out per region), normalised to max 1: a second centrality. */
export function mobilityCentrality(trips: SparseMatrix): Float64Array {
  const { rows: n, rowStart, colIndex, values } = trips;
  const deg = new Float64Array(n);
  for (let i = 0; i < n; i++)
    for (let k = rowStart[i]; k < rowStart[i + 1]; k++) {
      const j = colIndex[k];
      if (i === j) continue;
      deg[i] += values[k];
      deg[j] += values[k];
    }
  const max = Math.max(0, ...deg);
  return max > 0 ? deg.map((d) => d / max) : deg;
}
