import { describe, expect, it } from 'vitest';
import { BENCHMARK_DIR, BENCHMARK_SKIP_REASON } from '../test/benchmark';
import { promptMarkdownTable, promptSummaryTable, runPromptBenchmark } from './bench-prompt';

describe.skipIf(!BENCHMARK_DIR)('npm run bench:prompt (quick, Chicago, ridge heads)', () => {
  it('evaluates every vector set, the random control and the baselines for every task', async () => {
    const lines: string[] = [];
    const records = await runPromptBenchmark(
      {
        cities: ['chicago'],
        seeds: 1,
        epochs: 2,
        headEpochs: 2,
        benchmarkDir: BENCHMARK_DIR ?? '',
        heads: ['ridge'],
      },
      (line) => lines.push(line),
    );
    const rows = [...new Set(records.map((r) => r.row))];
    expect(rows).toEqual([
      'SREL + ridge',
      'SREL snapshots + ridge (mean of 10 snapshots, alpha 1)',
      'SREL + ridge, alpha chosen on inner folds',
      'SREL snapshots + ridge, alpha chosen on inner folds',
      ...[
        'offline encoder',
        'task-attended composition (offline encoder)',
        'Qwen vectors',
        'LLaMA vectors',
        'LLaMA vectors without template',
        'task-attended composition, items shuffled (control)',
        'random Gaussian vectors (control)',
      ].flatMap((set) => [
        `SREL + semantic ridge head, ${set}`,
        `SREL snapshots + semantic ridge head, ${set}`,
      ]),
    ]);
    for (const row of rows)
      expect(
        records
          .filter((r) => r.row === row)
          .map((r) => r.task)
          .sort(),
      ).toEqual(['checkIn', 'crime', 'serviceCall']);
    for (const r of records) expect(Number.isFinite(r.r2)).toBe(true);
    // Each ridge-head line says in how many folds the inner folds let the vectors in.
    expect(lines.some((l) => /vectors used in \d+ of 25 folds/.test(l))).toBe(true);
    expect(promptMarkdownTable(records)).toMatch(/\| SREL \+ semantic ridge head, Qwen vectors \| [\d.]+ \|/);
    // The summary: mean R² per row over Chicago's three tasks.
    expect(promptSummaryTable(records)).toMatch(
      /Mean R² over every city and task \(3 cells[^]*\| SREL \+ semantic ridge head, task-attended composition \(offline encoder\) \| [\d.]+ \|/,
    );
  }, 120_000);
  if (!BENCHMARK_DIR) it.skip(BENCHMARK_SKIP_REASON, () => {});
});
