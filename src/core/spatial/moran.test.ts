import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { directorySource } from '../../cli/fsSource';
import { loadCity } from '../city/load';
import { contiguityWeights, type SpatialWeights } from '../eval/spatialLag';
import { regionsInARow } from '../city/fixtures/twoSquares';
import { Rng } from '../random';
import {
  LISA_KINDS,
  globalMoran,
  layerPattern,
  localMoran,
  residualPattern,
  residualPatternSentence,
  weightsOn,
} from './moran';

/** Rook contiguity on a side x side grid, row-standardised (cell r * side + c). */
function rookGrid(side: number): SpatialWeights {
  const neighbours: Int32Array[] = [];
  for (let r = 0; r < side; r++)
    for (let c = 0; c < side; c++) {
      const nb: number[] = [];
      for (const [dr, dc] of [
        [1, 0],
        [-1, 0],
        [0, 1],
        [0, -1],
      ]) {
        const rr = r + dr;
        const cc = c + dc;
        if (rr >= 0 && rr < side && cc >= 0 && cc < side) nb.push(rr * side + cc);
      }
      neighbours.push(Int32Array.from(nb));
    }
  return {
    description: 'rook contiguity',
    neighbours,
    weights: neighbours.map((nb) => new Float64Array(nb.length).fill(1 / nb.length)),
  };
}

// Reference figures from numpy: I = n / W.sum() * (z @ W @ z) / (z @ z) on the same grid.
const X = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3];

describe("global Moran's I", () => {
  it('equals the numpy reference on a 4 x 4 rook grid', () => {
    expect(globalMoran(X, rookGrid(4)).i).toBeCloseTo(-0.08620689655172416, 14);
  });

  it('is -1 for a checkerboard, every neighbour the opposite value', () => {
    const board = Array.from({ length: 16 }, (_, i) => (Math.floor(i / 4) + (i % 4)) % 2);
    const m = globalMoran(board, rookGrid(4));
    expect(m.i).toBeCloseTo(-1, 14);
    expect(m.expected).toBeCloseTo(-1 / 15, 15);
  });

  it('restricts the weights to a subset of regions and rescales each row, as numpy does', () => {
    const rows = Array.from({ length: 12 }, (_, i) => i);
    const sub = weightsOn(rookGrid(4), rows);
    expect(globalMoran(X.slice(0, 12), sub).i).toBeCloseTo(-0.18238993710691825, 14);
    sub.weights.forEach((w) => expect(w.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 15));
  });

  it('finds a clustered pattern significant and random noise not', () => {
    const w = rookGrid(10);
    // West half high, east half low: strongly clustered.
    const halves = Array.from({ length: 100 }, (_, i) => (i % 10 < 5 ? 10 : 0));
    const clustered = globalMoran(halves, w, { permutations: 999, seed: 1 });
    expect(clustered.i).toBeGreaterThan(0.7);
    expect(clustered.pValue).toBe(0.001);
    const rng = new Rng(7);
    const noise = Array.from({ length: 100 }, () => rng.normal());
    const random = globalMoran(noise, w, { permutations: 999, seed: 1 });
    expect(random.pValue).toBeGreaterThan(0.05);
  });

  it('gives the same p-value for the same seed and says so in words', () => {
    const a = globalMoran(X, rookGrid(4), { seed: 3 });
    expect(globalMoran(X, rookGrid(4), { seed: 3 }).pValue).toBe(a.pValue);
    const halves = Array.from({ length: 100 }, (_, i) => (i % 10 < 5 ? 10 : 0));
    expect(residualPatternSentence(globalMoran(halves, rookGrid(10)))).toMatch(
      /^The residuals cluster in space/,
    );
    const board = Array.from({ length: 100 }, (_, i) => (Math.floor(i / 10) + (i % 10)) % 2);
    expect(residualPatternSentence(globalMoran(board, rookGrid(10)))).toMatch(/dispersed/);
  });

  it('refuses fewer than 3 regions and weights with no neighbour at all', () => {
    const none: SpatialWeights = {
      description: 'none',
      neighbours: [0, 1, 2].map(() => new Int32Array()),
      weights: [0, 1, 2].map(() => new Float64Array()),
    };
    expect(() => globalMoran([1, 2, 3], none)).toThrow(/no region has a neighbour/);
    expect(() => globalMoran([1, 2], weightsOn(rookGrid(4), [0, 1]))).toThrow(/at least 3/);
  });
});

