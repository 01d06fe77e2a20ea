import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { loadCityBundle, writeCityBundle } from '../city/bundle';
import { adjacencyProblem } from '../city/city';
import { geometryCentroid, ringSignedArea } from '../city/geometry';
import type { City, Matrix } from '../city/types';
import { memorySource } from '../io/source';
import { nonZeros, sparseRowSums } from '../math/sparse';
import {
  LAND_USE_CLASSES,
  POI_CATEGORIES,
  adjacentMean,
  generateSyntheticCity,
  generateSyntheticCityWithTruth,
} from './generateCity';
import { SAMPLE_CITIES } from './sampleCities';

const riverton = SAMPLE_CITIES.find((s) => s.id === 'riverton')!;
const { city, truth } = generateSyntheticCityWithTruth(riverton.options);
const n = city.regions.length;

const row = (m: Matrix, i: number): number[] => Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols));

/** Ordinary least squares with intercept (normal equations, Gaussian elimination); in-sample R². */
function olsR2(X: number[][], y: number[]): number {
  const p = X[0].length + 1;
  const A = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  const b = new Array<number>(p).fill(0);
  for (let i = 0; i < X.length; i++) {
    const x = [1, ...X[i]];
    for (let r = 0; r < p; r++) {
      b[r] += x[r] * y[i];
      for (let c = 0; c < p; c++) A[r][c] += x[r] * x[c];
    }
  }
  for (let r = 1; r < p; r++) A[r][r] += 1e-9 * (A[r][r] + 1); // guard against an all-zero column
  for (let c = 0; c < p; c++) {
    let piv = c;
    for (let r = c + 1; r < p; r++) if (Math.abs(A[r][c]) > Math.abs(A[piv][c])) piv = r;
    [A[c], A[piv]] = [A[piv], A[c]];
    [b[c], b[piv]] = [b[piv], b[c]];
    for (let r = c + 1; r < p; r++) {
      const f = A[r][c] / A[c][c];
      for (let k = c; k < p; k++) A[r][k] -= f * A[c][k];
      b[r] -= f * b[c];
    }
  }
  const w = new Array<number>(p).fill(0);
  for (let r = p - 1; r >= 0; r--) {
    let s = b[r];
    for (let k = r + 1; k < p; k++) s -= A[r][k] * w[k];
    w[r] = s / A[r][r];
  }
  const mean = y.reduce((s, v) => s + v, 0) / y.length;
  let ssRes = 0;
  let ssTot = 0;
  X.forEach((x, i) => {
    const pred = w[0] + x.reduce((s, v, k) => s + v * w[k + 1], 0);
    ssRes += (y[i] - pred) ** 2;
    ssTot += (y[i] - mean) ** 2;
  });
  return 1 - ssRes / ssTot;
}

const adjustedR2 = (r2: number, rows: number, predictors: number): number =>
  1 - ((1 - r2) * (rows - 1)) / (rows - predictors - 1);

function ringsOf(c: City): number[][][] {
  return c.regions.map((r) => (r.geometry as Polygon).coordinates[0]);
}

