/**
 * `npm run bench -- --queue <url>`: the benchmark's training runs as jobs on the job queue
 * (`npm run queue -- worker` on any machines that reach Redis and share the runs folder), one
 * per city, row and seed. A run already in the runs folder is not queued again; a queued one
 * that a worker left half done resumes from its checkpoint. The bench waits for them all and
 * then scores them as it scores runs it trained itself (`--reuse-runs`).
 */
import { resolve } from 'node:path';
import { clock } from '../core/progress';
import { hasRun } from './benchCache';
import type { BenchRunSpec } from './benchRuns';
import { CHECKPOINT_EVERY } from '../core/pipeline/checkpoint';
import { QUEUE_NAME, addJob, progressOf } from './queue';
import type { QueueJob } from './queueJobs';

export interface QueuedRuns {
  redis: string;
  /** The runs folder, shared by the workers (absolute or relative to here). */
  runsDir: string;
  runs: (BenchRunSpec & { key: string })[];
  /** How often to print where the runs stand (default 30 s). */
  reportSeconds?: number;
}

/** The queue's job for one run. */
export function benchJob(run: BenchRunSpec & { key: string }, runsDir: string, createdAt: Date): QueueJob {
  const { key, ...spec } = run;
  return {
    id: key,
    city: spec.dir,
    args: [],
    out: resolve(runsDir),
    createdAt: createdAt.toISOString(),
    checkpointEvery: CHECKPOINT_EVERY,
    bench: spec,
  };
}

/**
 * Queue every run not in the runs folder yet, and wait until each is done. Rejects, naming
 * each failed run and its reason, when any failed for good.
 */
export async function trainOnQueue(options: QueuedRuns, log: (line: string) => void): Promise<void> {
  const { Queue } = await import('bullmq');
  const connection = { url: options.redis };
  const queue = new Queue(QUEUE_NAME, { connection });
  try {
    const createdAt = new Date();
    const jobs = options.runs
      .filter((r) => !hasRun(options.runsDir, r.key))
      .map((r) => benchJob(r, options.runsDir, createdAt));
    log(
      `queue: ${options.runs.length - jobs.length} of ${options.runs.length} runs are in ${resolve(options.runsDir)} already; ${jobs.length} to train on ${options.redis}`,
    );
    if (jobs.length === 0) return;
    for (const job of jobs) await addJob(queue, 'bench-run', job); // one queued or running already stays
    log(
      `queue: ${jobs.length} run${jobs.length === 1 ? '' : 's'} queued; workers take them (npm run queue -- worker --redis ${options.redis}); runs are kept in ${resolve(options.runsDir)}`,
    );
    const started = performance.now();
    let lastReport = 0;
    for (;;) {
      const states = await Promise.all(
        jobs.map(async (j) => {
          const job = await queue.getJob(j.id);
          return { id: j.id, job, state: job ? await job.getState() : 'missing' };
        }),
      );
      const failed = states.filter((s) => s.state === 'failed' || s.state === 'missing');
      const done = states.filter((s) => s.state === 'completed').length;
      const active = states.filter((s) => s.state === 'active');
      if (done + failed.length === jobs.length) {
        if (failed.length > 0)
          throw new Error(
            `${failed.length} of ${jobs.length} queued runs failed: ${failed
              .map((f) => `${f.id} (${f.job?.failedReason ?? 'removed from the queue'})`)
              .join('; ')}`,
          );
        log(`queue: all ${jobs.length} runs done in ${clock((performance.now() - started) / 1000)}`);
        return;
      }
      const now = performance.now();
      if (now - lastReport > (options.reportSeconds ?? 30) * 1000) {
        lastReport = now;
        const running = active.map((a) => {
          const p = a.job ? progressOf(a.job) : null;
          return p ? `${a.id} epoch ${p.epoch} of ${p.epochs}` : a.id;
        });
        const workers = await queue.getWorkersCount();
        log(
          `queue: ${done} of ${jobs.length} runs done, ${active.length} running${running.length ? ` (${running.join(', ')})` : ''}, ${clock((now - started) / 1000)} elapsed; ${
            workers === 0
              ? `no worker is connected: start one with npm run queue -- worker --redis ${options.redis}`
              : `${workers} worker${workers === 1 ? '' : 's'} connected`
          }`,
        );
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  } finally {
    await queue.close();
  }
}
