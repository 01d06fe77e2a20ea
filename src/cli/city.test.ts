import { gunzipSync } from 'fflate';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RAW_INCIDENTS, RAW_POI_POINTS, RAW_TRIP_RECORDS } from '../core/samples/sampleCities';
import { importRawCommand } from './city';

const riverton = join(import.meta.dirname, '../../sample-cities/riverton');
const raw = (file: string): string => join(riverton, file);
const out = mkdtempSync(join(tmpdir(), 'topt-import-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('npm run city -- import', () => {
  it("rebuilds Riverton's committed bundle byte for byte from its raw POI points, incidents and trip records", async () => {
    const layers = { poi: raw(RAW_POI_POINTS), incidents: raw(RAW_INCIDENTS), trips: raw(RAW_TRIP_RECORDS) };
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
});
