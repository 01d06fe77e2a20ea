import { gunzipSync } from 'fflate';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import {
  RAW_INCIDENTS,
  RAW_LAND_USE_POINTS,
  RAW_POI_POINTS,
  RAW_TRIP_RECORDS,
} from '../core/samples/sampleCities';
import { classifyDroppedFiles } from '../core/city/droppedFiles';
import { importRawCommand, loadFromPath } from './city';

const riverton = join(import.meta.dirname, '../../sample-cities/riverton');
const raw = (file: string): string => join(riverton, file);
const out = mkdtempSync(join(tmpdir(), 'topt-import-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('npm run city -- import', () => {
  it("rebuilds Riverton's committed bundle byte for byte from its raw POI points, land-use points, incidents and trip records", async () => {
    const layers = {
      poi: raw(RAW_POI_POINTS),
      incidents: raw(RAW_INCIDENTS),
      trips: raw(RAW_TRIP_RECORDS),
      landUse: raw(RAW_LAND_USE_POINTS),
    };
    expect(await importRawCommand(riverton, layers, join(out, 'a'))).toBe(0);
    for (const file of ['poi.csv', 'labels.csv', 'trips.csv', 'city.json', 'regions.geojson', 'land_use.csv'])
      expect(readFileSync(join(out, 'a', file)).equals(readFileSync(join(riverton, file))), file).toBe(true);
  }, 60_000);

  it('writes nothing when one layer cannot be used', async () => {
    const bad = join(out, 'trips.csv');
    writeFileSync(bad, 'from,to\nR998,R999\n');
    expect(await importRawCommand(riverton, { poi: raw(RAW_POI_POINTS), trips: bad }, join(out, 'b'))).toBe(
      1,
    );
    expect(() => readFileSync(join(out, 'b', 'poi.csv'))).toThrow();
  });

  it('maps POI categories with --osm and a --mapping file (drop allowed), and refuses a mapping to an unknown category', async () => {
    const firstRows = new TextDecoder()
      .decode(gunzipSync(new Uint8Array(readFileSync(raw(RAW_POI_POINTS)))))
      .split('\n')
      .slice(1, 4)
      .map((line) => line.split(',').slice(0, 2).join(','));
    const points = join(out, 'osm.csv');
    const tags = ['amenity=restaurant', 'amenity=bench', 'amenity=weird_thing'];
    writeFileSync(points, ['lon,lat,category', ...firstRows.map((xy, k) => `${xy},${tags[k]}`)].join('\n'));
    const mapping = join(out, 'mapping.json');
    writeFileSync(
      mapping,
      JSON.stringify({ 'amenity=bench': 'drop', 'amenity=weird_thing': 'entertainment' }),
    );
    expect(
      await importRawCommand(riverton, { poi: points }, join(out, 'c'), { mappingFile: mapping, osm: true }),
    ).toBe(0);
    const poi = readFileSync(join(out, 'c', 'poi.csv'), 'utf8')
      .trim()
      .split('\n');
    const header = poi[0].split(',');
    const total = (category: string): number =>
      poi.slice(1).reduce((sum, line) => sum + Number(line.split(',')[header.indexOf(category)]), 0);
    expect([total('food_and_drink'), total('entertainment'), total('other')]).toEqual([1, 1, 0]);
    writeFileSync(mapping, JSON.stringify({ 'amenity=bench': 'benches' }));
    expect(await importRawCommand(riverton, { poi: points }, join(out, 'd'), { mappingFile: mapping })).toBe(
      1,
    );
    expect(() => readFileSync(join(out, 'd', 'poi.csv'))).toThrow();
  });

  it('a missing mapping or layer file is one line naming its flag and path, before anything is read or written', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const missing = join(out, 'my-categories.json');
      expect(
        await importRawCommand(riverton, { poi: raw(RAW_POI_POINTS) }, join(out, 'm'), {
          mappingFile: missing,
        }),
      ).toBe(1);
      expect(await importRawCommand(riverton, { trips: riverton }, join(out, 'm'))).toBe(1);
      expect(errors.mock.calls.map((c) => String(c[0]))).toEqual([
        `error: --mapping ${missing}: no such file; nothing written`,
        `error: --trips ${riverton}: a folder, not a file; nothing written`,
      ]);
      expect(() => readFileSync(join(out, 'm', 'poi.csv'))).toThrow();
    } finally {
      errors.mockRestore();
    }
  });

  it('imports land-use polygons (--landuse), trips between region ids (--trips) and task labels by region id (--labels)', async () => {
    const box = [
      [
        [8, 47],
        [10, 47],
        [10, 48.5],
        [8, 48.5],
        [8, 47],
      ],
    ]; // around all of Riverton
    const landUse = join(out, 'land_use.geojson');
    writeFileSync(landUse, JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { landuse: 'residential' }, geometry: { type: 'Polygon', coordinates: box } }] })); // prettier-ignore
    const trips = join(out, 'od.csv');
    writeFileSync(trips, 'origin_id,destination_id,count\nR001,R002,7\nR001,R404,1\n');
    const labels = join(out, 'labels.csv');
    writeFileSync(labels, 'region_id,noise\nR002,3.5\n');
    expect(await importRawCommand(riverton, { trips, landUse, labels }, join(out, 'e'))).toBe(0);
    const lines = (file: string): string[][] =>
      readFileSync(join(out, 'e', file), 'utf8')
        .trim()
        .split('\n')
        .map((l) => l.split(','));
    const lu = lines('land_use.csv');
    const residential = lu[0].indexOf('residential');
    expect(lu.slice(1).every((r) => Math.abs(Number(r[residential]) - 1) < 1e-6)).toBe(true);
    expect(lu.slice(1).every((r) => r.slice(1).reduce((a, v) => a + Number(v), 0) <= 1 + 1e-9)).toBe(true);
    const tripRows = lines('trips.csv');
    expect(tripRows.slice(1)).toEqual([['R001', 'R002', '7']]); // origin, destination, count
    const labelRows = lines('labels.csv');
    expect(labelRows[0]).toContain('noise');
    expect(labelRows.find((r) => r[0] === 'R002')?.[labelRows[0].indexOf('noise')]).toBe('3.5');
  });

  it("reads a bundle's own trips.csv (origin, destination, count by region id) back into the same matrix", async () => {
    expect(await importRawCommand(riverton, { trips: raw('trips.csv') }, join(out, 'f'))).toBe(0);
    expect(readFileSync(join(out, 'f', 'trips.csv')).equals(readFileSync(raw('trips.csv')))).toBe(true);
  });
});

