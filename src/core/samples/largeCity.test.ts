import type { Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { adjacencyProblem } from '../city/city';
import { nonZeros, sparseRowSums } from '../math/sparse';
import { KERNEL_KM, kernelMean } from './generateCity';
import { generateLargeCity, gridKernelMean, type LargeCity } from './largeCity';
import type { Point } from './layout';

const N = 5000;
const large = generateLargeCity({ seed: 15, regions: N });
const { city, trips } = large;

/** FNV-1a over the bytes of every array of the city and its trips, and its regions as JSON. */
function fingerprint({ city: c, trips: t }: LargeCity): string {
  let h = 0x811c9dc5;
  const eat = (bytes: Uint8Array): void => {
    for (const b of bytes) h = Math.imul(h ^ b, 0x01000193);
  };
  const arrays = [
    c.views.poi!.data,
    c.views.landUse!.data,
    t.rowStart,
    t.colIndex,
    t.values,
    ...c.labels.map((l) => l.values),
  ];
  for (const a of arrays) eat(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  eat(new TextEncoder().encode(JSON.stringify([c.regions, c.adjacency])));
  return (h >>> 0).toString(16);
}

describe('generateLargeCity', () => {
  it('makes a city of 5,000 regions with polygons, centroids, unique ids and names, and an adjacency', () => {
    expect(city.regions).toHaveLength(N);
    expect(new Set(city.regions.map((r) => r.id)).size).toBe(N);
    expect(new Set(city.regions.map((r) => r.name)).size).toBe(N);
    for (const r of city.regions) {
      const ring = (r.geometry as Polygon).coordinates[0];
      expect(ring.length).toBeGreaterThanOrEqual(4);
      expect(ring[0]).toEqual(ring[ring.length - 1]);
      expect(r.centroid).not.toBeNull();
    }
    expect(adjacencyProblem(city.adjacency, N)).toBeNull();
    expect(city.spatial).toMatchObject({ boundaries: true, centroids: true, adjacency: true });
  });

  it('has complete, non-negative integer POI and land-use counts', () => {
    const { poi, landUse } = city.views;
    expect([poi!.rows, poi!.cols, landUse!.rows, landUse!.cols]).toEqual([N, 26, N, 11]);
    for (const m of [poi!, landUse!]) expect(m.data.every((v) => Number.isInteger(v) && v >= 0)).toBe(true);
  });

  it('keeps trips sparse: N x N in CSR, 20 to 80 destinations per origin, integer counts', () => {
    expect([trips.rows, trips.cols]).toEqual([N, N]);
    const perRegion = nonZeros(trips) / N;
    expect(perRegion).toBeGreaterThan(20);
    expect(perRegion).toBeLessThan(80);
    expect(trips.values.every((v) => Number.isInteger(v) && v > 0)).toBe(true);
    let ascending = true;
    for (let i = 0; i < N; i++)
      for (let k = trips.rowStart[i] + 1; k < trips.rowStart[i + 1]; k++)
        ascending &&= trips.colIndex[k] > trips.colIndex[k - 1];
    expect(ascending).toBe(true);
    // About 100 trips leave a region on average (tripsPerRegion).
    const mean = sparseRowSums(trips).reduce((s, v) => s + v, 0) / N;
    expect(mean).toBeGreaterThan(90);
    expect(mean).toBeLessThan(110);
    expect(city.views.trips).toBe(trips);
    expect(city.spatial.trips).toBe(true);
  });

  it('has the three task labels for every region', () => {
    expect(city.labels.map((l) => l.id)).toEqual(['crime', 'checkIn', 'serviceCall']);
    for (const l of city.labels) {
      expect(l.values).toHaveLength(N);
      expect(l.missing).toBe(0);
      expect(l.values.every((v) => Number.isInteger(v) && v >= 0)).toBe(true);
    }
  });

  it('is deterministic: the same seed gives the same city, another seed another', () => {
    expect(fingerprint(generateLargeCity({ seed: 15, regions: N }))).toBe(fingerprint(large));
    expect(fingerprint(generateLargeCity({ seed: 16, regions: 1000 }))).not.toBe(
      fingerprint(generateLargeCity({ seed: 15, regions: 1000 })),
    );
  });

  it('refuses fewer than 20 regions', () => {
    expect(() => generateLargeCity({ seed: 1, regions: 10 })).toThrow(/regions must be >= 20/);
  });
});

describe('gridKernelMean', () => {
  it('agrees with the exact N x N kernel mean (correlation > 0.99)', () => {
    const n = 2000;
    const centroids: Point[] = city.regions.slice(0, n).map((r) => r.centroid as Point);
    // Centroids in km around the first one (equirectangular), and a smooth field plus noise.
    const [lon0, lat0] = centroids[0];
    const km: Point[] = centroids.map(([lon, lat]) => [
      (lon - lon0) * 111.32 * Math.cos((lat0 * Math.PI) / 180),
      (lat - lat0) * 110.574,
    ]);
    const v = Float64Array.from(
      km,
      ([x, y], i) => Math.sin(x / 3) + Math.cos(y / 2) + ((i * 7919) % 13) / 13,
    );
    const exact = kernelMean(v, km, KERNEL_KM);
    const grid = gridKernelMean(km, KERNEL_KM)(v);
    const mean = (a: Float64Array): number => a.reduce((s, x) => s + x, 0) / a.length;
    const [me, mg] = [mean(exact), mean(grid)];
    let sxy = 0;
    let sxx = 0;
    let syy = 0;
    for (let i = 0; i < n; i++) {
      sxy += (exact[i] - me) * (grid[i] - mg);
      sxx += (exact[i] - me) ** 2;
      syy += (grid[i] - mg) ** 2;
    }
    expect(sxy / Math.sqrt(sxx * syy)).toBeGreaterThan(0.99);
  });
});
