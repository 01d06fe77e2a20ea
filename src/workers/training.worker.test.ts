/**
 * The training worker's message protocol, run in Node: the worker module is loaded with a
 * stand-in for the worker global scope (`self`: its postMessage and onmessage), and trains
 * for real on the CPU backend.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { directorySource } from '../cli/fsSource';
import { loadCity } from '../core/city/load';
import type { City } from '../core/city/types';
import { buildSpatialPriors } from '../core/spatial/priors';
import { srelInputs } from '../core/srel/inputs';
import type { TrainControl, TrainMessage, TrainRequest } from './protocol';

const messages: TrainMessage[] = [];
const scope = {
  postMessage: (m: TrainMessage) => messages.push(m),
  onmessage: null as ((e: { data: TrainRequest | TrainControl }) => void) | null,
};
const send = (data: TrainRequest | TrainControl): void => scope.onmessage?.({ data });

let city: City;

beforeAll(async () => {
  (globalThis as unknown as { self: typeof scope }).self = scope;
  await import('./training.worker');
  city = (await loadCity(directorySource(join(import.meta.dirname, '../../sample-cities/riverton'))))
    .city as City;
});

function request(epochs: number): TrainRequest {
  return {
    type: 'train',
    inputs: srelInputs(city, buildSpatialPriors(city)),
    config: {
      hiddenSize: 16,
      embeddingSize: 8,
      heads: 2,
      feedForwardSize: 16,
      regionFusionLayers: 1,
      epochs,
    },
    backend: 'cpu',
    cityKey: '',
    tasks: city.labels.map((l) => ({ id: l.id, values: l.values })),
    raw: null,
    initial: null,
  };
}

async function until(type: TrainMessage['type'], timeout = 60_000): Promise<TrainMessage> {
  const started = Date.now();
  for (;;) {
    const found = messages.find((m) => m.type === type);
    if (found) return found;
    if (Date.now() - started > timeout)
      throw new Error(`no "${type}" message; got ${messages.map((m) => m.type).join(', ')}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('training worker protocol', () => {
  it('reports how it started, the backend, every epoch, then the trained result with task reports', async () => {
    messages.length = 0;
    send(request(3));
    const done = await until('done');
    const types = messages.map((m) => m.type);
    expect(types.slice(0, 2)).toEqual(['backend', 'started']);
    expect(types.filter((t) => t === 'epoch')).toHaveLength(3);
    expect(types.at(-1)).toBe('done');
    // Evaluation reports its progress per task, ending each task at done === total.
    const evaluating = messages.flatMap((m) => (m.type === 'evaluating' ? [m] : []));
    expect(evaluating.length).toBeGreaterThan(3);
    expect(types.slice(types.indexOf('evaluating')).every((t) => t === 'evaluating' || t === 'done')).toBe(
      true,
    );
    for (let i = 0; i < 3; i++) {
      const last = evaluating.filter((m) => m.taskIndex === i).at(-1);
      expect(last && last.done === last.total && last.tasks === 3).toBe(true);
    }
    const backend = messages[0];
    expect(backend.type === 'backend' && backend.reason).toBe('chosen in the settings');
    if (done.type !== 'done') throw new Error('unreachable');
    const { result } = done;
    expect(result.backend).toBe('cpu');
    expect(result.embedding.length).toBe(150 * 8);
    // One snapshot per epoch of a 3-epoch run (ten evenly spaced ones in longer runs); the last is the embedding.
    expect(result.snapshots?.map((s) => s.length)).toEqual([150 * 8, 150 * 8, 150 * 8]);
    expect(result.snapshots?.[2]).toEqual(result.embedding);
    expect(result.reports.map((r) => r.task).sort()).toEqual(['checkIn', 'crime', 'serviceCall']);
    expect(result.attention?.indices.length).toBe(150 * 8);
    expect(result.model.manifest.epochsTrained).toBe(3);
  }, 120_000);

  it('pauses between epochs, resumes, and cancels', async () => {
    messages.length = 0;
    send(request(500));
    await until('epoch');
    send({ type: 'pause' });
    const paused = await until('paused');
    const at = messages.filter((m) => m.type === 'epoch').length;
    await new Promise((r) => setTimeout(r, 300));
    expect(messages.filter((m) => m.type === 'epoch').length).toBe(at);
    expect(paused.type === 'paused' && paused.epoch).toBe(at);
    send({ type: 'resume' });
    await until('resumed');
    send({ type: 'cancel' });
    const cancelled = await until('cancelled');
    expect(cancelled.type === 'cancelled' && cancelled.epoch).toBeLessThan(500);
    expect(messages.some((m) => m.type === 'done')).toBe(false);
  }, 120_000);
});
