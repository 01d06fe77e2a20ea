import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { twoSquares } from '../fixtures/twoSquares';
import { importLandUsePoints, importLandUsePolygons } from './landUse';
import { importTaskLabelsCsv } from './taskLabelsCsv';
import { importTripRecords } from './tripsCsv';
import { nonZeros, sparseGet, sparseToDense } from '../../math/sparse';
import type { City } from '../types';

const fixture = (file: string): string =>
  readFileSync(join(import.meta.dirname, 'fixtures/land-use', file), 'utf8');
const row = (city: City, i: number): Record<string, number> =>
  Object.fromEntries(
    city.views.landUseClasses.map((c, k) => [
      c,
      city.views.landUse!.data[i * city.views.landUseClasses.length + k],
    ]),
  );
const ok = <T>(r: T | { error: string }): T => {
  if (typeof r === 'object' && r !== null && 'error' in r) throw new Error(r.error);
  return r as T;
};

describe('land use from polygons with a class: area share per region and class', () => {
  it('splits a polygon straddling two regions by area; shares of a region sum to at most 1', () => {
    const r = ok(importLandUsePolygons(twoSquares(), fixture('straddling.geojson'), 'straddling.geojson'));
    expect(r.city.views.landUseClasses).toEqual(['park', 'residential']);
    const a = row(r.city, 0);
    const b = row(r.city, 1);
    expect(a.residential).toBeCloseTo(0.5, 6);
    expect(b.residential).toBeCloseTo(0.5, 6);
    expect(a.park).toBeCloseTo(0.25, 3); // a quarter of A (geodesic: within 0.1%)
    expect(b.park).toBe(0);
    for (const x of [a, b]) expect(Object.values(x).reduce((s, v) => s + v, 0)).toBeLessThanOrEqual(1);
    expect(r.report).toEqual([
      'straddling.geojson: 4 features; 3 polygons with the class in "landuse"',
      '2 polygons clipped to the regions: area shares of 2 land-use classes in 2 regions (83.3% of their area inside the regions)',
      '1 polygons outside every region',
      '0 polygons of unknown land-use classes',
      '1 features not polygons: "Point" (1)',
    ]);
  });

  it("uses the city's classes by name, and scales a region's shares down to 1 where polygons overlap", () => {
    const whole = (x0: number) => [[[x0, 47.37], [x0 + 0.01, 47.37], [x0 + 0.01, 47.38], [x0, 47.38], [x0, 47.37]]]; // prettier-ignore
    const fc = JSON.stringify({
      type: 'FeatureCollection',
      features: ['Residential', 'water', 'zzz'].map((c) => ({
        type: 'Feature',
        properties: { class: c },
        geometry: { type: 'Polygon', coordinates: whole(8.51) },
      })),
    });
    const r = ok(importLandUsePolygons(twoSquares([], ['residential', 'water']), fc, 'overlap.geojson'));
    expect(row(r.city, 1).residential).toBeCloseTo(0.5, 6);
    expect(row(r.city, 1).water).toBeCloseTo(0.5, 6);
    expect(r.report).toContain('1 polygons of unknown land-use classes: "zzz" (1)');
    expect(r.report).toContain(
      '1 regions where land-use polygons overlap: their shares scaled down to sum to 1',
    );
  });

  it('refuses files it cannot use, each with its reason', () => {
    const city = twoSquares();
    expect(importLandUsePolygons(city, '', 'e.geojson')).toEqual({ error: 'e.geojson is empty' });
    expect(importLandUsePolygons(city, '{"type":"Feature"}', 'f.geojson')).toEqual({
      error: 'f.geojson is not a GeoJSON FeatureCollection',
    });
    const points =
      '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[8.5,47.3]}}]}';
    expect(importLandUsePolygons(city, points, 'p.geojson')).toEqual({
      error: 'p.geojson has no Polygon or MultiPolygon features ("Point" (1))',
    });
    expect(
      importLandUsePolygons(twoSquares([], ['water']), fixture('straddling.geojson'), 's.geojson'),
    ).toEqual({
      error: `s.geojson: none of its polygons has one of the city's land-use classes (water); its classes: "park" (2), "residential" (1)`,
    });
    const noClass = fixture('straddling.geojson').replaceAll('"landuse"', '"name"');
    expect(importLandUsePolygons(city, noClass, 'n.geojson')).toEqual({
      error:
        'n.geojson needs a property naming each polygon\'s land-use class (e.g. "landuse" or "class"); its properties are "name"',
    });
  });
});

