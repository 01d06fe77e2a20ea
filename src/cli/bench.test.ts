import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { NODE_BACKENDS } from '../core/backend';
import { loadCity } from '../core/city/load';
import type { City } from '../core/city/types';
import { DEFAULT_TRAIN_SETTINGS, srelConfigFrom } from '../core/pipeline/settings';
import { trainRun } from '../core/pipeline/trainRun';
import { tasksOfCity } from '../core/tasks/tasks';
import { BENCHMARK_DIR, BENCHMARK_SKIP_REASON } from '../test/benchmark';
import { markdownTable, parseArgs, runBenchmark, summaryTable, type BenchRecord } from './bench';
import { directorySource } from './fsSource';

describe.skipIf(!BENCHMARK_DIR)('npm run bench (quick, Chicago)', () => {
  it('trains, evaluates every row and task, and prints the table', async () => {
    const runsDir = mkdtempSync(join(tmpdir(), 'bench-runs-'));
    onTestFinished(() => rmSync(runsDir, { recursive: true, force: true }));
    const records = await runBenchmark(
      {
        cities: ['chicago'],
        seeds: 1,
        epochs: 5,
        out: null,
        benchmarkDir: BENCHMARK_DIR ?? '',
        runsDir,
      },
      () => {},
    );
    const rows = [...new Set(records.map((r) => r.row))];
    expect(rows).toEqual([
      'raw features, ridge',
      'raw features (log1p), ridge',
      'raw features (plain or log1p) and ridge alpha chosen on inner folds',
      'SLX: raw log1p beside its spatial lag, ridge alpha chosen on inner folds',
      'stacking of the raw sets (plain, log1p, SLX), weights on inner folds',
      'stacking of the raw sets (plain, SLX on a log target), weights on inner folds',
      'SREL without spatial priors',
      'SREL without spatial priors, mean prediction of 10 snapshots',
      'SREL without centrality',
      'SREL without centrality, mean prediction of 10 snapshots',
      'SREL full',
      'SREL full, mean prediction of 10 snapshots',
      'SREL full, epoch count chosen on inner folds of the training regions',
      'SREL full, mean prediction of 10 snapshots, ridge alpha chosen on inner folds',
      'SREL full, mean prediction of 10 snapshots, ridge alpha among 0.1, 1, 10 chosen on inner folds',
      'selection: the best feature set (raw, log1p, SLX, SREL snapshots) on inner folds',
      'stacking: raw, log1p, SLX and SREL snapshots, non-negative weights on inner folds',
      'stacking: raw, SLX on a log target and SREL snapshots, non-negative weights on inner folds',
      'stacking: raw, SLX on a log target, SREL snapshots and SREL + task prompt, non-negative weights on inner folds',
      'stacking: raw, SLX on a log target, SREL snapshots and SREL + task prompt, convex weights (summing to 1) on inner folds',
      'SREL full, linear counts beside log1p',
      'SREL full, linear counts beside log1p, mean prediction of 10 snapshots',
      'SREL full, epochs, count features and ridge alpha chosen on inner folds',
    ]);
    expect(
      records
        .filter((r) => r.row === 'SREL full')
        .map((r) => r.task)
        .sort(),
    ).toEqual(['checkIn', 'crime', 'serviceCall']);
    for (const r of records) expect(Number.isFinite(r.r2)).toBe(true);
    // One shipped row per task: the stacking row, which the app's report repeats (below).
    const shipped = records.filter((r) => r.shipped);
    expect(shipped.map((r) => r.task).sort()).toEqual(['checkIn', 'crime', 'serviceCall']);
    expect(new Set(shipped.map((r) => r.row))).toEqual(
      new Set([
        'stacking: raw, SLX on a log target, SREL snapshots and SREL + task prompt, convex weights (summing to 1) on inner folds',
      ]),
    );
    const raw = records.find((r) => r.row === 'raw features, ridge' && r.task === 'checkIn');
    expect(raw?.r2).toBeCloseTo(0.846, 3);
    expect(raw?.n).toBe(74); // three zero check-ins dropped
    const table = markdownTable(records);
    expect(table).toMatch(
      /### chicago \(prior: Gaussian distance prior on centroid distances \(sigma 8\.92 km/,
    );
    expect(table).toMatch(/\| SREL full \| [\d.]+ \|/);
    const summary = summaryTable(records);
    // Chicago's targets: 0.856, 0.627, 0.656 (honest HAFusion beats raw ridge in every cell).
    expect(summary).toMatch(/\| target per cell: better of raw ridge and honest HAFusion \| 0\.713 \|/);
    expect(summary).toMatch(/\| raw features, ridge \| 0\.599 \| 0 of 3 \|/);

    // The app's training pipeline (what the training worker runs) on the same city with the
    // app's default settings, 5 epochs: its figures are the bench's snapshot row, exactly.
    const city = (await loadCity(directorySource(join(BENCHMARK_DIR ?? '', 'chicago')))).city as City;
    const app = await trainRun(
      {
        city,
        tasks: tasksOfCity(city),
        config: srelConfigFrom({ ...DEFAULT_TRAIN_SETTINGS, epochs: 5 }),
        initial: null,
      },
      { backend: 'wasm', available: NODE_BACKENDS },
    );
    expect(app.reports.map((r) => r.folds)).toEqual([25, 25, 25]);
    // The app's SREL column: its snapshots, alpha among EMBEDDING_ALPHAS.
    const benchRow =
      'SREL full, mean prediction of 10 snapshots, ridge alpha among 0.1, 1, 10 chosen on inner folds';
    for (const report of app.reports) {
      const row = records.find((r) => r.row === benchRow && r.task === report.task);
      expect(row).toBeDefined();
      expect({ ...report.embedding, spread: undefined }).toEqual({
        mae: row?.mae,
        rmse: row?.rmse,
        r2: row?.r2,
        n: row?.n,
        spread: undefined,
      });
      // The map's predictions are the shipped row's, figure for figure.
      const shippedRow = shipped.find((r) => r.task === report.task);
      expect({ ...report.combined?.metrics, spread: undefined }).toEqual({
        mae: shippedRow?.mae,
        rmse: shippedRow?.rmse,
        r2: shippedRow?.r2,
        n: shippedRow?.n,
        spread: undefined,
      });
      // The task's prompt (the offline composition) is one of the sets, in the app as in the bench.
      expect(report.prompt?.name).toBe('task-attended composition (offline encoder)');
      expect(report.combined?.parts.map((p) => p.label)).toContain('SREL + task prompt');
    }
  }, 240_000);
  if (!BENCHMARK_DIR) it.skip(BENCHMARK_SKIP_REASON, () => {});
});

