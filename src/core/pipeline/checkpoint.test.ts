import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { directorySource } from '../../cli/fsSource';
import { loadCity } from '../city/load';
import type { City, Matrix } from '../city/types';
import { SrelModel } from '../srel/train';
import { CHECKPOINT_EVERY, checkpointDue, isRunCheckpoint, type RunCheckpoint } from './checkpoint';
import { trainRun } from './trainRun';
import type { RunEvent, TrainingJob } from './types';

let city: City;

beforeAll(async () => {
  city = (await loadCity(directorySource(join(import.meta.dirname, '../../../sample-cities/riverton'))))
    .city as City;
});

const report = (epoch: number, elapsedSeconds: number, epochs = 200) => ({ epoch, epochs, elapsedSeconds });

describe('checkpointDue', () => {
  it('waits for 10 epochs and 5 seconds since the last checkpoint, whichever comes later', () => {
    expect(CHECKPOINT_EVERY).toEqual({ epochs: 10, seconds: 5 });
    const start = { epoch: 0, elapsedSeconds: 0 };
    expect(checkpointDue(report(9, 30), start)).toBe(false);
    expect(checkpointDue(report(10, 4.9), start)).toBe(false);
    expect(checkpointDue(report(10, 5), start)).toBe(true);
    expect(checkpointDue(report(57, 12), { epoch: 40, elapsedSeconds: 7 })).toBe(true);
    expect(checkpointDue(report(57, 11.9), { epoch: 40, elapsedSeconds: 7 })).toBe(false);
  });

  it('keeps none after the last epoch: the finished run is saved whole', () => {
    expect(checkpointDue(report(200, 100), { epoch: 0, elapsedSeconds: 0 })).toBe(false);
    expect(checkpointDue(report(4, 1, 6), { epoch: 2, elapsedSeconds: 0 }, { epochs: 2, seconds: 0 })).toBe(
      true,
    );
  });
});

describe('isRunCheckpoint', () => {
  it('accepts only a checkpoint of this format and version', () => {
    const stub = { format: 'topt-run-checkpoint', version: 1, model: {}, point: {} };
    expect(isRunCheckpoint(stub)).toBe(true);
    expect(isRunCheckpoint({ ...stub, version: 2 })).toBe(false);
    expect(isRunCheckpoint({ ...stub, format: 'topt-srel' })).toBe(false);
    expect(isRunCheckpoint({ ...stub, point: undefined })).toBe(false);
    expect(isRunCheckpoint(null)).toBe(false);
    expect(isRunCheckpoint('checkpoint')).toBe(false);
  });
});

