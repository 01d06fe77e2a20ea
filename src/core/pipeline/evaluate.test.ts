import { describe, expect, it } from 'vitest';
import { manySquares, regionsInARow } from '../city/fixtures/twoSquares';
import { BENCHMARK_PROTOCOLS } from '../city/protocol';
import type { City } from '../city/types';
import { kFold } from '../eval/folds';
import { spatialWeights } from '../eval/spatialLag';
import { globalMoran, weightsOn } from '../spatial/moran';
import { nestedCrossValidate } from '../eval/nested';
import { EMBEDDING_ALPHAS, taskReport } from '../eval/taskReport';
import { semanticRidgeCandidates } from '../prompt/ridgeHead';
import { Rng } from '../random';
import { customTask } from '../tasks/tasks';
import { PROMPT_WEIGHTS, evaluateTask, evaluationContext, promptCandidates } from './evaluate';

describe('the semantic ridge head in a task report', () => {
  it('uses the prompt features where they carry signal, never a region’s own label', () => {
    const rng = new Rng(8);
    const n = 60;
    const x = Float64Array.from({ length: n * 3 }, () => rng.normal());
    const s = Float64Array.from({ length: n * 2 }, () => rng.normal());
    const y = Float64Array.from(
      { length: n },
      (_, i) => 30 + 4 * x[i * 3] + 6 * s[i * 2] + 0.2 * rng.normal(),
    );
    const values = Float64Array.from(y);
    values[7] = NaN;
    const embedding = { data: x, d: 3 };
    const prompt = promptCandidates(embedding, { data: s, t: 2, name: 'test prompt', llmVectors: false });
    const report = taskReport('crime', values, embedding, null, { prompt });
    const rows = Array.from({ length: n }, (_, i) => i).filter((i) => i !== 7);
    const cv = nestedCrossValidate(
      semanticRidgeCandidates(x, 3, s, 2, n, { weights: PROMPT_WEIGHTS, alphas: EMBEDDING_ALPHAS }),
      values,
      rows,
      { k: 10, shuffleSeed: 2024 },
    );
    expect(report.prompt?.name).toBe('test prompt');
    expect(report.prompt?.llmVectors).toBe(false);
    expect(report.prompt?.metrics.r2).toBeCloseTo(cv.r2, 12);
    rows.forEach((r, k) => expect(report.prompt?.predicted[r]).toBeCloseTo(cv.predictions[k], 12));
    expect(report.prompt?.metrics.r2).toBeGreaterThan(report.embedding.r2 + 0.3);
    expect(report.prompt?.foldsUsingPrompt).toBe(10);
    expect(report.prompt?.predicted[7]).toBeCloseTo(y[7], -1);
    // Region 3's held-out prediction never saw its own (poisoned) label.
    const poisoned = Float64Array.from(values);
    poisoned[3] = 1e6;
    const dirty = taskReport('crime', poisoned, embedding, null, { prompt });
    expect(dirty.prompt?.predicted[3]).toBeCloseTo(report.prompt?.predicted[3] ?? NaN, 8);
  });
});

describe('evaluateTask', () => {
  const n = 60;
  const rng = new Rng(3);
  const data = Float64Array.from({ length: n * 4 }, () => rng.normal());
  const labels = Float64Array.from({ length: n }, (_, i) => (i % 7 === 0 ? 0 : 10 + 3 * data[i * 4]));
  const cityWith = (protocol?: City['protocol']): City => manySquares(n, protocol);
  const task = { ...customTask('Bike thefts', 'Bicycles reported stolen.'), labels };

  it('scores a task with the city’s own protocol: its folds and the labels that mean missing', async () => {
    const chicagoLike = { ...BENCHMARK_PROTOCOLS.chicago, zeroMeansMissing: [task.id] };
    const report = await evaluateTask(
      evaluationContext(cityWith(chicagoLike)),
      task,
      { data, d: 4 },
      { prompt: null },
    );
    expect(report.folds).toBe(25);
    expect(report.embedding.n).toBe(n - 9); // regions 0, 7, ..., 56 have 0: missing here
    const plain = await evaluateTask(evaluationContext(cityWith()), task, { data, d: 4 }, { prompt: null });
    expect(plain.folds).toBe(10);
    expect(plain.embedding.n).toBe(n);
    expect(plain.prompt).toBeNull();
  });

  it('scores a task on the context’s split instead of the protocol’s folds when one is given', async () => {
    const embedding = { data, d: 4 };
    const shuffled = await evaluateTask(
      evaluationContext(cityWith(), { kind: 'kfold', k: 5, seed: 3 }),
      task,
      embedding,
      { prompt: null },
    );
    expect(shuffled.folds).toBe(5);
    const rows = Array.from({ length: n }, (_, i) => i);
    expect(shuffled.embedding.r2).toBe(
      taskReport(task.id, labels, embedding, null, { folds: () => kFold(n, { k: 5, shuffleSeed: 3 }) })
        .embedding.r2,
    );
    // The regions sit on two squares: two spatial blocks, one per square.
    const blocks = await evaluateTask(
      evaluationContext(cityWith(), { kind: 'spatial', k: 2, seed: 1 }),
      task,
      embedding,
      { prompt: null },
    );
    expect(blocks.folds).toBe(2);
    const even = rows.filter((i) => i % 2 === 0);
    const odd = rows.filter((i) => i % 2 === 1);
    const byHand = taskReport(task.id, labels, embedding, null, {
      folds: () => [
        { test: even, train: odd },
        { test: odd, train: even },
      ],
    });
    expect(blocks.embedding).toEqual(byHand.embedding);
    await expect(
      evaluateTask(evaluationContext(cityWith(), { kind: 'spatial', k: 3, seed: 1 }), task, embedding, {
        prompt: null,
      }),
    ).rejects.toThrow('the labelled regions have only 2 distinct centroids, too few for 3 spatial blocks');
  });

  it('adds the offline task-attended composition when no prompt features are given', async () => {
    const report = await evaluateTask(evaluationContext(cityWith()), task, { data, d: 4 });
    expect(report.prompt?.name).toBe('task-attended composition (offline encoder)');
    expect(report.prompt?.llmVectors).toBe(false);
  });

  it("gives Moran's I of the held-out residuals with the city's spatial weights, and finds a missed spatial trend", async () => {
    // Regions in a row; the label has a smooth trend along the row that no feature explains.
    const city = regionsInARow(n, true);
    const trended = { ...task, labels: Float64Array.from(labels, (v, i) => 20 + v + 8 * Math.sin(i / 6)) };
    const report = await evaluateTask(evaluationContext(city), trended, { data, d: 4 }, { prompt: null });
    const w = spatialWeights(city)!;
    const rows = Array.from({ length: n }, (_, i) => i);
    const byHand = globalMoran(
      rows.map((i) => report.predicted[i] - trended.labels[i]),
      weightsOn(w, rows),
    );
    expect(report.residualPattern).toMatchObject({
      moransI: byHand.i,
      moransIPValue: byHand.pValue,
      expected: -1 / (n - 1),
      permutations: 999,
      spatialWeights: '6 nearest regions by centroid',
      regions: n,
    });
    expect(report.residualPattern!.moransI).toBeGreaterThan(0.3);
    expect(report.residualPattern!.moransIPValue).toBeLessThanOrEqual(0.01);
    // A city with neither centroids nor trips has no weights: no pattern, not an error.
    const nowhere = await evaluateTask(
      evaluationContext(regionsInARow(n, false)),
      trended,
      { data, d: 4 },
      { prompt: null },
    );
    expect(nowhere.residualPattern).toBeNull();
  });
});
