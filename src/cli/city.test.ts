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
    writeFileSync(bad, 'from,to\nR001,R002\n');
    expect(await importRawCommand(riverton, { poi: raw(RAW_POI_POINTS), trips: bad }, join(out, 'b'))).toBe(
      1,
    );
    expect(() => readFileSync(join(out, 'b', 'poi.csv'))).toThrow();
  });
});
