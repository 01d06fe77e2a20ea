import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { directorySource } from '../../cli/fsSource';
import { useBackend } from '../backend';
import { loadCity } from '../city/load';
import type { City } from '../city/types';
import { buildSpatialPriors } from '../spatial/priors';
import type { SrelConfig } from './config';
import { srelInputs, type DenseSrelInputs } from './inputs';
import { mobilityLoss, similarityLoss, sumScalars } from './loss';
import { denseSrelTensors, disposeSrelTensors, srelForward } from './model';
import { withWeightsFile } from './manifest';
import { loadSrel, saveSrel, transferSrel } from './serialize';
import { SrelModel, TrainingCancelled, srelDims, topAttention } from './train';

const RIVERTON = join(import.meta.dirname, '../../../sample-cities/riverton');
// Small enough for CI; the benchmark uses the defaults.
const SMALL: Partial<SrelConfig> = {
  hiddenSize: 32,
  embeddingSize: 24,
  heads: 2,
  feedForwardSize: 64,
  seed: 7,
};

let city: City;
let inputs: DenseSrelInputs;

beforeAll(async () => {
  await useBackend(['wasm', 'cpu']);
  city = (await loadCity(directorySource(RIVERTON))).city as City;
  inputs = srelInputs(city, buildSpatialPriors(city));
});

describe('SREL inputs', () => {
  it('have widths that do not depend on the number of regions', () => {
    expect(inputs.n).toBe(150);
    expect(inputs.poiDim).toBe(26);
    expect(inputs.mobilityDim).toBe(2 + 2 * (26 + inputs.landUseDim));
    expect(inputs.mobilityTarget.length).toBe(150 * 150);
    expect(inputs.countFeatures).toBe('log1p');
    const mean = inputs.mobilityTarget.reduce((a, b) => a + b, 0) / inputs.mobilityTarget.length;
    expect(mean).toBeCloseTo(1, 5); // Mhat = M / mean(M)
    expect(inputs.poiSimilarity[0]).toBeCloseTo(1, 6); // cos(x, x)
    expect(inputs.priorDescription).toMatch(/Gaussian distance prior/);
  });
});

