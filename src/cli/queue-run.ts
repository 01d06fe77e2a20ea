/**
 * One queued job, in a process of its own (forked by `npm run queue -- worker` for each job, so
 * the worker's event loop stays free to keep its lock on the job while TensorFlow.js trains).
 * It gets the job on its IPC channel and trains it: with `trainToFolder` (the headless train
 * command), or with `trainBenchRun` for a run of `npm run bench -- --queue`. It keeps a
 * checkpoint file as it goes and resumes from one a dead worker left, and writes the results
 * under a temporary name, renamed when whole. Messages to the worker: progress, done, failed
 * (with whether the failure is the job's own: a bad bundle is not retried). When the worker
 * dies, the channel closes and this process ends too.
 */
import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { useBackend } from '../core/backend';
import { loadCity } from '../core/city/load';
import { formatProblem } from '../core/city/problems';
import type { LoadProblem } from '../core/city/types';
import { isRunCheckpoint, type RunCheckpoint } from '../core/pipeline/checkpoint';
import type { RunEvent } from '../core/pipeline/types';
import { secondsLeftAt } from '../core/progress';
import { cliArgs } from './args';
import { saveRun, type StoredRun } from './benchCache';
import { trainBenchRun, type BenchRunSpec } from './benchRuns';
import { loadFromPath } from './city';
import { directorySource } from './fsSource';
import { JOB_FILE, checkpointFile, hasResults, resultsDir, type QueueJob } from './queueJobs';
import { StartModelError, parseTrainArgs, trainToFolder } from './train';
import { writeAtomic } from './writeAtomic';

export type RunMessage =
  | {
      type: 'progress';
      phase: 'training' | 'evaluating';
      epoch: number;
      epochs: number;
      secondsLeft: number | null;
      resumedFrom: number | null;
    }
  | {
      type: 'done';
      skipped: boolean;
      resumedFrom: number | null;
      /** Seconds the run took in this process, and seconds from the process's start to the job's arrival. */
      seconds?: number;
      startSeconds?: number;
    }
  | { type: 'failed'; reason: string; ownFault: boolean };

const send = (m: RunMessage): Promise<void> =>
  new Promise((done) => (process.send ? process.send(m, () => done()) : done()));

function readCheckpoint(path: string): RunCheckpoint | null {
  if (!existsSync(path)) return null;
  try {
    const value: unknown = deserialize(readFileSync(path));
    return isRunCheckpoint(value) ? value : null;
  } catch {
    return null; // unreadable (an older format): start over
  }
}

/** Progress messages from a run's events, at most five a second. */
function progressSender(epochs: number, resumedFrom: number | null): (e: RunEvent) => void {
  let reported = 0;
  return (e) => {
    if (e.type === 'epoch' && Date.now() - reported > 200) {
      reported = Date.now();
      const { epoch, elapsedSeconds } = e.report;
      void send({
        type: 'progress',
        phase: 'training',
        epoch,
        epochs: e.report.epochs,
        secondsLeft: secondsLeftAt(epoch / e.report.epochs, elapsedSeconds),
        resumedFrom,
      });
    } else if (e.type === 'evaluating')
      void send({
        type: 'progress',
        phase: 'evaluating',
        epoch: epochs,
        epochs,
        secondsLeft: null,
        resumedFrom,
      });
  };
}

/** The job's checkpoint file, and the checkpoint a worker that died left there (if any). */
function checkpointOf(job: QueueJob, log: (line: string) => void) {
  const file = checkpointFile(job);
  const resume = readCheckpoint(file) ?? undefined;
  if (resume) log(`resuming ${job.id} from the checkpoint after epoch ${resume.point.epoch}`);
  return { file, resume, resumedFrom: resume ? resume.point.epoch : null };
}

/** A city that does not load: the job's own fault, not retried. */
const loadFailure = (what: string, problems: LoadProblem[]): RunMessage => ({
  type: 'failed',
  reason: `cannot load ${what}: ${problems
    .filter((p) => p.severity === 'error')
    .map(formatProblem)
    .join('; ')}`,
  ownFault: true,
});

/** A run that threw: a checkpoint that no longer fits the city (or `ownFault`) will not get better. */
function runFailure(e: unknown, ownFault = false): RunMessage {
  const reason = e instanceof Error ? e.message : String(e);
  return { type: 'failed', reason, ownFault: ownFault || /no longer fits/.test(reason) };
}

