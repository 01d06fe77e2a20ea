import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { directorySource } from '../../cli/fsSource';
import { useBackend } from '../backend';
import { loadCity } from '../city/load';
import type { City } from '../city/types';
import { buildSpatialPriors } from '../spatial/priors';
import type { SrelConfig } from './config';
import { srelInputs, type SrelInputs } from './inputs';
import type { SparseSrelInputs } from './inputTypes';
import type { ResumePoint } from './resume';
import { loadSrel, saveSrel, type SavedSrel } from './serialize';
import { sparseSrelInputs } from './sparseInputs';
import { SrelModel, srelDims, type EpochReport } from './train';

const RIVERTON = join(import.meta.dirname, '../../../sample-cities/riverton');
const SMALL: Partial<SrelConfig> = {
  hiddenSize: 16,
  embeddingSize: 8,
  heads: 2,
  feedForwardSize: 32,
  seed: 3,
  epochs: 6,
};
const SAMPLING = { neighbours: 12, sharedRegions: 3, positives: 8, negatives: 8, similarityPairs: 8 };

let city: City;
let dense: SrelInputs;
let batched: SparseSrelInputs;

beforeAll(async () => {
  await useBackend(['wasm', 'cpu']);
  city = (await loadCity(directorySource(RIVERTON))).city as City;
  dense = srelInputs(city, buildSpatialPriors(city));
  const whole = sparseSrelInputs(city, { sparse: SAMPLING });
  batched = { ...whole, sampling: { ...whole.sampling, batchAbove: 40, batchRegions: 40 } };
});

/** Six epochs in one go, and the same run stopped after three and resumed from its checkpoint. */
async function straightAndResumed(inputs: SrelInputs): Promise<{
  straight: { history: EpochReport[]; weights: Float32Array };
  resumed: { history: EpochReport[]; weights: Float32Array; point: ResumePoint };
}> {
  const straightModel = new SrelModel(SMALL, srelDims(inputs));
  const straightHistory = await straightModel.train(inputs);
  const straightWeights = new Float32Array((await saveSrel(straightModel)).weights.buffer);
  straightModel.dispose();

  const first = new SrelModel(SMALL, srelDims(inputs));
  let saved: SavedSrel | null = null;
  let point: ResumePoint | null = null;
  await first
    .train(inputs, {
      onEpoch: async (report, resumePoint) => {
        if (report.epoch === 3) {
          point = await resumePoint();
          saved = await saveSrel(first);
          throw new Error('the tab was closed');
        }
      },
    })
    .catch((e: Error) => expect(e.message).toBe('the tab was closed'));
  first.dispose();

  // A new model, as after a reload: the checkpoint's weights, then its resume point.
  const second = loadSrel(saved as unknown as SavedSrel);
  const resumedHistory = await second.train(inputs, { from: point as unknown as ResumePoint });
  const resumedWeights = new Float32Array((await saveSrel(second)).weights.buffer);
  second.dispose();
  return {
    straight: { history: straightHistory, weights: straightWeights },
    resumed: { history: resumedHistory, weights: resumedWeights, point: point as unknown as ResumePoint },
  };
}

const maxGap = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let gap = 0;
  for (let i = 0; i < a.length; i++) gap = Math.max(gap, Math.abs(a[i] - b[i]));
  return gap;
};

describe('A run resumed from a checkpoint', () => {
  it('trains the epochs the stopped run had left, to the weights of a run that never stopped (dense)', async () => {
    const tensorsBefore = tf.memory().numTensors;
    const { straight, resumed } = await straightAndResumed(dense);
    // Every model and optimizer was disposed: nothing of the restored Adam state is left.
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    expect(resumed.point.epoch).toBe(3);
    expect(resumed.point.optimizer.iterations).toBe(3);
    const names = new SrelModel(SMALL, srelDims(dense));
    expect(resumed.point.optimizer.moments.map((m) => m.name)).toEqual([
      ...names.params.store.variables.keys(),
    ]);
    names.dispose();
    expect(resumed.point.bank).toBeNull();
    expect(resumed.history.map((r) => r.epoch)).toEqual([4, 5, 6]);
    // Same seeds, same Adam state: the same losses and weights, to float32 rounding.
    for (const [i, report] of resumed.history.entries()) {
      expect(report.loss).toBeCloseTo(straight.history[i + 3].loss, 4);
      expect(report.elapsedSeconds).toBeGreaterThanOrEqual(resumed.point.elapsedSeconds);
    }
    expect(maxGap(resumed.weights, straight.weights)).toBeLessThan(1e-5);
  });

  it('keeps the mini-batch bank, so batched epochs go on as they would have (sparse, in batches)', async () => {
    const { straight, resumed } = await straightAndResumed(batched);
    expect(resumed.point.bank?.length).toBe(batched.n * 8);
    expect(resumed.history.map((r) => r.epoch)).toEqual([4, 5, 6]);
    for (const [i, report] of resumed.history.entries())
      expect(report.loss).toBeCloseTo(straight.history[i + 3].loss, 3);
    expect(maxGap(resumed.weights, straight.weights)).toBeLessThan(1e-4);
  });

  it('differs from a restart without Adam state (the moments matter)', async () => {
    const model = new SrelModel(SMALL, srelDims(dense));
    let saved: SavedSrel | null = null;
    let point: ResumePoint | null = null;
    await model.train(dense, {
      epochs: 3,
      onEpoch: async (report, resumePoint) => {
        if (report.epoch === 3) {
          point = await resumePoint();
          saved = await saveSrel(model);
        }
      },
    });
    await model.train(dense, { epochs: 1 }); // the same weights, a fresh Adam
    const restarted = new Float32Array((await saveSrel(model)).weights.buffer);
    model.dispose();
    const resumed = loadSrel(saved as unknown as SavedSrel);
    const [next] = await resumed.train(dense, { epochs: 4, from: point as unknown as ResumePoint });
    const stepped = new Float32Array((await saveSrel(resumed)).weights.buffer);
    resumed.dispose();
    expect(next.epoch).toBe(4);
    // A fresh Adam's first step moves every weight by about the learning rate; the restored
    // moments move them otherwise.
    expect(maxGap(stepped, restarted)).toBeGreaterThan(1e-4);
  });

  it('is refused when its Adam state does not fit the model', async () => {
    const model = new SrelModel(SMALL, srelDims(dense));
    let point: ResumePoint | null = null;
    await model.train(dense, {
      epochs: 1,
      onEpoch: async (_, resumePoint) => void (point = await resumePoint()),
    });
    model.dispose();
    const wider = new SrelModel({ ...SMALL, hiddenSize: 24 }, srelDims(dense));
    await expect(wider.train(dense, { epochs: 2, from: point as unknown as ResumePoint })).rejects.toThrow(
      /the checkpoint's Adam moments for .* have shape .*, the model's weight/,
    );
    wider.dispose();
  });
});
