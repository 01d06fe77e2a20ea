import { describe, expect, it } from 'vitest';
import { regionsInARow } from '../city/fixtures/twoSquares';
import type { City } from '../city/types';
import { sparseFromTriplets } from '../math/sparse';
import { LAG_NEIGHBOURS, spatialWeights, withSpatialLag } from './spatialLag';

const row = (centroids: boolean): City => regionsInARow(10, centroids);

const x = {
  n: 10,
  d: 1,
  data: Float64Array.from({ length: 10 }, (_, i) => i),
  columns: ['poi:food'],
};

describe('spatially lagged features (SLX)', () => {
  it(`average the ${LAG_NEIGHBOURS} nearest regions by centroid, never the region itself`, () => {
    const w = spatialWeights(row(true));
    expect(w?.description).toBe('6 nearest regions by centroid');
    expect([...(w?.neighbours[0] ?? [])].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
    expect([...(w?.neighbours[5] ?? [])].sort((a, b) => a - b)).toEqual([2, 3, 4, 6, 7, 8]);
    const lagged = withSpatialLag(x, w!);
    expect(lagged.columns).toEqual(['poi:food', 'lag:poi:food']);
    expect(lagged.d).toBe(2);
    // Region 0: mean(1..6) = 3.5; region 5: mean(2, 3, 4, 6, 7, 8) = 5; region 9: mean(3..8) = 5.5.
    expect(lagged.data[0]).toBe(0);
    expect(lagged.data[1]).toBeCloseTo(3.5, 12);
    expect(lagged.data[11]).toBeCloseTo(5, 12);
    expect(lagged.data[19]).toBeCloseTo(5.5, 12);
  });

  it('weight by trips both ways for a city without centroids, leaving out trips within a region', () => {
    // 0 -> 1: 3, 1 -> 0: 1, 0 -> 2: 4, 2 -> 2: 5 (within region 2).
    const city = row(false);
    const trips = sparseFromTriplets(10, 10, [0, 1, 0, 2], [1, 0, 2, 2], [3, 1, 4, 5]);
    const w = spatialWeights({ ...city, views: { ...city.views, trips } });
    expect(w?.description).toBe('regions exchanging trips, weighted by trips both ways');
    expect(Array.from(w?.neighbours[0] ?? [])).toEqual([1, 2]);
    expect(Array.from(w?.weights[0] ?? [])).toEqual([0.5, 0.5]);
    expect(Array.from(w?.neighbours[2] ?? [])).toEqual([0]);
    expect(Array.from(w?.weights[2] ?? [])).toEqual([1]);
    const lagged = withSpatialLag(x, w!);
    // Region 0 lags (1 + 2) / 2; region 1 lags region 0; region 3 has no neighbour: 0.
    expect(Array.from(lagged.data.subarray(0, 8))).toEqual([0, 1.5, 1, 0, 2, 0, 3, 0]);
  });

  it('give no weights to a city with neither centroids nor trips', () => {
    const city = row(false);
    expect(spatialWeights({ ...city, views: { ...city.views, trips: null } })).toBeNull();
  });
});
