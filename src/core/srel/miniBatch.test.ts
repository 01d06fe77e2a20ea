import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { directorySource } from '../../cli/fsSource';
import { useBackend } from '../backend';
import { loadCity } from '../city/load';
import type { City } from '../city/types';
import type { SrelConfig } from './config';
import type { SparseSrelInputs } from './inputTypes';
import { batchEpoch, epochBatches, inferInBatches, trainsInBatches } from './miniBatch';
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
const SAMPLING = { neighbours: 12, sharedRegions: 3, positives: 8, negatives: 8, similarityPairs: 8 };

let city: City;
let whole: SparseSrelInputs;
let batched: SparseSrelInputs;

beforeAll(async () => {
  await useBackend(['wasm', 'cpu']);
  city = (await loadCity(directorySource(RIVERTON))).city as City;
  whole = sparseSrelInputs(city, { sparse: SAMPLING });
  batched = { ...whole, sampling: { ...whole.sampling, batchAbove: 40, batchRegions: 40 } };
});

const maxGap = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let gap = 0;
  for (let i = 0; i < a.length; i++) gap = Math.max(gap, Math.abs(a[i] - b[i]) / (1 + Math.abs(b[i])));
  return gap;
};

describe('SREL in mini-batches (Riverton, 150 regions, batches of 40)', () => {
  it('cuts the city into batches whose rings cover each seed’s three hops of neighbours', () => {
    expect(trainsInBatches(whole)).toBe(false);
    expect(trainsInBatches(batched)).toBe(true);
    const layouts = epochBatches(
      batched,
      { ...(SMALL as SrelConfig), intraViewLayers: 1, regionFusionLayers: 2 },
      1,
    );
    expect(layouts.length).toBe(4);
    expect(layouts.reduce((sum, l) => sum + l.levels[3], 0)).toBe(150);
    for (const l of layouts) expect(l.levels[0]).toBeLessThanOrEqual(150);
  });

  it('embeds every region exactly as the whole city does (1e-5): each seed sees all it would see', async () => {
    const model = new SrelModel({ ...SMALL, epochs: 2 }, srelDims(whole));
    await model.train(whole);
    const reference = await model.embed(whole);
    const ours = await model.embed(batched);
    expect(ours.length).toBe(reference.length);
    expect(maxGap(ours, reference)).toBeLessThan(1e-5);
    // And the attention each region pays its neighbours.
    const a = await model.regionAttention(whole, 4);
    const b = await model.regionAttention(batched, 4);
    expect(maxGap(b?.weights ?? [], a?.weights ?? [])).toBeLessThan(1e-5);
    expect(Array.from(b?.indices ?? [])).toEqual(Array.from(a?.indices ?? []));
    // One pass for both (a run's last snapshot): embed's and regionAttention's results, bit for bit.
    for (const [inputs, embedding, attention] of [
      [whole, reference, a],
      [batched, ours, b],
    ] as const) {
      const both = await model.embedWithAttention(inputs, 4);
      expect(both.embedding).toEqual(embedding);
      expect(both.attention).toEqual(attention);
    }
    model.dispose();
  });

  it('trains: finite, falling loss of the whole city’s size, repeatable, nothing left behind', async () => {
    const before = tf.memory().numTensors;
    const run = async (inputs: SparseSrelInputs): Promise<number[]> => {
      const model = new SrelModel({ ...SMALL, epochs: 8 }, srelDims(inputs));
      const history = await model.train(inputs);
      model.dispose();
      return history.map((r) => r.loss);
    };
    const ours = await run(batched);
    expect(ours.every(Number.isFinite)).toBe(true);
    expect(ours[7]).toBeLessThan(ours[0]);
    expect(await run(batched)).toEqual(ours);
    // The summed batch losses estimate the whole-city loss: same draws, partners one step old.
    const reference = await run(whole);
    expect(Math.abs(ours[0] - reference[0]) / reference[0]).toBeLessThan(0.05);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('stops between two batches when cancelled, with nothing of that epoch applied', async () => {
    const model = new SrelModel({ ...SMALL, epochs: 3 }, srelDims(batched));
    const before = await model.embed(batched);
    const controller = new AbortController();
    const bank = new Float32Array(150 * 24);
    controller.abort();
    expect(
      await batchEpoch(
        model.params,
        model.config,
        batched,
        model.params.store.list(),
        bank,
        1,
        controller.signal,
      ),
    ).toBeNull();
    await expect(model.train(batched, { signal: controller.signal })).rejects.toThrow(
      'cancelled after 0 epochs',
    );
    expect(maxGap(await model.embed(batched), before)).toBe(0);
    model.dispose();
  });

  it('reads a region’s partners outside its batch from the bank: embeddings after training are finite', async () => {
    const model = new SrelModel({ ...SMALL, epochs: 3 }, srelDims(batched));
    await model.train(batched);
    const { embedding } = await inferInBatches(model.params, model.config, batched);
    expect(embedding.length).toBe(150 * 24);
    expect(embedding.every(Number.isFinite)).toBe(true);
    model.dispose();
  });
});