describe('SREL training', () => {
  it('has finite gradients for every parameter', () => {
    const model = new SrelModel(SMALL, srelDims(inputs));
    const tensors = denseSrelTensors(inputs);
    const vars = model.params.store.list();
    const { value, grads } = tf.variableGrads(() => {
      const out = srelForward(model.params, tensors, model.config, { training: true, dropoutSeed: 1 });
      return sumScalars([
        mobilityLoss(out.s, out.t, tensors.mobilityTarget),
        similarityLoss(out.p, tensors.poiSimilarity),
        similarityLoss(out.l, tensors.landUseSimilarity),
      ]);
    }, vars);
    expect(Number.isFinite(value.dataSync()[0])).toBe(true);
    // Every parameter but the hop biases and trip-flow scale (off by default) gets a gradient.
    const used = vars.filter((v) => !v.name.includes('hopBias') && !v.name.includes('tripFlowScale'));
    expect(Object.keys(grads).sort()).toEqual(used.map((v) => v.name).sort());
    for (const [name, g] of Object.entries(grads)) {
      const data = g.dataSync();
      expect(
        data.every((x) => Number.isFinite(x)),
        name,
      ).toBe(true);
    }
    // The prior weight alpha and the centrality encoding receive gradient.
    const alpha = vars.find((v) => v.name.endsWith('/priorWeight'));
    expect(Math.abs(grads[alpha?.name ?? ''].dataSync()[0])).toBeGreaterThan(0);
    tf.dispose([value, ...Object.values(grads)]);
    disposeSrelTensors(tensors);
    model.dispose();
  });

  it('lowers the loss on the sample city and reports every epoch', async () => {
    const model = new SrelModel({ ...SMALL, learningRate: 2e-3 }, srelDims(inputs));
    const reports: number[] = [];
    const history = await model.train(inputs, { epochs: 20, onEpoch: (r) => void reports.push(r.epoch) });
    expect(reports).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const first = history.slice(0, 3).reduce((a, r) => a + r.loss, 0) / 3;
    const last = history.slice(-3).reduce((a, r) => a + r.loss, 0) / 3;
    expect(last).toBeLessThan(0.97 * first);
    // ... and the mobility part ends below that of predicting every destination equally likely.
    const uniform = 2 * -Math.log(1 / 150 + 1e-4); // per pair: sum(Mhat) = N^2, 'mean' divides by N^2
    expect(history[19].mobility).toBeLessThan(uniform);
    expect(history[19].mobility + history[19].poi + history[19].landUse).toBeLessThanOrEqual(
      history[19].loss,
    );
    expect(history[19].elapsedSeconds).toBeGreaterThan(0);
    model.dispose();
  });

  it('repeats exactly with the same seed and differs with another', async () => {
    const run = async (seed: number): Promise<Float32Array> => {
      const model = new SrelModel({ ...SMALL, seed }, srelDims(inputs));
      await model.train(inputs, { epochs: 3 });
      const e = await model.embed(inputs);
      model.dispose();
      return e;
    };
    const a = await run(1);
    const b = await run(1);
    const c = await run(2);
    expect(a.length).toBe(150 * 24);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });

  it('computes embeddings with dropout off (the same twice)', async () => {
    const model = new SrelModel({ ...SMALL, dropout: 0.5 }, srelDims(inputs));
    expect(Array.from(await model.embed(inputs))).toEqual(Array.from(await model.embed(inputs)));
    model.dispose();
  });

  it('stops when cancelled, keeping what it learned', async () => {
    const model = new SrelModel(SMALL, srelDims(inputs));
    const controller = new AbortController();
    const run = model.train(inputs, {
      epochs: 50,
      signal: controller.signal,
      onEpoch: (r) => {
        if (r.epoch === 2) controller.abort();
      },
    });
    await expect(run).rejects.toBeInstanceOf(TrainingCancelled);
    expect(model.epochsTrained).toBe(2);
    model.dispose();
  });

  it('saves and loads to identical embeddings, and continues training (fine-tuning)', async () => {
    const model = new SrelModel(SMALL, srelDims(inputs));
    await model.train(inputs, { epochs: 2 });
    const saved = await saveSrel(model, { city: 'Riverton' });
    const json = JSON.parse(JSON.stringify(saved.manifest));
    const again = loadSrel({ manifest: json, weights: saved.weights });
    expect(again.epochsTrained).toBe(2);
    expect(Array.from(await again.embed(inputs))).toEqual(Array.from(await model.embed(inputs)));
    await again.train(inputs, { epochs: 1 });
    expect(again.epochsTrained).toBe(3);
    expect(() => loadSrel({ manifest: json, weights: saved.weights.subarray(0, 100) })).toThrow(/shorter/);
    model.dispose();
    again.dispose();
  });

  it('renamed weights (an export named by city and date) still load, the manifest naming the new file', async () => {
    const model = new SrelModel(SMALL, srelDims(inputs));
    const saved = await saveSrel(model);
    expect(saved.manifest.weightsManifest[0].paths).toEqual(['srel.weights.bin']);
    const renamed = withWeightsFile(saved.manifest, 'riverton_srel-weights_2026-12-03.bin');
    expect(renamed.weightsManifest[0].paths).toEqual(['riverton_srel-weights_2026-12-03.bin']);
    expect(renamed.weightsManifest[0].weights).toEqual(saved.manifest.weightsManifest[0].weights);
    expect(saved.manifest.weightsManifest[0].paths).toEqual(['srel.weights.bin']);
    const again = loadSrel({ manifest: JSON.parse(JSON.stringify(renamed)), weights: saved.weights });
    expect(Array.from(await again.embed(inputs))).toEqual(Array.from(await model.embed(inputs)));
    model.dispose();
    again.dispose();
  });

  it('refuses a city whose input widths differ from the model', () => {
    const model = new SrelModel(SMALL, { ...srelDims(inputs), landUseDim: 5 });
    expect(() => model.checkInputs(inputs)).toThrow(/landUseDim = 5, the city has 11/);
    model.dispose();
  });

  it('can see linear counts beside log1p, and refuses inputs built the other way', async () => {
    const linear = srelInputs(city, buildSpatialPriors(city), { countFeatures: 'log1p+linear' });
    expect(linear.poiDim).toBe(2 * inputs.poiDim);
    expect(linear.landUseDim).toBe(2 * inputs.landUseDim);
    const poi = city.views.poi;
    if (!poi) throw new Error('Riverton has POIs');
    // Row 3: [log1p counts | z-scored counts]; the second half is a linear map of the counts.
    const row = linear.poi.subarray(3 * linear.poiDim, 4 * linear.poiDim);
    expect(row[0]).toBeCloseTo(Math.log1p(poi.data[3 * poi.cols]), 5);
    let mean = 0;
    for (let i = 0; i < poi.rows; i++) mean += linear.poi[i * linear.poiDim + poi.cols] / poi.rows;
    expect(mean).toBeCloseTo(0, 5);
    const model = new SrelModel({ ...SMALL, countFeatures: 'log1p+linear' }, srelDims(linear));
    expect(() => model.checkInputs(inputs)).toThrow(/log1p\+linear/);
    await model.train(linear, { epochs: 1 });
    expect(model.epochsTrained).toBe(1);
    model.dispose();
  });
});

