import { describe, expect, it } from 'vitest';
import { readNpy, writeNpy } from '../io/npy';
import { memorySource, zipSource } from '../io/source';
import { sparseFromTriplets, sparseGet, sparseToDense } from '../math/sparse';
import { DENSE_TRIPS_MAX_REGIONS, writeCityBundle, zipCityBundle } from './bundle';
import { loadDroppedFiles, loadCity } from './load';
import { MAX_REGIONS } from '../io/limits';
import { formatProblem } from './problems';
import type { City, LoadResult } from './types';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const json = (v: unknown): Uint8Array => enc(JSON.stringify(v));

/** A closed square ring at (lon, lat) with side d degrees. */
function square(lon: number, lat: number, d = 0.01): number[][] {
  return [
    [lon, lat],
    [lon + d, lat],
    [lon + d, lat + d],
    [lon, lat + d],
    [lon, lat],
  ];
}

function feature(
  id: string | number | undefined,
  geometry: unknown,
  extra: Record<string, unknown> = {},
): unknown {
  return {
    type: 'Feature',
    properties: { ...(id === undefined ? {} : { id }), name: `Region ${id}`, ...extra },
    geometry,
  };
}

/** A 2 x 2 grid of regions A..D near Zürich. */
function grid(): unknown[] {
  return ['A', 'B', 'C', 'D'].map((id, k) =>
    feature(
      id,
      { type: 'Polygon', coordinates: [square(8.5 + (k % 2) * 0.01, 47.37 + Math.floor(k / 2) * 0.01)] },
      { pois: k + 1, crime: 10 * k },
    ),
  );
}

const fc = (features: unknown[]): Uint8Array => json({ type: 'FeatureCollection', features });

async function dropGeoJson(content: Uint8Array, name = 'regions.geojson'): Promise<LoadResult> {
  return loadDroppedFiles([{ name, bytes: content }]);
}

function errors(result: LoadResult): string[] {
  return result.problems.filter((p) => p.severity === 'error').map(formatProblem);
}

function warnings(result: LoadResult): string[] {
  return result.problems.filter((p) => p.severity === 'warning').map(formatProblem);
}

/** A valid bundle as a file table, to be corrupted by each test. */
function bundleFiles(): Record<string, Uint8Array> {
  return {
    'city.json': json({
      format: 'topt-city',
      version: 1,
      name: 'Test town',
      regions: { file: 'regions.geojson' },
      views: {
        poi: { file: 'poi.csv' },
        landUse: { file: 'land_use.npy', columns: ['housing', 'parks'] },
        trips: { file: 'trips.csv' },
      },
      labels: [{ id: 'crime', name: 'Crime', unit: 'crimes', file: 'labels.csv', column: 'crime' }],
    }),
    'regions.geojson': fc(grid()),
    'poi.csv': enc('region_id,food,shops\nA,1,2\nB,0,5\nC,3,0\nD,4,4\n'),
    'land_use.npy': writeNpy({ dtype: 'int32', shape: [4, 2], data: [1, 0, 2, 1, 0, 3, 5, 5] }),
    'trips.csv': enc('origin,destination,count\nA,B,10\nB,A,4\nC,D,7\nA,B,1\n'),
    'labels.csv': enc('region_id,crime\nA,12\nB,\nC,30\nD,4\n'),
  };
}

const loadBundle = (files: Record<string, Uint8Array>, max?: number): Promise<LoadResult> =>
  loadCity(memorySource('test bundle', files, max));

