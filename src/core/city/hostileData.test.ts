/**
 * Data that loads but is silently wrong unless checked: numbers that are not finite decimals,
 * keys that are JavaScript's own names, duplicated or partial rows, ids that are not text,
 * text that is not UTF-8. Each is refused with the file, row and column named, or follows a
 * rule the message states.
 */
import { describe, expect, it } from 'vitest';
import { memorySource } from '../io/source';
import { loadCity, loadDroppedFiles } from './load';
import { formatProblem } from './problems';
import { twoSquares } from './fixtures/twoSquares';
import { importPoiPoints } from './layers/pointsCsv';
import { importTaskLabelsCsv } from './layers/taskLabelsCsv';
import { importTripRecords } from './layers/tripsCsv';
import { loadGeoJsonCity, summariseProperties, suggestMapping } from './geojson';
import { parseCategoryMapping } from './layers/categoryMapping';
import type { LoadResult } from './types';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const square = (lon: number): number[][] => [
  [lon, 47.37],
  [lon + 0.01, 47.37],
  [lon + 0.01, 47.38],
  [lon, 47.38],
  [lon, 47.37],
];
const regions = (ids: unknown[], extra: (k: number) => Record<string, unknown> = () => ({})): string =>
  JSON.stringify({
    type: 'FeatureCollection',
    features: ids.map((id, k) => ({
      type: 'Feature',
      properties: { id, ...extra(k) },
      geometry: { type: 'Polygon', coordinates: [square(8.5 + 0.01 * k)] },
    })),
  });
const problems = (r: LoadResult): string[] => r.problems.map(formatProblem);

function bundle(files: Record<string, string | Uint8Array>): Promise<LoadResult> {
  const table: Record<string, Uint8Array> = {
    'city.json': enc(
      JSON.stringify({
        format: 'topt-city',
        version: 1,
        name: 'T',
        regions: { file: 'regions.geojson' },
        views: { poi: { file: 'poi.csv' } },
        labels: [{ id: 'crime', file: 'labels.csv', column: 'crime' }],
      }),
    ),
    'regions.geojson': enc(regions(['A', 'B'])),
    'poi.csv': enc('region_id,food\nA,1\nB,2\n'),
    'labels.csv': enc('region_id,crime\nA,3\nB,4\n'),
  };
  for (const [k, v] of Object.entries(files)) table[k] = typeof v === 'string' ? enc(v) : v;
  return loadCity(memorySource('t', table));
}
const pts = (rows: string[]): string => ['lon,lat,category', ...rows].join('\n');
const ok = <T>(r: T | { error: string }): T => {
  if (typeof r === 'object' && r !== null && 'error' in r) throw new Error(r.error);
  return r as T;
};

describe('numbers in a bundle', () => {
  it('refuses 1e999 in poi.csv and labels.csv, naming line and column', async () => {
    const r = await bundle({
      'poi.csv': 'region_id,food\nA,1e999\nB,2\n',
      'labels.csv': 'region_id,crime\nA,3\nB,-1e999\n',
    });
    expect(r.city).toBeNull();
    expect(problems(r)).toEqual([
      'error: poi.csv, line 2, field "food": "1e999" is beyond the largest number there is (about 1.8e308), not a finite number',
      'error: labels.csv, line 3, field "crime": "-1e999" is beyond the largest number there is (about 1.8e308), not a finite number',
    ]);
  });

  it('refuses hexadecimal counts', async () => {
    const r = await bundle({ 'poi.csv': 'region_id,food\nA,0x10\nB,2\n' });
    expect(problems(r)).toEqual([
      'error: poi.csv, line 2, field "food": "0x10" is not a decimal number (hexadecimal, octal and binary are not read)',
    ]);
  });
});

describe('duplicated and partial label rows in a bundle', () => {
  it('refuses a region with two rows, naming both lines (no last-one-wins)', async () => {
    const r = await bundle({ 'labels.csv': 'region_id,crime\nA,3\nB,4\n A ,5\n' });
    expect(r.city).toBeNull();
    expect(problems(r)).toEqual([
      'error: labels.csv, line 4, field "region_id": region id "A" appears twice (lines 2 and 4) (ids are compared without surrounding spaces): give each region one row',
    ]);
  });

  it('warns that regions without a row are unlabelled, as an empty cell is', async () => {
    const r = await bundle({ 'labels.csv': 'region_id,crime\nA,3\n' });
    expect(Array.from(r.city?.labels[0].values ?? [])).toEqual([3, NaN]);
    expect(problems(r)).toEqual([
      'warning: labels.csv, field "crime": 1 of 2 regions have no row (first: "B"): they are unlabelled for this task, as an empty cell is',
    ]);
  });
});

