import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BENCHMARK_POI_CATEGORIES } from '../core/city/benchmark';
import { twoSquares } from '../core/city/fixtures/twoSquares';
import { PROGRESS_EVERY, type PointTable } from '../core/city/layers/pointsCsv';
import { runImport } from './importRun';
import type { ImportMessage } from './protocol';

const encode = (text: string): Uint8Array => new TextEncoder().encode(text);
const run = (request: Parameters<typeof runImport>[0]): ImportMessage[] => {
  const messages: ImportMessage[] = [];
  runImport(request, (m) => messages.push(m));
  return messages;
};

describe('the import worker', () => {
  it('reports progress within a file: characters read, then points placed every 50,000', () => {
    const n = 120_000;
    const rows = Array.from({ length: n }, (_, i) => `${8.5 + ((i % 1000) + 0.5) / 50_000},47.375,shopping`);
    const csv = ['lon,lat,category', ...rows].join('\n');
    const messages = run({ city: twoSquares(['shopping']), files: [{ name: 'p.csv', bytes: encode(csv) }] });
    const within = messages.flatMap((m) => (m.type === 'progress' && m.within ? [m.within] : []));
    const reading = within.filter((w) => w.phase === 'reading');
    const locating = within.filter((w) => w.phase === 'locating');
    expect(reading.length).toBeGreaterThanOrEqual(2); // the file is over 2 million characters
    expect(reading.at(-1)).toEqual({ phase: 'reading', done: csv.length, total: csv.length });
    expect(locating.map((w) => w.done)).toEqual([PROGRESS_EVERY, 2 * PROGRESS_EVERY, n]);
    expect(locating.every((w) => w.total === n)).toBe(true);
    const done = messages.at(-1);
    expect(done?.type).toBe('done');
    if (done?.type === 'done')
      expect(done.report).toContain(`${n} points counted into 1 categories of 2 regions`);
  });

  it('asks for a category mapping when POI points have categories the city lacks, then imports with it', () => {
    const csv = readFileSync(join(import.meta.dirname, '../core/city/layers/fixtures/osm/osm-pois.csv'));
    const city = twoSquares(BENCHMARK_POI_CATEGORIES);
    const files = [{ name: 'osm-pois.csv', bytes: new Uint8Array(csv) }];
    const asking = run({ city, files, askMapping: true, poi: { mapping: {}, ownCategories: false } });
    const asked = asking.filter((m) => m.type !== 'progress');
    expect(asked).toHaveLength(1);
    const [m] = asked;
    if (m.type !== 'categories') throw new Error(m.type);
    expect(m.layers[0].file).toBe('osm-pois.csv');
    expect(m.layers[0].choices.find((c) => c.name === 'leisure=park')).toEqual({
      name: 'leisure=park',
      count: 1,
      sameName: false,
      suggested: 'parks_and_outdoors',
    });
    const mapping = Object.fromEntries(m.layers[0].choices.map((c) => [c.name, c.suggested ?? 'drop']));
    const imported = run({ city, files, askMapping: true, poi: { mapping, ownCategories: false } });
    // The file is read once: its reading progress ends once, before its points are placed.
    const readEnds = imported.filter(
      (m) => m.type === 'progress' && m.within?.phase === 'reading' && m.within.done === m.within.total,
    );
    expect(readEnds).toHaveLength(1);
    const last = imported.at(-1);
    if (last?.type !== 'done') throw new Error(last?.type);
    expect(last.report).toContain('13 points counted into 26 categories of 2 regions');
    expect(last.report).toContain('2 points dropped by the mapping: "amenity=weird_thing" (2)');
  });

  it('the same worker, answered, imports the points it read to ask without reading them again', () => {
    const csv = readFileSync(join(import.meta.dirname, '../core/city/layers/fixtures/osm/osm-pois.csv'));
    const city = twoSquares(BENCHMARK_POI_CATEGORIES);
    const files = [{ name: 'osm-pois.csv', bytes: new Uint8Array(csv) }];
    const cache = new Map<string, PointTable>();
    const messages: ImportMessage[] = [];
    const send = (m: ImportMessage): number => messages.push(m);
    runImport({ city, files, askMapping: true, poi: { mapping: {}, ownCategories: false } }, send, cache);
    expect(messages.at(-1)?.type).toBe('categories');
    expect(cache.size).toBe(1);
    messages.length = 0;
    runImport({ city, files, poi: { mapping: {}, ownCategories: true } }, send, cache);
    expect(messages.some((m) => m.type === 'progress' && m.within?.phase === 'reading')).toBe(false);
    const last = messages.at(-1);
    if (last?.type !== 'done') throw new Error(last?.type);
    expect(last.city.views.poi?.data.reduce((a, b) => a + b, 0)).toBe(15);
    expect(cache.size).toBe(0);
  });

  it('fails the whole import on the first layer it cannot use', () => {
    const messages = run({
      city: twoSquares(),
      files: [{ name: 'x.csv', bytes: encode('name,value\na,1\n') }],
    });
    expect(messages).toEqual([
      {
        type: 'failed',
        message:
          'x.csv has no columns a raw layer is read from: its columns are "name", "value"; expected lon and lat (POI, incident or land-use points), origin and destination coordinates or region ids (trip records, e.g. origin_lon or origin_id), or a region id column first (task labels, e.g. region_id)',
      },
    ]);
  });

  it("applies the POI category choices to the POI layer only: land use keeps the city's classes", () => {
    const messages = run({
      city: twoSquares(['shopping'], ['residential', 'park']),
      files: [
        { name: 'p.csv', bytes: encode('lon,lat,category\n8.501,47.371,bakery\n') },
        { name: 'lu.csv', bytes: encode('lon,lat,landuse\n8.501,47.371,park\n') },
      ],
      poi: { mapping: {}, ownCategories: true },
    });
    const done = messages.at(-1);
    if (done?.type !== 'done') throw new Error(done?.type);
    expect(done.city.views.poiCategories).toEqual(['bakery']);
    expect(done.city.views.landUseClasses).toEqual(['residential', 'park']);
    expect([...done.city.views.landUse!.data]).toEqual([0, 1, 0, 0]);
  });

  it('asks for categories called __proto__, constructor and toString: a plain-object mapping does not answer them', () => {
    const csv = readFileSync(
      join(import.meta.dirname, '../cli/fixtures/hostile/data-import-poi-proto-own-categories/poi.csv'),
    );
    const city = twoSquares(BENCHMARK_POI_CATEGORIES);
    const files = [{ name: 'poi.csv', bytes: new Uint8Array(csv) }];
    // The app's first mapping is {} (and any mapping reaches the worker with Object.prototype).
    const asked = run({ city, files, askMapping: true, poi: { mapping: {}, ownCategories: false } });
    const m = asked.at(-1);
    if (m?.type !== 'categories') throw new Error(m?.type);
    const unknown = m.layers[0].choices.filter((c) => !c.sameName).map((c) => c.name);
    expect(unknown.sort()).toEqual(['__proto__', 'constructor', 'toString']);
  });
});
