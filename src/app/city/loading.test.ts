/**
 * Loading and importing cities in Node: the real import worker module behind the loader's
 * client, over MessageChannels; dropped files are File objects as the page gets them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BENCHMARK_POI_CATEGORIES } from '../../core/city/benchmark';
import { manySquares, twoSquares } from '../../core/city/fixtures/twoSquares';
import { loadWorkerModule, workerPool } from '../../test/workerChannel';
import { createAppStore } from '../state/store';
import { ImportClient } from './importWorker';
import { cityLoader } from './loading';

const pool = workerPool();
const osmPois = readFileSync(join(import.meta.dirname, '../../core/city/layers/fixtures/osm/osm-pois.csv'));

beforeAll(async () => {
  await loadWorkerModule(pool.scope, () => import('../../workers/import.worker'));
});

function setUp() {
  const store = createAppStore();
  const cities = cityLoader(store, new ImportClient(pool.create));
  store.getState().showCity(twoSquares(BENCHMARK_POI_CATEGORIES), 'Sample cities', 'sample:two');
  return { store, cities };
}

describe('loading cities', () => {
  it('POI points whose categories the city lacks are asked for; the answer imports them in the worker that read them', async () => {
    const { store, cities } = setUp();
    const before = pool.created();
    expect(await cities.openFiles([new File([osmPois], 'osm-pois.csv')])).toBe(false);
    const asked = store.getState().pendingCategories;
    expect(asked?.layers.map((l) => l.file)).toEqual(['osm-pois.csv']);
    expect(store.getState().loading).toBeNull();
    expect(store.getState().importProgress).toBeNull();
    expect(store.getState().current?.city.metadata.name).toBe('Two squares');

    const mapping = Object.fromEntries(
      (asked?.layers[0].choices ?? []).map((c) => [c.name, c.suggested ?? 'drop']),
    );
    expect(await cities.importWithCategories(mapping, false)).toBe(true);
    const s = store.getState();
    expect(pool.created() - before).toBe(1);
    expect(s.pendingCategories).toBeNull();
    expect(s.categoryMapping).toEqual(mapping);
    expect(s.current?.city.metadata.name).toBe('Two squares (imported layers)');
    expect(s.current?.origin).toBe('Your files');
    expect(s.current?.source?.kind === 'files' && s.current.source.files.map((f) => f.name)).toContain(
      'city.json',
    );
    expect(s.report?.outcome).toBe('loaded');
    expect(s.report?.notes).toContain('13 points counted into 26 categories of 2 regions');
  });

  it('cancelling the category question ends the waiting worker; the next import starts a fresh one', async () => {
    const { store, cities } = setUp();
    const before = pool.created();
    await cities.openFiles([new File([osmPois], 'osm-pois.csv')]);
    cities.cancelCategories();
    expect(store.getState().pendingCategories).toBeNull();
    await cities.openFiles([new File([osmPois], 'osm-pois.csv')]);
    expect(pool.created() - before).toBe(2);
  });

  it('a layer the worker cannot use fails the import with its reason; the city stays', async () => {
    const { store, cities } = setUp();
    const csv = 'lon,lat,category\n2.35,48.85,amenity=cafe\n';
    expect(
      await cities.importRawLayers([{ name: 'paris.csv', bytes: new TextEncoder().encode(csv) }], {
        mapping: {},
        ownCategories: true,
      }),
    ).toBe(false);
    const s = store.getState();
    expect(s.current?.city.metadata.name).toBe('Two squares');
    expect(s.report?.outcome).toBe('failed');
    expect(s.report?.subject).toBe('paris.csv into Two squares');
    expect(s.report?.problems.map((p) => p.message)).toEqual([
      'paris.csv: none of its 1 points lies inside a region (points: lon 2.350 to 2.350, lat 48.850 to 48.850; regions: lon 8.500 to 8.520, lat 47.370 to 47.380)',
    ]);
  });

  it('a pipe-delimited CSV is refused with the delimiter found, before any worker starts', async () => {
    const { store, cities } = setUp();
    const before = pool.created();
    const piped = new File(['lon|lat|category\n8.501|47.371|shop\n'], 'pipes.csv');
    expect(await cities.openFiles([piped])).toBe(false);
    const s = store.getState();
    expect(pool.created()).toBe(before);
    expect(s.report?.outcome).toBe('failed');
    expect(s.report?.problems).toEqual([
      {
        severity: 'error',
        file: 'pipes.csv',
        message:
          'pipes.csv has a single column "lon|lat|category": its columns seem separated by pipes ("|"); separate them with commas (semicolons and tabs are read too)',
      },
    ]);
    expect(s.current?.city.metadata.name).toBe('Two squares');
  });

  it('trips for a city over 20,000 regions are refused before any worker starts, saying why; the city stays', async () => {
    const { store, cities } = setUp();
    store
      .getState()
      .showCity(
        { ...manySquares(20001), metadata: { ...manySquares(1).metadata, name: 'Tracts' } },
        'Your files',
        null,
      );
    const before = pool.created();
    const trips = new File(['origin_id,destination_id\nr0,r1\n'], 'trips.csv');
    expect(await cities.openFiles([trips, new File([osmPois], 'osm-pois.csv')])).toBe(false);
    const s = store.getState();
    expect(pool.created()).toBe(before);
    expect(s.report?.outcome).toBe('failed');
    expect(s.report?.subject).toBe('trips.csv, osm-pois.csv into Tracts');
    expect(s.report?.problems.map((p) => [p.severity, p.file])).toEqual([['error', 'trips.csv']]);
    expect(s.report?.problems[0].message).toMatch(
      /^trips are imported for cities of up to 20,000 regions, and Tracts has 20,001\./,
    );
    expect(s.current?.city.metadata.name).toBe('Tracts');
    expect(s.current?.city.regions).toHaveLength(20001);
  });

  it('trips for a 5,000-region city are imported with a warning that training will be slow', async () => {
    const { store, cities } = setUp();
    store.getState().showCity(manySquares(5000), 'Your files', null);
    const trips = new File(['origin_id,destination_id\nr0,r1\nr1,r0\n'], 'trips.csv');
    expect(await cities.openFiles([trips])).toBe(true);
    const s = store.getState();
    expect(s.report?.outcome).toBe('loaded');
    expect(s.current?.city.views.trips?.rows).toBe(5000);
    expect(s.report?.problems.map((p) => [p.severity, p.file])).toEqual([['warning', 'trips.csv']]);
    expect(s.report?.problems[0].message).toMatch(
      /^trips imported; training SREL on 5,000 regions will be slow\. WebAssembly: about 7 s per epoch/,
    );
  });

  /** A GeoJSON of `n` squares in a row, with `properties(i)` each. */
  const regionsFile = (name: string, n: number, properties: (i: number) => object): File => {
    const features = Array.from({ length: n }, (_, i) => {
      const x = 8.5 + i * 0.01;
      const ring = [
        [x, 47.37],
        [x + 0.01, 47.37],
        [x + 0.01, 47.38],
        [x, 47.38],
        [x, 47.37],
      ];
      return {
        type: 'Feature',
        properties: properties(i),
        geometry: { type: 'Polygon', coordinates: [ring] },
      };
    });
    return new File([JSON.stringify({ type: 'FeatureCollection', features })], name);
  };

  it('a GeoJSON of regions is read and checked in the worker, its progress shown, and opens as a city', async () => {
    const { store, cities } = setUp();
    const seen: string[] = [];
    const unsubscribe = store.subscribe((s) => {
      const w = s.importProgress?.within;
      if (w) seen.push(`${s.importProgress?.file} ${w.phase} ${w.done} of ${w.total}`);
    });
    const before = pool.created();
    const opened = await cities.openFiles([regionsFile('row.geojson', 3, (i) => ({ id: `R${i}` }))]);
    unsubscribe();
    expect(opened).toBe(true);
    expect(pool.created() - before).toBe(1);
    expect(seen.slice(1)).toEqual(['row.geojson checking 0 of 3', 'row.geojson checking 3 of 3']);
    expect(seen[0]).toMatch(/^row\.geojson parsing 0 of \d+$/);
    const s = store.getState();
    expect(s.importProgress).toBeNull();
    expect(s.loading).toBeNull();
    expect(s.current?.city.metadata.name).toBe('row');
    expect(s.current?.city.regions.map((r) => r.id)).toEqual(['R0', 'R1', 'R2']);
    expect(s.current?.source?.kind === 'files' && s.current.source.files.map((f) => f.name)).toEqual([
      'row.geojson',
    ]);
  });

  it('a GeoJSON of regions with numeric properties asks what they are, then builds the city in the worker', async () => {
    const { store, cities } = setUp();
    expect(
      await cities.openFiles([regionsFile('shops.geojson', 2, (i) => ({ id: `S${i}`, shops: i + 1 }))]),
    ).toBe(false);
    const pending = store.getState().pendingMapping;
    expect(pending?.properties.map((p) => p.name)).toEqual(['shops']);
    expect(store.getState().loading).toBeNull();
    expect(store.getState().current?.city.metadata.name).toBe('Two squares');
    expect(
      await cities.buildMappedCity('shops.geojson', pending?.bytes ?? new Uint8Array(), { shops: 'poi' }),
    ).toBe(true);
    const city = store.getState().current?.city;
    expect(city?.metadata.name).toBe('shops');
    expect(city?.views.poiCategories).toEqual(['shops']);
    expect(Array.from(city?.views.poi?.data ?? [])).toEqual([1, 2]);
  });

  it('a GeoJSON of regions the worker finds broken is reported with its reason; the city stays', async () => {
    const { store, cities } = setUp();
    expect(
      await cities.openFiles([new File(['{"type": "FeatureCollection", "features": []}'], 'empty.geojson')]),
    ).toBe(false);
    const s = store.getState();
    expect(s.current?.city.metadata.name).toBe('Two squares');
    expect(s.report?.outcome).toBe('failed');
    expect(s.report?.problems.map((p) => p.message)).toEqual(['FeatureCollection has no features']);
  });
});
