/**
 * Raw-feature baselines: the concatenation [POI | land use | trips out | trips in] of a
 * city's views, optionally log1p-transformed, z-scored over all regions (features only:
 * no label is looked at, so scaling over all regions is not leakage).
 */
import type { City } from '../city/types';
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
  const blocks: { cols: number; value: (i: number, j: number) => number; names: string[] }[] = [];
  const { poi, landUse, trips } = city.views;
  if (poi)
    blocks.push({
      cols: poi.cols,
      value: (i, j) => poi.data[i * poi.cols + j],
      names: city.views.poiCategories.map((c) => `poi:${c}`),
    });
  if (landUse)
    blocks.push({
      cols: landUse.cols,
      value: (i, j) => landUse.data[i * landUse.cols + j],
      names: city.views.landUseClasses.map((c) => `land:${c}`),
    });
  if (trips) {
    const ids = city.regions.map((r) => r.id);
    blocks.push({ cols: n, value: (i, j) => trips.data[i * n + j], names: ids.map((id) => `out:${id}`) });
    blocks.push({ cols: n, value: (i, j) => trips.data[j * n + i], names: ids.map((id) => `in:${id}`) });
  }
  const d = blocks.reduce((s, b) => s + b.cols, 0);
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    let offset = 0;
    for (const b of blocks) {
      for (let j = 0; j < b.cols; j++) {
        const v = b.value(i, j);
        data[i * d + offset + j] = options.log1p ? Math.log1p(v) : v;
      }
      offset += b.cols;
    }
  }
  return { data, n, d, columns: blocks.flatMap((b) => b.names) };
}

/** Standardise columns to mean 0 and (population) sd 1; constant columns become 0. */
export function zScore(m: FeatureMatrix): FeatureMatrix {
  return { ...m, data: standardiseColumns(m.data, m.n, m.d) };
}
