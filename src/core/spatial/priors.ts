/**
 * SpatialPriors: what SREL's region fusion is biased with, built from whatever spatial
 * information a city offers, and saying where it came from.
 */
import { denseSizeError } from '../io/limits';
import type { City } from '../city/types';
import { UNREACHABLE, hopDistances, polygonAdjacency } from './adjacency';
import { distanceMatrix } from './distance';
import {
  centrality,
  distancePrior,
  mobilityCentrality,
  tripProximity,
  type DistancePriorOptions,
} from './prior';

export type PriorSource = 'centroid-distance' | 'trip-proximity' | 'none';
export type AdjacencySource = 'given' | 'polygons' | 'none';

export interface SpatialPriors {
  n: number;
  /** A (N x N, row-major) in [0, 1], zero diagonal. */
  distancePrior: Float64Array;
  priorSource: PriorSource;
  /** Gaussian width and cut-off (km) when priorSource is centroid-distance. */
  sigmaKm: number | null;
  cutoffKm: number | null;
  /** c_i = sum_j A_ij / max_k sum_j A_kj. */
  centrality: Float64Array;
  /** Trips in + out, normalised (null without trips). */
  mobilityCentrality: Float64Array | null;
  /** Adjacency list and hop distances (N x N, -1 = unreachable); null without adjacency. */
  adjacency: number[][] | null;
  adjacencySource: AdjacencySource;
  hops: Int32Array | null;
  /** One sentence for reports: which prior this city used. */
  description: string;
}

export interface SpatialPriorOptions extends DistancePriorOptions {
  /** Force a prior source (default: centroid distance where every region has a centroid, else trips). */
  prefer?: Exclude<PriorSource, 'none'>;
  /** Tolerance for polygon adjacency (metres). */
  adjacencyToleranceMeters?: number;
}

/** Which prior sources a city can offer, best first. */
export function availablePriorSources(city: City): Exclude<PriorSource, 'none'>[] {
  const out: Exclude<PriorSource, 'none'>[] = [];
  if (city.spatial.centroids) out.push('centroid-distance');
  if (city.spatial.trips) out.push('trip-proximity');
  return out;
}

export function buildSpatialPriors(city: City, options: SpatialPriorOptions = {}): SpatialPriors {
  const n = city.regions.length;
  const tooLarge = denseSizeError(n, 'the spatial priors');
  if (tooLarge) throw new Error(tooLarge);
  const sources = availablePriorSources(city);
  const source: PriorSource =
    options.prefer && sources.includes(options.prefer) ? options.prefer : (sources[0] ?? 'none');

  let weights: Float64Array = new Float64Array(n * n);
  let sigmaKm: number | null = null;
  let cutoffKm: number | null = null;
  let description: string;
  if (source === 'centroid-distance') {
    const centroids = city.regions.map((r) => r.centroid as [number, number]);
    const prior = distancePrior(distanceMatrix(centroids), n, options);
    weights = prior.weights;
    sigmaKm = prior.sigmaKm;
    cutoffKm = prior.cutoffKm;
    description = `Gaussian distance prior on centroid distances (sigma ${sigmaKm.toFixed(2)} km, cut-off ${cutoffKm} km)`;
  } else if (source === 'trip-proximity') {
    weights = city.views.trips ? tripProximity(city.views.trips) : new Float64Array(n * n);
    description = 'trip-based proximity (symmetrised, row-normalised trips): the city has no coordinates';
  } else {
    description = 'no spatial prior: the city has neither coordinates nor trips';
  }

  let adjacency: number[][] | null = null;
  let adjacencySource: AdjacencySource = 'none';
  if (city.adjacency) {
    adjacency = city.adjacency;
    adjacencySource = 'given';
  } else if (city.spatial.boundaries) {
    adjacency = polygonAdjacency(city.regions, { toleranceMeters: options.adjacencyToleranceMeters });
    adjacencySource = 'polygons';
  }

  return {
    n,
    distancePrior: weights,
    priorSource: source,
    sigmaKm,
    cutoffKm,
    centrality: centrality(weights, n),
    mobilityCentrality: city.views.trips ? mobilityCentrality(city.views.trips) : null,
    adjacency,
    adjacencySource,
    hops: adjacency ? hopDistances(adjacency) : null,
    description,
  };
}

export { UNREACHABLE };
