/**
 * `npm run bench -- --queue <url>` on a real Redis (issue 20): the bench's runs trained by a
 * queue worker in another process are the runs the bench trains itself, byte for byte, and
 * score to the same records; asked again, the queue finds them in the runs folder and queues
 * nothing. Riverton, the full row, one seed, 6 epochs (so the full row keeps its 5-epoch
 * embedding for the selection rows).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDIS_SERVER, startRedis, type RunningRedis } from '../test/redis';
import { runBenchmark, type Options } from './bench';
import { trainOnQueue } from './benchOnQueue';
import { cityDirOf, runKeyOf } from './benchRuns';

const ROOT = join(import.meta.dirname, '../..');

describe.skipIf(!REDIS_SERVER)('npm run bench -- --queue, over a real Redis', () => {
  let redis: RunningRedis;
  let work = '';
  let worker: ChildProcess | null = null;
  let workerLog = '';

  beforeAll(async () => {
    redis = await startRedis();
    work = mkdtempSync(join(tmpdir(), 'topt-bench-queue-'));
  }, 60_000);

  afterAll(async () => {
    worker?.kill('SIGKILL');
    await redis?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  const options = (runsDir: string, queue?: string): Options => ({
    cities: ['riverton'],
    seeds: 1,
    epochs: 6,
    rows: ['full'],
    out: null,
    benchmarkDir: '',
    runsDir,
    ...(queue ? { queue } : {}),
  });

  it('trains the runs on a worker, equal to the runs the bench trains itself, and scores them alike', async () => {
    const local = await runBenchmark(options(join(work, 'local')), () => {});
    worker = spawn(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'src/cli/queue.ts'), 'worker', '--redis', redis.url],
      { cwd: ROOT },
    );
    worker.stdout?.on('data', (c: Buffer) => (workerLog += c.toString()));
    worker.stderr?.on('data', (c: Buffer) => (workerLog += c.toString()));
    const lines: string[] = [];
    const queued = await runBenchmark(options(join(work, 'queued'), redis.url), (l) => lines.push(l));
    expect(lines[0]).toMatch(/^queue: 0 of 1 runs are in .+ already; 1 to train on redis:/);
    expect(lines.some((l) => /^queue: all 1 runs done in /.test(l))).toBe(true);
    expect(workerLog).toContain('riverton-full-seed0-epochs6');
    const bytes = (dir: string, ext: string) =>
      readFileSync(join(work, dir, `riverton-full-seed0-epochs6.${ext}`));
    expect(bytes('queued', 'bin').equals(bytes('local', 'bin'))).toBe(true);
    expect(JSON.parse(bytes('queued', 'json').toString()).kept).toEqual([5]);
    const strip = (records: typeof local) =>
      records.map(({ secondsPerEpoch, totalSeconds, ...r }) => ({
        ...r,
        timed: secondsPerEpoch !== null && totalSeconds !== null,
      }));
    expect(strip(queued)).toEqual(strip(local));

    // Again: the run is in the runs folder, so nothing is queued (the worker is gone).
    worker.kill('SIGKILL');
    const again: string[] = [];
    const run = { city: 'riverton', dir: cityDirOf('riverton', ''), row: 'full', seed: 0, epochs: 6 };
    await trainOnQueue(
      {
        redis: redis.url,
        runsDir: join(work, 'queued'),
        runs: [{ ...run, key: runKeyOf('riverton', 'full', 0, 6) }],
      },
      (l) => again.push(l),
    );
    expect(again).toEqual([expect.stringMatching(/^queue: 1 of 1 runs are in .+ already; 0 to train/)]);
  }, 300_000);
});
