import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { emptyRecord, parseScaleFlags, scaleTable, steadyMean, type ScaleRecord } from './bench-scale';

describe('npm run bench:scale flags and table', () => {
  it('reads sizes, epochs and the output file, with defaults', () => {
    expect(parseScaleFlags([])).toMatchObject({
      regions: [150, 1000, 2000],
      epochs: 3,
      out: null,
      help: false,
    });
    expect(parseScaleFlags(['--regions', '2000,10000', '--epochs', '2', '--out', 'f.json'])).toMatchObject({
      regions: [2000, 10000],
      epochs: 2,
      out: 'f.json',
    });
    expect(parseScaleFlags(['--help']).help).toBe(true);
  });

  it('times the task report only with --report', () => {
    expect(parseScaleFlags([]).report).toBe(false);
    expect(parseScaleFlags(['--regions', '2000', '--report', '--epochs', '2'])).toMatchObject({
      regions: [2000],
      epochs: 2,
      report: true,
    });
  });

  it('shows the report seconds in the table, a dash without --report', () => {
    const timed: ScaleRecord = {
      ...emptyRecord(2000, 2),
      ok: true,
      reportSeconds: 24.5,
      reportCpuSeconds: 25.25,
    };
    const [header, , row] = scaleTable([timed]).split('\n');
    expect(header).toMatch(/\| setup s \| report s \| report CPU s \|/);
    expect(row).toMatch(/\| 24\.50 \| 25\.25 \|/);
    expect(scaleTable([emptyRecord(150, 1)]).split('\n')[2]).toMatch(/\| – \| – \| – \| – \| – \|/);
  });

  it('refuses a bad size, epoch count or config', () => {
    expect(() => parseScaleFlags(['--regions', '10'])).toThrow(/>= 20/);
    expect(() => parseScaleFlags(['--epochs', '0'])).toThrow(/positive integer/);
    expect(() => parseScaleFlags(['--config', '[1]'])).toThrow(/JSON object/);
    expect(() => parseScaleFlags(['--out'])).toThrow(/needs a value/);
  });

  it('counts the epochs after the first when there are two or more', () => {
    expect(steadyMean([9, 2, 4])).toBe(3);
    expect(steadyMean([5])).toBe(5);
    expect(steadyMean([])).toBeNull();
  });

  it('prints one table row per size, failed ones with their error', () => {
    const ok: ScaleRecord = {
      ...emptyRecord(150, 3),
      ok: true,
      secondsPerEpoch: 0.5,
      peakHeapBytes: 2 ** 27,
    };
    const failed: ScaleRecord = { ...emptyRecord(5000, 3), error: 'RangeError: out of memory | abort' };
    const lines = scaleTable([ok, failed]).split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[2]).toMatch(/^\| 150 \| yes \| .*\| 0\.50 \| .*\| 128 MB \|/);
    expect(lines[3]).toMatch(/^\| 5000 \| no \| .*RangeError: out of memory \\\| abort \|$/);
  });
});

describe('npm run bench:scale (a tiny city, then sizes no model can train)', () => {
  it(
    'runs each size in its own process, records what it measured, and records failed sizes with their error',
    { timeout: 180_000 },
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'bench-scale-'));
      const run = async (args: string[]): Promise<ScaleRecord[]> => {
        const out = join(dir, 'records.json');
        await promisify(execFile)(
          'npx',
          ['tsx', 'src/cli/bench-scale.ts', ...args, '--epochs', '1', '--out', out],
          {
            cwd: join(import.meta.dirname, '../..'),
          },
        );
        return JSON.parse(readFileSync(out, 'utf8')) as ScaleRecord[];
      };
      try {
        const [ok] = await run(['--regions', '40', '--report']);
        expect([ok.regions, ok.ok, ok.error]).toEqual([40, true, null]);
        expect(ok.secondsPerEpoch).toBeGreaterThan(0);
        expect(ok.cpuSecondsPerEpoch).toBeGreaterThan(0);
        expect(ok.setupSeconds).toBeGreaterThanOrEqual(0);
        // --report: the three tasks of the generated city, scored on the one epoch's snapshot.
        expect(ok.reportSeconds).toBeGreaterThan(0);
        expect(ok.reportCpuSeconds).toBeGreaterThan(0);
        expect(ok.snapshots).toBe(1);
        expect(ok.reportTasks?.map((t) => t.task)).toEqual(['crime', 'checkIn', 'serviceCall']);
        // 144 hidden units cannot be split over 5 heads: each size fails in its child, and both are recorded.
        const failed = await run(['--regions', '40,41', '--config', '{"heads":5}']);
        expect(failed.map((r) => [r.regions, r.ok])).toEqual([
          [40, false],
          [41, false],
        ]);
        for (const r of failed) expect(r.error).toMatch(/divisible by heads 5/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
