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

describe('npm run bench:scale (two tiny sizes, one over the dense limit)', () => {
  it(
    'runs each size in its own process and records the one it cannot run as failed',
    { timeout: 180_000 },
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'bench-scale-'));
      const out = join(dir, 'records.json');
      try {
        await promisify(execFile)(
          'npx',
          [
            'tsx',
            'src/cli/bench-scale.ts',
            '--regions',
            '40,60',
            '--epochs',
            '1',
            '--dense-limit',
            '50',
            '--out',
            out,
          ],
          { cwd: join(import.meta.dirname, '../..') },
        );
        const records = JSON.parse(readFileSync(out, 'utf8')) as ScaleRecord[];
        expect(records.map((r) => [r.regions, r.ok])).toEqual([
          [40, true],
          [60, false],
        ]);
        expect(records[0].secondsPerEpoch).toBeGreaterThan(0);
        expect(records[0].cpuSecondsPerEpoch).toBeGreaterThan(0);
        expect(records[0].setupSeconds).toBeGreaterThanOrEqual(0);
        expect(records[0].error).toBeNull();
        expect(records[1].error).toMatch(/until SREL inputs read CSR trips/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
