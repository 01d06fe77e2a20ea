/**
 * The evaluation worker's protocol, run in Node with a stand-in for the worker global scope:
 * progress in work units, then the same report as taskReport on the main thread; a clear
 * failure message for a task it cannot evaluate.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { taskReport } from '../core/eval/taskReport';
import { Rng } from '../core/random';
import type { EvaluateMessage, EvaluateRequest } from './protocol';

const messages: EvaluateMessage[] = [];
const scope = {
  postMessage: (m: EvaluateMessage) => messages.push(m),
  onmessage: null as ((e: { data: EvaluateRequest }) => void) | null,
};

beforeAll(async () => {
  (globalThis as unknown as { self: typeof scope }).self = scope;
  await import('./evaluate.worker');
});

function request(values: Float64Array): EvaluateRequest {
  const rng = new Rng(2);
  const n = values.length;
  const data = Float64Array.from({ length: n * 3 }, () => rng.normal());
  const snapshots = [data, Float64Array.from(data, (v) => v + 0.1 * rng.normal())];
  return {
    type: 'evaluate',
    task: 'custom-x',
    values,
    embedding: { data, d: 3, snapshots },
    raw: null,
    cityKey: '',
  };
}

describe('evaluation worker protocol', () => {
  it('reports progress, then the report taskReport gives', () => {
    messages.length = 0;
    const values = Float64Array.from({ length: 30 }, (_, i) => (i === 4 ? NaN : (i * 7) % 11));
    const req = request(values);
    scope.onmessage?.({ data: req });
    const progress = messages.filter((m) => m.type === 'progress');
    expect(progress.length).toBeGreaterThan(5);
    const last = messages.at(-1);
    if (last?.type !== 'report') throw new Error(`expected a report, got ${last?.type}`);
    const direct = taskReport(req.task, values, req.embedding, null);
    expect(last.report.embedding.r2).toBeCloseTo(direct.embedding.r2, 12);
    expect([...last.report.predicted]).toEqual([...direct.predicted]);
  });

  it('says why a task cannot be evaluated', () => {
    messages.length = 0;
    const values = Float64Array.from({ length: 30 }, (_, i) => (i < 2 ? 5 : NaN));
    scope.onmessage?.({ data: request(values) });
    expect(messages.at(-1)).toEqual({
      type: 'failed',
      message: 'task "custom-x" has 2 labelled regions; cross-validation needs at least 3',
    });
  });
});
