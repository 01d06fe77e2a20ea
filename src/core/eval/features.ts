/**
 * Raw-feature baselines: the concatenation [POI | land use | trips out | trips in] of a
 * city's views, optionally log1p-transformed, z-scored over all regions (features only:
 * no label is looked at, so scaling over all regions is not leakage).
 *
 * Trips out to and in from every region are 2N columns: wider than a fold, so every fold's
 * ridge solves an n x n system (over 5 minutes a task at 2,000 regions). Above
 * RAW_TRIP_COLUMNS_MAX_REGIONS the trips are instead their totals out and in plus each
 * region's coordinates on the top RAW_TRIP_RANK singular vectors of log1p(trips), a width that
 * does not grow with N. The benchmark cities (77 to 180 regions) and Riverton keep every column.
 */
import type { City, Matrix } from '../city/types';
import {
  sparseColumnSums,
  sparseMapValues,
  sparseRowSums,
  sparseTranspose,
  type SparseMatrix,
} from '../math/sparse';
import { truncatedSvd, type TruncatedSvd } from '../math/truncatedSvd';
import { standardiseColumns } from '../math/stats';

export interface FeatureMatrix {
  data: Float64Array; // n x d
  n: number;
  d: number;
  columns: string[];
}

/**
 * Cities up to this many regions get a raw column per region for trips out and in (2N).
 *
 * Our choice: 180, the benchmark's largest city (NYC; its raw-feature baseline is the
 * reference code's, baselines.test.ts), not 500 as before. Just under 500 a task's evaluation
 * solved about 500 dual systems of 360 to 450 rows (10 outer folds x 5 inner x 5 ridge
 * strengths x 2 raw sets): 10 s of CPU a task in Node, 25 s for three tasks in the browser on an
 * H3 city of 498 cells. And the columns predicted worse than the 16 singular vectors on every
 * sample city above Riverton's size. The app's combined predictor, mean R² of the 3 tasks on
 * 10 shuffled folds (seeds 7 and 11) and 5 spatial blocks, every column -> totals and 16
 * singular vectors, one SREL run of 30 epochs each:
 *
 *   generated city, 200 regions (seed 16)     0.663, 0.674, 0.567 -> 0.716, 0.719, 0.658
 *   generated city, 300 regions (seed 15)     0.784, 0.772, 0.720 -> 0.828, 0.806, 0.774
 *   Riverton in H3 cells, 498 (resolution 8)  0.829, 0.833, 0.605 -> 0.847, 0.844, 0.632
 *                                             (CPU for the 3 tasks 40 s -> 14 s)
 *
 * Smaller cities gave no such rule. On Riverton (150 regions; 3 SREL seeds of 100 epochs) the two
 * were within noise on shuffled folds (0.666, 0.665 -> 0.668, 0.666) and the singular vectors
 * ahead on spatial blocks (0.532 -> 0.588); on generated cities of 100 and 80 regions they were
 * mixed (0.720, 0.699, 0.565 -> 0.669, 0.716, 0.582; 0.627, 0.635, 0.684 -> 0.627, 0.630,
 * 0.629). So cities of the benchmark's size keep every column.
 */
export const RAW_TRIP_COLUMNS_MAX_REGIONS = 180;

/** Singular vectors of log1p(trips) kept for larger cities (chosen on the sample cities). */
export const RAW_TRIP_RANK = 16;

export interface RawFeatureOptions {
  log1p?: boolean;
  /**
   * Trips as totals plus this many singular vectors whatever the city's size (default: only
   * above RAW_TRIP_COLUMNS_MAX_REGIONS regions, with RAW_TRIP_RANK).
   */
  tripRank?: number;
  /**
   * The singular vectors, when the caller has them already (tripSvd at the same rank): both
   * transforms use those of log1p(trips), so the raw sets compute them once.
   */
  tripSvd?: TruncatedSvd;
}