describe('land use from points with a class: counts per region and class', () => {
  it('counts each point under its region and class', () => {
    const r = ok(importLandUsePoints(twoSquares(), fixture('points.csv'), 'points.csv'));
    expect(r.city.views.landUseClasses).toEqual(['industrial', 'residential']);
    expect(row(r.city, 0)).toEqual({ industrial: 1, residential: 2 });
    expect(row(r.city, 1)).toEqual({ industrial: 0, residential: 1 });
    expect(r.report).toContain('4 points counted into 2 land-use classes of 2 regions');
    expect(r.report).toContain('1 points outside every region');
    expect(importLandUsePoints(twoSquares([], ['water']), fixture('points.csv'), 'points.csv')).toEqual({
      error: `points.csv: none of its points has one of the city's land-use classes (water); its classes: "residential" (4), "industrial" (1)`,
    });
  });
});

describe('trips between region ids', () => {
  it('sums counts into the trip matrix and reports unknown ids and bad counts by line', () => {
    const csv = 'origin_id,destination_id,count\nA,B,3\nB,A,1\nA,B,2\nA,Q,5\nZ,A,1\nB,B,x\n';
    const r = ok(importTripRecords(twoSquares(), csv, 'od.csv'));
    expect([...sparseToDense(r.city.views.trips!)]).toEqual([0, 5, 1, 0]);
    expect(r.report).toEqual([
      'od.csv: 6 records between region ids ("origin_id" to "destination_id") with counts in "count"',
      '3 records summed into the 2 x 2 trip matrix',
      '3 rows dropped',
      '  od.csv line 5: region "Q" is not in this city',
      '  od.csv line 6: region "Z" is not in this city',
      '  od.csv line 7: count "x" is not a number',
      '2 rows name regions not in this city: "Q", "Z"',
    ]);
  });

  it('counts one trip per row without a count column, and fails when no row names two regions', () => {
    const r = ok(importTripRecords(twoSquares(), 'from,to\nA,B\nA,B\n', 'ft.csv'));
    expect([...sparseToDense(r.city.views.trips!)]).toEqual([0, 2, 0, 0]);
    expect(importTripRecords(twoSquares(), 'from,to\nX,Y\n', 'ft.csv')).toEqual({
      error:
        'ft.csv: no row names two regions of this city (columns "from" and "to"; ft.csv line 2: region "X" is not in this city)',
    });
  });
});

describe('trips into a city of 100,000 regions', () => {
  it('are summed into pairs without an N x N array (it would take 80 GB)', () => {
    const big = twoSquares();
    const regions = Array.from({ length: 100_000 }, (_, i) => ({ ...big.regions[i % 2], id: `c${i}` }));
    const r = ok(
      importTripRecords({ ...big, regions }, 'from,to,n\nc99999,c2,3\nc1,c2,1\nc99999,c2,2\n', 'trips.csv'),
    );
    const trips = r.city.views.trips!;
    expect([trips.rows, trips.cols]).toEqual([100_000, 100_000]);
    expect(nonZeros(trips)).toBe(2);
    expect(sparseGet(trips, 1, 2)).toBe(1);
    expect(sparseGet(trips, 99_999, 2)).toBe(5);
  });
});

describe('task labels from a CSV of region id and values', () => {
  it('reads each value column as a task; unknown ids and non-numeric values are reported by line', () => {
    const csv = 'region_id,crime,noise\nA,4,1.5\nB,x,\nC,1,1\nA,9,9\n';
    const r = ok(importTaskLabelsCsv(twoSquares(), csv, 'labels.csv'));
    const crime = r.city.labels.find((l) => l.id === 'crime')!;
    const noise = r.city.labels.find((l) => l.id === 'noise')!;
    expect([...crime.values]).toEqual([4, NaN]);
    expect([...noise.values]).toEqual([1.5, NaN]);
    expect(crime.missing).toBe(1);
    expect(r.report).toEqual([
      'labels.csv: 4 rows; region ids in "region_id"; 2 tasks: crime (1 regions labelled), noise (1 regions labelled)',
      '1 rows name regions not in this city',
      '2 values unusable (not numbers, or a region repeated)',
      '  labels.csv line 3: crime for region "B": "x" is not a number',
      '  labels.csv line 4: region "C" is not in this city',
      '  labels.csv line 5: region "A" appears again (the first row is kept)',
      '0 regions without a row (unlabelled)',
    ]);
  });

  it('keeps the name and unit of a task the city has, and fails when no row names a region', () => {
    const city = twoSquares();
    city.labels = [{ id: 'crime', name: 'Crime', unit: 'crimes', values: new Float64Array(2), missing: 0 }];
    const r = ok(importTaskLabelsCsv(city, 'id,crime\nB,7\n', 'l.csv'));
    expect(r.city.labels).toHaveLength(1);
    expect(r.city.labels[0]).toMatchObject({ name: 'Crime', unit: 'crimes', missing: 1 });
    expect(importTaskLabelsCsv(city, 'id,crime\nQ,7\n', 'l.csv')).toEqual({
      error:
        'l.csv: no row names a region of this city (region ids in column "id"; l.csv line 2: region "Q" is not in this city)',
    });
  });
});
