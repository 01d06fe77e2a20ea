import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { directorySource } from '../../cli/fsSource';
import { BENCHMARK_DIR, BENCHMARK_SKIP_REASON } from '../../test/benchmark';
import { assembleCity } from '../city/city';
import { loadCity } from '../city/load';
import type { City, Region } from '../city/types';
import { UNREACHABLE, componentCount, hopDistances, polygonAdjacency } from './adjacency';
import { distanceMatrix, haversineKm } from './distance';
import { sparseFromDense } from '../math/sparse';
import {
  centrality,
  distancePrior,
  mobilityCentrality,
  standardDeviation,
  tripProximity,
  weightedDegree,
} from './prior';
import { buildSpatialPriors } from './priors';

describe('haversine', () => {
  it('matches known distances', () => {
    // One degree of latitude on a 6371 km sphere.
    expect(haversineKm([0, 0], [0, 1])).toBeCloseTo((Math.PI * 6371) / 180, 9);
    // Paris - London, about 343.5 km on this sphere.
    expect(haversineKm([2.3522, 48.8566], [-0.1276, 51.5072])).toBeCloseTo(343.56, 1);
    const d = distanceMatrix([
      [0, 0],
      [0, 1],
      [1, 0],
    ]);
    expect(d[0]).toBe(0);
    expect(d[1]).toBe(d[3]);
  });
});

describe('distance prior and centrality', () => {
  it('follows method.md on a three-region line', () => {
    // Regions 0, 1, 2 at 0, 3 and 12 km along a line.
    const n = 3;
    const km = [0, 3, 12];
    const D = new Float64Array(9).map((_, k) => Math.abs(km[Math.floor(k / 3)] - km[k % 3]));
    const sigma = standardDeviation(D);
    const { weights } = distancePrior(D, n);
    expect(weights[0]).toBe(0); // diagonal
    expect(weights[1]).toBeCloseTo(Math.exp(-9 / (2 * sigma * sigma)), 12);
    expect(weights[2]).toBe(0); // 12 km > 10 km cut-off
    expect(weights[1 * 3 + 2]).toBeCloseTo(Math.exp(-81 / (2 * sigma * sigma)), 12);
    const c = centrality(weights, n);
    expect(Math.max(...c)).toBe(1);
    expect(c[1]).toBe(1); // the middle region is the most central
    expect(distancePrior(D, n, { cutoffKm: Infinity }).weights[2]).toBeGreaterThan(0);
  });

  it('builds a symmetric trip proximity in [0, 1] from the stored trips, the diagonal left out', () => {
    // Rows normalised without the diagonal: R = [0 1 0; .5 0 .5; .25 .75 0]; P = (R + R^T) / 2 / max.
    const trips = sparseFromDense({ rows: 3, cols: 3, data: [7, 10, 0, 5, 0, 5, 1, 3, 0] });
    expect(Array.from(tripProximity(trips))).toEqual([
      0,
      1,
      0.125 / 0.75,
      1,
      0,
      0.625 / 0.75,
      0.125 / 0.75,
      0.625 / 0.75,
      0,
    ]);
  });

  it('gives trips in and out per region, without the diagonal, as a mobility centrality', () => {
    const trips = sparseFromDense({ rows: 3, cols: 3, data: [7, 10, 0, 5, 0, 5, 1, 3, 0] });
    expect(Array.from(mobilityCentrality(trips))).toEqual([16 / 23, 1, 9 / 23]);
  });
});

/** A 3 x 3 grid of unit squares (row-major ids), sharing exact vertices. */
function gridCity(): City {
  const regions: Region[] = [];
  for (let r = 0; r < 3; r++)
    for (let c = 0; c < 3; c++) {
      const x = 8.5 + c * 0.01;
      const y = 47.3 + r * 0.01;
      const ring = [
        [x, y],
        [x + 0.01, y],
        [x + 0.01, y + 0.01],
        [x, y + 0.01],
        [x, y],
      ];
      regions.push({
        id: `${r}${c}`,
        name: `${r}${c}`,
        geometry: { type: 'Polygon', coordinates: [ring] },
        centroid: [x + 0.005, y + 0.005],
      });
    }
  return assembleCity(
    { name: 'grid', source: 'test', licence: 'test' },
    regions,
    { poi: null, poiCategories: [], landUse: null, landUseClasses: [], trips: null },
    [],
    null,
  );
}