describe('bench flags', () => {
  it('scores on the literature folds unless --split says otherwise', () => {
    expect(parseArgs([]).splits).toEqual([{ kind: 'literature' }]);
    expect(parseArgs(['--split', 'literature']).splits).toEqual([{ kind: 'literature' }]);
    expect(parseArgs(['--city', 'chicago,nyc', '--split', 'spatial:5:1', '--quick'])).toMatchObject({
      cities: ['chicago', 'nyc'],
      splits: [{ kind: 'spatial', k: 5, seed: 1 }],
      seeds: 1,
      epochs: 5,
    });
    expect(parseArgs(['--split', 'kfold:10:7,literature,spatial:5:1']).splits).toEqual([
      { kind: 'kfold', k: 10, seed: 7 },
      { kind: 'literature' },
      { kind: 'spatial', k: 5, seed: 1 },
    ]);
    expect(parseArgs(['--reuse-runs']).reuseRuns).toBe(true);
  });

  it('refuses a --split it cannot read, saying why', () => {
    expect(() => parseArgs(['--split'])).toThrow(
      '--split needs a value: literature, kfold:K:SEED or spatial:K:SEED',
    );
    expect(() => parseArgs(['--split', 'spatial:0:1'])).toThrow(
      'split "spatial:0:1": the number of folds must be a whole number from 2 to 100000, got 0',
    );
    expect(() => parseArgs(['--split', '--quick'])).toThrow(
      '"--quick" is not a split (use literature, kfold:K:SEED or spatial:K:SEED)',
    );
  });

  it('names the split in the tables, one section per city and split', () => {
    const record = (split: string, r2: number): BenchRecord => ({
      city: 'riverton',
      task: 'crime',
      row: 'raw features, ridge',
      seed: null,
      split,
      mae: 1,
      rmse: 2,
      r2,
      n: 150,
      epochs: null,
      secondsPerEpoch: null,
      totalSeconds: null,
      backend: 'none',
      prior: 'none',
    });
    const records = [record('literature', 0.5), record('spatial:5:1', 0.25)];
    const table = markdownTable(records);
    expect(table).toContain('### riverton (prior: none; split literature)');
    expect(table).toContain(
      '### riverton (prior: none; split spatial:5:1: 5 spatial blocks (k-means of centroids, seed 1))',
    );
    const summary = summaryTable(records);
    expect(summary).toContain('### Mean R² over 1 cells (riverton/crime), split literature');
    expect(summary).toContain(
      [
        '### Mean R² over 1 cells (riverton/crime), split spatial:5:1: 5 spatial blocks (k-means of centroids, seed 1)',
        '',
        '| row | mean R² | cells at target |',
        '| --- | --- | --- |',
        "| target per cell: raw ridge (HAFusion's figures are on the literature's folds) | 0.250 | |",
        '| raw features, ridge | 0.250 | 1 of 1 |',
      ].join('\n'),
    );
    expect(summary).toContain('| raw features, ridge | 0.500 |  |');
  });
});