describe('city bundle', () => {
  it('loads regions, views, trips and labels aligned to the region order', async () => {
    const { city, problems } = await loadBundle(bundleFiles());
    expect(problems).toEqual([]);
    const c = city as City;
    expect(c.regions.map((r) => r.id)).toEqual(['A', 'B', 'C', 'D']);
    expect(c.regions[0].centroid?.[0]).toBeCloseTo(8.505, 7);
    expect(c.views.poiCategories).toEqual(['food', 'shops']);
    expect(Array.from(c.views.poi?.data ?? [])).toEqual([1, 2, 0, 5, 3, 0, 4, 4]);
    expect(c.views.landUseClasses).toEqual(['housing', 'parks']);
    expect(sparseGet(c.views.trips!, 0, 1)).toBe(11); // A->B: 10 + 1
    expect(sparseGet(c.views.trips!, 2, 3)).toBe(7);
    const crime = c.labels[0];
    expect(crime.missing).toBe(1); // B has no label
    expect(Number.isNaN(crime.values[1])).toBe(true);
    expect(crime.values[2]).toBe(30);
    expect(c.spatial).toEqual({ boundaries: true, centroids: true, adjacency: true, trips: true });
  });

  it('round-trips through writeCityBundle as CSV, as .npy and as a .zip', async () => {
    const { city } = await loadBundle(bundleFiles());
    const c = city as City;
    for (const viewsFormat of ['csv', 'npy'] as const) {
      const again = await loadBundle(writeCityBundle(c, { viewsFormat }));
      expect(again.problems).toEqual([]);
      expect(again.city?.regions).toEqual(c.regions);
      expect(again.city?.views.poi).toEqual(c.views.poi);
      expect(again.city?.views.trips).toEqual(c.views.trips);
      expect(again.city?.labels).toEqual(c.labels);
    }
    const zipped = await loadDroppedFiles([{ name: 'town.zip', bytes: zipCityBundle(c) }]);
    expect(zipped.problems).toEqual([]);
    expect(zipped.city?.views.landUse).toEqual(c.views.landUse);
  });

  it('reads a zip whose files sit in one top folder', async () => {
    const { zipSync } = await import('fflate');
    const files = Object.fromEntries(Object.entries(bundleFiles()).map(([k, v]) => [`town/${k}`, v]));
    const { city } = await loadCity(zipSource('town.zip', zipSync(files)));
    expect(city?.regions.length).toBe(4);
  });

  it('reports a corrupt zip', async () => {
    const r = await loadDroppedFiles([{ name: 'town.zip', bytes: enc('not a zip at all') }]);
    expect(r.city).toBeNull();
    expect(errors(r)[0]).toMatch(/not a readable \.zip/);
  });

  it('rejects a view whose row count differs from the region count', async () => {
    const files = bundleFiles();
    files['land_use.npy'] = writeNpy({ dtype: 'int32', shape: [3, 2], data: [1, 0, 2, 1, 0, 3] });
    const r = await loadBundle(files);
    expect(r.city).toBeNull();
    expect(errors(r)).toContain('error: land_use.npy: has 3 rows but the city has 4 regions');
  });

  it('names regions missing from a CSV view and ids it does not know', async () => {
    const files = bundleFiles();
    files['poi.csv'] = enc('region_id,food,shops\nA,1,2\nB,0,5\nX,3,0\n');
    const r = await loadBundle(files);
    expect(r.city).toBeNull();
    expect(errors(r)).toContain(
      'error: poi.csv, line 4, field "region_id": region id "X" is not in the regions file',
    );
    expect(errors(r)).toContain('error: poi.csv: 2 of 4 regions have no row (first: "C", "D")');
  });

  it('rejects negative, NaN and non-numeric counts, naming row and column', async () => {
    const files = bundleFiles();
    files['poi.csv'] = enc('region_id,food,shops\nA,1,-2\nB,abc,5\nC,NaN,0\nD,4,4\n');
    const r = await loadBundle(files);
    expect(r.city).toBeNull();
    expect(errors(r)).toEqual([
      'error: poi.csv, line 2, field "shops": count is negative (-2): counts must be non-negative',
      'error: poi.csv, line 3, field "food": "abc" is not a number',
      'error: poi.csv, line 4, field "food": "NaN" is not a finite number',
    ]);
  });

  it('rejects NaN and negative values in .npy views', async () => {
    const files = bundleFiles();
    files['land_use.npy'] = writeNpy({ dtype: 'float64', shape: [4, 2], data: [1, 0, NaN, 1, 0, -3, 5, 5] });
    const r = await loadBundle(files);
    expect(errors(r)).toEqual([
      'error: land_use.npy, row 1 (region "B"), field "housing": count is NaN: counts must be finite and non-negative',
      'error: land_use.npy, row 2 (region "C"), field "parks": count is negative (-3): counts must be finite and non-negative',
    ]);
  });

  it('rejects empty files', async () => {
    const files = bundleFiles();
    files['trips.csv'] = new Uint8Array(0);
    const r = await loadBundle(files);
    expect(r.city).toBeNull();
    expect(errors(r)).toEqual(['error: trips.csv: file is empty']);
  });

  it('rejects files over the size limit', async () => {
    const files = bundleFiles();
    const r = await loadBundle(files, files['city.json'].length);
    expect(r.city).toBeNull();
    expect(errors(r)[0]).toMatch(
      /^error: regions\.geojson: regions\.geojson is [\d.]+ (bytes|KB), over the [\d.]+ (bytes|KB) limit for one file$/,
    );
    const dropped = await loadDroppedFiles([{ name: 'big.geojson', bytes: new Uint8Array(2048) }], {
      maxFileBytes: 1024,
    });
    expect(errors(dropped)[0]).toMatch(
      /^error: big\.geojson: big\.geojson is .* over the .* limit for one file$/,
    );
  });

  it('reports a missing file named in the manifest', async () => {
    const files = bundleFiles();
    delete files['labels.csv'];
    const r = await loadBundle(files);
    expect(errors(r)).toEqual(['error: labels.csv: labels.csv not found in test bundle']);
  });

  it('reads each file once, also a label file that several tasks share', async () => {
    const files = bundleFiles();
    const manifest = JSON.parse(new TextDecoder().decode(files['city.json'])) as Record<string, unknown>;
    manifest.labels = [
      { id: 'crime', name: 'Crime', unit: 'crimes', file: 'labels.csv', column: 'crime' },
      { id: 'calls', name: 'Calls', unit: 'calls', file: 'labels.csv', column: 'calls' },
    ];
    files['city.json'] = json(manifest);
    files['labels.csv'] = enc('region_id,crime,calls\nA,12,1\nB,,2\nC,30,3\nD,4,4\n');
    const reads: string[] = [];
    const inner = memorySource('test bundle', files);
    const { city, problems } = await loadCity({
      ...inner,
      read: (path) => {
        reads.push(path);
        return inner.read(path);
      },
    });
    expect(problems).toEqual([]);
    expect(city?.labels.map((l) => [l.id, Array.from(l.values)])).toEqual([
      ['crime', [12, NaN, 30, 4]],
      ['calls', [1, 2, 3, 4]],
    ]);
    expect(reads).toEqual([
      'city.json',
      'regions.geojson',
      'poi.csv',
      'land_use.npy',
      'trips.csv',
      'labels.csv',
    ]);
  });

  it('refuses manifest paths that leave the bundle, naming each and showing none of its content', async () => {
    const files = bundleFiles();
    const manifest = JSON.parse(new TextDecoder().decode(files['city.json'])) as Record<string, unknown>;
    manifest.regions = { file: '../secret-outside.txt' };
    manifest.views = { poi: { file: '/etc/passwd' }, trips: { file: 'sub\\..\\trips.csv' } };
    manifest.labels = [{ id: 'crime', file: 'https://evil.test/labels.csv' }];
    manifest.adjacency = 'a/%2e%2e/%2E%2E/adjacency.json';
    files['city.json'] = json(manifest);
    files['../secret-outside.txt'] = enc('TOPSECRET');
    const r = await loadBundle(files);
    expect(r.city).toBeNull();
    const tail = 'files must be named by a relative path inside the bundle';
    expect(errors(r)).toEqual([
      `error: city.json, field "regions.file": path "../secret-outside.txt" is refused: it has a ".." segment; ${tail}`,
      `error: city.json, field "views.poi.file": path "/etc/passwd" is refused: it is absolute; ${tail}`,
      `error: city.json, field "views.trips.file": path "sub\\\\..\\\\trips.csv" is refused: it has a backslash; ${tail}`,
      `error: city.json, field "labels[0].file": path "https://evil.test/labels.csv" is refused: it has a ":" (a drive or a URL scheme); ${tail}`,
      `error: city.json, field "adjacency": path "a/%2e%2e/%2E%2E/adjacency.json" is refused: it has a ".." segment; ${tail}`,
    ]);
    expect(JSON.stringify(r.problems)).not.toContain('TOPSECRET');
  });

  it('reads back region ids and categories that look like spreadsheet formulas exactly', async () => {
    const files = bundleFiles();
    const ids = ['=1+2', '-A', '@B', "'=C"];
    files['regions.geojson'] = fc(
      ids.map((id, k) => feature(id, { type: 'Polygon', coordinates: [square(8.5 + k * 0.01, 47.37)] })),
    );
    // Cells as writeCsv and a spreadsheet save them: "'=C" with its quote doubled.
    const cell = (id: string): string => JSON.stringify(id.startsWith("'") ? `'${id}` : id);
    files['poi.csv'] = enc(`region_id,=food,shops\n${ids.map((id, k) => `${cell(id)},${k},1`).join('\n')}\n`);
    files['trips.csv'] = enc('origin,destination,count\n');
    files['labels.csv'] = enc(`region_id,crime\n${ids.map((id) => `${cell(id)},1`).join('\n')}\n`);
    const { city, problems } = await loadBundle(files);
    expect(errors({ city, problems })).toEqual([]);
    const written = writeCityBundle(city as City);
    expect(new TextDecoder().decode(written['poi.csv'])).toBe(
      "region_id,'=food,shops\n'=1+2,0,1\n'-A,1,1\n'@B,2,1\n''=C,3,1\n",
    );
    const again = await loadBundle(written);
    expect(again.city?.regions.map((r) => r.id)).toEqual(ids);
    expect(again.city?.views.poiCategories).toEqual(['=food', 'shops']);
    expect(again.city?.views.poi).toEqual(city?.views.poi);
    expect(again.city?.labels).toEqual(city?.labels);
  });

  it('reports an invalid manifest', async () => {
    const files = bundleFiles();
    files['city.json'] = json({ format: 'something-else', version: 1 });
    const r = await loadBundle(files);
    expect(errors(r)).toEqual([
      'error: city.json, field "format": "format" is "something-else", expected "topt-city"',
      'error: city.json, field "name": missing city name',
      'error: city.json, field "regions": missing "regions": { "file": "regions.geojson" }',
    ]);
  });

  it('reports a trip edge list with unknown region ids or a wrong header', async () => {
    const files = bundleFiles();
    files['trips.csv'] = enc('origin;destination;count\nA;B;1\n'); // semicolons are detected
    expect(sparseToDense((await loadBundle(files)).city!.views.trips!)[1]).toBe(1);
    files['trips.csv'] = enc('from,to\nA,B\n');
    expect(errors(await loadBundle(files))[0]).toMatch(
      /needs columns "origin" and "destination" \(found: from, to\)/,
    );
    files['trips.csv'] = enc('origin,destination,count\nA,Z,1\n');
    expect(errors(await loadBundle(files))).toEqual([
      'error: trips.csv, line 2, field "destination": destination "Z" is not a region id',
    ]);
  });

  it('rejects an adjacency list that is not symmetric', async () => {
    const files = bundleFiles();
    files['city.json'] = json({
      ...JSON.parse(new TextDecoder().decode(files['city.json'])),
      adjacency: 'adjacency.json',
    });
    files['adjacency.json'] = json([[1], [], [3], [2]]);
    expect(errors(await loadBundle(files))).toEqual([
      'error: adjacency.json: not symmetric: 0 lists 1 but 1 does not list 0',
    ]);
  });

  it('says what it expected when a folder is not a city', async () => {
    const r = await loadCity(memorySource('some folder', { 'notes.txt': enc('hi') }));
    expect(errors(r)[0]).toMatch(
      /not a city: expected a city bundle with city\.json or the benchmark layout/,
    );
  });
});

