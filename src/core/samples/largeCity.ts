/**
 * Large synthetic cities (5,000 to 100,000 regions and more) in memory, for benchmarks: never
 * committed. `generateLargeCity({ seed, regions })` gives the same kind of city as
 * generateCity.ts (irregular regions around a river and a park, POI and land-use counts from
 * a latent profile, gravity-model trips, three labels with spatial spill-over), with the same
 * formulas and coefficients, in time and memory about linear in N:
 *
 * - the plan scales its towns with N (more, smaller, closer towns: the sample layout fits
 *   about 10 and fails beyond, see layout.ts SAMPLE_TOWN_LAYOUT);
 * - trips are sparse (origin, destination, count) triplets in CSR form, never N x N: the
 *   gravity model restricted to each origin's nearest regions, plus a few long trips;
 * - the kernel label term is computed on a grid (two 1-D convolutions), not over all pairs;
 * - names are numbered when drawn twice instead of retried until unique.
 *
 * Same options, same city, bit for bit (one seeded Rng, one sub-stream per step). It is not
 * the sample cities' generator: the same seed and size give another city than
 * generateSyntheticCity (which stays as it is, so sample-cities/ does not change).
 */
import Flatbush from 'flatbush';
import { assembleCity } from '../city/city';
import type { City, Region } from '../city/types';
import { sparseColumnSums, sparseFromTriplets, type SparseMatrix } from '../math/sparse';
import { Rng } from '../random';
import {
  KERNEL_KM,
  LAND_USE_CLASSES,
  POI_CATEGORIES,
  buildRegionGeometry,
  describe,
  generateLabels,
  generateLandUse,
  generatePoi,
  labelFeaturesFromTripsIn,
  regionProfiles,
  sharedEdgeAdjacency,
  type KernelMean,
} from './generateCity';
import { planCity, siteDensityBound, type Point, type TownLayout } from './layout';
import { NameMaker } from './names';

export interface LargeCityOptions {
  seed: number;
  /** Number of regions (exact, at least 20). */
  regions: number;
  /** Default `Large city <regions>`. */
  name?: string;
  /** [lon, lat] of the city's middle (default [8.9, 47.55]). */
  centre?: [number, number];
  /** East-west extent in km (default, as the sample cities, 20 · (regions / 150)^0.25). */
  spanKm?: number;
  /** Secondary town centres (default 2 + round(√(regions / 150)): 8 at 5,000, 28 at 100,000). */
  subCentres?: number;
  /** Expected trips leaving a region, on average (default 100). */
  tripsPerRegion?: number;
  /** Destinations of the local gravity model: the origin's nearest regions, itself included (default 48). */
  tripNeighbours?: number;
  /** Distance decay of local trips, km (default 2.5). */
  tripDecayKm?: number;
  /** Share of trips that go anywhere in the city, by attraction alone (default 0.05). */
  longTripShare?: number;
}

/** A large city and its trips (the same CSR matrix as `city.views.trips`). */
export interface LargeCity {
  city: City;
  /** N x N trips in CSR form, row i = trips leaving region i (integer counts). */
  trips: SparseMatrix;
}

/**
 * Town layout for N regions. Our choice: 0.5 / √towns apart (about 0.09 a for 28 towns at
 * 100,000 regions, where random placement in the ring 0.4..0.85 a would still fit about 100),
 * and a town radius of a third of that, so towns do not merge into one band.
 */
function largeTownLayout(towns: number): TownLayout {
  const separation = Math.min(0.3, 0.5 / Math.sqrt(Math.max(1, towns)));
  return { ringMin: 0.4, ringMax: 0.85, separation, radius: Math.min(0.07, separation / 3) };
}

/** A growable (row, col, value) list. */
class Triplets {
  rows: Int32Array;
  cols: Int32Array;
  values: Float64Array;
  length = 0;

  constructor(capacity: number) {
    this.rows = new Int32Array(capacity);
    this.cols = new Int32Array(capacity);
    this.values = new Float64Array(capacity);
  }

  push(i: number, j: number, v: number): void {
    if (this.length === this.rows.length) {
      const grow = <T extends Int32Array | Float64Array>(a: T, make: (n: number) => T): T => {
        const b = make(a.length * 2);
        b.set(a);
        return b;
      };
      this.rows = grow(this.rows, (n) => new Int32Array(n));
      this.cols = grow(this.cols, (n) => new Int32Array(n));
      this.values = grow(this.values, (n) => new Float64Array(n));
    }
    this.rows[this.length] = i;
    this.cols[this.length] = j;
    this.values[this.length++] = v;
  }
}

/** A static spatial index of the centroids (km), for nearest regions and radius queries. */
function centroidIndex(centroidsKm: Point[]): Flatbush {
  const index = new Flatbush(centroidsKm.length);
  for (const [x, y] of centroidsKm) index.add(x, y, x, y);
  index.finish();
  return index;
}

/** Index of the first cumulative weight above u (binary search; cumulative ascending). */
function drawFromCumulative(cumulative: Float64Array, u: number): number {
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cumulative[mid] > u) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

