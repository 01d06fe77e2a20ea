import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import { cellToLatLng, getResolution, gridDisk, isValidCell } from 'h3-js';
import { describe, expect, it } from 'vitest';
import { haversineKm } from '../spatial/distance';
import { polygonAdjacency } from '../spatial/adjacency';
import { loadCityBundle, writeCityBundle, zipCityBundle } from './bundle';
import { loadDroppedFiles } from './load';
import { memorySource } from '../io/source';
import { describeNotDecimal } from '../io/number';
import {
  MAX_CELLS,
  countCells,
  parseBbox,
  studyAreaFromGeoJson,
  tessellate,
  tessellationFromText,
  type Bbox,
} from './tessellate';
import type { City } from './types';

/** Riverton's extent, rounded out. */
const RIVERTON: Bbox = [8.76, 47.48, 9.06, 47.62];

function cityOf(result: { city: City } | { error: string }): City {
  if ('error' in result) throw new Error(result.error);
  return result.city;
}

const errorOf = (result: { error: string } | object): string =>
  'error' in result ? String(result.error) : '';

describe('tessellate: H3', () => {
  it('gives the cells whose centre lies in the box, with their index as id', () => {
    const city = cityOf(tessellate({ bbox: RIVERTON }, { kind: 'h3', resolution: 8 }, { name: 'Hex' }));
    // A fixed figure (so any change shows), near area / mean hexagon area (352 km² / 0.737 km²).
    expect(city.regions.length).toBe(498);
    expect(city.metadata.name).toBe('Hex');
    const box = {
      type: 'Polygon' as const,
      coordinates: [
        [
          [8.76, 47.48],
          [9.06, 47.48],
          [9.06, 47.62],
          [8.76, 47.62],
          [8.76, 47.48],
        ],
      ],
    };
    for (const r of city.regions) {
      expect(isValidCell(r.id)).toBe(true);
      expect(getResolution(r.id)).toBe(8);
      const [lat, lon] = cellToLatLng(r.id);
      expect(booleanPointInPolygon([lon, lat], box)).toBe(true);
      expect(r.geometry?.type).toBe('Polygon');
    }
    expect(new Set(city.regions.map((r) => r.id)).size).toBe(city.regions.length);
    // Complete: every neighbour left out has its centre outside the box.
    const ids = new Set(city.regions.map((r) => r.id));
    for (const r of city.regions)
      for (const n of gridDisk(r.id, 1)) {
        if (ids.has(n)) continue;
        const [lat, lon] = cellToLatLng(n);
        expect(booleanPointInPolygon([lon, lat], box)).toBe(false);
      }
    expect(city.spatial).toEqual({ boundaries: true, centroids: true, adjacency: true, trips: false });
    expect(city.views.poi).toBeNull();
    expect(city.metadata.description).toBe(
      '498 H3 hexagons at resolution 8 (about 74 ha each) whose centres lie in the study area.',
    );
  });

  it('counts roughly area / hexagon area, and countCells agrees with tessellate', () => {
    for (const resolution of [6, 7, 8, 9]) {
      const counted = countCells({ bbox: RIVERTON }, { kind: 'h3', resolution });
      const city = cityOf(tessellate({ bbox: RIVERTON }, { kind: 'h3', resolution }));
      expect(counted).toEqual({ count: city.regions.length, exact: true });
    }
    // res 7 cells are ~5.16 km²; the box is ~22.6 km x 15.6 km ≈ 352 km².
    const n7 = cityOf(tessellate({ bbox: RIVERTON }, { kind: 'h3', resolution: 7 })).regions.length;
    expect(n7).toBeGreaterThan(352 / 5.16 - 15);
    expect(n7).toBeLessThan(352 / 5.16 + 15);
  });

  it('neighbouring hexagons are adjacent (six neighbours inside the area)', () => {
    const city = cityOf(tessellate({ bbox: RIVERTON }, { kind: 'h3', resolution: 7 }));
    const adjacency = polygonAdjacency(city.regions);
    expect(Math.max(...adjacency.map((a) => a.length))).toBe(6);
  });

  it('keeps only cells whose centre is inside a drawn polygon (a triangle)', () => {
    const triangle = {
      type: 'Polygon' as const,
      coordinates: [
        [
          [8.8, 47.5],
          [9.0, 47.5],
          [8.9, 47.6],
          [8.8, 47.5],
        ],
      ],
    };
    const city = cityOf(tessellate({ polygon: triangle }, { kind: 'h3', resolution: 8 }));
    const box = cityOf(tessellate({ bbox: [8.8, 47.5, 9.0, 47.6] }, { kind: 'h3', resolution: 8 }));
    expect(city.regions.length).toBeGreaterThan(box.regions.length * 0.4);
    expect(city.regions.length).toBeLessThan(box.regions.length * 0.6);
    for (const r of city.regions)
      expect(booleanPointInPolygon([cellToLatLng(r.id)[1], cellToLatLng(r.id)[0]], triangle)).toBe(true);
  });
});