describe('trips as a list of pairs (bundle version 2)', () => {
  /** bundleFiles() with its trips as K x 3 (origin row, destination row, count). */
  function pairsBundle(pairs: number[][], dtype: 'int32' | 'float64' = 'int32'): Record<string, Uint8Array> {
    const files = bundleFiles();
    const manifest = JSON.parse(new TextDecoder().decode(files['city.json'])) as Record<string, unknown>;
    delete files['trips.csv'];
    files['trips_pairs.npy'] = writeNpy({ dtype, shape: [pairs.length, 3], data: pairs.flat() });
    files['city.json'] = json({
      ...manifest,
      version: 2,
      views: { ...(manifest.views as object), trips: { file: 'trips_pairs.npy', layout: 'pairs' } },
    });
    return files;
  }

  it('reads pairs into the same trips as the edge list, repeated pairs summed', async () => {
    const { city, problems } = await loadBundle(
      pairsBundle([
        [0, 1, 10],
        [1, 0, 4],
        [2, 3, 7],
        [0, 1, 1],
      ]),
    );
    expect(problems).toEqual([]);
    const fromCsv = (await loadBundle(bundleFiles())).city!;
    expect(city!.views.trips).toEqual(fromCsv.views.trips);
    expect(Array.from(city!.views.trips!.values)).toEqual([11, 4, 7]);
  });

  it('reports pairs outside the regions, bad counts and a wrong shape by row and field', async () => {
    const bad = await loadBundle(
      pairsBundle(
        [
          [0, 4, 1],
          [-1, 0, 1],
          [0.5, 1, 1],
          [1, 2, -3],
          [1, 2, NaN],
        ],
        'float64',
      ),
    );
    expect(errors(bad)).toEqual([
      'error: trips_pairs.npy, row 0, field "destination": destination 4 is not a region row (0 to 3)',
      'error: trips_pairs.npy, row 1, field "origin": origin -1 is not a region row (0 to 3)',
      'error: trips_pairs.npy, row 2, field "origin": origin 0.5 is not a region row (0 to 3)',
      'error: trips_pairs.npy, row 3, field "count": count is -3: counts must be finite and non-negative',
      'error: trips_pairs.npy, row 4, field "count": count is NaN: counts must be finite and non-negative',
    ]);
    const files = pairsBundle([]);
    files['trips_pairs.npy'] = writeNpy({ dtype: 'int32', shape: [2, 2], data: [0, 1, 1, 0] });
    expect(errors(await loadBundle(files))).toEqual([
      'error: trips_pairs.npy: trip pairs are 2 x 2: expected K x 3 (origin, destination, count)',
    ]);
  });

  it('refuses a layout it does not know, and a bundle newer than version 2', async () => {
    const files = bundleFiles();
    const manifest = JSON.parse(new TextDecoder().decode(files['city.json'])) as Record<string, unknown>;
    files['city.json'] = json({ ...manifest, views: { trips: { file: 'trips.csv', layout: 'coo' } } });
    expect(errors(await loadBundle(files))).toEqual([
      'error: city.json, field "views.trips.layout": unknown layout "coo" (trips may say "pairs")',
    ]);
    files['city.json'] = json({ ...manifest, version: 3 });
    expect(errors(await loadBundle(files))).toEqual([
      'error: city.json, field "version": unsupported bundle version 3 (this app reads up to 2)',
    ]);
  });

  it(`writes dense trips.npy (version 1) up to ${DENSE_TRIPS_MAX_REGIONS} regions and pairs (version 2) above`, async () => {
    const city = (await loadBundle(bundleFiles())).city!;
    const small = writeCityBundle(city, { viewsFormat: 'npy' });
    expect(JSON.parse(new TextDecoder().decode(small['city.json'])).version).toBe(1);
    expect(Object.keys(small)).toContain('trips.npy');
    // The same four regions' trips in a city of DENSE_TRIPS_MAX_REGIONS + 1 regions.
    const n = DENSE_TRIPS_MAX_REGIONS + 1;
    const regions = Array.from({ length: n }, (_, i) => ({
      ...city.regions[i % 4],
      id: `r${i}`,
      geometry: null,
      centroid: [8.5 + (i % 50) * 0.001, 47.3 + Math.floor(i / 50) * 0.001] as [number, number],
    }));
    const trips = sparseFromTriplets(n, n, [0, 1, 2, n - 1], [1, 0, 3, 0], [11, 4, 7, 2.5]);
    const large = { ...city, regions, labels: [], views: { ...city.views, poi: null, landUse: null, trips } };
    const files = writeCityBundle(large, { viewsFormat: 'npy' });
    const manifest = JSON.parse(new TextDecoder().decode(files['city.json']));
    expect(manifest.version).toBe(2);
    expect(manifest.views.trips).toEqual({ file: 'trips_pairs.npy', layout: 'pairs' });
    expect(files['trips.npy']).toBeUndefined();
    const pairs = readNpy(files['trips_pairs.npy']);
    expect([pairs.dtype, pairs.shape]).toEqual(['float64', [4, 3]]); // 2.5 is not an int32
    expect(Array.from(pairs.data as Float64Array)).toEqual([0, 1, 11, 1, 0, 4, 2, 3, 7, n - 1, 0, 2.5]);
    const back = await loadBundle(files);
    expect(back.problems).toEqual([]);
    expect(back.city!.views.trips).toEqual(trips);
  });
});

