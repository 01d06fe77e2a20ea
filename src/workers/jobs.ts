/**
 * The one message protocol between the page and its workers: a job is a request that may send
 * events (progress) and control messages (pause, cancel) and ends with a result or an error.
 * Every worker speaks it through `serveJobs` (worker side) and `WorkerClient` (page side);
 * each worker only declares its types. All messages are plain structured-clone data.
 */

/** The types of one worker's jobs. */
export interface JobTypes {
  request: unknown;
  event: unknown;
  result: unknown;
  control: unknown;
}

/** Page -> worker. */
export type ToWorker<J extends JobTypes> =
  | { kind: 'request'; id: number; request: J['request'] }
  | { kind: 'control'; id: number; control: J['control'] };

/** Worker -> page. `cancelled`: the job stopped because it was asked to (not a failure). */
export type FromWorker<J extends JobTypes> =
  | { kind: 'event'; id: number; event: J['event'] }
  | { kind: 'result'; id: number; result: J['result'] }
  | { kind: 'error'; id: number; message: string; cancelled: boolean };

/**
 * The ArrayBuffers inside plain data (typed arrays' buffers, found by walking objects and
 * arrays), each once: what a result can hand over instead of copying.
 */
export function transferablesOf(value: unknown): ArrayBuffer[] {
  const found = new Set<ArrayBuffer>();
  const seen = new Set<object>();
  const walk = (v: unknown): void => {
    if (typeof v !== 'object' || v === null || seen.has(v)) return;
    seen.add(v);
    if (ArrayBuffer.isView(v)) {
      if (v.buffer instanceof ArrayBuffer) found.add(v.buffer);
      return;
    }
    if (v instanceof ArrayBuffer) {
      found.add(v);
      return;
    }
    if (v instanceof Map) {
      v.forEach((x, k) => {
        walk(k);
        walk(x);
      });
      return;
    }
    for (const x of Array.isArray(v) ? v : Object.values(v)) walk(x);
  };
  walk(value);
  return [...found];
}
