/**
 * The page side of the job protocol (jobs.ts): one typed client per worker. It starts its
 * worker on the first job, keeps it for the jobs that follow (a worker may hold what one job
 * read for the next), and closes it on `close()`, which ends every job still running. A
 * worker that dies fails its jobs with the reason; the next job starts a fresh one.
 */
import { copiedForTransfer, type FromWorker, type JobTypes, type ToWorker } from './jobs';

/** What the client needs of a Worker (a MessagePort and a test double offer the same). */
export interface WorkerLike {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent) => void) | null;
  onerror?: ((event: ErrorEvent) => void) | null;
  terminate?(): void;
}

/** A job ended because it was cancelled (in the worker, or by closing the client). */
export class JobCancelled extends Error {
  constructor(message = 'cancelled') {
    super(message);
    this.name = 'JobCancelled';
  }
}

export interface Job<J extends JobTypes> {
  /** Resolves with the job's result; rejects with its error, or JobCancelled. */
  result: Promise<J['result']>;
  /** Send a control message (pause, resume, cancel...) to this job. */
  control(control: J['control']): void;
}

interface Pending<J extends JobTypes> {
  onEvent: (event: J['event']) => void;
  resolve: (result: J['result']) => void;
  reject: (error: Error) => void;
}

export class WorkerClient<J extends JobTypes> {
  private worker: WorkerLike | null = null;
  private nextId = 0;
  private readonly pending = new Map<number, Pending<J>>();

  /** `create` starts the worker: `() => new Worker(new URL('./x.worker.ts', import.meta.url), ...)`. */
  constructor(
    private readonly create: () => WorkerLike,
    /** Said when the worker dies without a message of its own. */
    private readonly name = 'the worker',
  ) {}

  /**
   * Start a job. Its typed arrays are copied and the copies transferred (the page keeps its
   * own, and a large City costs a memcpy, not a structured clone on the main thread);
   * `transfer` hands those buffers over as they are instead (the page gives them up).
   */
  run(
    request: J['request'],
    options: { onEvent?: (event: J['event']) => void; transfer?: Transferable[] } = {},
  ): Job<J> {
    const worker = this.started();
    const id = ++this.nextId;
    const result = new Promise<J['result']>((resolve, reject) => {
      this.pending.set(id, { onEvent: options.onEvent ?? (() => {}), resolve, reject });
    });
    // Posted once its arrays are copied (a few MB at a time); control messages follow it, at
    // once when it has gone: a cancel just before close() still leaves before the worker ends
    // (which matters where ending it cannot stop it: a worker module run in this thread).
    let requestSent = false;
    const posted = copiedForTransfer(request, options.transfer).then(({ value, transfer }) => {
      if (this.worker !== worker || !this.pending.has(id)) return false;
      const message: ToWorker<J> = { kind: 'request', id, request: value };
      worker.postMessage(message, transfer);
      requestSent = true;
      return true;
    });
    const send = (control: J['control']): void => {
      if (this.worker === worker && this.pending.has(id))
        worker.postMessage({ kind: 'control', id, control } satisfies ToWorker<J>);
    };
    return {
      result,
      control: (control) => {
        if (requestSent) send(control);
        else void posted.then((sent) => sent && send(control));
      },
    };
  }

  /** Stop the worker: every job still running rejects with JobCancelled. */
  close(): void {
    this.worker?.terminate?.();
    this.worker = null;
    this.failAll(new JobCancelled());
  }

  /** Whether a job is running. */
  get busy(): boolean {
    return this.pending.size > 0;
  }

  private started(): WorkerLike {
    if (this.worker) return this.worker;
    const worker = this.create();
    worker.onmessage = (e: MessageEvent<FromWorker<J>>) => {
      if (worker !== this.worker) return;
      const m = e.data;
      const job = this.pending.get(m.id);
      if (!job) return;
      if (m.kind === 'event') {
        job.onEvent(m.event);
        return;
      }
      this.pending.delete(m.id);
      if (m.kind === 'result') job.resolve(m.result);
      else job.reject(m.cancelled ? new JobCancelled(m.message) : new Error(m.message));
    };
    worker.onerror = (e: ErrorEvent) => {
      if (worker !== this.worker) return;
      e.preventDefault?.();
      worker.terminate?.();
      this.worker = null;
      this.failAll(new Error(e.message || `${this.name} stopped unexpectedly`));
    };
    this.worker = worker;
    return worker;
  }

  private failAll(error: Error): void {
    const jobs = [...this.pending.values()];
    this.pending.clear();
    for (const job of jobs) job.reject(error);
  }
}
