/**
 * The custom-task controller in Node: the real evaluation worker module behind the
 * controller's evaluator, over MessageChannels. The city carries Chicago's protocol (25
 * shuffled folds): a custom task is scored with it when it is added and when it is predicted
 * again, not with the default 10 folds.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { directorySource } from '../../cli/fsSource';
import { loadCity } from '../../core/city/load';
import { BENCHMARK_PROTOCOLS } from '../../core/city/protocol';
import type { City } from '../../core/city/types';
import type { TrainedResult } from '../../core/pipeline/types';
import { Rng } from '../../core/random';
import { loadWorkerModule, workerPool } from '../../test/workerChannel';
import { llmController } from '../llm/controller';
import { createAppStore, type AppState, type AppStore } from '../state/store';
import { tasksController } from './controller';
import { taskEvaluator, type EvaluateTask } from './evaluationWorker';

const pool = workerPool();
const riverton = (
  await loadCity(directorySource(join(import.meta.dirname, '../../../sample-cities/riverton')))
).city as City;
/** Riverton scored as Chicago is (25 shuffled folds). */
const city: City = { ...riverton, protocol: BENCHMARK_PROTOCOLS.chicago };

beforeAll(async () => {
  vi.spyOn(console, 'warn').mockImplementation(() => {}); // "saved data unavailable"
  await loadWorkerModule(pool.scope, () => import('../../workers/evaluate.worker'));
});

/** A trained run of the city: a random 8-dimensional embedding and two snapshots. */
function trained(n: number): TrainedResult {
  const rng = new Rng(7);
  const embedding = Float32Array.from({ length: n * 8 }, () => rng.normal());
  return {
    backend: 'cpu',
    epochs: 2,
    embedding,
    snapshots: [Float32Array.from(embedding, (v) => v + 0.1 * rng.normal()), embedding],
    d: 8,
    reports: [],
    attention: null,
    model: { manifest: {}, weights: new Uint8Array(4) } as unknown as TrainedResult['model'],
  };
}

/** A store showing the city, trained (or not), with a draft "Noise" labelled from the crime labels. */
function setUp(evaluate: EvaluateTask, train = true) {
  const store = createAppStore();
  const tasks = tasksController(store, evaluate, llmController(store));
  const s = store.getState();
  s.showCity(city, 'Benchmark cities', 'benchmark:test');
  if (train) {
    s.runStarted('city-1', s.trainSettings);
    s.runFinished('city-1', { status: 'done', result: trained(city.regions.length) });
  }
  expect(tasks.startDraft('Noise', 'Noise complaints per year')).toBeNull();
  store.getState().setDraftLabels(city.labels[0].values);
  return { store, tasks };
}

const until = (store: AppStore, check: (s: AppState) => boolean): Promise<void> =>
  new Promise((resolve) => {
    if (check(store.getState())) return resolve();
    const stop = store.subscribe((s) => {
      if (!check(s)) return;
      stop();
      resolve();
    });
  });

const reportOf = (s: AppState, task: string) => s.training?.result?.reports.find((r) => r.task === task);

describe('the custom-task controller', () => {
  it("adds a task to a trained city and scores it in the worker with the city's own folds, then again the same way", async () => {
    const { store, tasks } = setUp(taskEvaluator(pool.create));
    expect(tasks.addDraftTask()).toBeNull();
    expect(store.getState().draftTask).toBeNull();
    expect(store.getState().current?.city.labels.at(-1)?.id).toBe('custom-noise');
    await until(store, (s) => !!reportOf(s, 'custom-noise'));
    const first = reportOf(store.getState(), 'custom-noise');
    expect(first?.folds).toBe(25);
    expect(store.getState().taskEvaluation).toBeNull();
    expect(store.getState().valueId).toBe('predicted:custom-noise');
    expect(store.getState().training?.saved).toBe(false);

    expect(tasks.evaluateTaskAgain('custom-noise')).toBeNull();
    await until(store, (s) => reportOf(s, 'custom-noise') !== first);
    const again = reportOf(store.getState(), 'custom-noise');
    expect(again?.folds).toBe(25);
    expect(again?.embedding.r2).toBe(first?.embedding.r2);
    expect(store.getState().training?.result?.reports).toHaveLength(1);
  });

  it('a task that cannot be scored says why, and the map shows its labels', async () => {
    const failing: EvaluateTask = () => Promise.reject(new Error('out of memory'));
    const { store, tasks } = setUp(failing);
    expect(tasks.addDraftTask()).toBeNull();
    await until(store, (s) => s.taskEvaluation?.error !== null && s.taskEvaluation?.error !== undefined);
    expect(store.getState().taskEvaluation?.error).toBe('could not predict "Noise": out of memory');
    expect(store.getState().valueId).toBe('label:custom-noise');
  });

  it('on a city not trained, an added task shows its labels; a draft needs three labelled regions and a new name', () => {
    const { store, tasks } = setUp(() => Promise.reject(new Error('not called')), false);
    expect(tasks.startDraft('crime', '')).toBe('this city already has a task called "crime"');
    store.getState().eraseDraftLabels();
    store.getState().setBrush(2);
    store.getState().paintRegion(0);
    expect(tasks.addDraftTask()).toBe('label at least 3 regions (1 so far)');
    store.getState().paintRegion(1);
    store.getState().paintRegion(2);
    expect(tasks.addDraftTask()).toBeNull();
    expect(store.getState().valueId).toBe('label:custom-noise');
    expect(store.getState().taskEvaluation).toBeNull();
    expect(tasks.evaluateTaskAgain('custom-noise')).toBe('train SREL on this city first');
  });
});