describe('polygon adjacency and hops', () => {
  it('finds edge neighbours (rook) and corner neighbours (queen)', () => {
    const city = gridCity();
    const rook = polygonAdjacency(city.regions, { minSharedVertices: 2 });
    expect(rook[4]).toEqual([1, 3, 5, 7]);
    expect(rook[0]).toEqual([1, 3]);
    const queen = polygonAdjacency(city.regions);
    expect(queen[4]).toEqual([0, 1, 2, 3, 5, 6, 7, 8]);
  });

  it('counts hops by breadth-first search', () => {
    const rook = polygonAdjacency(gridCity().regions, { minSharedVertices: 2 });
    const hops = hopDistances(rook);
    expect(hops[0 * 9 + 8]).toBe(4);
    expect(hops[0 * 9 + 4]).toBe(2);
    expect(hops[4 * 9 + 4]).toBe(0);
    const split = hopDistances([[1], [0], []]);
    expect(split[0 * 3 + 2]).toBe(UNREACHABLE);
    expect(componentCount([[1], [0], []])).toBe(2);
  });

  it('builds priors for a city with boundaries', () => {
    const p = buildSpatialPriors(gridCity());
    expect(p.priorSource).toBe('centroid-distance');
    expect(p.adjacencySource).toBe('polygons');
    expect(p.centrality[4]).toBe(1);
    expect(p.description).toMatch(
      /Gaussian distance prior on centroid distances \(sigma [\d.]+ km, cut-off 10 km\)/,
    );
  });
});

describe.skipIf(!BENCHMARK_DIR)('spatial priors on the benchmark cities', () => {
  if (!BENCHMARK_DIR) it.skip(BENCHMARK_SKIP_REASON, () => {});
  const dir = BENCHMARK_DIR ?? '';

  it('Chicago: sigma 8.92 km, 33.5% of off-diagonal pairs non-zero, weighted degree 1.89 to 29.36', async () => {
    const { city } = await loadCity(directorySource(join(dir, 'chicago')));
    const p = buildSpatialPriors(city as City);
    const n = p.n;
    expect(p.priorSource).toBe('centroid-distance');
    expect(p.sigmaKm).toBeCloseTo(8.92, 2);
    let nonZero = 0;
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) if (i !== j && p.distancePrior[i * n + j] > 0) nonZero++;
    expect((100 * nonZero) / (n * n - n)).toBeCloseTo(33.5, 1);
    const deg = weightedDegree(p.distancePrior, n);
    expect(Math.min(...deg)).toBeCloseTo(1.89, 2);
    expect(Math.max(...deg)).toBeCloseTo(29.36, 2);
    expect(Math.max(...p.centrality)).toBe(1);
    // Polygon adjacency of the community areas: one connected graph.
    expect(p.adjacencySource).toBe('polygons');
    expect(componentCount(p.adjacency ?? [])).toBe(1);
  });

  it('NYC: polygon adjacency reproduces the published adjacency edge for edge', async () => {
    const { city } = await loadCity(directorySource(join(dir, 'nyc')));
    const given: number[][] = JSON.parse(readFileSync(join(dir, 'nyc', 'adjacency.json'), 'utf8'));
    const computed = polygonAdjacency((city as City).regions);
    expect(computed).toEqual(given.map((l) => [...l].sort((a, b) => a - b)));
  });

  it('SF: no coordinates, so the prior comes from trips and says so', async () => {
    const { city } = await loadCity(directorySource(join(dir, 'sf')));
    const p = buildSpatialPriors(city as City);
    expect(p.priorSource).toBe('trip-proximity');
    expect(p.description).toMatch(/trip-based proximity/);
    expect(p.sigmaKm).toBeNull();
    expect(p.adjacency).toBeNull();
    expect(Math.max(...p.distancePrior)).toBe(1);
  });
});
