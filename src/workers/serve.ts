/**
 * The worker side of the job protocol (jobs.ts): run each request through `handler`, pass its
 * events and control messages, and post its result, whose ArrayBuffers are handed over to the
 * page rather than copied. A handler's error becomes the job's error; one thrown because the
 * job was cancelled (see `isCancellation`) is reported as a cancellation.
 */
import { transferablesOf, type FromWorker, type JobTypes, type ToWorker } from './jobs';

export interface JobContext<J extends JobTypes> {
  /** Send an event (progress) to the page. */
  emit(event: J['event']): void;
  /** Control messages the page sends for this job (pause, resume, cancel...). */
  onControl(listener: (control: J['control']) => void): void;
}

/** What a worker's global scope offers (a MessagePort offers the same, for tests). */
export interface WorkerScope {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent) => void) | null;
}

export function serveJobs<J extends JobTypes>(
  handler: (request: J['request'], context: JobContext<J>) => Promise<J['result']> | J['result'],
  options: { scope?: WorkerScope; isCancellation?: (error: unknown) => boolean } = {},
): void {
  const scope = options.scope ?? (self as unknown as WorkerScope);
  const post = (m: FromWorker<J>, transfer: Transferable[] = []): void => scope.postMessage(m, transfer);
  const listeners = new Map<number, (control: J['control']) => void>();
  scope.onmessage = (e: MessageEvent<ToWorker<J>>) => {
    const m = e.data;
    if (m.kind === 'control') {
      listeners.get(m.id)?.(m.control);
      return;
    }
    const { id } = m;
    const context: JobContext<J> = {
      emit: (event) => post({ kind: 'event', id, event }),
      onControl: (listener) => listeners.set(id, listener),
    };
    void (async () => {
      try {
        const result = await handler(m.request, context);
        post({ kind: 'result', id, result }, transferablesOf(result));
      } catch (error) {
        post({
          kind: 'error',
          id,
          message: error instanceof Error ? error.message : String(error),
          cancelled: options.isCancellation?.(error) ?? false,
        });
      } finally {
        listeners.delete(id);
      }
    })();
  };
}