describe('tessellate: square grid', () => {
  it('lays r{row}c{col} cells of the asked size from the north-west corner', () => {
    const city = cityOf(tessellate({ bbox: RIVERTON }, { kind: 'grid', sizeMeters: 1000 }));
    // 0.30° x 0.14° at 47.55°N: 22.5 km x 15.6 km -> 23 columns x 16 rows.
    expect(city.regions.length).toBe(23 * 16);
    expect(city.regions[0].id).toBe('r0c0');
    expect(city.regions[1].id).toBe('r0c1');
    expect(city.regions[23].id).toBe('r1c0');
    const first = city.regions[0].centroid as [number, number];
    const below = city.regions[23].centroid as [number, number];
    expect(below[1]).toBeLessThan(first[1]);
    for (const r of city.regions) {
      const ring = r.geometry?.type === 'Polygon' ? r.geometry.coordinates[0] : [];
      const widthKm = haversineKm(ring[0] as [number, number], ring[1] as [number, number]);
      const heightKm = haversineKm(ring[1] as [number, number], ring[2] as [number, number]);
      expect(Math.abs(widthKm - 1)).toBeLessThan(0.02);
      expect(Math.abs(heightKm - 1)).toBeLessThan(0.02);
      const [x, y] = r.centroid as [number, number];
      expect(x > RIVERTON[0] && x < RIVERTON[2] && y > RIVERTON[1] && y < RIVERTON[3]).toBe(true);
    }
  });

  it('grid squares share their corners exactly: rook and queen neighbours', () => {
    const city = cityOf(tessellate({ bbox: RIVERTON }, { kind: 'grid', sizeMeters: 2000 }));
    const rook = polygonAdjacency(city.regions, { minSharedVertices: 2 });
    expect(Math.max(...rook.map((a) => a.length))).toBe(4);
    expect(Math.max(...polygonAdjacency(city.regions).map((a) => a.length))).toBe(8);
  });

  it('clips to cells whose centre is in a polygon with a hole', () => {
    const ring = (w: number, s: number, e: number, n: number): number[][] => [
      [w, s],
      [e, s],
      [e, n],
      [w, n],
      [w, s],
    ];
    const donut = {
      type: 'Polygon' as const,
      coordinates: [ring(8.8, 47.5, 9.0, 47.6), ring(8.85, 47.52, 8.95, 47.58)],
    };
    const city = cityOf(tessellate({ polygon: donut }, { kind: 'grid', sizeMeters: 500 }));
    for (const r of city.regions)
      expect(booleanPointInPolygon(r.centroid as [number, number], donut)).toBe(true);
    const full = countCells({ bbox: [8.8, 47.5, 9.0, 47.6] }, { kind: 'grid', sizeMeters: 500 });
    expect('count' in full && city.regions.length < full.count * 0.8).toBe(true);
  });

  it('round-trips through a city bundle, with no views', async () => {
    const city = cityOf(tessellate({ bbox: RIVERTON }, { kind: 'grid', sizeMeters: 3000 }, { name: 'Grid' }));
    const loaded = await loadCityBundle(memorySource('bundle', writeCityBundle(city)));
    expect(loaded.problems).toEqual([]);
    expect(loaded.city?.regions.map((r) => r.id)).toEqual(city.regions.map((r) => r.id));
    expect(loaded.city?.views.poi).toBeNull();
    expect(loaded.city?.metadata.name).toBe('Grid');
  });
});

describe('tessellate: the exported .zip', () => {
  it('opens again when dropped, hexagons and all', async () => {
    const city = cityOf(tessellate({ bbox: RIVERTON }, { kind: 'h3', resolution: 7 }, { name: 'Hex' }));
    const loaded = await loadDroppedFiles([{ name: 'hex.zip', bytes: zipCityBundle(city) }]);
    expect(loaded.problems).toEqual([]);
    expect(loaded.city?.metadata).toEqual(city.metadata);
    expect(loaded.city?.regions).toEqual(city.regions);
  });
});