interface TripModel {
  perRegion: number;
  neighbours: number;
  decayKm: number;
  longShare: number;
}

/**
 * Sparse trips from the production-constrained gravity model of generateCity.ts
 * (origin mass O = residents + 0.6 jobs, attraction A = jobs + 0.3 residents + 20 · POIs),
 * origin by origin, with T_i = perRegion · N · O_i / Σ O expected trips leaving i:
 *   local:  E[T_ij] = (1 − longShare) T_i · A_j e^(−d_ij/L) / Σ_k A_k e^(−d_ik/L), drawn
 *           Poisson, over j, k in the `neighbours` nearest regions (i itself at d_ii = half its
 *           equivalent radius);
 *   long:   Poisson(longShare · T_i) trips, each to a region drawn ∝ A over the whole city.
 * Rows hold at most neighbours + (long trips) entries.
 * Our choice of defaults: 100 trips per region and a 2.5 km decay, near Metropolis (125 and
 * 2.5 km); 48 neighbours and 5 % long trips store about 42 destinations per origin (measured
 * at 5,000, 20,000 and 100,000 regions): 4.2 million entries, 50 MB of CSR at 100,000.
 */
function generateSparseTrips(
  index: Flatbush,
  centroidsKm: Point[],
  areas: Float64Array,
  population: Float64Array,
  jobs: Float64Array,
  poiTotals: Float64Array,
  model: TripModel,
  rng: Rng,
): SparseMatrix {
  const n = centroidsKm.length;
  const origin = new Float64Array(n);
  const cumulative = new Float64Array(n); // of the attraction A
  let originTotal = 0;
  let attractionTotal = 0;
  const attraction = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    origin[i] = population[i] + 0.6 * jobs[i];
    attraction[i] = jobs[i] + 0.3 * population[i] + 20 * poiTotals[i];
    originTotal += origin[i];
    attractionTotal += attraction[i];
    cumulative[i] = attractionTotal;
  }
  const k = Math.min(n, model.neighbours);
  const out = new Triplets(n * (k + 8));
  const weights = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const expected = (model.perRegion * n * origin[i]) / originTotal;
    const [x, y] = centroidsKm[i];
    const near = index.neighbors(x, y, k);
    let norm = 0;
    near.forEach((j, r) => {
      const d =
        j === i
          ? 0.5 * Math.sqrt(areas[i] / Math.PI)
          : Math.hypot(centroidsKm[j][0] - x, centroidsKm[j][1] - y);
      weights[r] = attraction[j] * Math.exp(-d / model.decayKm);
      norm += weights[r];
    });
    if (norm > 0) {
      const scale = ((1 - model.longShare) * expected) / norm;
      near.forEach((j, r) => {
        const count = rng.poisson(weights[r] * scale);
        if (count > 0) out.push(i, j, count);
      });
    }
    const long = attractionTotal > 0 ? rng.poisson(model.longShare * expected) : 0;
    for (let t = 0; t < long; t++)
      out.push(i, drawFromCumulative(cumulative, rng.next() * attractionTotal), 1);
  }
  return sparseFromTriplets(
    n,
    n,
    out.rows.subarray(0, out.length),
    out.cols.subarray(0, out.length),
    out.values.subarray(0, out.length),
  );
}

/**
 * The kernel scope of the labels on a grid: the Gaussian-weighted mean (bandwidth KERNEL_KM)
 * over the other regions, with every centroid moved to the centre of its grid cell (a quarter
 * bandwidth wide) and the Gaussian cut at 4 bandwidths, so it is two separable 1-D
 * convolutions of the cell sums of weights and values: O(N + cells), not O(N²).
 * Our choice: at a quarter bandwidth (0.2 km) a centroid moves at most 0.14 km; on a 2,000-
 * region city the result correlates with the exact N x N kernelMean at > 0.99 (the test), and
 * 100,000 regions need about 300,000 cells (10 MB) instead of 10^10 pairs. A planar Gaussian
 * keeps e^-8 ≈ 0.03 % of its mass beyond 4 bandwidths.
 */