describe("local Moran's I (LISA)", () => {
  it('equals the numpy reference I_i = z_i / m2 * (W z)_i', () => {
    const local = localMoran(X, rookGrid(4), { permutations: 9 });
    expect(local.i[0]).toBeCloseTo(0.5517241379310345, 14);
    expect(local.i[1]).toBeCloseTo(-0.18390804597701146, 14);
    expect(local.i[2]).toBeCloseTo(0.5057471264367815, 14);
  });

  it('maps a block of high values as high-high, a low hole in it as low-high, the far corner not significant', () => {
    // A 5 x 5 block of 10s (rows and columns 2 to 6) on a 10 x 10 grid of 0s, its centre 0.
    const x = Array.from({ length: 100 }, (_, i) => {
      const [r, c] = [Math.floor(i / 10), i % 10];
      return r >= 2 && r <= 6 && c >= 2 && c <= 6 && i !== 44 ? 10 : 0;
    });
    const local = localMoran(x, rookGrid(10), { seed: 2 });
    expect(local.kind[33]).toBe('high-high');
    expect(local.kind[35]).toBe('high-high');
    expect(local.kind[44]).toBe('low-high');
    expect(local.kind[99]).toBe('not significant');
    expect(local.pValue[33]).toBeLessThan(0.02);
  });

  it('marks a region whose neighbours are all outside the subset as having none', () => {
    const sub = weightsOn(rookGrid(4), [0, 5, 10, 1, 2]);
    const local = localMoran([1, 2, 3, 4, 5], sub, { permutations: 9 });
    expect(local.kind[2]).toBe('no neighbours');
    expect(local.pValue[2]).toBe(1);
  });
});

describe('the residual pattern of a task', () => {
  it("is Moran's I of prediction minus label over the held-out regions only", () => {
    const w = rookGrid(4);
    const labels = X.map((v) => v + 1);
    const predicted = new Array<number>(16).fill(1);
    const heldOut = Uint8Array.from({ length: 16 }, (_, i) => (i < 12 ? 1 : 0));
    const r = residualPattern(labels, predicted, heldOut, w, 99)!;
    expect(r.moransI).toBeCloseTo(-0.18238993710691825, 14);
    expect(r).toMatchObject({ regions: 12, spatialWeights: 'rook contiguity', permutations: 99 });
    // The LISA codes cover the held-out regions only, and are those of localMoran on them.
    const local = localMoran(
      X.slice(0, 12).map((v) => -v),
      weightsOn(
        w,
        Array.from({ length: 12 }, (_, i) => i),
      ),
      { permutations: 99 },
    );
    expect(Array.from(r.lisa.slice(12))).toEqual([-1, -1, -1, -1]);
    expect(Array.from(r.lisa.slice(0, 12), (c) => LISA_KINDS[c])).toEqual(local.kind);
    expect(r.expected).toBeCloseTo(-1 / 11, 15);
  });

  it('is null with fewer than 3 held-out regions or none with a neighbour among them', () => {
    const w = rookGrid(4);
    const y = new Array<number>(16).fill(0);
    expect(
      residualPattern(
        y,
        y,
        Uint8Array.from({ length: 16 }, (_, i) => (i < 2 ? 1 : 0)),
        w,
      ),
    ).toBeNull();
    // Cells 0, 2, 5 and 7 of a 4 x 4 grid touch none of each other.
    const apart = Uint8Array.from({ length: 16 }, (_, i) => ([0, 2, 5, 7].includes(i) ? 1 : 0));
    expect(residualPattern(X, y, apart, w)).toBeNull();
  });
});

describe("a layer's spatial pattern", () => {
  it('tests one value of a city with its own weights, leaving out regions without a value', () => {
    const city = regionsInARow(40, true);
    const trend = Float64Array.from({ length: 40 }, (_, i) => (i === 5 ? NaN : Math.sin(i / 5)));
    const p = layerPattern(city, trend, { permutations: 99 });
    expect(p.spatialWeights).toBe('6 nearest regions by centroid');
    expect(p.regions).toBe(39);
    expect(p.moransI).toBeGreaterThan(0.5);
    expect(p.moransIPValue).toBe(0.01);
    expect(p.lisa[5]).toBe(-1);
    expect(LISA_KINDS[p.lisa[0]]).toBe('not significant');
  });

  it('says why it cannot test a city with neither centroids nor trips', () => {
    expect(() => layerPattern(regionsInARow(10, false), new Float64Array(10).fill(1))).toThrow(
      'this city has neither region centroids nor trips, so no spatial weights to test with',
    );
  });

  it('tests with contiguity where the city has boundaries, and says why not where it has none', async () => {
    const { city } = await loadCity(
      directorySource(join(import.meta.dirname, '../../../sample-cities/riverton')),
    );
    const crime = city!.labels.find((l) => l.id === 'crime')!.values;
    const p = layerPattern(city!, crime, { permutations: 99, weights: 'contiguity' });
    expect(p.spatialWeights).toBe("regions sharing a boundary (the city's own adjacency list)");
    // The same I as by hand with W from the city's adjacency list, rows scaled to 1.
    const w = contiguityWeights(city!)!;
    w.neighbours.forEach((nb, i) =>
      expect(Array.from(nb)).toEqual(city!.adjacency![i].filter((j) => j !== i)),
    );
    expect(p.moransI).toBe(globalMoran(crime, w, { permutations: 99 }).i);
    expect(() =>
      layerPattern(regionsInARow(10, true), new Float64Array(10), { weights: 'contiguity' }),
    ).toThrow('this city has no region boundaries, so no contiguity to test with: use the nearest regions');
  });
});
