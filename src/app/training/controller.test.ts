/**
 * The training controller in Node: the real training worker module behind the controller's
 * client, over MessageChannels, training for real on the WebAssembly backend (on the CPU
 * backend this file took 47 s, on WebAssembly 8 s). IndexedDB is absent here, so nothing is
 * saved (saving is best effort).
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { directorySource } from '../../cli/fsSource';
import { loadCity } from '../../core/city/load';
import type { City } from '../../core/city/types';
import { loadWorkerModule, workerPool } from '../../test/workerChannel';
import { llmController } from '../llm/controller';
import { watchCityChange } from '../session/cityChange';
import { createAppStore, type AppStore } from '../state/store';
import { trainingController, type TrainingController } from './controller';
import { TrainingClient } from './trainingWorker';

// The WebAssembly binaries: in the browser Vite serves them (tfSetup.ts); in Node the backend
// reads them beside its own module, as the CLIs' backend does.
vi.mock('../../workers/tfSetup', () => ({}));

const pool = workerPool();
const riverton = (
  await loadCity(directorySource(join(import.meta.dirname, '../../../sample-cities/riverton')))
).city as City;

beforeAll(async () => {
  vi.spyOn(console, 'warn').mockImplementation(() => {}); // "saved data unavailable"
  await loadWorkerModule(pool.scope, () => import('../../workers/training.worker'));
});

/** A store showing Riverton with small, quick settings, and a training controller over it. */
function setUp(epochs: number): { store: AppStore; training: TrainingController } {
  const store = createAppStore();
  const training = trainingController(store, new TrainingClient(pool.create), llmController(store));
  watchCityChange(store, training, { restoreCustomTasks: async () => {} });
  store
    .getState()
    .showCity(riverton, 'Sample cities', 'sample:riverton', { kind: 'entry', key: 'sample:riverton' });
  store
    .getState()
    .updateTrainSettings({ epochs, embeddingSize: 32, regionFusionLayers: 1, heads: 2, backend: 'wasm' });
  return { store, training };
}

/** Resolves once `check` holds of the store. */
const until = (store: AppStore, check: (s: ReturnType<AppStore['getState']>) => boolean): Promise<void> =>
  new Promise((resolve) => {
    if (check(store.getState())) return resolve();
    const stop = store.subscribe((s) => {
      if (!check(s)) return;
      stop();
      resolve();
    });
  });

// Real training and evaluation in this thread: 8 s alone; a loaded 2-core machine can take many
// times that, so every test here has four minutes.
describe('the training controller', { timeout: 240_000 }, () => {
  it("start trains Riverton in the worker and shows each task's predictions", async () => {
    const { store, training } = setUp(2);
    await training.start();
    const { training: run, current, valueId } = store.getState();
    expect(run?.status).toBe('done');
    expect(run?.backend).toBe('wasm');
    expect(run?.startedFrom).toBe('from scratch');
    expect(run?.history.map((e) => e.epoch)).toEqual([1, 2]);
    expect(run?.evaluation).toBeUndefined();
    expect(run?.result?.reports.map((r) => [r.task, r.folds])).toEqual([
      ['crime', 10],
      ['checkIn', 10],
      ['serviceCall', 10],
    ]);
    // The first task's held-out predictions colour the map; every task has predictions,
    // residuals and the LISA map of its residuals.
    expect(valueId).toBe('predicted:crime');
    expect(current?.options.filter((o) => o.group === 'Predictions (combined)').map((o) => o.id)).toEqual([
      'predicted:crime',
      'residual:crime',
      'lisa:crime',
      'predicted:checkIn',
      'residual:checkIn',
      'lisa:checkIn',
      'predicted:serviceCall',
      'residual:serviceCall',
      'lisa:serviceCall',
    ]);
    const lisa = current?.derived['lisa:crime'];
    expect(lisa?.length).toBe(150);
    expect(Array.from(lisa ?? []).every((c) => Number.isNaN(c) || [0, 1, 2, 3, 4, 5].includes(c))).toBe(true);
    expect(current?.derived['predicted:crime']).toBe(run?.result?.reports[0].predicted);
    expect(pool.created()).toBe(1);
  });

  // Before any run is cancelled: a cancelled run ends at its next epoch in the worker module,
  // whose job ids are not those of a fresh client.
  it('a warm worker is the one the next Train uses: warming twice or training after starts no other', async () => {
    const { store, training } = setUp(2);
    const before = pool.created();
    expect(await training.warm()).toEqual({ warmed: 'wasm', seconds: expect.any(Number) as number });
    expect(await training.warm()).toBeNull();
    await training.start();
    expect(store.getState().training?.status).toBe('done');
    expect(pool.created() - before).toBe(1);
  });

  // The run is paused before it is cancelled: the cancel ends it in the worker module.
  it('warming waits while a run trains; after a cancel a fresh worker warms', async () => {
    const { store, training } = setUp(50);
    const ended = training.start();
    await until(store, (s) => (s.training?.history.length ?? 0) >= 1);
    training.pause();
    await until(store, (s) => s.training?.status === 'paused');
    const during = pool.created();
    expect(await training.warm()).toBeNull();
    expect(pool.created()).toBe(during);
    training.cancel();
    await ended;
    expect(store.getState().training?.status).toBe('cancelled');
    expect(await training.warm()).toMatchObject({ warmed: 'wasm' });
    expect(pool.created() - during).toBe(1);
  });

  // The cancel comes after the first epoch; the worker module, which cannot be ended as a worker
  // is, hears it and stops at its next epoch.
  it('cancelling a run ends it cancelled, with no predictions', async () => {
    const { store, training } = setUp(4);
    const ended = training.start();
    await until(store, (s) => (s.training?.history.length ?? 0) >= 1);
    training.cancel();
    await ended;
    expect(store.getState().training?.status).toBe('cancelled');
    expect(store.getState().training?.result).toBeNull();
    expect(store.getState().current?.options.some((o) => o.id.startsWith('predicted:'))).toBe(false);
  });

  it('settings no model can have fail the run before any worker starts, saying why', async () => {
    const { store, training } = setUp(2);
    store.getState().updateTrainSettings({ start: 'imported' });
    const before = pool.created();
    await training.start();
    expect(store.getState().training).toMatchObject({
      status: 'failed',
      error:
        'no imported model: pick its .json and .bin files under Training settings, or start from scratch',
    });
    expect(pool.created()).toBe(before);
  });

  // Last: the stopped run is told to cancel (a real worker would be ended), so nothing more of it comes.
  // Real training: under a second; on the CPU backend it took 67 s once in CI, when the cancels of the
  // runs before it never reached the module (sent after the client had closed) and those runs
  // trained on beside it.
  it(
    'showing another city stops the run: nothing more of it is heard or kept',
    { timeout: 180_000 },
    async () => {
      // 4 epochs: the switch comes after the first; the module hears the cancel and stops.
      const { store, training } = setUp(4);
      const t0 = performance.now();
      const ended = training.start();
      await until(store, (s) => (s.training?.history.length ?? 0) >= 1);
      const t1 = performance.now();
      store.getState().showCity(riverton, 'Sample cities', 'sample:riverton');
      await ended;
      console.log(
        'first epoch at',
        ((t1 - t0) / 1000).toFixed(1),
        'ended after switch',
        ((performance.now() - t1) / 1000).toFixed(1),
      );
      expect(store.getState().current?.loadId).toBe('city-2');
      expect(store.getState().training).toBeNull();
    },
  );
});