export function gridKernelMean(centroidsKm: Point[], bandwidthKm: number): KernelMean {
  const h = bandwidthKm / 4;
  const reach = 16; // cells: 4 bandwidths
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const [x, y] of centroidsKm) {
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
    maxX = Math.max(maxX, x);
    maxY = Math.max(maxY, y);
  }
  const nx = Math.round((maxX - minX) / h) + 1;
  const ny = Math.round((maxY - minY) / h) + 1;
  const cellOf = Int32Array.from(
    centroidsKm,
    ([x, y]) => Math.round((y - minY) / h) * nx + Math.round((x - minX) / h),
  );
  const taps = Float64Array.from({ length: 2 * reach + 1 }, (_, t) =>
    Math.exp(-(((t - reach) * h) ** 2) / (2 * bandwidthKm * bandwidthKm)),
  );
  /** grid (ny x nx) convolved with the taps along x, then along y. */
  const blur = (grid: Float64Array): Float64Array => {
    const along = new Float64Array(grid.length);
    for (let r = 0; r < ny; r++)
      for (let c = 0; c < nx; c++) {
        const v = grid[r * nx + c];
        if (v === 0) continue;
        for (let t = Math.max(0, c - reach); t <= Math.min(nx - 1, c + reach); t++)
          along[r * nx + t] += v * taps[t - c + reach];
      }
    const out = new Float64Array(grid.length);
    for (let r = 0; r < ny; r++)
      for (let c = 0; c < nx; c++) {
        const v = along[r * nx + c];
        if (v === 0) continue;
        for (let t = Math.max(0, r - reach); t <= Math.min(ny - 1, r + reach); t++)
          out[t * nx + c] += v * taps[t - r + reach];
      }
    return out;
  };
  const weights = new Float64Array(nx * ny);
  for (const cell of cellOf) weights[cell] += 1;
  const weightSums = blur(weights);
  return (v) => {
    const values = new Float64Array(nx * ny);
    cellOf.forEach((cell, i) => (values[cell] += v[i]));
    const valueSums = blur(values);
    // A region's own weight in its own cell is exactly taps[reach] = 1: take it out.
    return Float64Array.from(cellOf, (cell, i) => {
      const ws = weightSums[cell] - 1;
      return ws > 1e-9 ? (valueSums[cell] - v[i]) / ws : 0;
    });
  };
}

/** A deterministic large synthetic city and its sparse trips (see the module comment). */
export function generateLargeCity(options: LargeCityOptions): LargeCity {
  const { seed, regions: target } = options;
  if (!Number.isInteger(target) || target < 20) throw new Error('generateLargeCity: regions must be >= 20');
  const name = options.name ?? `Large city ${target}`;
  const centre = options.centre ?? [8.9, 47.55];
  const spanKm = options.spanKm ?? 20 * (target / 150) ** 0.25;
  const towns = options.subCentres ?? 2 + Math.round(Math.sqrt(target / 150));
  const trips: TripModel = {
    perRegion: options.tripsPerRegion ?? 100,
    neighbours: options.tripNeighbours ?? 48,
    decayKm: options.tripDecayKm ?? 2.5,
    longShare: options.longTripShare ?? 0.05,
  };

  const root = new Rng(seed);
  const layoutRng = root.fork();
  const latentRng = root.fork();
  const nameRng = root.fork();
  const poiRng = root.fork();
  const landUseRng = root.fork();
  const tripRng = root.fork();
  const labelRng = root.fork();

  const plan = planCity(layoutRng, spanKm, towns, largeTownLayout(towns));
  // Our choice: dart throwing from alpha 0.7 with patience 300. With the sample cities' 0.95
  // and 3,000, 0.7 is reached only after many shrinks; at 20,000 regions 0.8 and 500 took
  // 1.8 million proposals, 0.7 and 300 0.5 million. The cells are a little less regular.
  const drafts = buildRegionGeometry(plan, layoutRng, target, centre, {
    maxDensity: siteDensityBound(plan),
    alpha: 0.7,
    patience: 300,
  });
  const n = drafts.length;
  const adjacency = sharedEdgeAdjacency(drafts.map((d) => d.polygon));

  const { kinds, latent, areas, centroidsKm, population, jobs } = regionProfiles(plan, drafts, latentRng);

  const names = new NameMaker(nameRng);
  const width = Math.max(3, String(n).length);
  const regionList: Region[] = drafts.map((d, i) => ({
    id: `R${String(i + 1).padStart(width, '0')}`,
    name: names.nextNumbered(kinds[i], d.riverside),
    geometry: d.polygon,
    centroid: d.centroid,
    description: describe(kinds[i], d),
  }));

  const poi = generatePoi(latent, kinds, areas, poiRng);
  const landUse = generateLandUse(latent, kinds, drafts, areas, landUseRng);
  const poiTotals = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let k = 0; k < poi.cols; k++) poiTotals[i] += poi.data[i * poi.cols + k];
  const index = centroidIndex(centroidsKm);
  const tripMatrix = generateSparseTrips(
    index,
    centroidsKm,
    areas,
    population,
    jobs,
    poiTotals,
    trips,
    tripRng,
  );
  const features = labelFeaturesFromTripsIn(poi, landUse, sparseColumnSums(tripMatrix));
  const { labels } = generateLabels(
    features,
    adjacency,
    centroidsKm,
    labelRng,
    gridKernelMean(centroidsKm, KERNEL_KM),
  );

  const city = assembleCity(
    {
      name,
      source: `ToPT Studio large-city generator, seed ${seed}`,
      licence: 'CC0-1.0 (synthetic data)',
      description:
        `${name} is a fictional city of ${n} regions generated in memory by ToPT Studio for benchmarks: the sample ` +
        'cities\u2019 model (sample-cities/README.md) with sparse trips to nearby regions plus a few long ones.',
    },
    regionList,
    {
      poi,
      poiCategories: [...POI_CATEGORIES],
      landUse,
      landUseClasses: [...LAND_USE_CLASSES],
      trips: tripMatrix,
    },
    labels,
    adjacency,
  );
  return { city, trips: tripMatrix };
}
