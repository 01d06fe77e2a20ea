/**
 * `npm run queue -- submit|worker|status`: many cities and long runs on a job queue over Redis
 * (BullMQ), with nothing lost when a worker dies.
 *
 * - submit: one job per city (or per run of a sweep file); a job whose results exist is not
 *   queued again unless --force.
 * - worker: takes jobs one at a time (any number of workers, on any machines that share the
 *   output folder and reach Redis); each job runs in a process of its own (queue-run.ts) that
 *   keeps checkpoints. A worker that dies loses its lock; BullMQ's stalled-job check hands the
 *   job to another worker, which resumes from the last checkpoint. A job that fails for a reason
 *   of its own (a bad bundle) fails at once with that reason; other failures are retried twice.
 * - status: every job with its state, a progress bar with time left, and the failures' reasons.
 */
import { fork } from 'node:child_process';
import { basename, resolve } from 'node:path';
import { clock } from '../core/progress';
import { checkArgs } from './args';
import type { Job, Queue } from 'bullmq';
import type { RunMessage } from './queue-run';
import type { QueueJob } from './queueJobs';

export const QUEUE_NAME = 'topt-train';

export const USAGE = `Usage: npm run queue -- submit <city | bundle.zip | sweep.json>... --redis <url> --out <folder>
                             [--epochs N] [--seed N] [--force] [--checkpoint-epochs N]
       npm run queue -- worker --redis <url> [--lock-seconds 30] [--until-idle]
       npm run queue -- status --redis <url> [--watch]

Training runs (npm run city -- train) on a job queue in Redis (BullMQ): submit queues one job
per city or per run of a sweep file; any number of workers, on machines that share --out and
reach Redis, run them one at a time each; status shows them.

  --redis <url>            the Redis server (redis://host:6379)
  --out <folder>           shared output folder: each job's results in <folder>/<job id>/
  --epochs N, --seed N     settings for every city given (a sweep file sets its own)
  --force                  queue again jobs whose results exist
  --checkpoint-epochs N    keep a checkpoint every N epochs (default: every 10 epochs, at
                           least 5 s apart)
  --lock-seconds 30        how long a silent worker keeps its job before another takes it over
  --until-idle             the worker exits when no job is waiting or running
  --watch                  status: redraw every 2 seconds until every job has ended
  --help, -h               this text

A sweep file: {"runs": [{"city": "a/", "epochs": 60, "seed": 1}, ...]} or a grid
{"cities": ["a/", "b.zip"], "seeds": [0, 1, 2], "epochs": [60]} (paths relative to the file).`;

const FLAGS = {
  redis: 'string',
  out: 'string',
  epochs: 'string',
  seed: 'string',
  force: 'boolean',
  'checkpoint-epochs': 'string',
  'lock-seconds': 'string',
  'until-idle': 'boolean',
  watch: 'boolean',
} as const;

/** Progress a job reports (job.updateProgress). */
export interface JobProgress {
  phase: 'training' | 'evaluating';
  epoch: number;
  epochs: number;
  secondsLeft: number | null;
  resumedFrom: number | null;
}

/** The progress a job last reported (null before its first). */
export const progressOf = (job: Job): JobProgress | null =>
  typeof job.progress === 'object' ? (job.progress as unknown as JobProgress) : null;

export function progressBar(p: JobProgress | null, width = 20): string {
  if (!p) return `[${' '.repeat(width)}]`;
  const filled = Math.round((Math.min(p.epoch, p.epochs) / Math.max(1, p.epochs)) * width);
  const bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
  const what =
    p.phase === 'evaluating'
      ? 'scoring the tasks'
      : `epoch ${p.epoch} of ${p.epochs}${p.secondsLeft !== null ? ` · about ${clock(p.secondsLeft)} left` : ''}`;
  return `${bar} ${what}${p.resumedFrom !== null ? ` · resumed after epoch ${p.resumedFrom}` : ''}`;
}

/**
 * Queue `job` (retried twice, 5 and 10 s later, when it fails for a reason not its own), unless
 * it is waiting or running already: then its state, and nothing is added. A finished or failed
 * job of the same id is replaced.
 */
export async function addJob(queue: Queue, name: string, job: QueueJob): Promise<string | null> {
  const existing = await queue.getJob(job.id);
  if (existing) {
    const state = await existing.getState();
    if (state !== 'completed' && state !== 'failed') return state;
    await existing.remove();
  }
  await queue.add(name, job, {
    jobId: job.id,
    attempts: 3,
    backoff: { type: 'exponential', delay: 5000 },
    removeOnComplete: false,
    removeOnFail: false,
  });
  return null;
}

