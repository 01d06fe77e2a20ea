import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { directorySource } from '../../cli/fsSource';
import { loadCity } from '../../core/city/load';
import type { City } from '../../core/city/types';
import { cityBounds, interiorPoint, regionsInPolygon } from './geo';

const riverton = (
  await loadCity(directorySource(join(import.meta.dirname, '../../../sample-cities/riverton')))
).city as City;

describe('regionsInPolygon', () => {
  it('selects every region inside a polygon around the city, none with fewer than 3 corners', () => {
    const [w, s, e, n] = cityBounds(riverton)!;
    const around: [number, number][] = [
      [w - 0.01, s - 0.01],
      [e + 0.01, s - 0.01],
      [e + 0.01, n + 0.01],
      [w - 0.01, n + 0.01],
    ];
    expect(regionsInPolygon(riverton, around)).toHaveLength(riverton.regions.length);
    expect(regionsInPolygon(riverton, around.slice(0, 2))).toEqual([]);
  });

  it('selects a region by its interior point: a small triangle around it takes it and few others', () => {
    const [x, y] = interiorPoint(riverton.regions[40].geometry!)!;
    const d = 0.0005;
    const triangle: [number, number][] = [
      [x - d, y - d],
      [x + d, y - d],
      [x, y + d],
    ];
    const inside = regionsInPolygon(riverton, triangle);
    expect(inside).toContain(40);
    expect(inside.length).toBeLessThanOrEqual(2);
    // Far away from every region: nothing.
    expect(
      regionsInPolygon(
        riverton,
        triangle.map(([a, b]) => [a + 10, b]),
      ),
    ).toEqual([]);
  });
});