describe('generateSyntheticCity', () => {
  it('is deterministic: same seed, same city; another seed, another city', () => {
    const again = generateSyntheticCity(riverton.options);
    expect(again.regions).toEqual(city.regions);
    expect(again.views.poi!.data).toEqual(city.views.poi!.data);
    expect(again.views.landUse!.data).toEqual(city.views.landUse!.data);
    expect(again.views.trips).toEqual(city.views.trips);
    expect(again.labels).toEqual(city.labels);
    expect(again.adjacency).toEqual(city.adjacency);
    const other = generateSyntheticCity({ ...riverton.options, seed: riverton.options.seed + 1 });
    expect(other.regions.map((r) => r.centroid)).not.toEqual(city.regions.map((r) => r.centroid));
    expect(other.labels[0].values).not.toEqual(city.labels[0].values);
  });

  it('has exactly the requested number of regions, unique ids and names, metadata', () => {
    expect(n).toBe(150);
    expect(new Set(city.regions.map((r) => r.id)).size).toBe(n);
    expect(new Set(city.regions.map((r) => r.name)).size).toBe(n);
    expect(city.regions[0].id).toBe('R001');
    expect(city.regions[n - 1].id).toBe('R150');
    expect(city.metadata.name).toBe('Riverton');
    expect(city.metadata.source).toBe(`ToPT Studio synthetic generator, seed ${riverton.options.seed}`);
    expect(city.metadata.licence).toBe('CC0-1.0 (synthetic data)');
    expect(city.spatial).toEqual({ boundaries: true, centroids: true, adjacency: true, trips: true });
    const kinds = new Set(truth.kinds);
    for (const k of ['cbd', 'inner', 'suburb', 'industrial', 'park'] as const)
      expect(kinds.has(k)).toBe(true);
  });

  it('makes valid polygons: closed, >= 4 positions, counter-clockwise, non-zero area, 6 decimals', () => {
    for (const [i, region] of city.regions.entries()) {
      const geometry = region.geometry as Polygon;
      expect(geometry.type).toBe('Polygon');
      expect(geometry.coordinates).toHaveLength(1);
      const ring = geometry.coordinates[0];
      expect(ring.length).toBeGreaterThanOrEqual(4);
      expect(ring[0]).toEqual(ring[ring.length - 1]);
      expect(ringSignedArea(ring)).toBeGreaterThan(0);
      for (let k = 0; k + 1 < ring.length; k++) expect(ring[k]).not.toEqual(ring[k + 1]);
      for (const [lon, lat] of ring) {
        expect(Math.round(lon * 1e6) / 1e6).toBe(lon);
        expect(Math.round(lat * 1e6) / 1e6).toBe(lat);
        expect(Math.abs(lon - 8.9)).toBeLessThan(0.3);
        expect(Math.abs(lat - 47.55)).toBeLessThan(0.2);
      }
      expect(region.centroid, `region ${i}`).toEqual(geometryCentroid(geometry));
    }
  });

  it('gives a symmetric shared-edge adjacency equal to vertex-touching adjacency', () => {
    const adjacency = city.adjacency!;
    expect(adjacencyProblem(adjacency, n)).toBeNull();
    const byVertex = new Map<string, Set<number>>();
    ringsOf(city).forEach((ring, i) => {
      for (const [x, y] of ring) {
        const key = `${x},${y}`;
        if (!byVertex.has(key)) byVertex.set(key, new Set());
        byVertex.get(key)!.add(i);
      }
    });
    const touching = city.regions.map(() => new Set<number>());
    for (const set of byVertex.values())
      for (const i of set) for (const j of set) if (i !== j) touching[i].add(j);
    expect(adjacency.map((list) => [...list].sort((a, b) => a - b))).toEqual(
      touching.map((s) => [...s].sort((a, b) => a - b)),
    );
    for (const list of adjacency) expect(list.length).toBeGreaterThan(0);
    const meanDegree = adjacency.reduce((s, l) => s + l.length, 0) / n;
    expect(meanDegree).toBeGreaterThan(4);
    expect(meanDegree).toBeLessThan(7);
  });

  it('has complete, non-negative integer views of the right shape', () => {
    const { poi, landUse, trips } = city.views;
    expect(city.views.poiCategories).toEqual([...POI_CATEGORIES]);
    expect(city.views.landUseClasses).toEqual([...LAND_USE_CLASSES]);
    expect([poi!.rows, poi!.cols]).toEqual([n, 26]);
    expect([landUse!.rows, landUse!.cols]).toEqual([n, LAND_USE_CLASSES.length]);
    expect([trips!.rows, trips!.cols]).toEqual([n, n]);
    for (const m of [poi!, landUse!]) {
      expect(m.data.length).toBe(m.rows * m.cols);
      expect(m.data.every((v) => Number.isInteger(v) && v >= 0)).toBe(true);
    }
    expect(trips!.values.every((v) => Number.isInteger(v) && v > 0)).toBe(true);
    const tripsOut = sparseRowSums(trips!);
    for (let i = 0; i < n; i++) {
      expect(row(poi!, i).reduce((s, v) => s + v, 0)).toBeGreaterThan(0);
      expect(row(landUse!, i).reduce((s, v) => s + v, 0)).toBeGreaterThan(0);
      expect(tripsOut[i]).toBeGreaterThan(0);
    }
    expect(1 - nonZeros(trips!) / (n * n)).toBeGreaterThan(0.2); // sparse-ish: far pairs rarely travel
    // Riverside regions have water parcels; the park is mostly park.
    const water = LAND_USE_CLASSES.indexOf('water');
    expect(landUse!.data.filter((_, k) => k % landUse!.cols === water).some((v) => v > 0)).toBe(true);
    const park = truth.kinds.indexOf('park');
    const parkRow = row(landUse!, park);
    expect(parkRow[LAND_USE_CLASSES.indexOf('park_and_recreation')]).toBe(Math.max(...parkRow));
  });

  it('has the three task labels, complete and non-negative', () => {
    expect(city.labels.map((l) => l.id)).toEqual(['crime', 'checkIn', 'serviceCall']);
    expect(city.labels.map((l) => l.name)).toEqual(['Crime', 'Check-ins', 'Service calls']);
    for (const l of city.labels) {
      expect(l.values).toHaveLength(n);
      expect(l.missing).toBe(0);
      expect(l.values.every((v) => Number.isInteger(v) && v >= 0)).toBe(true);
      expect(l.unit.length).toBeGreaterThan(0);
    }
  });

  it('labels depend on neighbours: own + neighbour-averaged features beat own features (OLS R²)', () => {
    const poi = city.views.poi!;
    const landUse = city.views.landUse!;
    const own = Array.from({ length: n }, (_, i) => [...row(poi, i), ...row(landUse, i)].map(Math.log1p));
    const p = own[0].length;
    const neighbourCols = Array.from({ length: p }, (_, k) =>
      adjacentMean(
        Float64Array.from(own, (r) => r[k]),
        city.adjacency!,
      ),
    );
    const withNeighbours = own.map((r, i) => [...r, ...neighbourCols.map((col) => col[i])]);
    for (const label of city.labels) {
      const y = Array.from(label.values);
      const r2Own = olsR2(own, y);
      const r2Both = olsR2(withNeighbours, y);
      expect(r2Both - r2Own, label.id).toBeGreaterThan(0.1);
      // Also after paying for the extra predictors.
      expect(adjustedR2(r2Both, n, 2 * p) - adjustedR2(r2Own, n, p), label.id).toBeGreaterThan(0.05);
    }
  });

  it('round-trips through the city bundle without problems', async () => {
    const files = writeCityBundle(city, { viewsFormat: riverton.viewsFormat });
    const loaded = await loadCityBundle(memorySource('riverton', files));
    expect(loaded.problems).toEqual([]);
    const back = loaded.city!;
    expect(back.regions.map((r) => [r.id, r.name, r.centroid])).toEqual(
      city.regions.map((r) => [r.id, r.name, r.centroid]),
    );
    expect(back.views.poi!.data).toEqual(city.views.poi!.data);
    expect(back.views.trips).toEqual(city.views.trips);
    expect(back.labels.map((l) => Array.from(l.values))).toEqual(
      city.labels.map((l) => Array.from(l.values)),
    );
    expect(back.adjacency).toEqual(city.adjacency);
  });

  it('matches the committed sample-cities/riverton (else run `npm run generate:samples -- --force`)', () => {
    const dir = fileURLToPath(new URL(`../../../sample-cities/${riverton.id}`, import.meta.url));
    if (!existsSync(dir)) return; // not generated yet
    const files = writeCityBundle(city, { viewsFormat: riverton.viewsFormat });
    for (const [path, bytes] of Object.entries(files)) {
      const onDisk = new Uint8Array(readFileSync(join(dir, path)));
      expect(Buffer.from(onDisk).equals(Buffer.from(bytes)), path).toBe(true);
    }
  });
});
