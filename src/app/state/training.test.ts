import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_SETTINGS } from '../../core/pipeline/settings';
import type { RunCheckpoint } from '../../core/pipeline/checkpoint';
import type { MeasuredBackend, RunEvent, TrainedResult } from '../../core/pipeline/types';
import type { TaskReport } from '../../core/eval/taskReport';
import type { EpochReport } from '../../core/srel/train';
import {
  carriedOverSettings,
  defaultTrainSettings,
  evaluationSecondsLeft,
  interruptedAfter,
  newRun,
  rememberBackend,
  runEvent,
  runFinished,
  runRestored,
  runSaved,
  runStarted,
  stoppedBy,
  taskReported,
  trainingSecondsLeft,
  updateTrainSettings,
  withRunEvent,
  type TrainingRun,
} from './training';

const epoch = (e: number, seconds = 0.5): EpochReport => ({
  epoch: e,
  epochs: 100,
  loss: 1,
  mobility: 1,
  poi: 0,
  landUse: 0,
  seconds,
  elapsedSeconds: e * seconds,
});
const run = (patch: Partial<TrainingRun> = {}): TrainingRun => ({
  ...newRun('city-1', DEFAULT_TRAIN_SETTINGS),
  ...patch,
});
const events = (r: TrainingRun, list: RunEvent[], now = 0): TrainingRun =>
  list.reduce((t, e) => withRunEvent(t, e, now), r);
const report = (task: string, r2: number) => ({ task, embedding: { r2 } }) as unknown as TaskReport;
const result = (reports: TaskReport[]) =>
  ({ model: { weights: new Uint8Array(1) }, reports }) as unknown as TrainedResult;

