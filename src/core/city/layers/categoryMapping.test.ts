import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BENCHMARK_POI_CATEGORIES } from '../benchmark';
import {
  DROP,
  applyCategoryMapping,
  categoryCounts,
  parseCategoryMapping,
  suggestCategoryMapping,
} from './categoryMapping';
import { twoSquares } from '../fixtures/twoSquares';
import { OSM_TAG_TABLE, osmCategoryOf } from './osmCategories';
import { importPoiPoints, poiCategoryChoices, pointsFromCsv } from './pointsCsv';

const osmCsv = readFileSync(join(import.meta.dirname, 'fixtures/osm/osm-pois.csv'), 'utf8');
const column = (city: ReturnType<typeof twoSquares>, category: string): number[] => {
  const k = city.views.poiCategories.indexOf(category);
  return [0, 1].map((i) => city.views.poi!.data[i * city.views.poiCategories.length + k]);
};

describe('the OpenStreetMap table', () => {
  it('maps every row onto one of the 26 benchmark categories', () => {
    for (const [, , category] of OSM_TAG_TABLE) expect(BENCHMARK_POI_CATEGORIES).toContain(category);
  });

  it('reads key=value, key:value and bare values, with key fallbacks', () => {
    expect(osmCategoryOf('amenity=restaurant')).toBe('food_and_drink');
    expect(osmCategoryOf('restaurant')).toBe('food_and_drink');
    expect(osmCategoryOf('Fast Food')).toBe('food_and_drink');
    expect(osmCategoryOf('amenity:pub')).toBe('nightlife');
    expect(osmCategoryOf('shop=hairdresser')).toBe('beauty_and_personal_care');
    expect(osmCategoryOf('shop=florist')).toBe('shopping'); // shop=* fallback
    expect(osmCategoryOf('leisure=park')).toBe('parks_and_outdoors');
    expect(osmCategoryOf('tourism=hotel')).toBe('accommodation');
    expect(osmCategoryOf('tourism=viewpoint')).toBe('tourism');
    expect(osmCategoryOf('office=lawyer')).toBe('professional_services');
    expect(osmCategoryOf('cafe;bakery')).toBe('food_and_drink');
    expect(osmCategoryOf('amenity=weird_thing')).toBeNull(); // amenity has no fallback
    expect(osmCategoryOf('')).toBeNull();
  });
});

describe('category mapping', () => {
  it('suggests the same name first, then the OSM table when the city has its category', () => {
    const targets = ['food_and_drink', 'Shopping', 'other'];
    expect(suggestCategoryMapping(['shopping', 'restaurant', 'bench', 'zzz'], targets)).toEqual({
      shopping: 'Shopping',
    });
    expect(
      suggestCategoryMapping(['shopping', 'restaurant', 'bench', 'zzz', 'pub'], targets, { osm: true }),
    ).toEqual({
      shopping: 'Shopping',
      restaurant: 'food_and_drink',
      bench: 'other',
    });
  });

  it('sends each category to its target, drops what maps to drop, and counts the unmapped by name', () => {
    const r = applyCategoryMapping(['a', 'b', 'c', 'a', 'X'], ['x', 'y'], { a: 'y', b: DROP });
    expect([...r.column]).toEqual([1, -1, -2, 1, 0]);
    expect([...r.dropped]).toEqual([['b', 1]]);
    expect([...r.unmapped]).toEqual([['c', 1]]);
  });

  it('counts categories most frequent first', () => {
    expect(categoryCounts(['b', 'a', 'b', ''])).toEqual([
      { name: 'b', count: 2 },
      { name: 'a', count: 1 },
    ]);
  });

  it('reads a mapping file and names targets the city lacks', () => {
    expect(
      parseCategoryMapping('{"bench":"drop","cafe":"food_and_drink"}', 'm.json', ['food_and_drink']),
    ).toEqual({
      mapping: { bench: DROP, cafe: 'food_and_drink' },
    });
    expect(parseCategoryMapping('{"cafe":"food"}', 'm.json', ['food_and_drink'])).toEqual({
      error: 'm.json: "cafe" is mapped to "food", which is not one of the city\'s POI categories',
    });
    expect(parseCategoryMapping('[1]', 'm.json', [])).toEqual({
      error: 'm.json must be a JSON object of category -> target category (or "drop")',
    });
    expect('error' in parseCategoryMapping('{', 'm.json', [])).toBe(true);
  });
});