async function submit(
  values: Record<string, string | boolean | undefined>,
  targets: string[],
): Promise<number> {
  if (targets.length === 0 || !values.out) {
    console.error(`error: submit needs at least one city or sweep file and --out <folder>\n\n${USAGE}`);
    return 2;
  }
  const shared = [
    ...(values.epochs ? ['--epochs', values.epochs as string] : []),
    ...(values.seed ? ['--seed', values.seed as string] : []),
  ];
  const every = values['checkpoint-epochs'] ? Number(values['checkpoint-epochs']) : null;
  if (every !== null && (!Number.isInteger(every) || every < 1)) {
    console.error('error: --checkpoint-epochs must be a whole number of at least 1');
    return 2;
  }
  // Loaded here, not at the top: it reads the train command's flags, which loads TensorFlow.js.
  const { hasResults, jobsFor, resultsDir } = await import('./queueJobs');
  let jobs: QueueJob[];
  try {
    jobs = jobsFor(targets, shared, values.out as string, {
      checkpointEvery: every === null ? undefined : { epochs: every, seconds: 0 },
    });
  } catch (e) {
    console.error(`error: ${e instanceof Error ? e.message : String(e)}; nothing queued`);
    return 1;
  }
  const { Queue } = await import('bullmq');
  const queue = new Queue(QUEUE_NAME, { connection: { url: values.redis as string } });
  try {
    let queued = 0;
    for (const job of jobs) {
      if (hasResults(job) && !values.force) {
        console.log(`skipped ${job.id}: its results are in ${resultsDir(job)} (--force to run it again)`);
        continue;
      }
      const already = await addJob(queue, 'train', job);
      if (already) {
        console.log(`skipped ${job.id}: already ${already}`);
        continue;
      }
      console.log(`queued ${job.id}: ${job.city} ${job.args.join(' ')}`.trim());
      queued++;
    }
    console.log(`${queued} job${queued === 1 ? '' : 's'} queued, ${jobs.length - queued} skipped`);
    return 0;
  } finally {
    await queue.close();
  }
}

/**
 * Node flags of a job's process. **Our choice**: V8 single-threaded (no background compiling
 * or garbage-collecting threads), so a worker is one core's work and N workers on N cores do
 * not contend. One Riverton job of 30 epochs took 13.8 s of wall time and 17.1 s of CPU
 * without it (1.24 cores), 14.7 s and 15.0 s with it (1.02 cores): 6% slower alone, while two
 * workers on two cores no longer slow each other down by the quarter core each takes beyond
 * its own.
 */
export const JOB_NODE_FLAGS = ['--single-threaded'];

/** Run one job in its own process; resolves with its last message, rejects if it died. */
function runInChild(job: QueueJob, onProgress: (p: JobProgress) => void): Promise<RunMessage> {
  return new Promise((done, fail) => {
    const child = fork(resolve(import.meta.dirname, 'queue-run.ts'), [], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      execArgv: [...process.execArgv, ...JOB_NODE_FLAGS],
    });
    let last: RunMessage | null = null;
    child.on('message', (m: RunMessage) => {
      if (m.type === 'progress') onProgress(m);
      else last = m;
    });
    child.on('error', fail);
    child.on('exit', (code, signal) => {
      if (last) done(last);
      else
        fail(
          new Error(
            `the run's process ended ${signal ? `with ${signal}` : `with exit code ${code}`} before finishing${signal === 'SIGKILL' ? ' (out of memory?)' : ''}`,
          ),
        );
    });
    child.send(job);
  });
}