/**
 * A run of `npm run bench -- --queue`: trained as the bench trains it (benchRuns.ts), with
 * checkpoints (the embeddings the full rows keep included), and kept where the bench reads it.
 */
async function runBenchJob(
  job: QueueJob & { bench: BenchRunSpec },
  log: (line: string) => void,
): Promise<RunMessage> {
  const spec = job.bench;
  const { city, problems } = await loadCity(directorySource(spec.dir));
  if (!city) return loadFailure(spec.dir, problems);
  const { file: ckpt, resume, resumedFrom } = checkpointOf(job, log);
  const progress = progressSender(spec.epochs, resumedFrom);
  const { backend } = await useBackend();
  let run: StoredRun;
  try {
    run = await trainBenchRun(city, spec, backend, {
      resume,
      checkpointEvery: job.checkpointEvery,
      onEvent: (e) => {
        if (e.type === 'checkpoint') writeAtomic(ckpt, serialize(e.checkpoint));
        progress(e);
      },
    });
  } catch (e) {
    return runFailure(e);
  }
  if (!hasResults(job)) saveRun(job.out, job.id, run); // else another worker finished it first
  rmSync(ckpt, { force: true });
  return { type: 'done', skipped: false, resumedFrom };
}

export async function runJob(job: QueueJob, log: (line: string) => void): Promise<RunMessage> {
  if (hasResults(job)) return { type: 'done', skipped: true, resumedFrom: null };
  if (job.bench) return runBenchJob({ ...job, bench: job.bench }, log);
  const parsed = parseTrainArgs([job.city, ...job.args, '--out', resultsDir(job)]);
  if (typeof parsed === 'string') return { type: 'failed', reason: parsed, ownFault: true };
  const loaded = await loadFromPath(job.city);
  if (!loaded.city) return loadFailure(job.city, loaded.problems);
  const { file: ckpt, resume, resumedFrom } = checkpointOf(job, log);
  const partial = `${resultsDir(job)}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  const progress = progressSender(parsed.options.settings.epochs, resumedFrom);
  try {
    await trainToFolder({
      ...parsed.options,
      out: partial,
      city: loaded.city,
      log,
      createdAt: new Date(job.createdAt),
      resume,
      checkpointEvery: job.checkpointEvery,
      onCheckpoint: (c) => writeAtomic(ckpt, serialize(c)),
      onEvent: progress,
    });
  } catch (e) {
    rmSync(partial, { recursive: true, force: true });
    return runFailure(e, e instanceof StartModelError); // a start model that cannot be read
  }
  writeAtomic(join(partial, JOB_FILE), `${JSON.stringify(job, null, 2)}\n`);
  if (hasResults(job))
    rmSync(partial, { recursive: true, force: true }); // another worker finished it first
  else renameSync(partial, resultsDir(job));
  rmSync(ckpt, { force: true });
  return { type: 'done', skipped: false, resumedFrom };
}

const USAGE = `Usage: started by \`npm run queue -- worker\`, one process per job; not run by hand.

Trains the one queued job it is sent on its IPC channel (a train job or a bench run), keeping a
checkpoint as it goes, and reports progress, done or failed to the worker that started it.

  --help, -h      this text`;

if (process.argv[1] && basename(process.argv[1]) === 'queue-run.ts') {
  cliArgs(process.argv.slice(2), USAGE, {});
  if (!process.send) {
    console.error(`error: no job channel: this process is started by the queue's worker\n\n${USAGE}`);
    process.exit(2);
  }
  // The worker went away (killed, its machine gone): stop too; the job goes to another worker.
  process.on('disconnect', () => process.exit(1));
  process.once('message', (job: QueueJob) => {
    const startSeconds = process.uptime();
    const t0 = performance.now();
    runJob(job, (line) => console.error(`[${job.id}] ${line}`))
      .then((m): RunMessage =>
        m.type === 'done' ? { ...m, seconds: (performance.now() - t0) / 1000, startSeconds } : m,
      )
      .catch((e: unknown): RunMessage => ({
        type: 'failed',
        reason: e instanceof Error ? e.message : String(e),
        ownFault: false,
      }))
      .then(send)
      .then(() => process.exit(0));
  });
}
