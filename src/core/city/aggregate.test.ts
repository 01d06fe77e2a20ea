import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { directorySource } from '../../cli/fsSource';
import { countPointsPerRegion, RegionLocator } from './aggregate';
import { geometryCentroid } from './geometry';
import { loadCity } from './load';
import type { Region } from './types';

const square = (x: number, y: number, s: number): number[][] => [
  [x, y],
  [x + s, y],
  [x + s, y + s],
  [x, y + s],
  [x, y],
];

const regions: Region[] = [
  // 0: a 2 x 2 square with a 1 x 1 hole in its middle
  {
    id: 'a',
    name: 'A',
    centroid: null,
    geometry: { type: 'Polygon', coordinates: [square(0, 0, 2), square(0.5, 0.5, 1).reverse()] },
  },
  // 1: the square to its right (shares the border x = 2)
  { id: 'b', name: 'B', centroid: null, geometry: { type: 'Polygon', coordinates: [square(2, 0, 2)] } },
  // 2: a multipolygon: the hole of region 0, and a far island
  {
    id: 'c',
    name: 'C',
    centroid: null,
    geometry: { type: 'MultiPolygon', coordinates: [[square(0.5, 0.5, 1)], [square(10, 10, 1)]] },
  },
  // 3: no geometry
  { id: 'd', name: 'D', centroid: [5, 5], geometry: null },
];

describe('RegionLocator', () => {
  const locator = new RegionLocator(regions);

  it('finds the region of a point: holes, multipolygons, outside, bad numbers', () => {
    expect(locator.locate(0.2, 0.2)).toBe(0);
    expect(locator.locate(1, 1)).toBe(2); // in the hole of 0, which is part of 2
    expect(locator.locate(10.5, 10.5)).toBe(2); // the island
    expect(locator.locate(3, 1)).toBe(1);
    expect(locator.locate(2, 1)).toBe(0); // the shared border goes to the first region
    expect(locator.locate(-1, 1)).toBe(-1);
    expect(locator.locate(5, 5)).toBe(-1); // region 3 has no polygon
    expect(locator.locate(NaN, 1)).toBe(-1);
  });

  it('counts points per region and category, and says what it dropped', () => {
    const lon = [0.2, 0.3, 3, 1, -5, 3];
    const lat = [0.2, 0.3, 1, 1, 0, 1];
    const category = [0, 1, 1, 0, 0, 7];
    const progress: number[] = [];
    const { counts, outside, uncategorised } = countPointsPerRegion(locator, 4, 2, lon, lat, category, (d) =>
      progress.push(d),
    );
    expect([...counts.data]).toEqual([1, 1, 0, 1, 1, 0, 0, 0]);
    expect(outside).toBe(1);
    expect(uncategorised).toBe(1);
    expect(progress.at(-1)).toBe(6);
  });

  it('on the sample city Riverton, the centroid of (almost) every region lies in that region', async () => {
    const city = (
      await loadCity(directorySource(join(import.meta.dirname, '../../../sample-cities/riverton')))
    ).city!;
    const riverton = new RegionLocator(city.regions);
    let own = 0;
    city.regions.forEach((r, i) => {
      const c = geometryCentroid(r.geometry!)!;
      const found = riverton.locate(c[0], c[1]);
      if (found === i) own++;
    });
    expect(own).toBeGreaterThanOrEqual(city.regions.length - 5);
  });
});
