import { describe, expect, it } from 'vitest';
import { manySquares } from '../city/fixtures/twoSquares';
import type { City } from '../city/types';
import { sparseFromDense, sparseFromTriplets } from '../math/sparse';
import { RAW_TRIP_COLUMNS_MAX_REGIONS, RAW_TRIP_RANK, rawFeatures, tripSvd } from './features';

/** n square regions with three trips: 0 -> 1 (4), 1 -> 2 (1), n - 1 -> 0 (9). */
function withTrips(n: number): City {
  const city = manySquares(n);
  const trips = sparseFromTriplets(n, n, [0, 1, n - 1], [1, 2, 0], [4, 1, 9]);
  return { ...city, views: { ...city.views, trips } };
}

/** Three regions r0..r2 with one POI column and trips [0 3 0; 0 0 0; 1 0 0]. */
function threeRegions(): City {
  const city = manySquares(3);
  return {
    ...city,
    views: {
      ...city.views,
      poi: { rows: 3, cols: 1, data: Float64Array.from([2, 0, 5]) },
      poiCategories: ['food'],
      trips: sparseFromDense({ rows: 3, cols: 3, data: [0, 3, 0, 0, 0, 0, 1, 0, 0] }),
    },
  };
}

const close = (actual: ArrayLike<number>, expected: number[]): void => {
  expect(actual.length).toBe(expected.length);
  expected.forEach((v, i) => expect(actual[i]).toBeCloseTo(v, 12));
};

describe('raw features', () => {
  it('give a small city a column per region for trips out and in', () => {
    const f = rawFeatures(threeRegions());
    expect(f.columns).toEqual(['poi:food', 'out:r0', 'out:r1', 'out:r2', 'in:r0', 'in:r1', 'in:r2']);
    expect(Array.from(f.data)).toEqual([2, 0, 3, 0, 0, 0, 1, 0, 0, 0, 0, 3, 0, 0, 5, 1, 0, 0, 0, 0, 0]);
    const logged = rawFeatures(threeRegions(), { log1p: true });
    expect(logged.data[2]).toBe(Math.log1p(3));
    expect(logged.data[14]).toBe(Math.log1p(5));
  });

  it('give trips as totals and singular-vector coordinates of log1p trips when asked for a rank', () => {
    // log1p(T) = [0 ln4 0; 0 0 0; ln2 0 0]: singular values ln4, ln2; u = e0, e2; v = e1, e0.
    const f = rawFeatures(threeRegions(), { tripRank: 2 });
    expect(f.columns).toEqual([
      'poi:food',
      'trips:out',
      'trips:in',
      'out:sv1',
      'out:sv2',
      'in:sv1',
      'in:sv2',
    ]);
    const [ln4, ln2] = [Math.log(4), Math.log(2)];
    close(f.data, [2, 3, 1, ln4, 0, 0, ln2, 0, 0, 3, 0, 0, ln4, 0, 5, 1, 0, 0, ln2, 0, 0]);
    const logged = rawFeatures(threeRegions(), { tripRank: 2, log1p: true });
    close(logged.data.subarray(0, 7), [Math.log1p(2), Math.log1p(3), Math.log1p(1), ln4, 0, 0, ln2]);
  });

  it(`keep every trip column up to ${RAW_TRIP_COLUMNS_MAX_REGIONS} regions and ${2 + 2 * RAW_TRIP_RANK} above`, () => {
    expect(rawFeatures(withTrips(RAW_TRIP_COLUMNS_MAX_REGIONS)).d).toBe(2 * RAW_TRIP_COLUMNS_MAX_REGIONS);
    const large = rawFeatures(withTrips(RAW_TRIP_COLUMNS_MAX_REGIONS + 1));
    expect(large.d).toBe(2 + 2 * RAW_TRIP_RANK);
    expect(large.columns.slice(0, 3)).toEqual(['trips:out', 'trips:in', 'out:sv1']);
    expect(Array.from(large.data.subarray(0, 2))).toEqual([4, 9]); // region 0: 4 out, 9 in
  });

  it("take the trips' singular vectors given (the raw sets compute them once for both transforms)", () => {
    const city = withTrips(RAW_TRIP_COLUMNS_MAX_REGIONS + 1);
    const svd = tripSvd(city.views.trips!, RAW_TRIP_RANK);
    expect(rawFeatures(city, { tripSvd: svd })).toEqual(rawFeatures(city));
    expect(rawFeatures(city, { log1p: true, tripSvd: svd })).toEqual(rawFeatures(city, { log1p: true }));
  });
});
