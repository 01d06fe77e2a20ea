/**
 * The training worker, run in Node behind the worker client over a MessageChannel: the page
 * sends a City and its Tasks, the worker builds the inputs, trains for real on the
 * WebAssembly backend and scores the tasks.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { directorySource } from '../cli/fsSource';
import { loadCity } from '../core/city/load';
import type { City } from '../core/city/types';
import type { RunEvent } from '../core/pipeline/types';
import { tasksOfCity } from '../core/tasks/tasks';
import { loadWorkerModule, workerChannel } from '../test/workerChannel';
import { JobCancelled, WorkerClient } from './client';
import { isTrained, type TrainingJobs } from './protocol';

// The WebAssembly binaries: in the browser Vite serves them (tfSetup.ts); in Node the backend
// reads them beside its own module, as the CLIs' backend does.
vi.mock('./tfSetup', () => ({}));

let city: City;
let client: WorkerClient<TrainingJobs>;

beforeAll(async () => {
  const { worker, scope } = workerChannel();
  await loadWorkerModule(scope, () => import('./training.worker'));
  client = new WorkerClient<TrainingJobs>(() => worker);
  city = (await loadCity(directorySource(join(import.meta.dirname, '../../sample-cities/riverton'))))
    .city as City;
});

function request(epochs: number): TrainingJobs['request'] {
  return {
    job: {
      city,
      tasks: tasksOfCity(city),
      config: {
        hiddenSize: 16,
        embeddingSize: 8,
        heads: 2,
        feedForwardSize: 16,
        regionFusionLayers: 1,
        epochs,
      },
      initial: null,
    },
    backend: 'wasm',
  };
}

async function until(events: RunEvent[], type: RunEvent['type'], timeout = 60_000): Promise<RunEvent> {
  const started = Date.now();
  for (;;) {
    const found = events.find((m) => m.type === type);
    if (found) return found;
    if (Date.now() - started > timeout)
      throw new Error(`no "${type}" event; got ${events.map((m) => m.type).join(', ')}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('training worker', () => {
  it('warms a backend before any run is asked for, saying which and how long it took', async () => {
    const events: RunEvent[] = [];
    const warmed = await client.run({ warm: 'wasm' }, { onEvent: (e) => events.push(e) }).result;
    expect(isTrained(warmed)).toBe(false);
    expect(warmed).toEqual({ warmed: 'wasm', seconds: expect.any(Number) as number });
    expect(events).toEqual([]);
  });

  it('reports the backend, how it started, every epoch, the evaluation, then the trained result', async () => {
    const events: RunEvent[] = [];
    const result = await client.run(request(3), { onEvent: (e) => events.push(e) }).result;
    if (!isTrained(result)) throw new Error('a run was answered with a warm-up');
    const types = events.map((m) => m.type);
    expect(types.slice(0, 2)).toEqual(['backend', 'started']);
    expect(types.filter((t) => t === 'epoch')).toHaveLength(3);
    // Evaluation reports its progress per task, ending each task at done === total.
    const evaluating = events.flatMap((m) => (m.type === 'evaluating' ? [m] : []));
    expect(evaluating.length).toBeGreaterThan(3);
    expect(types.slice(types.indexOf('evaluating')).every((t) => t === 'evaluating')).toBe(true);
    for (let i = 0; i < 3; i++) {
      const last = evaluating.filter((m) => m.taskIndex === i).at(-1);
      expect(last && last.done === last.total && last.tasks === 3).toBe(true);
    }
    const backend = events[0];
    expect(backend.type === 'backend' && backend.reason).toBe('chosen in the settings');
    expect(result.backend).toBe('wasm');
    expect(result.embedding.length).toBe(150 * 8);
    // One snapshot per epoch of a 3-epoch run (ten evenly spaced ones in longer runs); the last is the embedding.
    expect(result.snapshots?.map((s) => s.length)).toEqual([150 * 8, 150 * 8, 150 * 8]);
    expect(result.snapshots?.[2]).toEqual(result.embedding);
    expect(result.reports.map((r) => r.task)).toEqual(['crime', 'checkIn', 'serviceCall']);
    // Every task is also scored with its prompt: the composition built in the worker.
    expect(result.reports.map((r) => r.prompt?.name)).toEqual(
      Array(3).fill('task-attended composition (offline encoder)'),
    );
    expect(result.attention?.indices.length).toBe(150 * 8);
    expect(result.model.manifest.epochsTrained).toBe(3);
  }, 120_000);

  it('pauses between epochs, resumes, and cancels', async () => {
    const events: RunEvent[] = [];
    const job = client.run(request(500), { onEvent: (e) => events.push(e) });
    await until(events, 'epoch');
    job.control({ type: 'pause' });
    const paused = await until(events, 'paused');
    const at = events.filter((m) => m.type === 'epoch').length;
    await new Promise((r) => setTimeout(r, 300));
    expect(events.filter((m) => m.type === 'epoch').length).toBe(at);
    expect(paused.type === 'paused' && paused.epoch).toBe(at);
    job.control({ type: 'resume' });
    await until(events, 'resumed');
    job.control({ type: 'cancel' });
    await expect(job.result).rejects.toBeInstanceOf(JobCancelled);
    await expect(job.result).rejects.toThrow(/training cancelled after \d+ epochs/);
    expect(events.filter((m) => m.type === 'epoch').length).toBeLessThan(500);
  }, 120_000);
});
