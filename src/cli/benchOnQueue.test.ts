/**
 * `npm run bench -- --queue <url>` on a real Redis (issue 20): the bench's runs trained by a
 * queue worker in another process are the runs the bench trains itself, byte for byte (so they
 * score alike: scoring reads nothing else), and the bench scores them; asked again, the queue
 * finds them in the runs folder and queues nothing. Riverton, the full row, one seed, 6 epochs (so the full row keeps its 5-epoch
 * embedding for the selection rows).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDIS_SERVER, startRedis, type RunningRedis } from '../test/redis';
import { useBackend } from '../core/backend';
import { loadCity } from '../core/city/load';
import { runBenchmark, type Options } from './bench';
import { saveRun } from './benchCache';
import { trainOnQueue } from './benchOnQueue';
import { cityDirOf, runKeyOf, trainBenchRun } from './benchRuns';
import { directorySource } from './fsSource';

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

  it('trains the runs on a worker, byte for byte the run the bench trains itself, then scores them', async () => {
    // The run as the bench trains it in its own process (runBenchmark without --queue).
    const key = runKeyOf('riverton', 'full', 0, 6);
    const { city } = await loadCity(directorySource(cityDirOf('riverton', '')));
    const { backend } = await useBackend();
    saveRun(
      join(work, 'local'),
      key,
      await trainBenchRun(city!, { row: 'full', seed: 0, epochs: 6 }, backend),
    );

    worker = spawn(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'src/cli/queue.ts'), 'worker', '--redis', redis.url],
      { cwd: ROOT },
    );
    worker.stdout?.on('data', (c: Buffer) => (workerLog += c.toString()));
    worker.stderr?.on('data', (c: Buffer) => (workerLog += c.toString()));
    const lines: string[] = [];
    const records = await runBenchmark(options(join(work, 'queued'), redis.url), (l) => lines.push(l));
    expect(lines[0]).toMatch(/^queue: 0 of 1 runs are in .+ already; 1 to train on redis:/);
    expect(lines.some((l) => /^queue: all 1 runs done in /.test(l))).toBe(true);
    expect(workerLog).toContain(key);
    const bytes = (dir: string, ext: string) => readFileSync(join(work, dir, `${key}.${ext}`));
    expect(bytes('queued', 'bin').equals(bytes('local', 'bin'))).toBe(true);
    expect(JSON.parse(bytes('queued', 'json').toString()).kept).toEqual([5]);
    // Scored as the bench scores its own runs: every SREL row of the full model, every task.
    const srel = records.filter((r) => r.row === 'SREL full');
    expect(srel.map((r) => r.task).sort()).toEqual(['checkIn', 'crime', 'serviceCall']);
    expect(srel.every((r) => r.epochs === 6 && Number.isFinite(r.r2))).toBe(true);
    expect(records.filter((r) => r.shipped)).toHaveLength(3);

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
    // A loaded machine's limit: beside the browser suite this test passed 300 s (22 s alone).
  }, 900_000);
});