async function worker(values: Record<string, string | boolean | undefined>): Promise<number> {
  const lockSeconds = values['lock-seconds'] ? Number(values['lock-seconds']) : 30;
  if (!(lockSeconds >= 1)) {
    console.error('error: --lock-seconds must be at least 1');
    return 2;
  }
  const { Queue, UnrecoverableError, Worker } = await import('bullmq');
  const connection = { url: values.redis as string };
  const name = `worker-${process.pid}`;
  const w = new Worker<QueueJob>(
    QUEUE_NAME,
    async (job) => {
      console.log(`${name}: ${job.id} (attempt ${job.attemptsMade + 1})`);
      const last = await runInChild(job.data, (p) => void job.updateProgress({ ...p }));
      if (last.type === 'failed')
        throw last.ownFault ? new UnrecoverableError(last.reason) : new Error(last.reason);
      if (last.type === 'done')
        console.log(
          `${name}: ${job.id} ${last.skipped ? 'had its results already' : `done${last.resumedFrom !== null ? ` (resumed after epoch ${last.resumedFrom})` : ''}`}`,
        );
      return last;
    },
    {
      connection,
      name,
      concurrency: 1,
      lockDuration: lockSeconds * 1000,
      stalledInterval: Math.max(1000, (lockSeconds * 1000) / 2),
      maxStalledCount: 5,
    },
  );
  w.on('failed', (job, err) => console.error(`${name}: ${job?.id ?? 'a job'} failed: ${err.message}`));
  let closing = false;
  const close = async (): Promise<void> => {
    if (closing) process.exit(1);
    closing = true;
    console.log(`${name}: finishing the job in hand, then stopping (again to stop now)`);
    await w.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void close());
  process.on('SIGTERM', () => void close());
  await w.waitUntilReady();
  console.log(`${name}: waiting for jobs on ${QUEUE_NAME}`);
  if (values['until-idle']) {
    const queue = new Queue(QUEUE_NAME, { connection });
    for (;;) {
      await new Promise((r) => setTimeout(r, 1000));
      const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
      if (Object.values(c).every((n) => n === 0)) break;
    }
    await queue.close();
    await w.close();
    console.log(`${name}: no job left, stopping`);
    return 0;
  }
  await new Promise(() => {}); // until a signal
  return 0;
}

async function status(values: Record<string, string | boolean | undefined>): Promise<number> {
  const { Queue } = await import('bullmq');
  const { resultsPlace } = await import('./queueJobs');
  const queue = new Queue(QUEUE_NAME, { connection: { url: values.redis as string } });
  try {
    for (;;) {
      const jobs = await queue.getJobs([
        'active',
        'waiting',
        'delayed',
        'prioritized',
        'completed',
        'failed',
      ]);
      jobs.sort((a, b) => (a.id ?? '').localeCompare(b.id ?? ''));
      const lines: string[] = [];
      const width = Math.max(10, ...jobs.map((j) => (j.id ?? '').length));
      let open = 0;
      for (const job of jobs) {
        const state = await job.getState();
        if (state !== 'completed' && state !== 'failed') open++;
        const p = progressOf(job);
        const detail =
          state === 'completed'
            ? `done: ${resultsPlace(job.data)}`
            : state === 'failed'
              ? `failed after ${job.attemptsMade} attempt${job.attemptsMade === 1 ? '' : 's'}: ${job.failedReason}`
              : state === 'active'
                ? `${progressBar(p)}${job.processedBy ? ` · ${job.processedBy}` : ''}`
                : job.attemptsMade > 0
                  ? `waiting to retry (${job.attemptsMade} attempt${job.attemptsMade === 1 ? '' : 's'}: ${job.failedReason ?? 'its worker stopped'})`
                  : 'waiting';
        lines.push(`${(job.id ?? '').padEnd(width)}  ${state.padEnd(9)}  ${detail}`);
      }
      const counts = await queue.getJobCounts('active', 'waiting', 'delayed', 'completed', 'failed');
      const summary = Object.entries(counts)
        .filter(([, n]) => n > 0)
        .map(([k, n]) => `${n} ${k}`)
        .join(', ');
      const text = `${lines.join('\n')}${lines.length ? '\n' : ''}${summary || 'no jobs'}`;
      if (values.watch && process.stdout.isTTY) process.stdout.write('\x1b[2J\x1b[H');
      console.log(text);
      if (!values.watch || open === 0) return counts.failed > 0 ? 1 : 0;
      await new Promise((r) => setTimeout(r, 2000));
    }
  } finally {
    await queue.close();
  }
}

export async function queueMain(argv: string[]): Promise<number> {
  const checked = checkArgs(argv, FLAGS, { positionals: true });
  if (checked.kind === 'help') {
    console.log(USAGE);
    return 0;
  }
  if (checked.kind === 'error') {
    console.error(`error: ${checked.message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = checked;
  const [command, ...targets] = positionals;
  if (!['submit', 'worker', 'status'].includes(command ?? '')) {
    console.error(`error: give submit, worker or status\n\n${USAGE}`);
    return 2;
  }
  if (!values.redis) {
    console.error(`error: --redis <url> is required (redis://127.0.0.1:6379)\n\n${USAGE}`);
    return 2;
  }
  if (command === 'submit') return submit(values, targets);
  if (command === 'worker') return worker(values);
  return status(values);
}

// Run as the CLI (not when imported, e.g. by bench-queue.ts, whose name also ends in queue.ts).
if (process.argv[1] && basename(process.argv[1]) === 'queue.ts')
  queueMain(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(`error: ${e instanceof Error ? e.message : String(e)}`);
      process.exit(1);
    },
  );
