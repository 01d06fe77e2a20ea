import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { directorySource } from '../../cli/fsSource';
import { BENCHMARK_DIR, BENCHMARK_SKIP_REASON } from '../../test/benchmark';
import { loadCity } from '../city/load';
import type { City } from '../city/types';
import { addressOf, buildPrompt, buildPrompts, humanise, regionFacts } from './promptBuilder';
import { builtinTask } from '../tasks/builtin';
import { customTask } from '../tasks/tasks';

let riverton: City;
beforeAll(async () => {
  riverton = (await loadCity(directorySource(join(import.meta.dirname, '../../../sample-cities/riverton'))))
    .city as City;
});

describe('prompt builder', () => {
  it('fills the crime template with a sample region (snapshot)', () => {
    const prompt = buildPrompt(builtinTask('crime')!, regionFacts(riverton, 0, null));
    expect(prompt).toMatchSnapshot();
  });

  it('fills a custom task with the trip partners of a city without geometry (snapshot)', () => {
    const noGeometry: City = {
      ...riverton,
      regions: riverton.regions.map((r) => ({ ...r, geometry: null, centroid: null })),
      adjacency: null,
      spatial: { ...riverton.spatial, boundaries: false, centroids: false, adjacency: false },
    };
    const facts = regionFacts(noGeometry, 5, null);
    expect(facts.neighbourKind).toBe('trip partners');
    expect(
      buildPrompt(customTask('Noise complaints', 'Complaints about noise per year.'), facts),
    ).toMatchSnapshot();
  });

  it('is deterministic and lists shares that add up', () => {
    const task = builtinTask('checkIn')!;
    expect(buildPrompts(riverton, task)).toEqual(buildPrompts(riverton, task));
    const facts = regionFacts(riverton, 3, null);
    const shares = facts.poi.reduce((a, p) => a + p.share, 0);
    expect(shares).toBeCloseTo(1, 9);
    expect(facts.poi[0].count).toBeGreaterThanOrEqual(facts.poi[1].count);
    expect(facts.neighbourKind).toBe('adjacent');
    expect(humanise('food_and_drink')).toBe('food and drink');
    expect(addressOf('Centroid: (1, 2)\nAddress: 5 Main St, Springfield\nIncluded POIs: ...')).toBe(
      '5 Main St, Springfield',
    );
  });

  it.skipIf(!BENCHMARK_DIR)('uses the published address and centroid of a Chicago region', async () => {
    const { city } = await loadCity(directorySource(join(BENCHMARK_DIR ?? '', 'chicago')));
    const prompt = buildPrompt(builtinTask('crime')!, regionFacts(city as City, 0, null));
    expect(prompt).toMatch(/^Region: Rogers Park \(id 0\)$/m);
    expect(prompt).toMatch(/^Address: .+Chicago.+$/m);
    expect(prompt).toMatch(/^Centroid: 42\.01\d\d° N, 87\.67\d\d° W$/m);
    expect(prompt).toMatch(/^Nearest regions: |^Adjacent regions: /m);
  });
  if (!BENCHMARK_DIR) it.skip(BENCHMARK_SKIP_REASON, () => {});
});
