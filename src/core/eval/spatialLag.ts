/**
 * Spatially lagged features, the SLX model of spatial econometrics (Halleck Vega and Elhorst
 * 2015): beside each region's own features X, the mean of its neighbours' features W X, where
 * W is a row-standardised spatial weights matrix (each row sums to 1, no region its own
 * neighbour). Ridge on [X | W X] can then say "crime follows the bars next door".
 *
 * W, in order of preference:
 * - centroids: each region's LAG_NEIGHBOURS nearest regions by centroid, equal weights (the
 *   k-nearest-neighbour weights GeoDa offers beside contiguity; unlike contiguity they need no
 *   polygons and give every region the same number of neighbours);
 * - trips only (the SF benchmark has no geometry): the regions it exchanges trips with,
 *   weighted by trips both ways (T + Tᵀ), the same idea on the mobility graph;
 * - neither: no lag.
 */
import type { City } from '../city/types';
import { sparseTranspose } from '../math/sparse';
import { polygonAdjacency } from '../spatial/adjacency';
import { nearestRegions } from '../spatial/neighbours';
import type { FeatureMatrix } from './features';

/**
 * Neighbours per region in the centroid weights. Our choice: 6, the usual k-nearest default
 * (a hexagonal cell's ring, and about the mean number of contiguous neighbours of a city's
 * tracts); not tuned on any benchmark fold.
 */
export const LAG_NEIGHBOURS = 6;

/** Row-standardised weights: row i's neighbours and their weights (summing to 1, or empty). */
export interface SpatialWeights {
  /** What W is, for reports. */
  description: string;
  neighbours: Int32Array[];
  weights: Float64Array[];
}

/** The city's W (see the file's comment), or null when it has neither centroids nor trips. */
export function spatialWeights(city: City): SpatialWeights | null {
  const n = city.regions.length;
  const centroids = city.regions.map((r) => r.centroid);
  if (n > 1 && centroids.every((c) => c !== null)) {
    const k = Math.min(LAG_NEIGHBOURS + 1, n);
    const near = nearestRegions(centroids as [number, number][], k);
    const neighbours = Array.from({ length: n }, (_, i) => near.index.slice(i * k + 1, (i + 1) * k));
    return {
      description: `${k - 1} nearest regions by centroid`,
      neighbours,
      weights: neighbours.map((row) => new Float64Array(row.length).fill(1 / row.length)),
    };
  }
  const trips = city.views.trips;
  if (!trips) return null;
  const back = sparseTranspose(trips);
  const neighbours: Int32Array[] = [];
  const weights: Float64Array[] = [];
  for (let i = 0; i < n; i++) {
    const w = new Map<number, number>();
    for (const m of [trips, back])
      for (let k = m.rowStart[i]; k < m.rowStart[i + 1]; k++)
        if (m.colIndex[k] !== i) w.set(m.colIndex[k], (w.get(m.colIndex[k]) ?? 0) + m.values[k]);
    const total = [...w.values()].reduce((a, b) => a + b, 0);
    neighbours.push(Int32Array.from(w.keys()));
    weights.push(Float64Array.from(w.values(), (v) => v / total));
  }
  return { description: 'regions exchanging trips, weighted by trips both ways', neighbours, weights };
}

/** Which W a spatial test uses: the k nearest regions (spatialWeights), or shared borders. */
export type WeightsKind = 'nearest' | 'contiguity';

/**
 * Contiguity weights, as GeoDa's default: regions sharing a boundary, a corner included
 * (queen), equal weights per row; the city's own adjacency where it has one (a bundle's
 * adjacency.json), else from its polygons. A region without a neighbour has an empty row.
 * Null for a city with neither adjacency nor boundaries, or where no region touches another.
 */
export function contiguityWeights(city: City): SpatialWeights | null {
  const adjacency = city.adjacency ?? (city.spatial.boundaries ? polygonAdjacency(city.regions) : null);
  if (!adjacency) return null;
  const neighbours = adjacency.map((row, i) => Int32Array.from(row.filter((j) => j !== i)));
  if (neighbours.every((row) => row.length === 0)) return null;
  return {
    description: city.adjacency
      ? "regions sharing a boundary (the city's own adjacency list)"
      : 'regions sharing a boundary or a corner (queen contiguity of the polygons)',
    neighbours,
    weights: neighbours.map((row) => new Float64Array(row.length).fill(1 / Math.max(1, row.length))),
  };
}

/** The city's W of the given kind (null when the city cannot give one). */
export const weightsOfKind = (city: City, kind: WeightsKind): SpatialWeights | null =>
  kind === 'contiguity' ? contiguityWeights(city) : spatialWeights(city);

/** [X | W X]: n x 2d, the lag columns named `lag:<column>`. A region without neighbours lags 0. */
export function withSpatialLag(x: FeatureMatrix, w: SpatialWeights): FeatureMatrix {
  const { n, d } = x;
  const data = new Float64Array(n * 2 * d);
  for (let i = 0; i < n; i++) {
    data.set(x.data.subarray(i * d, (i + 1) * d), i * 2 * d);
    const lag = data.subarray(i * 2 * d + d, (i + 1) * 2 * d);
    const nb = w.neighbours[i];
    const wt = w.weights[i];
    for (let k = 0; k < nb.length; k++) {
      const row = nb[k] * d;
      for (let j = 0; j < d; j++) lag[j] += wt[k] * x.data[row + j];
    }
  }
  return { data, n, d: 2 * d, columns: [...x.columns, ...x.columns.map((c) => `lag:${c}`)] };
}
