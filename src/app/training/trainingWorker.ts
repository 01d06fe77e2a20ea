/**
 * The training worker's client (src/workers/training.worker.ts): one run at a time. The page
 * sends the City and its Tasks; the worker builds the rest. Only the current run's events and
 * end are heard: a run that was stopped (another run, another city) is forgotten. A run that
 * ends closes the worker, and its WebAssembly memory goes with it. Cancel ends the worker too,
 * at once: a probe or an epoch in progress (seconds on a slow backend) is not waited for, and
 * nothing half-trained is kept anyway.
 *
 * Before a run, `warm` starts the worker and has it initialise a backend (TensorFlow.js loaded,
 * WebAssembly compiled), so that Train, when clicked, reuses the warm worker instead of
 * starting one; the page asks for it once the map is drawn and the page is idle.
 */
import type { BackendName } from '../../core/backend/names';
import type { SrelConfig } from '../../core/srel/config';
import { JobCancelled, WorkerClient, type Job, type WorkerLike } from '../../workers/client';
import { isTrained, type TrainingJobs, type TrainRequest, type WarmedResult } from '../../workers/protocol';
import type { RunEnd } from '../state/training';

const trainingWorker = (): WorkerLike =>
  new Worker(new URL('../../workers/training.worker.ts', import.meta.url), { type: 'module' });

export class TrainingClient {
  private readonly client: WorkerClient<TrainingJobs>;
  private job: Job<TrainingJobs> | null = null;
  /** The backend the worker now running was asked to warm; null: no warm worker (none, or used). */
  private warmFor: BackendName | null = null;

  constructor(create: () => WorkerLike = trainingWorker) {
    this.client = new WorkerClient<TrainingJobs>(create, 'the training worker');
  }

  /**
   * Start the worker, initialise `backend` in it and train a practice epoch of `config`'s model
   * (core/pipeline/warmUp.ts), unless a run is in progress or the worker
   * is already warm for that backend (one warm for another backend is replaced). Resolves with
   * what the warm-up did, or null when nothing was warmed (or the worker went meanwhile).
   */
  async warm(backend: BackendName, config?: Partial<SrelConfig>): Promise<WarmedResult | null> {
    if (this.job || this.warmFor === backend) return null;
    if (this.warmFor !== null) this.close();
    this.warmFor = backend;
    const result = await this.client
      .run({ warm: backend, ...(config ? { config } : {}) })
      .result.catch(() => null);
    if (result === null || isTrained(result)) {
      if (this.warmFor === backend && !this.job) this.warmFor = null;
      return null;
    }
    return result;
  }

  /** The backend a warm worker is ready for (or being readied for); null when none is. */
  get warmBackend(): BackendName | null {
    return this.warmFor;
  }

  /**
   * Train (stopping any run in progress; a warm worker is used, not started again); null when
   * this run was stopped before it ended.
   */
  async run(request: TrainRequest, onEvent: (event: TrainingJobs['event']) => void): Promise<RunEnd | null> {
    this.stop();
    // The warm worker, if any, is this run's from now on.
    this.warmFor = null;
    const job: Job<TrainingJobs> = this.client.run(request, {
      onEvent: (e) => {
        if (this.job === job) onEvent(e);
      },
    });
    this.job = job;
    const end = await job.result.then(
      (result): RunEnd =>
        isTrained(result)
          ? { status: 'done', result }
          : { status: 'failed', error: 'the training worker answered a run with a warm-up' },
      (e: unknown): RunEnd =>
        e instanceof JobCancelled
          ? { status: 'cancelled' }
          : { status: 'failed', error: e instanceof Error ? e.message : String(e) },
    );
    if (this.job !== job) return null;
    this.close();
    return end;
  }

  /** Pause or resume the run in progress. */
  control(control: Exclude<TrainingJobs['control'], { type: 'cancel' }>): void {
    this.job?.control(control);
  }

  /** Cancel the run in progress: its worker ends now and the run ends as cancelled. */
  cancel(): void {
    if (!this.job) return;
    // The run's job is kept, so that it ends as cancelled (stop forgets it instead). Told to
    // cancel first: a worker not ended at once (the module itself, in Node) stops at its next epoch.
    this.warmFor = null;
    this.job.control({ type: 'cancel' });
    this.client.close();
  }

  /** Stop the run in progress, if any (its result is not kept); a warm worker without a run stays. */
  stop(): void {
    if (this.job) this.close();
  }

  /** End the worker, with any run in it and its warmth. */
  close(): void {
    this.job?.control({ type: 'cancel' });
    this.job = null;
    this.warmFor = null;
    this.client.close();
  }
}