describe('region ids and text', () => {
  it('refuses object and boolean ids instead of making them "[object Object]"', () => {
    const r = loadGeoJsonCity(enc(regions([{ a: 1 }, true])), 'r.geojson');
    expect(r.city).toBeNull();
    expect(problems(r)).toEqual([
      'error: r.geojson, feature 0, field "id": region id is an object ({"a":1}): ids must be strings or numbers',
      'error: r.geojson, feature 1, field "id": region id is a boolean (true): ids must be strings or numbers',
    ]);
  });

  it('compares ids without surrounding spaces: a duplicate is named, a lone spaced id trimmed', () => {
    const dup = loadGeoJsonCity(enc(regions(['A', ' A '])), 'r.geojson');
    expect(problems(dup)).toContain(
      'error: r.geojson, feature 1 (id "A"), field "id": duplicate region id "A" (also feature 0); ids are compared without surrounding spaces',
    );
    const lone = loadGeoJsonCity(enc(regions(['A ', 'B'])), 'r.geojson');
    expect(lone.city?.regions.map((x) => x.id)).toEqual(['A', 'B']);
    expect(problems(lone)).toEqual([
      'warning: r.geojson, feature 0 (id "A"), field "id": 1 region id has spaces around it (first: feature 0, "A"): removed; ids are compared without surrounding spaces',
    ]);
  });

  it('reports a 1e999 coordinate as Infinity, not null', () => {
    const text = regions(['A']).replace('[8.5,47.37]', '[1e999,47.37]');
    const r = loadGeoJsonCity(enc(text), 'r.geojson');
    expect(problems(r)[0]).toBe(
      'error: r.geojson, feature 0 (id "A"), field "geometry": position 0 is [Infinity, 47.37]: expected [lon, lat] finite numbers (a coordinate beyond about 1.8e308, such as 1e999, reads as Infinity)',
    );
  });

  it('refuses a bundle file in Latin-1, naming the line and byte', async () => {
    const latin1 = Uint8Array.from([...enc('region_id,crime\nA,3\n'), 0x42, 0xe9, ...enc(',4\n')]);
    const r = await bundle({ 'labels.csv': latin1 });
    expect(problems(r)).toEqual([
      'error: labels.csv: not UTF-8 text: line 3 holds byte 0xE9, which UTF-8 does not allow there (a Latin-1 or Windows-1252 file?): save it as UTF-8 and load it again',
    ]);
  });
});

describe('GeoJSON properties used as numbers', () => {
  it('keeps a property with one bad value, saying which feature holds it', () => {
    const r = loadGeoJsonCity(enc(regions(['A', 'B'], (k) => ({ crime: k ? 'n/a' : 4 }))), 'r.geojson');
    expect(problems(r)).toEqual([
      'warning: r.geojson, field "crime": 1 of 2 values are not numbers (first: feature 1 (id "B"): "n/a" is not a number); used as a number, the property is refused until they are fixed',
    ]);
    const crime = r.properties.find((p) => p.name === 'crime');
    expect(crime).toMatchObject({
      numeric: 1,
      present: 2,
      firstNotNumeric: 'feature 1 (id "B"): "n/a" is not a number',
    });
  });

  it('refuses a property mapped as a number when it holds 1e999 (read as Infinity) or hexadecimal', () => {
    const text = regions(['A', 'B'], (k) => ({ pois: k ? '0x10' : 1 })).replace('"pois":1', '"pois":1e999');
    const r = loadGeoJsonCity(enc(text), 'r.geojson', { poi: ['pois'] });
    expect(r.city).toBeNull();
    expect(problems(r).filter((p) => p.startsWith('error'))).toEqual([
      'error: r.geojson, feature 0 (id "A"), field "pois": Infinity is not a finite number (a number beyond about 1.8e308 in the file, such as 1e999, reads as Infinity)',
      'error: r.geojson, feature 1 (id "B"), field "pois": "0x10" is not a decimal number (hexadecimal, octal and binary are not read)',
    ]);
  });

  it("suggests roles for properties named like JavaScript's own names", () => {
    const props = summariseProperties([
      { __proto__: null, constructor: 3, toString: 4 } as Record<string, unknown>,
    ]);
    const roles = suggestMapping(props, []);
    expect(Object.keys(roles).sort()).toEqual(['constructor', 'toString']);
    const withProto = JSON.parse('{"__proto__": 2, "crime_rate": 1}') as Record<string, unknown>;
    expect(Object.keys(suggestMapping(summariseProperties([withProto]), []))).toEqual([
      '__proto__',
      'crime_rate',
    ]);
  });
});