describe('npm run city says what the app says about a broken file', () => {
  const badPoints = join(import.meta.dirname, '../core/city/fixtures/bad-points');
  const onPage = (file: string): string => {
    const what = classifyDroppedFiles(
      [{ name: file, bytes: new Uint8Array(readFileSync(join(badPoints, file))) }],
      { cityOpen: true },
    );
    return what.kind === 'refused' ? what.refusals[0].message : what.kind;
  };

  it.each(['pipe-delimited.csv', 'utf-16.csv', 'latin-1.csv', 'no-latitude.csv', 'empty.csv'])(
    'import --poi %s: the reason the app gives, and nothing written',
    async (file) => {
      const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
      const code = await importRawCommand(riverton, { poi: join(badPoints, file) }, join(out, file));
      const printed = errors.mock.calls.map((c) => String(c[0]));
      errors.mockRestore();
      expect(code).toBe(1);
      expect(printed).toEqual([`error: ${onPage(file)}; nothing written`]);
    },
  );

  it('inspect of a broken CSV gives the reason the app gives', async () => {
    for (const file of ['pipe-delimited.csv', 'utf-16.csv', 'no-coordinates.csv']) {
      const result = await loadFromPath(join(badPoints, file));
      expect(result.problems.map((p) => p.message)).toEqual([onPage(file)]);
    }
  });
});