/** The rank of the trip singular vectors rawFeatures uses (null: every trip column). */
export function tripRankOf(city: City, options: Pick<RawFeatureOptions, 'tripRank'> = {}): number | null {
  return options.tripRank ?? (city.regions.length > RAW_TRIP_COLUMNS_MAX_REGIONS ? RAW_TRIP_RANK : null);
}

/** The top `rank` singular vectors of log1p(trips) that rawFeatures uses. */
export function tripSvd(trips: SparseMatrix, rank: number): TruncatedSvd {
  return truncatedSvd(sparseMapValues(trips, Math.log1p), rank);
}

/**
 * [POI | land use | trips out (row i) | trips in (column i)], or for large cities
 * [POI | land use | trips out, trips in (totals) | out:sv1..r | in:sv1..r]: with
 * log1p(T) ≈ U S V^T, region i's outgoing profile is (U S)_i and its incoming one (V S)_i
 * (log1p applies to the totals; the coordinates are of log1p trips already).
 */
export function rawFeatures(city: City, options: RawFeatureOptions = {}): FeatureMatrix {
  const n = city.regions.length;
  const f = options.log1p ? Math.log1p : (v: number): number => v;
  /** A block writes row i of its columns into `row` (zeros already there). */
  const blocks: { cols: number; fill: (i: number, row: Float64Array) => void; names: string[] }[] = [];
  const { poi, landUse, trips } = city.views;
  const denseBlock = (m: Matrix, names: string[]): void => {
    blocks.push({
      cols: m.cols,
      fill: (i, row) => {
        for (let j = 0; j < m.cols; j++) row[j] = f(m.data[i * m.cols + j]);
      },
      names,
    });
  };
  // Only the stored entries: f(0) = 0 for both transforms.
  const sparseBlock = (m: SparseMatrix, names: string[]): void => {
    blocks.push({
      cols: m.cols,
      fill: (i, row) => {
        for (let k = m.rowStart[i]; k < m.rowStart[i + 1]; k++) row[m.colIndex[k]] = f(m.values[k]);
      },
      names,
    });
  };
  if (poi)
    denseBlock(
      poi,
      city.views.poiCategories.map((c) => `poi:${c}`),
    );
  if (landUse)
    denseBlock(
      landUse,
      city.views.landUseClasses.map((c) => `land:${c}`),
    );
  const rank = tripRankOf(city, options);
  if (trips && rank === null) {
    const ids = city.regions.map((r) => r.id);
    sparseBlock(
      trips,
      ids.map((id) => `out:${id}`),
    );
    sparseBlock(
      sparseTranspose(trips),
      ids.map((id) => `in:${id}`),
    );
  } else if (trips && rank !== null) {
    const totals = [sparseRowSums(trips), sparseColumnSums(trips)];
    blocks.push({
      cols: 2,
      fill: (i, row) => {
        row[0] = f(totals[0][i]);
        row[1] = f(totals[1][i]);
      },
      names: ['trips:out', 'trips:in'],
    });
    const svd = options.tripSvd ?? tripSvd(trips, rank);
    const r = svd.rank;
    for (const [side, vectors] of [
      ['out', svd.left],
      ['in', svd.right],
    ] as const)
      blocks.push({
        cols: r,
        fill: (i, row) => {
          for (let k = 0; k < r; k++) row[k] = vectors[i * r + k] * svd.values[k];
        },
        names: Array.from({ length: r }, (_, k) => `${side}:sv${k + 1}`),
      });
  }
  const d = blocks.reduce((s, b) => s + b.cols, 0);
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    let offset = 0;
    for (const b of blocks) {
      b.fill(i, data.subarray(i * d + offset, i * d + offset + b.cols));
      offset += b.cols;
    }
  }
  return { data, n, d, columns: blocks.flatMap((b) => b.names) };
}

/** Standardise columns to mean 0 and (population) sd 1; constant columns become 0. */
export function zScore(m: FeatureMatrix): FeatureMatrix {
  return { ...m, data: standardiseColumns(m.data, m.n, m.d) };
}