describe('importing OSM-tagged POI points into the benchmark categories', () => {
  const city = twoSquares(BENCHMARK_POI_CATEGORIES);

  it('with the OSM default every mapped point is counted under its target; the unmapped are named with counts', () => {
    const r = importPoiPoints(city, osmCsv, 'osm-pois.csv', { osm: true });
    if ('error' in r) throw new Error(r.error);
    expect(column(r.city, 'food_and_drink')).toEqual([2, 2]); // 2 restaurants in A; cafe, bakery in B
    expect(column(r.city, 'beauty_and_personal_care')).toEqual([0, 1]);
    expect(column(r.city, 'shopping')).toEqual([0, 1]);
    expect(column(r.city, 'parks_and_outdoors')).toEqual([1, 0]);
    expect(column(r.city, 'other')).toEqual([3, 0]); // benches
    expect(column(r.city, 'parking')).toEqual([0, 1]);
    expect(column(r.city, 'accommodation')).toEqual([0, 1]);
    expect(column(r.city, 'business_and_industry')).toEqual([0, 1]);
    const total = r.city.views.poi!.data.reduce((a, b) => a + b, 0);
    expect(total).toBe(13);
    expect(r.report).toContain('13 points counted into 26 categories of 2 regions');
    expect(r.report).toContain('1 points outside every region');
    expect(r.report).toContain('2 points of unknown categories: "amenity=weird_thing" (2)');
    expect(r.report).toContain(
      '11 categories in the file: 0 by name, 10 by the mapping (OpenStreetMap defaults where not given)',
    );
  });

  it("a user's mapping overrides the default and may drop a category", () => {
    const r = importPoiPoints(city, osmCsv, 'osm-pois.csv', {
      osm: true,
      mapping: { 'amenity=bench': DROP, 'amenity=weird_thing': 'entertainment' },
    });
    if ('error' in r) throw new Error(r.error);
    expect(column(r.city, 'other')).toEqual([0, 0]);
    expect(column(r.city, 'entertainment')).toEqual([1, 1]);
    expect(r.report).toContain('3 points dropped by the mapping: "amenity=bench" (3)');
    expect(r.report).toContain('0 points of unknown categories');
    expect(r.report).toContain('12 points counted into 26 categories of 2 regions');
  });

  it('without a mapping only same-name categories count; with ownCategories the file keeps its own', () => {
    const plain = importPoiPoints(city, osmCsv, 'osm-pois.csv');
    if ('error' in plain) throw new Error(plain.error);
    expect(plain.city.views.poi!.data.every((v) => v === 0)).toBe(true);
    expect(plain.report.at(-1)).toMatch(/^16 points of unknown categories: "amenity=bench" \(3\), /);
    const own = importPoiPoints(city, osmCsv, 'osm-pois.csv', { ownCategories: true });
    if ('error' in own) throw new Error(own.error);
    expect(own.city.views.poiCategories).toContain('amenity=bench');
    expect(own.city.views.poiCategories).toHaveLength(11);
    expect(column(own.city, 'amenity=bench')).toEqual([3, 0]);
  });

  it('offers the choices (counts, suggestions) only when the city lacks some of the categories', () => {
    const points = (csv: string) => {
      const r = pointsFromCsv(csv, 'p.csv');
      if ('error' in r) throw new Error(r.error);
      return r.points;
    };
    const choices = poiCategoryChoices(city, points(osmCsv));
    expect(choices?.slice(0, 2)).toEqual([
      { name: 'amenity=bench', count: 3, sameName: false, suggested: 'other' },
      { name: 'amenity=restaurant', count: 3, sameName: false, suggested: 'food_and_drink' },
    ]);
    expect(choices?.find((c) => c.name === 'amenity=weird_thing')?.suggested).toBeNull();
    expect(poiCategoryChoices(twoSquares([]), points(osmCsv))).toBeNull();
    expect(
      poiCategoryChoices(twoSquares(['shopping']), points('lon,lat,category\n8.501,47.371,Shopping\n')),
    ).toBeNull();
  });

  it('reads an OSM export with one column per key as key=value', () => {
    const csv = 'lon,lat,amenity,shop\n8.501,47.371,restaurant,\n8.511,47.371,,bakery\n8.512,47.371,,\n';
    const r = importPoiPoints(city, csv, 'keys.csv', { osm: true });
    if ('error' in r) throw new Error(r.error);
    expect(column(r.city, 'food_and_drink')).toEqual([1, 1]);
    expect(r.report[0]).toBe('keys.csv: 3 rows; columns lon, lat, amenity/shop');
    expect(r.report.at(-1)).toBe('1 points of unknown categories: "(none)" (1)');
  });
});