describe('trainRun with checkpoints', () => {
  const job = (extra: Partial<TrainingJob> = {}): TrainingJob => ({
    city,
    tasks: [],
    config: {
      hiddenSize: 16,
      embeddingSize: 8,
      heads: 2,
      feedForwardSize: 16,
      regionFusionLayers: 1,
      epochs: 6,
      seed: 5,
    },
    initial: null,
    ...extra,
  });
  const run = async (
    j: TrainingJob,
    checkpoints?: { epochs: number; seconds: number },
    keepEpochs?: number[],
  ) => {
    const events: RunEvent[] = [];
    const result = await trainRun(j, {
      backend: 'wasm',
      available: ['wasm'],
      onEvent: (e) => events.push(e),
      checkpoints,
      keepEpochs,
    });
    return { result, events };
  };

  it('keeps checkpoints as it goes, and a run resumed from one ends where the uninterrupted run ends', async () => {
    const straight = await run(job(), { epochs: 2, seconds: 0 });
    const checkpoints = straight.events.flatMap((e) => (e.type === 'checkpoint' ? [e.checkpoint] : []));
    expect(checkpoints.map((c) => c.point.epoch)).toEqual([2, 4]);
    const [, fourth] = checkpoints as [RunCheckpoint, RunCheckpoint];
    expect(fourth.history.map((r) => r.epoch)).toEqual([1, 2, 3, 4]);
    expect(fourth.model.manifest.epochsTrained).toBe(4);
    expect(fourth.startedFrom).toBe('from scratch');
    // Snapshots at epochs 1..6 (six of them for a 6-epoch run): four taken by epoch 4.
    expect(fourth.snapshots).toHaveLength(4);
    // A checkpoint comes before the report of its epoch.
    const order = straight.events.map((e) => (e.type === 'epoch' ? `e${e.report.epoch}` : e.type));
    expect(order.indexOf('checkpoint')).toBe(order.indexOf('e2') - 1);

    // As after a reload: the checkpoint went through structured cloning (IndexedDB, the worker).
    const resumed = await run(job({ resume: structuredClone(fourth) }));
    const started = resumed.events.find((e) => e.type === 'started');
    expect(started).toEqual({
      type: 'started',
      description: 'from scratch; resumed at epoch 5 from the checkpoint kept after epoch 4',
      history: fourth.history,
    });
    expect(resumed.events.flatMap((e) => (e.type === 'epoch' ? [e.report.epoch] : []))).toEqual([5, 6]);
    expect(resumed.result.history.map((r) => r.epoch)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(resumed.result.epochs).toBe(6);
    expect(resumed.result.snapshots).toHaveLength(straight.result.snapshots?.length ?? -1);
    let gap = 0;
    for (let i = 0; i < resumed.result.embedding.length; i++)
      gap = Math.max(gap, Math.abs(resumed.result.embedding[i] - straight.result.embedding[i]));
    expect(gap).toBeLessThan(1e-4);
  });

  it('ends with the embedding of its last snapshot and the attention of the same pass, without another forward pass', async () => {
    const embed = vi.spyOn(SrelModel.prototype, 'embed');
    const both = vi.spyOn(SrelModel.prototype, 'embedWithAttention');
    try {
      const { result } = await run(job());
      // Six snapshots (epochs 1 to 6), one pass each; the last gives the final embedding and
      // the regions' attention.
      expect(embed).toHaveBeenCalledTimes(5);
      expect(both).toHaveBeenCalledTimes(1);
      expect(result.snapshots).toHaveLength(6);
      expect(result.embedding).toEqual(result.snapshots?.[5]);
      expect(result.embedding).not.toBe(result.snapshots?.[5]);
      expect(result.attention?.indices.length).toBe(150 * 8);
    } finally {
      embed.mockRestore();
      both.mockRestore();
    }
  });

  it("carries the embeddings a run keeps at given epochs (the benchmark's full rows), so a resumed run has every one", async () => {
    const straight = await run(job(), { epochs: 2, seconds: 0 }, [1, 3, 5]);
    const fourth = straight.events.flatMap((e) =>
      e.type === 'checkpoint' && e.checkpoint.point.epoch === 4 ? [e.checkpoint] : [],
    )[0];
    expect(fourth?.kept?.map(([epoch]) => epoch)).toEqual([1, 3]);
    const resumed = await run(job({ resume: structuredClone(fourth) }), undefined, [1, 3, 5]);
    expect([...resumed.result.kept.keys()]).toEqual([1, 3, 5]);
    // Those before the checkpoint are the ones the first process kept; the last is trained again.
    expect(resumed.result.kept.get(1)).toEqual(straight.result.kept.get(1));
    expect(resumed.result.kept.get(3)).toEqual(straight.result.kept.get(3));
    const [a, b] = [resumed.result.kept.get(5)!, straight.result.kept.get(5)!];
    expect(Math.max(...a.map((x, i) => Math.abs(x - b[i])))).toBeLessThan(1e-4);
  });

  it('refuses a checkpoint that no longer fits the city, saying to start over', async () => {
    const { events } = await run(job({ config: { ...job().config, epochs: 3 } }), { epochs: 1, seconds: 0 });
    const checkpoint = events.flatMap((e) => (e.type === 'checkpoint' ? [e.checkpoint] : []))[0];
    // The city changed under the run: a POI category fewer.
    const poi = city.views.poi as Matrix;
    const cols = poi.cols - 1;
    const data = new Float64Array(poi.rows * cols).map(
      (_, k) => poi.data[Math.floor(k / cols) * poi.cols + (k % cols)],
    );
    const views = {
      ...city.views,
      poi: { rows: poi.rows, cols, data },
      poiCategories: city.views.poiCategories.slice(0, -1),
    };
    await expect(run({ ...job({ resume: checkpoint }), city: { ...city, views } })).rejects.toThrow(
      'the saved checkpoint no longer fits this city (this model was built for poiDim = 26, the city has 25): start the run over',
    );
  });
});
