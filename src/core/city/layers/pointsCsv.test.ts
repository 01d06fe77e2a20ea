import { gunzipSync, gzipSync } from 'fflate';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { directorySource } from '../../../cli/fsSource';
import { RAW_POI_POINTS } from '../../samples/sampleCities';
import { geometryCentroid } from '../geometry';
import { loadCity } from '../load';
import { countPointsByCategory, locatePoints, pointsFromCsv } from './pointsCsv';
import { rawLayerText } from './rawLayerFiles';
import type { City } from '../types';

const corpus = join(import.meta.dirname, '../fixtures/bad-points');
const read = (file: string): string => readFileSync(join(corpus, file), 'utf8');

describe('points from a CSV: the corpus of broken files, each with its message', () => {
  it.each([
    ['empty.csv', 'empty.csv is empty'],
    [
      'pipe-delimited.csv',
      'pipe-delimited.csv has a single column "lon|lat|category": its columns seem separated by pipes ("|"); separate them with commas (semicolons and tabs are read too)',
    ],
    [
      'no-coordinates.csv',
      'no-coordinates.csv needs a longitude column (named lon, lng, longitude or x); its columns are "name", "category"',
    ],
    ['header-only.csv', 'header-only.csv has a header but no rows'],
    [
      'projected.csv',
      'projected.csv: the coordinates look projected (e.g. 448123.5, 4640000.2), not longitude and latitude in degrees (WGS84)',
    ],
    [
      'text-in-numbers.csv',
      'text-in-numbers.csv: no row has numeric coordinates (text-in-numbers.csv line 2: longitude "abc" is not a number)',
    ],
  ])('%s', (file, message) => {
    expect(pointsFromCsv(read(file), file)).toEqual({ error: message });
  });

  it('reads good rows, names the columns it used, and reports the rows it dropped by line', () => {
    const r = pointsFromCsv(
      'Longitude;Latitude;amenity\n-87.6;41.8;bar\nx;41.9;cafe\n-87.7;41.7;\n',
      'p.csv',
    );
    if ('error' in r) throw new Error(r.error);
    expect([...r.points.lon]).toEqual([-87.6, -87.7]);
    expect(r.points.category).toEqual(['bar', '']);
    expect(r.points.columns).toEqual({ lon: 'Longitude', lat: 'Latitude', category: 'amenity' });
    expect(r.points.dropped).toBe(1);
    expect(r.points.problems).toEqual(['p.csv line 3: longitude "x" is not a number']);
  });
});

describe('reading a raw layer file', () => {
  it('refuses files over the limit (compressed or once decompressed) and broken gzip, and reads the rest', () => {
    const csv = new TextEncoder().encode('lon,lat\n1,2\n');
    expect(rawLayerText('p.csv', csv)).toEqual({ text: 'lon,lat\n1,2\n' });
    expect(rawLayerText('p.csv', csv, 8)).toEqual({
      error: 'p.csv is 12 bytes, over the 8 bytes limit for one file',
    });
    const gz = gzipSync(new Uint8Array(5000));
    expect(rawLayerText('z.csv.gz', gz, 1000)).toEqual({
      error: 'z.csv.gz is 4.9 KB, over the 1000 bytes limit for one file once decompressed',
    });
    expect('error' in rawLayerText('bad.csv.gz', csv)).toBe(true);
    expect((rawLayerText('bad.csv.gz', csv) as { error: string }).error).toMatch(
      /^bad\.csv\.gz is not a valid gzip file/,
    );
  });
});

describe('locating points in the regions', () => {
  let city: City;
  beforeAll(async () => {
    city = (await loadCity(directorySource(join(import.meta.dirname, '../../../../sample-cities/riverton'))))
      .city!;
  });
  const csv = (rows: [number, number][]): string =>
    ['lon,lat', ...rows.map(([x, y]) => `${x},${y}`)].join('\n');
  const points = (rows: [number, number][]) => {
    const r = pointsFromCsv(csv(rows), 'p.csv');
    if ('error' in r) throw new Error(r.error);
    return r.points;
  };

  it('finds the region of each point and counts those outside', () => {
    const c = geometryCentroid(city.regions[10].geometry!)!;
    const r = locatePoints(city.regions, points([c, [c[0] + 5, c[1]]]), 'p.csv');
    if ('error' in r) throw new Error(r.error);
    expect(r.rows[0]).toBe(10);
    expect(r.rows[1]).toBe(-1);
    expect(r.outside).toBe(1);
  });

  it('says when longitude and latitude are swapped, and when every point is outside', () => {
    const c = geometryCentroid(city.regions[10].geometry!)!;
    expect(locatePoints(city.regions, points([[c[1], c[0]]]), 'p.csv')).toEqual({
      error:
        'p.csv: longitude and latitude look swapped (the points fall inside the regions only when swapped)',
    });
    const far = locatePoints(city.regions, points([[c[0] + 30, c[1] - 20]]), 'p.csv');
    expect('error' in far && far.error).toMatch(
      /^p\.csv: none of its 1 points lies inside a region \(points: lon .* regions: lon /,
    );
  });

  it("importing Riverton's raw POI points rebuilds exactly its committed POI counts", () => {
    const bytes = readFileSync(
      join(import.meta.dirname, '../../../../sample-cities/riverton', RAW_POI_POINTS),
    );
    const parsed = pointsFromCsv(
      new TextDecoder().decode(gunzipSync(new Uint8Array(bytes))),
      'poi_points.csv',
    );
    if ('error' in parsed) throw new Error(parsed.error);
    expect(parsed.points.dropped).toBe(0);
    const located = locatePoints(city.regions, parsed.points, 'poi_points.csv');
    if ('error' in located) throw new Error(located.error);
    expect(located.outside).toBe(0);
    const { counts, unknown } = countPointsByCategory(
      city.regions.length,
      city.views.poiCategories,
      parsed.points,
      located.rows,
    );
    expect(unknown.size).toBe(0);
    expect([...counts.data]).toEqual([...city.views.poi!.data]);
  });
});