describe('tessellate: refusals', () => {
  it('says what is wrong with the area', () => {
    const h3 = { kind: 'h3' as const, resolution: 8 };
    expect(errorOf(tessellate({ bbox: [448123, 4640000, 449000, 4641000] }, h3))).toBe(
      "the study area's coordinates look projected (e.g. 448123, 4640000), not longitude and latitude in degrees (WGS84)",
    );
    expect(errorOf(tessellate({ bbox: [9, 47, 8, 48] }, h3))).toContain(
      'the bounding box is empty: west (9) must be less than east (8)',
    );
    expect(errorOf(tessellate({ bbox: [8, 47, 9, 47] }, h3))).toBe(
      'the bounding box is empty: south (47) must be less than north (47)',
    );
    const line = {
      type: 'Polygon' as const,
      coordinates: [
        [
          [8, 47],
          [9, 47],
          [8.5, 47],
          [8, 47],
        ],
      ],
    };
    expect(errorOf(tessellate({ polygon: line }, h3))).toBe(
      'the study area is degenerate: it encloses no area',
    );
    expect(errorOf(tessellate({ bbox: [-180, -60, 180, 60] }, { kind: 'h3', resolution: 0 }))).toBe(
      'the study area spans 360° of longitude: areas wider than 180° (or across the antimeridian) are not supported',
    );
    const bowtie = {
      type: 'Polygon' as const,
      coordinates: [
        [
          [8, 47],
          [9, 48],
          [9, 47],
          [8, 48],
          [8, 47],
        ],
      ],
    };
    expect(errorOf(tessellate({ polygon: bowtie }, h3))).toBe(
      "the study area's outline crosses itself (near 8.5000, 47.5000): draw it again without crossing edges",
    );
    expect(
      errorOf(tessellate({ bbox: [8.8, 47.5, 8.8001, 47.5001] }, { kind: 'h3', resolution: 5 })),
    ).toMatch(
      /^no cell of H3 resolution 5 has its centre inside the study area .*: choose a finer resolution$/,
    );
  });

  it('refuses resolutions and sizes out of range', () => {
    expect(errorOf(tessellate({ bbox: RIVERTON }, { kind: 'h3', resolution: 16 }))).toBe(
      'H3 resolution must be a whole number from 0 to 15, got 16',
    );
    expect(errorOf(tessellate({ bbox: RIVERTON }, { kind: 'h3', resolution: 7.5 }))).toContain('got 7.5');
    expect(errorOf(tessellate({ bbox: RIVERTON }, { kind: 'grid', sizeMeters: 0 }))).toBe(
      'grid cell size must be a number of metres of at least 10, got 0',
    );
  });

  it('refuses too many cells, with the count and a setting that fits', () => {
    expect(errorOf(tessellate({ bbox: RIVERTON }, { kind: 'h3', resolution: 12 }))).toMatch(
      /^H3 resolution 12 over this area gives about [\d,]+ cells, over the limit of 20,000: resolution 9 gives about [\d,]+$/,
    );
    // Just over the limit: counted exactly.
    expect(errorOf(tessellate({ bbox: RIVERTON }, { kind: 'h3', resolution: 10 }))).toMatch(
      /^H3 resolution 10 over this area gives 2\d,\d{3} cells, over the limit of 20,000: resolution 9 gives about/,
    );
    const grid = errorOf(tessellate({ bbox: RIVERTON }, { kind: 'grid', sizeMeters: 50 }));
    expect(grid).toMatch(
      /^a 50 m grid over this area gives about [\d,]+ cells, over the limit of 20,000: ([\d,]+) m cells give about ([\d,]+)$/,
    );
    const [, size] = /: ([\d,]+) m cells/.exec(grid) ?? [];
    const fits = countCells({ bbox: RIVERTON }, { kind: 'grid', sizeMeters: Number(size.replace(/,/g, '')) });
    expect('count' in fits && fits.count <= MAX_CELLS).toBe(true);
    expect(errorOf(tessellate({ bbox: [0, 0, 60, 60] }, { kind: 'grid', sizeMeters: 50_000 }))).toContain(
      'use H3 hexagons for an area this large',
    );
  });

  it('refuses a thin diagonal area whose bounding box would cost millions of checks', () => {
    const sliver = {
      type: 'Polygon' as const,
      coordinates: [
        [
          [8, 47],
          [9, 48],
          [9, 48.0005],
          [8, 47],
        ],
      ],
    };
    const grid = { kind: 'grid' as const, sizeMeters: 50 };
    const expected =
      /^a 50 m grid over this area's bounding box means checking about [\d,]+ cells \(over 2,000,000\), though the area itself holds about [\d,]+: draw a more compact area or choose bigger cells$/;
    expect(errorOf(tessellate({ polygon: sliver }, grid))).toMatch(expected);
    expect(errorOf(countCells({ polygon: sliver }, grid))).toMatch(expected);
    expect(errorOf(tessellate({ polygon: sliver }, { kind: 'h3', resolution: 11 }))).toContain(
      'choose a coarser resolution',
    );
  });

  it('refuses a bbox value that Number() would read but is not a decimal number, naming it and the form', () => {
    const form =
      'a bounding box is four numbers west,south,east,north in degrees (e.g. 8.76,47.48,9.06,47.62)';
    expect(parseBbox('0x10,47.48,9.06,47.62')).toEqual({
      error: `the bounding box's west "0x10" is not a decimal number (hexadecimal, octal and binary are not read); ${form}`,
    });
    expect(parseBbox('8.76,1e999,9.06,47.62')).toEqual({
      error: `the bounding box's south "1e999" is beyond the largest number there is (about 1.8e308), not a finite number; ${form}`,
    });
    expect(parseBbox('8.76,47.48,Infinity,47.62')).toEqual({
      error: `the bounding box's east "Infinity" is not a finite number; ${form}`,
    });
    expect(parseBbox('8.76 47.48 9.06 47,62')).toEqual({
      error: `${form}; got "8.76 47.48 9.06 47,62" (5 values)`,
    });
    expect(parseBbox('')).toEqual({ error: `${form}; got "" (0 values)` });
    expect(parseBbox('   ')).toEqual({ error: `${form}; got "" (0 values)` });
  });

  it('reads cells typed as text as decimals only, leaving the range to tessellate', () => {
    expect(tessellationFromText('h3', ' 8 ')).toEqual({ kind: 'h3', resolution: 8 });
    expect(tessellationFromText('grid', '250.5')).toEqual({ kind: 'grid', sizeMeters: 250.5 });
    expect(tessellationFromText('h3', '99')).toEqual({ kind: 'h3', resolution: 99 });
    expect(tessellationFromText('h3', '0x8')).toEqual({
      error:
        '"0x8" is not a decimal number (hexadecimal, octal and binary are not read); expected an H3 resolution, a whole number from 0 to 15',
    });
    expect(tessellationFromText('grid', '')).toEqual({
      error: `${describeNotDecimal('')}; expected a cell size in metres, at least 10`,
    });
  });

  it('refuses a bbox value out of degree range, naming the side', () => {
    const tail =
      'a bounding box is four numbers west,south,east,north in degrees (e.g. 8.76,47.48,9.06,47.62), not projected coordinates';
    expect(parseBbox('2680000,1240000,2690000,1250000')).toEqual({
      error: `the bounding box's west (2680000) is beyond ±180°, not a longitude; ${tail}`,
    });
    expect(parseBbox('8.76,-91,9.06,47.62')).toEqual({
      error: `the bounding box's south (-91) is beyond ±90°, not a latitude; ${tail}`,
    });
    expect(parseBbox('-180, -90, 180, 90')).toEqual({ bbox: [-180, -90, 180, 90] });
    // An empty box is refused where every box is checked (checkStudyArea).
    expect(parseBbox('9,47,8,48')).toEqual({ bbox: [9, 47, 8, 48] });
  });

  it('reads a bbox and GeoJSON study areas', () => {
    expect(parseBbox('8.76, 47.48, 9.06, 47.62')).toEqual({ bbox: RIVERTON });
    expect(parseBbox('8.76 47.48 9.06')).toEqual({
      error:
        'a bounding box is four numbers west,south,east,north in degrees (e.g. 8.76,47.48,9.06,47.62); got "8.76 47.48 9.06" (3 values)',
    });
    const polygon = {
      type: 'Polygon',
      coordinates: [
        [
          [8, 47],
          [9, 47],
          [9, 48],
          [8, 47],
        ],
      ],
    };
    expect(studyAreaFromGeoJson({ type: 'Feature', properties: {}, geometry: polygon })).toEqual({ polygon });
    const two = studyAreaFromGeoJson({
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', geometry: polygon },
        { type: 'Feature', geometry: polygon },
      ],
    });
    expect('polygon' in two && two.polygon.type).toBe('MultiPolygon');
    expect(errorOf(studyAreaFromGeoJson({ type: 'Point', coordinates: [8, 47] }))).toBe(
      'the study area must be a Polygon or MultiPolygon; the file holds a Point',
    );
  });
});
