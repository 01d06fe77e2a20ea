/**
 * `npm run bench:queue [-- --jobs 6 --epochs 30 --city sample-cities/riverton]`: the job queue's
 * figures (issue 20's targets). Starts a private redis-server, queues the same jobs (one city,
 * seeds 0..jobs-1) and runs them with one worker, then again with two, each worker process
 * until the queue is idle; prints wall time, CPU seconds (workers and their job processes) and
 * the ratio; and the overhead per job: the queue's own (from a worker taking the job to the job's
 * process receiving it, and from its result to the job marked complete, plus the gap before the
 * next job), and the job process's start (Node, tsx, TensorFlow.js). Writes nothing it keeps.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { cliArgs } from './args';

const USAGE = `Usage: npm run bench:queue -- [--jobs 6] [--epochs 30] [--city sample-cities/riverton]

Times the job queue: the same jobs (one city, seeds 0..jobs-1) with one worker, then with two,
on a private redis-server (needs redis-server on the PATH). Prints wall time, CPU seconds, the
ratio, and the overhead per job. Writes nothing it keeps.

  --jobs 6                          jobs per round (default 6)
  --epochs 30                       epochs per job (default 30)
  --city sample-cities/riverton     the city (default sample-cities/riverton)
  --help, -h                        this text`;

const ROOT = resolve(import.meta.dirname, '../..');
const { values } = cliArgs(process.argv.slice(2), USAGE, {
  jobs: 'string',
  epochs: 'string',
  city: 'string',
});
const jobs = Number(values.jobs ?? 6);
const epochs = Number(values.epochs ?? 30);
const city = resolve(ROOT, (values.city as string | undefined) ?? 'sample-cities/riverton');

const { Queue } = await import('bullmq');
const { REDIS_MISSING, REDIS_SERVER, startRedis } = await import('./redisServer');
const { QUEUE_NAME } = await import('./queue');
if (!REDIS_SERVER) {
  console.error(`error: ${REDIS_MISSING}`);
  process.exit(1);
}

const NODE_TSX = [process.execPath, '--import', 'tsx', join(ROOT, 'src/cli/queue.ts')];
const run = (args: string[], timeFile?: string): Promise<number> =>
  new Promise((done) => {
    // /usr/bin/time reports the CPU of the worker and of the job processes it waited for.
    const [cmd, ...rest] = timeFile
      ? ['/usr/bin/time', '-f', '%U %S', '-o', timeFile, ...NODE_TSX]
      : NODE_TSX;
    const child = spawn(cmd, [...rest, ...args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('exit', (code) => done(code ?? 1));
  });

const redis = await startRedis();
const work = mkdtempSync(join(tmpdir(), 'topt-bench-queue-'));
const connection = { url: redis.url };
const rows: { workers: number; wall: number; cpu: number | null }[] = [];
const sweep = join(work, 'sweep.json');
writeFileSync(
  sweep,
  JSON.stringify({ cities: [city], seeds: Array.from({ length: jobs }, (_, i) => i), epochs }),
);
try {
  for (const workers of [1, 2]) {
    const queue = new Queue(QUEUE_NAME, { connection });
    await queue.obliterate({ force: true });
    const out = join(work, `out-${workers}`);
    if ((await run(['submit', sweep, '--redis', redis.url, '--out', out])) !== 0)
      throw new Error('submit failed');
    const started = performance.now();
    const timeFiles = Array.from({ length: workers }, (_, i) => join(work, `time-${workers}-${i}`));
    const codes = await Promise.all(
      timeFiles.map((f) => run(['worker', '--redis', redis.url, '--until-idle'], f)),
    );
    const wall = (performance.now() - started) / 1000;
    if (codes.some((c) => c !== 0)) throw new Error(`a worker exited with ${codes.join(', ')}`);
    let cpu: number | null = 0;
    for (const f of timeFiles) {
      const [user, sys] = readFileSync(f, 'utf8').trim().split(/\s+/).map(Number);
      cpu = Number.isFinite(user + sys) && cpu !== null ? cpu + user + sys : null;
    }
    const done = await queue.getJobs(['completed']);
    const perJob = done.map((j) => {
      const r = j.returnvalue as { seconds?: number; startSeconds?: number };
      const held = ((j.finishedOn ?? 0) - (j.processedOn ?? 0)) / 1000;
      return { held, run: r.seconds ?? 0, start: r.startSeconds ?? 0 };
    });
    const byStart = [...done].sort((a, b) => (a.processedOn ?? 0) - (b.processedOn ?? 0));
    const gaps: number[] = [];
    for (const w of new Set(byStart.map((j) => j.processedBy))) {
      const mine = byStart.filter((j) => j.processedBy === w);
      for (let i = 1; i < mine.length; i++)
        gaps.push(((mine[i].processedOn ?? 0) - (mine[i - 1].finishedOn ?? 0)) / 1000);
    }
    const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
    const queueOverhead = mean(perJob.map((p) => p.held - p.run - p.start)) + mean(gaps);
    console.log(
      `${workers} worker${workers > 1 ? 's' : ''}: ${done.length} jobs of ${epochs} epochs in ${wall.toFixed(1)} s wall, ${cpu !== null ? `${cpu.toFixed(1)} s CPU` : 'CPU unknown'}; ` +
        `per job: ${mean(perJob.map((p) => p.run)).toFixed(2)} s running, ${mean(perJob.map((p) => p.start)).toFixed(2)} s starting its process (Node, tsx, TensorFlow.js), ${queueOverhead.toFixed(3)} s queue overhead (Redis, pick-up, IPC)`,
    );
    rows.push({ workers, wall, cpu });
    await queue.close();
  }
  console.log(
    `two workers take ${(rows[1].wall / rows[0].wall).toFixed(2)} of one worker's wall time (target: at most 0.6 on two cores)`,
  );
} finally {
  await redis.stop();
  rmSync(work, { recursive: true, force: true });
}
process.exit(0);
