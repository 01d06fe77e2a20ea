/**
 * The evaluation worker, run in Node behind the worker client over a MessageChannel: it
 * builds what scoring needs from the City, scores the task with the city's protocol and says
 * why a task cannot be scored.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { manySquares } from '../core/city/fixtures/twoSquares';
import { BENCHMARK_PROTOCOLS } from '../core/city/protocol';
import type { City } from '../core/city/types';
import { evaluateTask, evaluationContext } from '../core/pipeline/evaluate';
import { embeddingFeatures } from '../core/pipeline/inputs';
import { Rng } from '../core/random';
import { customTask } from '../core/tasks/tasks';
import { loadWorkerModule, workerChannel } from '../test/workerChannel';
import { WorkerClient } from './client';
import type { EvaluationJobs } from './protocol';

let client: WorkerClient<EvaluationJobs>;

beforeAll(async () => {
  const { worker, scope } = workerChannel();
  await loadWorkerModule(scope, () => import('./evaluate.worker'));
  client = new WorkerClient<EvaluationJobs>(() => worker);
});

const n = 30;
function request(values: Float64Array, protocol?: City['protocol']): EvaluationJobs['request'] {
  const rng = new Rng(2);
  const embedding = Float32Array.from({ length: n * 3 }, () => rng.normal());
  const snapshots = [embedding, Float32Array.from(embedding, (v) => v + 0.1 * rng.normal())];
  return {
    city: manySquares(n, protocol),
    task: { ...customTask('Bike thefts', 'Bicycles reported stolen.'), labels: values },
    embedding,
    d: 3,
    snapshots,
  };
}

describe('evaluation worker', () => {
  it('reports progress, then the report the pipeline gives on the main thread', async () => {
    const values = Float64Array.from({ length: n }, (_, i) => (i === 4 ? NaN : (i * 7) % 11));
    const req = request(values);
    const progress: number[] = [];
    const report = await client.run(req, { onEvent: (e) => progress.push(e.done) }).result;
    expect(progress.length).toBeGreaterThan(5);
    const direct = await evaluateTask(
      evaluationContext(req.city),
      req.task,
      embeddingFeatures(req.embedding, 3, req.snapshots),
    );
    expect(report.embedding.r2).toBeCloseTo(direct.embedding.r2, 12);
    expect([...report.predicted]).toEqual([...direct.predicted]);
    expect(report.prompt?.metrics.r2).toBeCloseTo(direct.prompt?.metrics.r2 ?? NaN, 12);
  });

  it('scores with the city’s own protocol', async () => {
    const values = Float64Array.from({ length: n }, (_, i) => (i * 7) % 11);
    expect((await client.run(request(values)).result).folds).toBe(10);
    expect((await client.run(request(values, BENCHMARK_PROTOCOLS.chicago)).result).folds).toBe(25);
  });

  it('says why a task cannot be scored', async () => {
    const values = Float64Array.from({ length: n }, (_, i) => (i < 2 ? 5 : NaN));
    await expect(client.run(request(values)).result).rejects.toThrow(
      'task "custom-bike-thefts" has 2 labelled regions; cross-validation needs at least 3',
    );
  });
});