describe('regions GeoJSON validation', () => {
  it('loads a plain GeoJSON with mapped numeric properties', async () => {
    const r = await loadDroppedFiles([{ name: 'grid.geojson', bytes: fc(grid()) }], {
      mapping: { poi: ['pois'], labels: [{ property: 'crime', unit: 'crimes' }] },
    });
    expect(r.problems).toEqual([]);
    expect(r.city?.metadata.name).toBe('grid');
    expect(Array.from(r.city?.views.poi?.data ?? [])).toEqual([1, 2, 3, 4]);
    expect(Array.from(r.city?.labels[0].values ?? [])).toEqual([0, 10, 20, 30]);
  });

  it('reports invalid JSON with the parser reason', async () => {
    const r = await dropGeoJson(enc('{"type": "FeatureCollection", "features": [ {'));
    expect(r.city).toBeNull();
    expect(errors(r)[0]).toMatch(/^error: regions\.geojson: invalid JSON: /);
  });

  it('reports a file that is not a FeatureCollection', async () => {
    expect(errors(await dropGeoJson(json({ type: 'Feature', geometry: null })))).toEqual([
      'error: regions.geojson: not a GeoJSON FeatureCollection (found type "Feature")',
    ]);
    expect(errors(await dropGeoJson(json([1, 2])))).toEqual([
      'error: regions.geojson: not a GeoJSON FeatureCollection (found an array)',
    ]);
    expect(errors(await dropGeoJson(fc([])))).toEqual([
      'error: regions.geojson, field "features": FeatureCollection has no features',
    ]);
  });

  it('rejects non-polygon and empty geometries, naming the feature', async () => {
    const features = grid();
    features[1] = feature('B', { type: 'Point', coordinates: [8.5, 47.3] });
    features[2] = feature('C', { type: 'Polygon', coordinates: [] });
    const r = await dropGeoJson(fc(features));
    expect(r.city).toBeNull();
    expect(errors(r)).toEqual([
      'error: regions.geojson, feature 1 (id "B"), field "geometry": geometry type is "Point": regions must be Polygon or MultiPolygon',
      'error: regions.geojson, feature 2 (id "C"), field "geometry": empty Polygon (no coordinates)',
    ]);
  });

  it('closes unclosed rings with a warning and keeps the city', async () => {
    const features = grid();
    features[0] = feature('A', { type: 'Polygon', coordinates: [square(8.5, 47.37).slice(0, 4)] });
    const r = await dropGeoJson(fc(features));
    expect(r.city?.regions.length).toBe(4);
    expect(warnings(r)).toEqual([
      'warning: regions.geojson, feature 0 (id "A"), field "geometry": ring is not closed: closed it by repeating the first position',
    ]);
    expect(r.city?.regions[0].centroid?.[1]).toBeCloseTo(47.375, 7);
  });

  it('rejects rings with too few positions', async () => {
    const features = grid();
    features[3] = feature('D', {
      type: 'Polygon',
      coordinates: [
        [
          [8.5, 47.3],
          [8.6, 47.3],
          [8.5, 47.3],
        ],
      ],
    });
    expect(errors(await dropGeoJson(fc(features)))).toEqual([
      'error: regions.geojson, feature 3 (id "D"), field "geometry": ring has 3 positions: a closed ring needs at least 4',
    ]);
  });

  it('warns about self-intersecting rings (bow ties with unequal loops)', async () => {
    const features = grid();
    const bowTie = [
      [8.5, 47.37],
      [8.51, 47.38],
      [8.51, 47.37],
      [8.5, 47.39],
      [8.5, 47.37],
    ];
    features[0] = feature('A', { type: 'Polygon', coordinates: [bowTie] });
    const r = await dropGeoJson(fc(features));
    expect(r.city).not.toBeNull();
    expect(warnings(r)[0]).toMatch(
      /feature 0 \(id "A"\), field "geometry": ring crosses itself \(1 self-intersection, first near 8\.50667, 47\.37667\)/,
    );
  });

  it('refuses a bow tie whose two loops cancel out (no area, no centroid)', async () => {
    const features = grid();
    const bowTie = [
      [8.5, 47.37],
      [8.51, 47.38],
      [8.51, 47.37],
      [8.5, 47.38],
      [8.5, 47.37],
    ];
    features[0] = feature('A', { type: 'Polygon', coordinates: [bowTie] });
    const r = await dropGeoJson(fc(features));
    expect(r.city).toBeNull();
    expect(errors(r)).toEqual([
      'error: regions.geojson, feature 0 (id "A"), field "geometry": outer ring has no area (its positions lie on one line, or its loops cancel out): a region needs a polygon that encloses its area',
    ]);
  });

  it('recognises projected coordinates', async () => {
    const projected = ['A', 'B'].map((id, k) =>
      feature(id, { type: 'Polygon', coordinates: [square(2683000 + k * 500, 1247000, 500)] }),
    );
    expect(errors(await dropGeoJson(fc(projected)))).toEqual([
      'error: regions.geojson, feature 0, field "geometry": coordinates look projected (e.g. [2683000, 1247000], outside ±180/±90 degrees): reproject to WGS84 lon/lat (EPSG:4326)',
    ]);
  });

  it('recognises [lat, lon] order', async () => {
    // Chicago written as [lat, lon]: the second value (-87.6) is a valid latitude only near the pole.
    const swappedPolar = ['A', 'B'].map((id, k) =>
      feature(id, { type: 'Polygon', coordinates: [square(41.8 + k * 0.01, -87.6)] }),
    );
    expect(errors(await dropGeoJson(fc(swappedPolar)))[0]).toMatch(
      /every latitude is beyond ±85° \(polar\): the coordinates look like \[lat, lon\]/,
    );
    // Tokyo written as [lat, lon]: 139.7 cannot be a latitude.
    const swapped = ['A', 'B'].map((id, k) =>
      feature(id, { type: 'Polygon', coordinates: [square(35.6 + k * 0.01, 139.7)] }),
    );
    expect(errors(await dropGeoJson(fc(swapped)))[0]).toMatch(
      /coordinates look like \[lat, lon\] \(second value up to 139\.710, beyond ±90\)/,
    );
  });

  it('rejects duplicate and missing ids', async () => {
    const features = grid();
    features[2] = feature('A', { type: 'Polygon', coordinates: [square(8.5, 47.38)] });
    features[3] = feature(undefined, { type: 'Polygon', coordinates: [square(8.51, 47.38)] });
    expect(errors(await dropGeoJson(fc(features)))).toEqual([
      'error: regions.geojson, feature 2 (id "A"), field "id": duplicate region id "A" (also feature 0)',
      'error: regions.geojson, feature 3, field "id": missing region id',
    ]);
  });

  it('rejects a mix of features with and without geometry', async () => {
    const features = grid();
    features[1] = feature('B', null);
    expect(errors(await dropGeoJson(fc(features)))).toEqual([
      'error: regions.geojson, feature 1, field "geometry": 1 of 4 features have no geometry: either every region has a polygon or none has',
    ]);
  });

  it('accepts a city without any geometry and says it has no boundaries', async () => {
    const r = await dropGeoJson(fc(['A', 'B'].map((id) => feature(id, null))));
    expect(r.problems).toEqual([]);
    expect(r.city?.spatial).toEqual({ boundaries: false, centroids: false, adjacency: false, trips: false });
  });

  it('rejects non-numeric values of a mapped property', async () => {
    const features = grid();
    (features[2] as { properties: Record<string, unknown> }).properties.pois = 'many';
    const r = await loadDroppedFiles([{ name: 'grid.geojson', bytes: fc(features) }], {
      mapping: { poi: ['pois'] },
    });
    expect(errors(r)).toEqual([
      'error: grid.geojson, feature 2 (id "C"), field "pois": "many" is not a number',
    ]);
  });

  it('rejects unsupported and empty dropped files', async () => {
    expect(errors(await loadDroppedFiles([{ name: 'data.xlsx', bytes: enc('x') }]))[0]).toMatch(
      /unsupported file type/,
    );
    expect(errors(await loadDroppedFiles([{ name: 'regions.geojson', bytes: new Uint8Array(0) }]))).toEqual([
      'error: regions.geojson: regions.geojson is empty',
    ]);
  });
});