describe('region attention', () => {
  it('picks the off-diagonal entry of each row that stands out most: weight over what the average region gives it', () => {
    // Region 3 is a hub: the largest weight of rows 0, 1 and 2, and every region's.
    const a = Float32Array.from([
      0.4, 0.25, 0.05, 0.3, 0.1, 0.4, 0.15, 0.35, 0.05, 0.2, 0.4, 0.35, 0.2, 0.2, 0.2, 0.4,
    ]);
    const top = topAttention(a, 4, 1);
    // received_j: the mean of column j over the other rows.
    expect(Array.from(top.received ?? []).map((w) => +w.toFixed(5))).toEqual([
      0.11667, 0.21667, 0.13333, 0.33333,
    ]);
    // Lifts: row 0 gives region 1 0.25 / 0.2167 = 1.15 against 0.3 / 0.3333 = 0.9 for the hub;
    // row 1 gives region 2 1.125 against 1.05; row 2 the hub 1.05; row 3 region 0 1.71.
    expect(Array.from(top.indices)).toEqual([1, 2, 3, 0]);
    expect(Array.from(top.weights).map((w) => +w.toFixed(2))).toEqual([0.25, 0.15, 0.35, 0.2]);
    expect(Array.from(top.self).map((w) => +w.toFixed(2))).toEqual([0.4, 0.4, 0.4, 0.4]);
  });

  it("reads each region's attention from the trained model: shares, the largest lift first, never itself", async () => {
    const model = new SrelModel(SMALL, srelDims(inputs));
    await model.train(inputs, { epochs: 2 });
    const attention = await model.regionAttention(inputs, 5);
    if (!attention) throw new Error('expected attention');
    expect(attention.indices.length).toBe(150 * 5);
    for (let i = 0; i < 150; i++) {
      let total = attention.self[i];
      for (let r = 0; r < 5; r++) {
        expect(attention.indices[i * 5 + r]).not.toBe(i);
        const lift = (q: number): number =>
          attention.weights[i * 5 + q] / attention.received![attention.indices[i * 5 + q]];
        if (r > 0) expect(lift(r)).toBeLessThanOrEqual(lift(r - 1));
        total += attention.weights[i * 5 + r];
      }
      expect(total).toBeLessThanOrEqual(1 + 1e-5);
    }
    // With the distance prior, a region's strongest links are nearer than the average region.
    const d = buildSpatialPriors(city).distancePrior;
    let top = 0;
    let all = 0;
    for (let i = 0; i < 150; i++) {
      top += d[i * 150 + attention.indices[i * 5]] / 150;
      for (let j = 0; j < 150; j++) all += d[i * 150 + j] / (150 * 150);
    }
    expect(top).toBeGreaterThan(all);
    // One pass for both (a run's last snapshot): embed's and regionAttention's results, bit for bit.
    const both = await model.embedWithAttention(inputs, 5);
    expect(both.embedding).toEqual(await model.embed(inputs));
    expect(both.attention).toEqual(attention);
    model.dispose();
  });
});

describe('transfer to another city (fine-tuning)', () => {
  it('copies every weight that fits and starts the city-specific view projections fresh', async () => {
    const model = new SrelModel(SMALL, srelDims(inputs));
    await model.train(inputs, { epochs: 2 });
    const saved = await saveSrel(model);
    // Same widths: everything transfers and the embeddings are the same.
    const same = transferSrel(saved, srelDims(inputs), { epochs: 5 });
    expect(same.reinitialised).toEqual([]);
    expect(same.model.config.epochs).toBe(5);
    expect(Array.from(await same.model.embed(inputs))).toEqual(Array.from(await model.embed(inputs)));
    // A city with 12 land-use classes (as Chicago): the land-use and mobility projections differ.
    const other = { ...srelDims(inputs), landUseDim: 12, mobilityDim: 2 + 2 * (26 + 12) };
    const moved = transferSrel(saved, other);
    expect(moved.reinitialised.length).toBeGreaterThan(0);
    expect(moved.reinitialised.every((name) => /landUse|mobility/.test(name))).toBe(true);
    expect(moved.transferred.length).toBeGreaterThan(moved.reinitialised.length * 5);
    for (const m of [model, same.model, moved.model]) m.dispose();
  });
});
