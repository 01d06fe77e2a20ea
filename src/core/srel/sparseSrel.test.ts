import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { directorySource } from '../../cli/fsSource';
import { useBackend } from '../backend';
import { loadCity } from '../city/load';
import type { City } from '../city/types';
import { buildSpatialPriors } from '../spatial/priors';
import type { SrelConfig } from './config';
import { srelInputs } from './inputs';
import { sparseSrelInputs } from './sparseInputs';
import { SrelModel, srelDims } from './train';

const RIVERTON = join(import.meta.dirname, '../../../sample-cities/riverton');
const SMALL: Partial<SrelConfig> = {
  hiddenSize: 32,
  embeddingSize: 24,
  heads: 2,
  feedForwardSize: 64,
  seed: 7,
};

let city: City;

beforeAll(async () => {
  await useBackend(['wasm', 'cpu']);
  city = (await loadCity(directorySource(RIVERTON))).city as City;
});

const relativeGap = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i] - b[i]) ** 2;
    den += b[i] ** 2;
  }
  return Math.sqrt(num / den);
};

describe('sparse SREL on a small city', () => {
  it('builds inputs with nothing N x N: neighbourhoods of k, the prior at those pairs, sparse trips', () => {
    const inputs = sparseSrelInputs(city, { sparse: { neighbours: 16, sharedRegions: 4 } });
    expect(inputs.layout).toBe('sparse');
    expect(inputs.neighbours.k).toBe(16);
    expect(inputs.neighbours.index.length).toBe(150 * 16);
    expect(inputs.prior?.length).toBe(150 * 16);
    // Each region attends to itself first and to 16 distinct regions.
    for (let i = 0; i < 150; i++) {
      const row = Array.from(inputs.neighbours.index.subarray(i * 16, i * 16 + 16));
      expect(row[0]).toBe(i);
      expect(new Set(row).size).toBe(16);
    }
    // The mobility view is the dense builder's, number for number.
    const dense = srelInputs(city, buildSpatialPriors(city));
    expect(Array.from(inputs.mobility)).toEqual(Array.from(dense.mobility));
    expect(Array.from(inputs.poi)).toEqual(Array.from(dense.poi));
    expect(inputs.priorDescription).toMatch(/16 neighbours \(4 shared by all\)/);
  });

  it('equals dense SREL when every region is every region’s neighbour and every pair is drawn', async () => {
    const dense = srelInputs(city, buildSpatialPriors(city));
    const all = { neighbours: 150, sharedRegions: 0, positives: 150, negatives: 150, similarityPairs: 150 };
    const sparse = sparseSrelInputs(city, { sparse: all });
    const a = new SrelModel({ ...SMALL, epochs: 2 }, srelDims(dense));
    const b = new SrelModel({ ...SMALL, epochs: 2 }, srelDims(sparse));
    // Before training: the same embedding.
    expect(relativeGap(await b.embed(sparse), await a.embed(dense))).toBeLessThan(1e-5);
    // Two epochs: the same losses and still the same embedding (float32 sums in other orders).
    const ha = await a.train(dense);
    const hb = await b.train(sparse);
    for (let e = 0; e < 2; e++) {
      expect(Math.abs(hb[e].loss - ha[e].loss)).toBeLessThan(1e-4 * Math.abs(ha[e].loss));
      expect(Math.abs(hb[e].poi - ha[e].poi)).toBeLessThan(1e-4 * Math.abs(ha[e].poi));
    }
    expect(relativeGap(await b.embed(sparse), await a.embed(dense))).toBeLessThan(1e-4);
    a.dispose();
    b.dispose();
  });

  it('trains with small neighbourhoods and drawn pairs: finite, falling loss, repeatable', async () => {
    const inputs = sparseSrelInputs(city, {
      sparse: { neighbours: 16, sharedRegions: 4, positives: 8, negatives: 8, similarityPairs: 8 },
    });
    const run = async (): Promise<number[]> => {
      const model = new SrelModel({ ...SMALL, epochs: 8 }, srelDims(inputs));
      const history = await model.train(inputs);
      model.dispose();
      return history.map((r) => r.loss);
    };
    const first = await run();
    expect(first.every(Number.isFinite)).toBe(true);
    expect(first[7]).toBeLessThan(first[0]);
    expect(await run()).toEqual(first);
    expect(tf.memory().numTensors).toBeLessThan(50);
  });

  it('reads each region’s attention over its neighbourhood, the largest lift first', async () => {
    const inputs = sparseSrelInputs(city, { sparse: { neighbours: 16, sharedRegions: 4 } });
    const model = new SrelModel({ ...SMALL, epochs: 1 }, srelDims(inputs));
    const attention = await model.regionAttention(inputs, 5);
    expect(attention?.k).toBe(5);
    for (let i = 0; i < 150; i++) {
      const row = Array.from(attention?.indices.subarray(i * 5, i * 5 + 5) ?? []);
      expect(row).not.toContain(i);
      const neighbours = new Set(inputs.neighbours.index.subarray(i * 16, i * 16 + 16));
      for (const j of row) expect(neighbours.has(j)).toBe(true);
      const w = Array.from(attention?.weights.subarray(i * 5, i * 5 + 5) ?? []);
      const lifts = w.map((x, r) => x / (attention?.received?.[row[r]] ?? NaN));
      expect([...lifts].sort((x, y) => y - x)).toEqual(lifts);
      expect(w.reduce((s, x) => s + x, 0) + (attention?.self[i] ?? 0)).toBeLessThanOrEqual(1 + 1e-5);
    }
    model.dispose();
  });
});
