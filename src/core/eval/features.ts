/**
 * Raw-feature baselines: the concatenation [POI | land use | trips out | trips in] of a
 * city's views, optionally log1p-transformed, z-scored over all regions (features only:
 * no label is looked at, so scaling over all regions is not leakage).
 */
import type { City, Matrix } from '../city/types';
import { sparseTranspose, type SparseMatrix } from '../math/sparse';
import { standardiseColumns } from '../math/stats';

export interface FeatureMatrix {
  data: Float64Array; // n x d
  n: number;
  d: number;
  columns: string[];
}

/** [POI | land use | trips out (row i) | trips in (column i)]. */
export function rawFeatures(city: City, options: { log1p?: boolean } = {}): FeatureMatrix {
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
  if (trips) {
    const ids = city.regions.map((r) => r.id);
    sparseBlock(
      trips,
      ids.map((id) => `out:${id}`),
    );
    sparseBlock(
      sparseTranspose(trips),
      ids.map((id) => `in:${id}`),
    );
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
