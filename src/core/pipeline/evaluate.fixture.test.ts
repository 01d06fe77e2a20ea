/**
 * The task report's figures, pinned: `fixtures/taskReportCase.json` holds what taskReport and
 * nestedCrossValidate gave on this small case before the evaluation was made faster (ridge
 * systems reused across tasks, scaled Gram sums, no copies). Faster paths must give the same
 * choices and the same predictions to 1e-9. Regenerate only on purpose:
 * `WRITE_REPORT_FIXTURE=1 npx vitest run src/core/pipeline/evaluate.fixture.test.ts`, then
 * `npx prettier --write` the JSON.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RowSumsCache, nestedCrossValidate } from '../eval/nested';
import { taskReport, withAlphas, type FeatureSet } from '../eval/taskReport';
import { Rng } from '../random';
import { promptCandidates } from './evaluate';

const FIXTURE = join(import.meta.dirname, 'fixtures/taskReportCase.json');

/** 150 regions, a 12-wide embedding with 3 snapshots, 6 count-like raw columns, three tasks. */
function reportCase() {
  const rng = new Rng(41);
  const n = 150;
  const d = 12;
  const latent = Float64Array.from({ length: n * 3 }, () => rng.normal());
  const snapshot = (noise: number): Float64Array =>
    Float64Array.from({ length: n * d }, (_, k) => {
      const i = Math.floor(k / d);
      return latent[i * 3 + (k % 3)] * (1 + (k % d) / d) + noise * rng.normal();
    });
  const snapshots = [snapshot(2), snapshot(1), snapshot(0.5)];
  const embedding: FeatureSet = { data: snapshots[2], d, snapshots };
  const raw: FeatureSet = {
    data: Float64Array.from({ length: n * 6 }, (_, k) =>
      rng.next() < 0.3 ? 0 : Math.round(Math.exp(latent[Math.floor(k / 6) * 3 + (k % 3)] + rng.normal())),
    ),
    d: 6,
  };
  const tasks = ['crime', 'checkIn', 'serviceCall'].map((id, j) => {
    const values = Float64Array.from(
      { length: n },
      (_, i) => 20 + 4 * latent[i * 3 + j] - 2 * latent[i * 3 + ((j + 1) % 3)] + (1 + j) * rng.normal(),
    );
    if (j === 0) for (const i of [3, 50, 51, 149]) values[i] = NaN;
    const t = 3;
    const prompt = {
      data: Float64Array.from({ length: n * t }, (_, k) =>
        k % t === 0 ? latent[Math.floor(k / t) * 3 + j] + rng.normal() : rng.normal(),
      ),
      t,
      name: `prompt ${id}`,
      llmVectors: false,
    };
    return { id, values, prompt };
  });
  // Wider than the inner training splits (40 columns, 45 regions): the dual problem.
  const wide = Float64Array.from({ length: 45 * 40 }, () => rng.normal());
  const wideValues = Float64Array.from({ length: 45 }, (_, i) => 5 + 3 * wide[i * 40] + rng.normal());
  return { n, embedding, raw, tasks, wide, wideValues };
}

/** Everything the case's reports and selections give, as plain numbers and labels. */
function figures(cache?: RowSumsCache): unknown {
  const c = reportCase();
  const tasks = c.tasks.map((task) => {
    const report = taskReport(task.id, task.values, c.embedding, c.raw, {
      // The prompt grid the case was pinned with: weights 0, 0.5 and 1.
      prompt: promptCandidates(c.embedding, task.prompt, [0, 0.5, 1]),
      ...(cache ? { cache } : {}),
    });
    const rows = Array.from({ length: c.n }, (_, i) => i).filter((i) => !Number.isNaN(task.values[i]));
    const nested = nestedCrossValidate(withAlphas(c.embedding), task.values, rows, {
      k: 10,
      shuffleSeed: 2024,
    });
    const m = (x: { mae: number; rmse: number; r2: number } | null | undefined) =>
      x ? { mae: x.mae, rmse: x.rmse, r2: x.r2 } : null;
    return {
      task: task.id,
      embedding: m(report.embedding),
      raw: m(report.raw),
      prompt: m(report.prompt?.metrics),
      foldsUsingPrompt: report.prompt?.foldsUsingPrompt ?? null,
      predicted: Array.from(report.predicted),
      promptPredicted: Array.from(report.prompt?.predicted ?? []),
      chosen: nested.chosen,
    };
  });
  const wideRows = Array.from({ length: 45 }, (_, i) => i);
  const wide = nestedCrossValidate(withAlphas({ data: c.wide, d: 40 }), c.wideValues, wideRows, {
    k: 5,
    shuffleSeed: 7,
  });
  return { tasks, wide: { chosen: wide.chosen, predictions: Array.from(wide.predictions) } };
}

/** Numbers equal to 1e-9 (relative to their size), everything else exactly. */
function expectSame(actual: unknown, expected: unknown, path = ''): void {
  if (typeof expected === 'number') {
    expect(typeof actual, path).toBe('number');
    expect(Math.abs((actual as number) - expected), path).toBeLessThanOrEqual(
      1e-9 * Math.max(1, Math.abs(expected)),
    );
  } else if (Array.isArray(expected)) {
    expect(Array.isArray(actual) && actual.length, path).toBe(expected.length);
    expected.forEach((e, i) => expectSame((actual as unknown[])[i], e, `${path}[${i}]`));
  } else if (expected !== null && typeof expected === 'object') {
    for (const [k, e] of Object.entries(expected))
      expectSame((actual as Record<string, unknown>)[k], e, `${path}.${k}`);
  } else expect(actual, path).toEqual(expected);
}

describe('the task report on a pinned case', () => {
  it('gives the choices and predictions it gave before the evaluation was made faster', () => {
    const actual = figures();
    if (process.env.WRITE_REPORT_FIXTURE) writeFileSync(FIXTURE, JSON.stringify(actual) + '\n');
    expectSame(actual, JSON.parse(readFileSync(FIXTURE, 'utf8')));
  });

  it('gives them too when the three tasks share the Gram sums of the embedding and raw features', () => {
    expectSame(figures(new RowSumsCache()), JSON.parse(readFileSync(FIXTURE, 'utf8')));
  });
});