describe('region descriptions', () => {
  it('survive a bundle round trip', async () => {
    const { city } = await loadBundle(bundleFiles());
    const c = city as City;
    c.regions[1] = { ...c.regions[1], description: 'Old mill district by the river.' };
    const again = await loadBundle(writeCityBundle(c));
    expect(again.city?.regions[1].description).toBe('Old mill district by the river.');
    expect(again.city?.regions[0].description).toBeUndefined();
  });
});

describe('suggested mapping for a plain GeoJSON', () => {
  it('guesses POI, land-use and label columns and builds the city from them', async () => {
    const { summariseProperties, suggestMapping, mappingFromRoles, loadGeoJsonCity } =
      await import('./geojson');
    const features = ['A', 'B'].map((id, k) =>
      feature(
        id,
        { type: 'Polygon', coordinates: [square(8.5 + k * 0.01, 47.37)] },
        {
          region_id: k,
          food_and_drink: 3 + k,
          poi_kiosk: 1,
          lu_residential: 5,
          crime_2024: 10 * (k + 1),
          district: 'North',
        },
      ),
    );
    const first = loadGeoJsonCity(fc(features), 'mine.geojson');
    const roles = suggestMapping(first.properties, ['food_and_drink', 'shopping']);
    expect(roles).toEqual({
      id: 'ignore',
      name: 'ignore',
      region_id: 'ignore',
      food_and_drink: 'poi',
      poi_kiosk: 'poi',
      lu_residential: 'landUse',
      crime_2024: 'label',
      district: 'ignore',
    });
    const mapped = loadGeoJsonCity(fc(features), 'mine.geojson', mappingFromRoles(roles));
    expect(mapped.city?.views.poiCategories).toEqual(['food_and_drink', 'poi_kiosk']);
    expect(mapped.city?.views.landUseClasses).toEqual(['lu_residential']);
    expect(Array.from(mapped.city?.labels[0].values ?? [])).toEqual([10, 20]);
    expect(summariseProperties([{ a: 1 }, { a: 'x' }])).toEqual([
      {
        name: 'a',
        numeric: 1,
        present: 2,
        examples: ['1', 'x'],
        firstNotNumeric: 'feature 1: "x" is not a number',
      },
    ]);
  });

  it('leaves out a hole drawn outside its outer ring, so the centroid stays in the region (it moved 55 km)', async () => {
    const features = grid();
    const outer = square(8.5, 47.37);
    const farHole = square(9.2, 47.37).reverse();
    features[0] = feature('A', { type: 'Polygon', coordinates: [outer, farHole] });
    const r = await dropGeoJson(fc(features));
    expect(warnings(r)).toEqual([
      'warning: regions.geojson, feature 0 (id "A"), field "geometry": hole 1 lies outside its outer ring: left out, so that it does not change the region\'s area and centroid',
    ]);
    const a = r.city?.regions[0];
    expect(a?.geometry).toEqual({ type: 'Polygon', coordinates: [outer] });
    expect(a?.centroid?.map((v) => Math.round(v * 1e6) / 1e6)).toEqual([8.505, 47.375]);
  });

  it('refuses more regions than a city may have, before reading their geometry', async () => {
    const many = Array.from({ length: MAX_REGIONS + 1 }, (_, k) => ({
      type: 'Feature',
      id: k,
      properties: {},
      geometry: null,
    }));
    expect(errors(await dropGeoJson(fc(many as never)))).toEqual([
      'error: regions.geojson, field "features": 100,001 regions, over the limit of 100,000 regions a city may have (the largest measured to train): split the area into several cities, or use larger regions',
    ]);
  });

  it('counts 50,000 unclosed rings in a few seconds, listing ten (counting them was quadratic: 17.6 s)', async () => {
    const features = Array.from({ length: 50_000 }, (_, k) =>
      feature(`r${k}`, {
        type: 'Polygon',
        coordinates: [square(8 + (k % 200) * 0.01, 47 + Math.floor(k / 200) * 0.01).slice(0, 4)],
      }),
    );
    const t = performance.now();
    const r = await dropGeoJson(fc(features));
    expect(performance.now() - t).toBeLessThan(15_000);
    expect(r.city?.regions.length).toBe(50_000);
    expect(warnings(r).length).toBe(11);
    expect(warnings(r)[10]).toBe(
      'warning: regions.geojson, field "geometry": 49990 more rings are not closed (not listed): closed them',
    );
  }, 30_000);
});
