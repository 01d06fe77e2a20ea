import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { RAW_POI_POINTS } from '../core/samples/sampleCities';
import { importRawCommand, loadFromPath } from './city';
import { tessellateCommand } from './tessellate';

const riverton = join(import.meta.dirname, '../../sample-cities/riverton');
const out = mkdtempSync(join(tmpdir(), 'topt-tessellate-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));
/** Riverton's extent, rounded out: every raw POI lies inside. */
const BBOX = '8.76,47.48,9.06,47.62';

async function poiTotal(folder: string): Promise<{ regions: number; total: number; categories: number }> {
  const { city } = await loadFromPath(folder);
  if (!city?.views.poi) throw new Error(`${folder} has no POI view`);
  return {
    regions: city.regions.length,
    total: city.views.poi.data.reduce((a, b) => a + b, 0),
    categories: city.views.poi.cols,
  };
}

describe('npm run city -- tessellate, then import', () => {
  it.each([
    ['h3', ['--h3', '8'], 498],
    ['grid', ['--grid', '1000'], 23 * 16],
  ])(
    '%s cells over Riverton take all its raw POIs',
    async (kind, flags, cells) => {
      const regions = join(out, kind);
      expect(
        await tessellateCommand(['--bbox', BBOX, ...flags, '--name', 'Riverton cells', '--out', regions]),
      ).toBe(0);
      const empty = await loadFromPath(regions);
      expect(empty.problems).toEqual([]);
      expect(empty.city?.regions.length).toBe(cells);
      expect(empty.city?.views.poi).toBeNull();
      expect(JSON.parse(readFileSync(join(regions, 'city.json'), 'utf8')).name).toBe('Riverton cells');

      const filled = join(out, `${kind}-poi`);
      expect(await importRawCommand(regions, { poi: join(riverton, RAW_POI_POINTS) }, filled)).toBe(0);
      const got = await poiTotal(filled);
      const committed = await poiTotal(riverton);
      // Every point of Riverton's 150 regions lands in one cell: the totals agree.
      expect(got).toEqual({ regions: cells, total: committed.total, categories: committed.categories });
    },
    60_000,
  );

  it('takes the study area from a GeoJSON file', async () => {
    const area = join(out, 'area.geojson');
    const [w, s, e, n] = BBOX.split(',').map(Number);
    const ring = [
      [w, s],
      [e, s],
      [e, n],
      [w, n],
      [w, s],
    ];
    writeFileSync(
      area,
      JSON.stringify({ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [ring] } }),
    );
    expect(await tessellateCommand(['--area', area, '--grid', '1000', '--out', join(out, 'area')])).toBe(0);
    expect((await loadFromPath(join(out, 'area'))).city?.regions.length).toBe(23 * 16);
  });

  it('writes nothing when the area or the setting is refused', async () => {
    expect(await tessellateCommand(['--bbox', BBOX, '--h3', '13', '--out', join(out, 'big')])).toBe(1);
    expect(() => readFileSync(join(out, 'big', 'city.json'))).toThrow();
    expect(await tessellateCommand(['--bbox', '9,47,8,48', '--h3', '8', '--out', join(out, 'bad')])).toBe(1);
    expect(await tessellateCommand(['--bbox', BBOX, '--out', join(out, 'none')])).toBe(2);
  });

  it('refuses a bbox, resolution or cell size that is not a decimal number, naming it', async () => {
    const errors: string[] = [];
    const error = vi.spyOn(console, 'error').mockImplementation((m: string) => void errors.push(m));
    try {
      expect(
        await tessellateCommand(['--bbox', '0x10,47,9,48', '--h3', '8', '--out', join(out, 'hex')]),
      ).toBe(1);
      expect(await tessellateCommand(['--bbox', BBOX, '--h3', '0x8', '--out', join(out, 'hex')])).toBe(1);
      expect(await tessellateCommand(['--bbox', BBOX, '--grid', '1e999', '--out', join(out, 'hex')])).toBe(1);
    } finally {
      error.mockRestore();
    }
    expect(errors).toEqual([
      'error: the bounding box\'s west "0x10" is not a decimal number (hexadecimal, octal and binary are not read); a bounding box is four numbers west,south,east,north in degrees (e.g. 8.76,47.48,9.06,47.62)',
      'error: --h3 "0x8" is not a decimal number (hexadecimal, octal and binary are not read); expected an H3 resolution, a whole number from 0 to 15',
      'error: --grid "1e999" is beyond the largest number there is (about 1.8e308), not a finite number; expected a cell size in metres, at least 10',
    ]);
    expect(() => readFileSync(join(out, 'hex', 'city.json'))).toThrow();
  });
});