describe("categories named like JavaScript's own names", () => {
  const names = ['__proto__', 'constructor', 'toString', 'food'];
  const text = pts(names.flatMap((c) => Array.from({ length: 10 }, () => `8.505,47.375,${c}`)));

  it("keeps every point with the points' own categories", () => {
    const r = ok(importPoiPoints(twoSquares(['food']), text, 'p.csv', { ownCategories: true }));
    expect(r.city.views.poiCategories).toEqual(['__proto__', 'constructor', 'food', 'toString']);
    expect(Array.from(r.city.views.poi!.data.subarray(0, 4))).toEqual([10, 10, 10, 10]);
    expect(r.report).toContain('40 points counted into 4 categories of 2 regions');
    expect(r.report).toContain('0 points of unknown categories');
  });

  it('maps and drops them through a mapping file', () => {
    const parsed = parseCategoryMapping(
      '{"__proto__": "food", "constructor": "drop", "toString": "food"}',
      'm.json',
      ['food'],
    );
    if ('error' in parsed) throw new Error(parsed.error);
    const r = ok(importPoiPoints(twoSquares(['food']), text, 'p.csv', { mapping: parsed.mapping }));
    expect(r.city.views.poi!.data[0]).toBe(30);
    expect(r.report).toContain('10 points dropped by the mapping: "constructor" (10)');
    expect(r.report).toContain('4 categories in the file: 1 by name, 3 by the mapping');
  });
});

describe('raw layers: strict numbers and partial label files', () => {
  it('drops trip rows with hexadecimal or 1e999 values, naming the column', () => {
    const csv =
      'origin_lon,origin_lat,destination_lon,destination_lat,count\n8.505,47.375,8.515,47.375,0x10\n1e999,47.375,8.515,47.375,1\n8.505,47.375,8.515,47.375,2\n';
    const r = ok(importTripRecords(twoSquares(), csv, 't.csv'));
    expect(r.report).toContain(
      '  t.csv line 2: count "0x10" is not a decimal number (hexadecimal, octal and binary are not read)',
    );
    expect(r.report).toContain(
      '  t.csv line 3: origin longitude "1e999" is beyond the largest number there is (about 1.8e308), not a finite number',
    );
  });

  it('drops points whose coordinates are hexadecimal', () => {
    const r = ok(
      importPoiPoints(twoSquares(['food']), pts(['0x8,47.375,food', '8.505,47.375,food']), 'p.csv'),
    );
    expect(r.report).toContain(
      '  p.csv line 2: longitude "0x8" is not a decimal number (hexadecimal, octal and binary are not read)',
    );
  });

  it('says when a partial label file replaces a task whole, and how many regions lose their label', () => {
    const city = ok(importTaskLabelsCsv(twoSquares(), 'region_id,crime\nA,1\nB,2\n', 'all.csv')).city;
    const r = ok(importTaskLabelsCsv(city, 'region_id,crime\nA,5\n', 'some.csv'));
    expect(Array.from(r.city.labels[0].values)).toEqual([5, NaN]);
    expect(r.report).toContain(
      "crime replaces the city's labels of that task whole (2 regions labelled before, 1 now): 1 regions that had a label have none in some.csv and are now unlabelled",
    );
  });

  it('refuses two value columns of the same name', () => {
    expect(importTaskLabelsCsv(twoSquares(), 'region_id,crime,crime\nA,1,2\n', 'l.csv')).toEqual({
      error: 'l.csv has two columns named "crime": name each task once',
    });
  });
});

describe('dropped GeoJSON in the app path', () => {
  it('reads the same checks through loadDroppedFiles', async () => {
    const r = await loadDroppedFiles([{ name: 'r.geojson', bytes: enc(regions([{ a: 1 }, 'B'])) }]);
    expect(problems(r)[0]).toContain('region id is an object');
  });
});
