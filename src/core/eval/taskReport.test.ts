import { describe, expect, it } from 'vitest';
import { Rng } from '../random';
import { nestedCrossValidate } from './nested';
import type { StackInput } from './stacking';
import type { StackFit } from './stacking';
import {
  EMBEDDING_ALPHAS,
  stackParts,
  TASK_ALPHAS,
  taskReport,
  TaskReportError,
  withAlphas,
} from './taskReport';

function data(seed: number, n = 40, d = 4): { x: Float64Array; y: Float64Array } {
  const rng = new Rng(seed);
  const x = Float64Array.from({ length: n * d }, () => rng.normal());
  const y = Float64Array.from(
    { length: n },
    (_, i) => 20 + 5 * x[i * d] - 3 * x[i * d + 1] + 0.1 * rng.normal(),
  );
  return { x, y };
}

describe('taskReport', () => {
  it('shows held-out predictions for labelled regions and predicts the unlabelled ones', () => {
    const { x, y } = data(1);
    const values = Float64Array.from(y);
    values[5] = NaN;
    values[17] = NaN;
    const report = taskReport('crime', values, { data: x, d: 4 }, null);
    const rows = Array.from({ length: 40 }, (_, i) => i).filter((i) => !Number.isNaN(values[i]));
    const cv = nestedCrossValidate(
      EMBEDDING_ALPHAS.map((alpha) => ({ label: String(alpha), features: x, d: 4, alpha })),
      values,
      rows,
      { k: 10, shuffleSeed: 2024 },
    );
    expect(report.embedding.r2).toBeCloseTo(cv.r2, 12);
    expect(report.embedding.n).toBe(38);
    rows.forEach((r, k) => expect(report.predicted[r]).toBeCloseTo(cv.predictions[k], 12));
    expect(report.heldOut[5]).toBe(0);
    expect(report.heldOut[6]).toBe(1);
    // The unlabelled regions are predicted well: the relation is linear and nearly noiseless.
    expect(report.predicted[5]).toBeCloseTo(y[5], 0);
    expect(report.predicted[17]).toBeCloseTo(y[17], 0);
  });

  it('predicts with the combined predictor when given its sets, and its sets alone give the other columns bit for bit', () => {
    const { x, y } = data(4);
    const values = Float64Array.from(y);
    values[7] = NaN;
    // The embedding knows the first column, the raw set the second: y needs both.
    const embedding = { data: Float64Array.from({ length: 40 }, (_, i) => x[i * 4]), d: 1 };
    const raw = { data: Float64Array.from({ length: 40 }, (_, i) => x[i * 4 + 1]), d: 1 };
    const combine: StackInput[] = [
      { label: 'raw counts', candidates: withAlphas(raw), role: 'raw' },
      { label: 'SREL', candidates: withAlphas(embedding, EMBEDDING_ALPHAS), role: 'embedding' },
    ];
    const alone = taskReport('crime', values, embedding, raw);
    const report = taskReport('crime', values, embedding, raw, { combine });
    expect(report.embedding).toEqual(alone.embedding);
    expect(report.raw).toEqual(alone.raw);
    expect(alone.combined).toBeNull();
    // Each set alone explains part of y; their average explains more than either (the weights
    // sum to 1, so not all of it: stacking.test.ts).
    expect(report.combined!.metrics.r2).toBeGreaterThan(Math.max(alone.embedding.r2, alone.raw!.r2) + 0.1);
    expect(report.combined!.parts.map((p) => p.label)).toEqual(['raw counts', 'SREL']);
    expect(report.combined!.parts[0].weight + report.combined!.parts[1].weight).toBeCloseTo(1, 12);
    expect(report.combined!.weights).toBe('convex');
    for (const p of report.combined!.parts) {
      expect(p.weight).toBeGreaterThan(0.2);
      expect(p.folds).toBe(10);
      expect(TASK_ALPHAS).toContain(p.alpha);
    }
    // The map shows the combined predictions: held-out where labelled, the all-labels fit elsewhere.
    expect(report.predicted[7]).toBeCloseTo(y[7], 0);
    expect(report.predicted[3]).not.toBe(alone.predicted[3]);
    expect(Math.abs(report.predicted[3] - y[3])).toBeLessThan(Math.abs(alone.predicted[3] - y[3]));
  });

  it("scores the prompt as one of the combiner's sets: its own figures, its map, the folds it had weight", () => {
    const { x, y } = data(5);
    const values = Float64Array.from(y);
    values[9] = NaN;
    const embedding = { data: Float64Array.from({ length: 40 }, (_, i) => x[i * 4]), d: 1 };
    // "Embedding beside the prompt": both columns y needs.
    const withPrompt = {
      data: Float64Array.from({ length: 80 }, (_, k) => x[Math.floor(k / 2) * 4 + (k % 2)]),
      d: 2,
    };
    const head = withAlphas(withPrompt).map((c) => ({ ...c, usesPrompt: true }));
    const prompt = { name: 'test prompt', llmVectors: false, candidates: head };
    const combine: StackInput[] = [
      { label: 'SREL', candidates: withAlphas(embedding, EMBEDDING_ALPHAS), role: 'embedding' },
      { label: 'SREL + task prompt', candidates: head, role: 'prompt' },
    ];
    const alone = taskReport('crime', values, embedding, null, { prompt });
    const report = taskReport('crime', values, embedding, null, { prompt, combine });
    // The prompt's figures are the same as the head scored alone (the same candidates, folds).
    expect(report.prompt!.metrics).toEqual(alone.prompt!.metrics);
    expect(report.prompt!.predicted[3]).toBe(alone.prompt!.predicted[3]);
    // Its map predicts the unlabelled region too, from every label.
    expect(report.prompt!.predicted[9]).toBeCloseTo(alone.prompt!.predicted[9], 10);
    // It carries the task: every fold weighted it.
    expect(report.prompt!.foldsUsingPrompt).toBe(10);
    expect(report.combined!.parts[1]).toMatchObject({ label: 'SREL + task prompt', folds: 10 });
  });

  it('describes what the combiner chose by its outer folds: mean weight, commonest strength, folds weighted', () => {
    const fit = (weights: number[], alphas: number[]): StackFit => ({
      chosen: alphas.map((alpha) => ({ label: '', features: new Float64Array(0), d: 1, alpha })),
      innerR2: [0, 0],
      weights,
      intercept: 0,
      back: [null, null],
    });
    const inputs: StackInput[] = [
      { label: 'a', candidates: [] },
      { label: 'b', candidates: [] },
    ];
    const parts = stackParts(inputs, [
      fit([1, 0], [10, 1]),
      fit([0.5, 0.25], [1, 100]),
      fit([0, 0.5], [10, 100]),
    ]);
    expect(parts).toEqual([
      { label: 'a', weight: 0.5, alpha: 10, folds: 2 },
      { label: 'b', weight: 0.25, alpha: 100, folds: 2 },
    ]);
    // A tie goes to the smaller strength.
    expect(stackParts(inputs.slice(0, 1), [fit([1], [10]), fit([1], [1])])[0].alpha).toBe(1);
  });

  it("never lets a region's own label into its prediction", () => {
    const { x, y } = data(2);
    const poisoned = Float64Array.from(y);
    poisoned[3] = 1e6;
    const clean = taskReport('crime', y, { data: x, d: 4 }, null);
    const dirty = taskReport('crime', poisoned, { data: x, d: 4 }, null);
    // Region 3's held-out prediction comes from a model that never saw its (poisoned) label.
    expect(dirty.predicted[3]).toBeCloseTo(clean.predicted[3], 8);
  });

  it('reports the raw-feature baseline on the same folds, and refuses too few labels', () => {
    const { x, y } = data(3);
    const report = taskReport('crime', y, { data: x, d: 4 }, { data: x.subarray(0, 40 * 1), d: 1 });
    expect(report.raw?.n).toBe(40);
    const few = new Float64Array(40).fill(NaN);
    few[0] = 1;
    few[1] = 2;
    expect(() => taskReport('mine', few, { data: x, d: 4 }, null)).toThrow(TaskReportError);
    expect(() => taskReport('mine', few, { data: x, d: 4 }, null)).toThrow(/2 labelled regions/);
  });

  it('with snapshots, predicts every region by the mean of ridge on each snapshot', () => {
    const { x, y } = data(4);
    const rng = new Rng(5);
    const noisy = (): Float64Array => Float64Array.from(x, (v) => v + 0.5 * rng.normal());
    const snapshots = [noisy(), noisy(), noisy()];
    const values = Float64Array.from(y);
    values[9] = NaN;
    const report = taskReport('crime', values, { data: x, d: 4, snapshots }, null);
    const rows = Array.from({ length: 40 }, (_, i) => i).filter((i) => i !== 9);
    const members = snapshots.map((features) => ({ features, d: 4 }));
    const cv = nestedCrossValidate(
      EMBEDDING_ALPHAS.map((alpha) => ({ label: String(alpha), features: x, d: 4, alpha, members })),
      values,
      rows,
      { k: 10, shuffleSeed: 2024 },
    );
    expect(report.embedding.r2).toBeCloseTo(cv.r2, 12);
    rows.forEach((r, k) => expect(report.predicted[r]).toBeCloseTo(cv.predictions[k], 12));
    // Not the final embedding's own figure: the snapshots are what is scored.
    expect(report.embedding.r2).not.toBeCloseTo(
      taskReport('crime', values, { data: x, d: 4 }, null).embedding.r2,
      6,
    );
    expect(report.predicted[9]).toBeCloseTo(y[9], -1);
  });

  it('reports progress in work units that end at the total: snapshots weigh per fold, raw folds one each', () => {
    const { x, y } = data(6);
    const values = Float64Array.from(y);
    values[3] = NaN;
    const snapshots = [x, x];
    const steps: [number, number][] = [];
    taskReport(
      'crime',
      values,
      { data: x, d: 4, snapshots },
      { data: x, d: 4 },
      {
        onProgress: (done, total) => steps.push([done, total]),
      },
    );
    // 10 embedding folds x 2 snapshots + 10 raw folds + the unlabelled fit (2 units).
    expect(steps.at(-1)).toEqual([32, 32]);
    expect(steps).toHaveLength(21);
    steps.slice(1).forEach(([done], k) => expect(done).toBeGreaterThan(steps[k][0]));
  });
});
