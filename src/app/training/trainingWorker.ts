/**
 * The training worker's client (src/workers/training.worker.ts): one run at a time. The page
 * sends the City and its Tasks; the worker builds the rest. Only the current run's events and
 * end are heard: a run that was stopped (another run, another city) is forgotten. A run that
 * ends closes the worker, and its WebAssembly memory goes with it. Cancel ends the worker too,
 * at once: a probe or an epoch in progress (seconds on a slow backend) is not waited for, and
 * nothing half-trained is kept anyway.
 */
import { JobCancelled, WorkerClient, type Job, type WorkerLike } from '../../workers/client';
import type { TrainingJobs } from '../../workers/protocol';
import type { RunEnd } from '../state/training';

const trainingWorker = (): WorkerLike =>
  new Worker(new URL('../../workers/training.worker.ts', import.meta.url), { type: 'module' });

export class TrainingClient {
  private readonly client: WorkerClient<TrainingJobs>;
  private job: Job<TrainingJobs> | null = null;

  constructor(create: () => WorkerLike = trainingWorker) {
    this.client = new WorkerClient<TrainingJobs>(create, 'the training worker');
  }

  /** Train (stopping any run in progress); null when this run was stopped before it ended. */
  async run(
    request: TrainingJobs['request'],
    onEvent: (event: TrainingJobs['event']) => void,
  ): Promise<RunEnd | null> {
    this.stop();
    const job: Job<TrainingJobs> = this.client.run(request, {
      onEvent: (e) => {
        if (this.job === job) onEvent(e);
      },
    });
    this.job = job;
    const end = await job.result.then(
      (result): RunEnd => ({ status: 'done', result }),
      (e: unknown): RunEnd =>
        e instanceof JobCancelled
          ? { status: 'cancelled' }
          : { status: 'failed', error: e instanceof Error ? e.message : String(e) },
    );
    if (this.job !== job) return null;
    this.stop();
    return end;
  }

  /** Pause or resume the run in progress. */
  control(control: Exclude<TrainingJobs['control'], { type: 'cancel' }>): void {
    this.job?.control(control);
  }

  /** Cancel the run in progress: its worker ends now and the run ends as cancelled. */
  cancel(): void {
    if (this.job) this.client.close();
  }

  /** Stop the run in progress, if any (its result is not kept). */
  stop(): void {
    this.job = null;
    this.client.close();
  }
}
