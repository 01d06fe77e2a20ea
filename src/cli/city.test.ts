import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importPointsCommand } from './city';

const riverton = join(import.meta.dirname, '../../sample-cities/riverton');
const out = mkdtempSync(join(tmpdir(), 'topt-import-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('npm run city -- import-points', () => {
  it("rebuilds Riverton's committed bundle byte for byte from its raw POI points", async () => {
    expect(await importPointsCommand(riverton, join(riverton, 'raw/poi_points.csv.gz'), join(out, 'a'))).toBe(
      0,
    );
    for (const file of ['poi.csv', 'city.json', 'regions.geojson', 'trips.csv', 'labels.csv'])
      expect(readFileSync(join(out, 'a', file)).equals(readFileSync(join(riverton, file)))).toBe(true);
  });

  it('writes nothing when the points cannot be used', async () => {
    const bad = join(out, 'projected.csv');
    writeFileSync(bad, 'x,y,category\n448123.5,4640000.2,bar\n');
    expect(await importPointsCommand(riverton, bad, join(out, 'b'))).toBe(1);
    expect(() => readFileSync(join(out, 'b', 'poi.csv'))).toThrow();
  });
});