describe('the training slice', () => {
  it('a run starts probing, with the settings it was started with, and forgets the interrupted run', () => {
    expect(runStarted('city-1', DEFAULT_TRAIN_SETTINGS)({ training: null })).toEqual({
      training: { ...run(), status: 'probing', epochs: 300 },
      interrupted: null,
      stoppedRun: null,
    });
  });

  it("follows the worker's events: probing, the backend chosen, how it started, notices, epochs", () => {
    const t = events(run(), [
      { type: 'probing', backend: 'webgl' },
      { type: 'backend', backend: 'wasm', reason: 'fastest of 2 working backends', timings: [] },
      { type: 'started', description: 'from scratch' },
      { type: 'notice', message: 'WebGPU failed: no adapter' },
      { type: 'epoch', report: epoch(1) },
      { type: 'epoch', report: epoch(2) },
    ]);
    expect(t).toMatchObject({
      status: 'training',
      probing: null,
      backend: 'wasm',
      backendReason: 'fastest of 2 working backends',
      startedFrom: 'from scratch',
      notices: ['WebGPU failed: no adapter'],
      history: [epoch(1), epoch(2)],
    });
  });

  it('a resumed run goes on from the history of its checkpoint, its last checkpoint until the next', () => {
    const before = [epoch(1), epoch(2), epoch(3)];
    const checkpoint = { point: { epoch: 5 } } as unknown as RunCheckpoint;
    const t = events(run(), [
      { type: 'backend', backend: 'wasm', reason: 'chosen', timings: [] },
      { type: 'started', description: 'from scratch; resumed at epoch 4', history: before },
      { type: 'epoch', report: epoch(4) },
    ]);
    expect(t.history).toEqual([...before, epoch(4)]);
    expect(t.checkpointEpoch).toBe(3);
    expect(withRunEvent(t, { type: 'checkpoint', checkpoint }, 0).checkpointEpoch).toBe(5);
    // A run started afresh has no checkpoint until its first.
    expect(events(run(), [{ type: 'started', description: 'from scratch' }]).checkpointEpoch).toBeNull();
  });

  it('an epoch that ends after the user paused keeps the run paused; resuming goes on', () => {
    const paused = events(run({ status: 'training' }), [
      { type: 'paused', epoch: 3 },
      { type: 'epoch', report: epoch(4) },
    ]);
    expect(paused.status).toBe('paused');
    expect(paused.history).toHaveLength(1);
    expect(withRunEvent(paused, { type: 'resumed' }, 0).status).toBe('training');
  });

  it('the evaluation keeps the time it began through its progress events', () => {
    const first = withRunEvent(
      run(),
      { type: 'evaluating', task: 'crime', taskIndex: 0, tasks: 3, done: 0, total: 10 },
      5000,
    );
    const later = withRunEvent(
      first,
      { type: 'evaluating', task: 'crime', taskIndex: 0, tasks: 3, done: 5, total: 10 },
      9000,
    );
    expect(later.evaluation).toEqual({
      task: 'crime',
      taskIndex: 0,
      tasks: 3,
      done: 5,
      total: 10,
      startedAt: 5000,
    });
    // A sixth of the evaluation in 4 s: 20 s more.
    expect(later.evaluation && evaluationSecondsLeft(later.evaluation, 9000)).toBeCloseTo(20);
  });

  it('the backend event brings the threads, the isolation and why backends were not measured', () => {
    const t = events(run(), [
      {
        type: 'backend',
        backend: 'wasm',
        reason: 'the only backend worth measuring here',
        timings: [],
        notes: ['WebGPU not measured: its adapter is a software one'],
        threads: 2,
        isolated: true,
      },
    ]);
    expect([t.backendNotes, t.threads, t.isolated]).toEqual([
      ['WebGPU not measured: its adapter is a software one'],
      2,
      true,
    ]);
    const chosen = events(run(), [
      { type: 'backend', backend: 'webgl', reason: 'chosen in the settings', timings: [] },
    ]);
    expect([chosen.backendNotes, chosen.threads, chosen.isolated]).toEqual([[], null, null]);
  });

  it('a backend choice the run measured is remembered; a chosen or remembered one changes nothing', () => {
    const measured: MeasuredBackend = {
      backend: 'wasm',
      order: ['wasm', 'cpu'],
      reason: 'the only backend worth measuring here',
      notes: [],
      timings: [],
      measuredAt: '2026-12-02T05:00:00.000Z',
    };
    const s = { training: run() };
    const base: RunEvent = { type: 'backend', backend: 'wasm', reason: measured.reason, timings: [] };
    expect(runEvent('city-1', { ...base, measured }, 0)(s).backendChoice).toBe(measured);
    expect(runEvent('city-1', { ...base, measured: null }, 0)(s)).not.toHaveProperty('backendChoice');
    expect(runEvent('city-1', base, 0)(s)).not.toHaveProperty('backendChoice');
    // Another load's run measures nothing that is kept.
    expect(runEvent('city-2', { ...base, measured }, 0)(s)).toEqual({});
    expect(rememberBackend(null)).toEqual({ backendChoice: null });
  });

  it("an event or an end for another load's run is ignored", () => {
    const s = { training: run({ loadId: 'city-2' }) };
    expect(runEvent('city-1', { type: 'resumed' }, 0)(s)).toEqual({});
    expect(runFinished('city-1', { status: 'cancelled' })(s)).toEqual({});
    expect(runEvent('city-1', { type: 'resumed' }, 0)({ training: null })).toEqual({});
  });

  it('a run ends done with its result (the evaluation over), cancelled, or failed with why', () => {
    const s = {
      training: run({
        status: 'evaluating',
        evaluation: { task: 'crime', taskIndex: 2, tasks: 3, done: 9, total: 10, startedAt: 0 },
      }),
    };
    const r = result([report('crime', 0.5)]);
    const done = runFinished('city-1', { status: 'done', result: r })(s).training;
    expect(done).toMatchObject({ status: 'done', result: r, evaluation: undefined });
    expect(runFinished('city-1', { status: 'cancelled' })(s).training?.status).toBe('cancelled');
    expect(runFinished('city-1', { status: 'failed', error: 'out of memory' })(s).training).toMatchObject({
      status: 'failed',
      error: 'out of memory',
    });
  });

  it('is saved only while its result is still the one shown', () => {
    const r = result([]);
    expect(runSaved(r, true)({ training: run({ result: r }) }).training?.saved).toBe(true);
    expect(runSaved(r, true)({ training: run({ result: result([]) }) })).toEqual({});
  });

  it('says when the browser refused to save the run, instead of saving for ever', () => {
    const r = result([]);
    const refused = runSaved(r, false)({ training: run({ status: 'done', result: r }) }).training;
    expect(refused).toMatchObject({ saved: false, saveFailed: true });
    expect(runSaved(r, true)({ training: refused ?? null }).training).toMatchObject({
      saved: true,
      saveFailed: false,
    });
  });

  it('"Train again" then Cancel shows the finished run again, as it was saved', () => {
    const r = result([report('crime', 0.4)]);
    const finished = run({ status: 'done', result: r, saved: true, history: [epoch(1)] });
    const again = runStarted('city-1', DEFAULT_TRAIN_SETTINGS)({ training: finished }).training;
    expect(again).toMatchObject({ status: 'probing', result: null, previous: finished });
    const training = events(again as TrainingRun, [{ type: 'epoch', report: epoch(1) }]);
    expect(runFinished('city-1', { status: 'cancelled' })({ training }).training).toEqual({
      ...finished,
      keptAfterCancel: true,
    });
    // A run of another load, or one that had not finished, is not kept behind a new one.
    expect(
      runStarted('city-2', DEFAULT_TRAIN_SETTINGS)({ training: finished }).training?.previous,
    ).toBeNull();
    const failed = run({ status: 'failed', error: 'x' });
    expect(runStarted('city-1', DEFAULT_TRAIN_SETTINGS)({ training: failed }).training?.previous).toBeNull();
  });

  it('a running run that another city stops is told with how far it got; a finished one is not', () => {
    const training = events(run({ status: 'training', epochs: 200 }), [
      { type: 'epoch', report: epoch(1) },
      { type: 'epoch', report: epoch(2) },
      { type: 'epoch', report: epoch(3) },
    ]);
    expect(stoppedBy(training, 'Riverton', 'Metropolis')).toEqual({
      city: 'Riverton',
      opened: 'Metropolis',
      epochsDone: 3,
      epochs: 200,
    });
    expect(stoppedBy({ ...training, status: 'done' }, 'Riverton', 'Metropolis')).toBeNull();
    expect(stoppedBy(null, 'Riverton', 'Metropolis')).toBeNull();
  });

  it('an interrupted run is remembered after every epoch with the epochs done', () => {
    expect(interruptedAfter('sample:riverton', DEFAULT_TRAIN_SETTINGS, { epoch: 3, epochs: 200 })).toEqual({
      cityId: 'sample:riverton',
      settings: DEFAULT_TRAIN_SETTINGS,
      epochsDone: 3,
      epochs: 200,
    });
    expect(
      interruptedAfter('sample:riverton', DEFAULT_TRAIN_SETTINGS, { epoch: 13, epochs: 200 }, 10),
    ).toEqual({
      cityId: 'sample:riverton',
      settings: DEFAULT_TRAIN_SETTINGS,
      epochsDone: 13,
      epochs: 200,
      checkpointEpoch: 10,
    });
  });

  it("restores the city's last finished run, saved, unless a run is already shown", () => {
    const r = result([report('crime', 0.4)]);
    const saved = {
      result: { ...r, backend: 'wasm' as const, epochs: 60 },
      history: [epoch(1)],
      settings: DEFAULT_TRAIN_SETTINGS,
      finishedAt: '2026-12-01T10:00:00.000Z',
    };
    const restored = runRestored('city-3', saved)({ training: null }).training;
    expect(restored).toMatchObject({
      loadId: 'city-3',
      status: 'done',
      backend: 'wasm',
      epochs: 60,
      history: [epoch(1)],
      startedFrom: '',
      saved: true,
      result: saved.result,
    });
    expect(restored?.backendReason).toMatch(/^restored from your last session \(trained .+\)$/);
    expect(runRestored('city-3', saved)({ training: run() })).toEqual({});
  });

  it("a task scored after the run replaces that task's report, and the run is no longer saved as shown", () => {
    const r = result([report('crime', 0.4), report('checkIn', 0.2)]);
    const s = { training: run({ status: 'done', saved: true, result: r }) };
    const again = report('crime', 0.45);
    const t = taskReported('city-1', r.model, again)(s).training;
    expect(t?.result?.reports).toEqual([report('checkIn', 0.2), again]);
    expect(t?.saved).toBe(false);
    // Scored on another model (the city was trained again meanwhile): the run is left as it is.
    expect(taskReported('city-1', result([]).model, again)(s).training).toBe(s.training);
  });

  it('the time left comes from the recent epochs and the epochs still to go', () => {
    const t = { epochs: 100, history: [epoch(1, 2), epoch(2, 0.5), epoch(3, 0.5)] };
    expect(trainingSecondsLeft(t)).toBeCloseTo(1 * 97, 6);
    expect(trainingSecondsLeft({ ...t, history: [] })).toBeNull();
    // Only the last 20 epochs count: a slow first epoch is forgotten.
    const steady = {
      epochs: 100,
      history: [epoch(1, 30), ...Array.from({ length: 20 }, (_, i) => epoch(i + 2, 1))],
    };
    expect(trainingSecondsLeft(steady)).toBeCloseTo(79, 6);
  });

  it('settings set on one city are told as carried over on the next, with what differs from the defaults', () => {
    const fresh = { trainSettings: DEFAULT_TRAIN_SETTINGS, trainSettingsSetOn: null };
    const small = { ...fresh, ...updateTrainSettings(fresh, { epochs: 100 }, 'Riverton') };
    expect(small).toEqual({
      trainSettings: { ...DEFAULT_TRAIN_SETTINGS, epochs: 100 },
      trainSettingsSetOn: 'Riverton',
    });
    expect(carriedOverSettings(small, 'Riverton')).toBeNull();
    expect(carriedOverSettings(small, 'Metropolis')).toBe(
      'Set on Riverton: 100 epochs (default 300 epochs).',
    );
    const more = {
      ...small,
      ...updateTrainSettings(small, { heads: 8, scoring: 'spatial', backend: 'cpu' }),
    };
    expect(more.trainSettingsSetOn).toBe('Riverton');
    expect(carriedOverSettings(more, 'Metropolis')).toBe(
      'Set on Riverton: 100 epochs (default 300 epochs), 8 attention heads (default 4 attention heads), scored on spatial blocks (default scored on random folds).',
    );
    // Kept for the new city (any change there): no longer carried over.
    const kept = { ...more, ...updateTrainSettings(more, {}, 'Metropolis') };
    expect(carriedOverSettings(kept, 'Metropolis')).toBeNull();
    // Never set, or only the backend (the browser's) differs: nothing to tell.
    expect(carriedOverSettings(fresh, 'Metropolis')).toBeNull();
    const backendOnly = {
      trainSettings: { ...DEFAULT_TRAIN_SETTINGS, backend: 'cpu' as const },
      trainSettingsSetOn: 'Riverton',
    };
    expect(carriedOverSettings(backendOnly, 'Metropolis')).toBeNull();
  });

  it("the defaults for a city keep the browser's backend", () => {
    const s = { trainSettings: { ...DEFAULT_TRAIN_SETTINGS, epochs: 100, backend: 'webgl' as const } };
    expect(defaultTrainSettings(s, 'Metropolis')).toEqual({
      trainSettings: { ...DEFAULT_TRAIN_SETTINGS, backend: 'webgl' },
      trainSettingsSetOn: 'Metropolis',
    });
  });
});
