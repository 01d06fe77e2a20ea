import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { directorySource } from '../../cli/fsSource';
import { BENCHMARK_DIR, BENCHMARK_SKIP_REASON } from '../../test/benchmark';
import { memorySource } from '../io/source';
import { writeNpy } from '../io/npy';
import { describedCentroid, loadBenchmarkCity } from './benchmark';
import { loadCity } from './load';
import { BENCHMARK_PROTOCOLS, DEFAULT_PROTOCOL, protocolOf } from './protocol';

describe('describedCentroid', () => {
  it('reads "(lat, lon)" from a region description as [lon, lat]', () => {
    expect(describedCentroid('x\nCentroid Coordinates: (42.0104, -87.6709)\nAddress: y')).toEqual([
      -87.6709, 42.0104,
    ]);
    expect(describedCentroid('no centroid here')).toBeNull();
  });
});

describe('benchmark layout with bad arrays', () => {
  it('reports a label array whose length differs from the region count', async () => {
    const files = {
      'poi_dist.npy': writeNpy({ dtype: 'int32', shape: [3, 2], data: [1, 2, 3, 4, 5, 6] }),
      'crime_counts.npy': writeNpy({ dtype: 'int32', shape: [4], data: [1, 2, 3, 4] }),
      'mob_dist.npy': writeNpy({ dtype: 'int32', shape: [3, 3], data: [0, 1, 2, 3, 0, -1, 0, 0, 0] }),
    };
    const r = await loadBenchmarkCity(memorySource('toy', files), 'toy');
    expect(r.city).toBeNull();
    expect(r.problems.map((p) => `${p.file}: ${p.location ?? ''} ${p.message}`)).toEqual([
      'mob_dist.npy: row 1 (region "1") count is negative (-1): counts must be finite and non-negative',
      'crime_counts.npy:  has 4 values but the city has 3 regions',
    ]);
  });
});

describe('the evaluation protocol of a benchmark city', () => {
  const files = {
    'poi_dist.npy': writeNpy({ dtype: 'int32', shape: [3, 2], data: [1, 2, 3, 4, 5, 6] }),
  };

  it("is the literature's for a known city, carried by the City", async () => {
    const { city } = await loadBenchmarkCity(memorySource('data/chicago', files));
    expect(city?.protocol).toEqual(BENCHMARK_PROTOCOLS.chicago);
    expect(city?.protocol?.folds).toEqual({ k: 25, shuffleSeed: 2024 });
    expect(city?.protocol?.zeroMeansMissing).toEqual(['checkIn']);
    const nyc = (await loadBenchmarkCity(memorySource('data/nyc/', files))).city;
    expect(nyc?.protocol?.folds).toEqual({ k: 10 });
  });

  it('is the default for any other folder of the same layout', async () => {
    const { city } = await loadBenchmarkCity(memorySource('data/mytown', files));
    expect(city?.protocol).toBeUndefined();
    expect(protocolOf(city ?? {})).toEqual(DEFAULT_PROTOCOL);
  });
});

describe.skipIf(!BENCHMARK_DIR)('the shared benchmark cities', () => {
  if (!BENCHMARK_DIR) it.skip(BENCHMARK_SKIP_REASON, () => {});
  const dir = BENCHMARK_DIR ?? '';

  it('Chicago: 77 regions with boundaries and descriptions, no problems', async () => {
    const { city, problems } = await loadCity(directorySource(join(dir, 'chicago')));
    expect(problems).toEqual([]);
    expect(city?.regions.length).toBe(77);
    expect(city?.regions[0].name).toBe('Rogers Park');
    expect(city?.spatial).toEqual({ boundaries: true, centroids: true, adjacency: true, trips: true });
    expect(city?.views.poi?.cols).toBe(26);
    expect(city?.views.landUse?.cols).toBe(12);
    expect(city?.labels.map((l) => l.id)).toEqual(['crime', 'checkIn', 'serviceCall']);
    const checkIn = city?.labels[1].values ?? new Float64Array();
    expect([8, 9, 75].map((i) => checkIn[i])).toEqual([0, 0, 0]);
    expect(city?.regions.every((r) => r.description?.startsWith('The following'))).toBe(true);
  });

  it('NYC: 180 regions with boundaries and the given adjacency (508 edges)', async () => {
    const { city, problems } = await loadCity(directorySource(join(dir, 'nyc')));
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(city?.regions.length).toBe(180);
    expect(city?.spatial.boundaries).toBe(true);
    expect((city?.adjacency ?? []).flat().length / 2).toBe(508);
    const crime = JSON.stringify(Array.from(city?.labels[0].values ?? []).slice(0, 3));
    expect(crime).not.toContain('null');
  });

  it('SF: 175 regions without geometry, trips available for the prior', async () => {
    const { city, problems } = await loadCity(directorySource(join(dir, 'sf')));
    expect(problems).toEqual([]);
    expect(city?.regions.length).toBe(175);
    expect(city?.spatial).toEqual({ boundaries: false, centroids: false, adjacency: false, trips: true });
    expect(city?.views.landUse?.cols).toBe(23);
  });

  it('keeps row order: feature "index" i is row i', async () => {
    const geo = JSON.parse(readFileSync(join(dir, 'nyc', 'regions.geojson'), 'utf8'));
    const { city } = await loadCity(directorySource(join(dir, 'nyc')));
    const f = geo.features.find((x: { properties: { index: number } }) => x.properties.index === 17);
    expect(city?.regions[17].geometry).toEqual(f.geometry);
  });
});
