/**
 * A worker in the test's own thread: a MessageChannel whose one port stands for the Worker
 * (what WorkerClient talks to) and whose other port is the worker's global scope (what
 * serveJobs listens on). Messages are structured-cloned and buffers transferred as between
 * the page and a real Web Worker.
 */
import type { WorkerLike } from '../workers/client';
import type { WorkerScope } from '../workers/serve';

export function workerChannel(): { worker: WorkerLike; scope: WorkerScope; terminated: () => boolean } {
  const { port1, port2 } = new MessageChannel();
  let terminated = false;
  const worker: WorkerLike = {
    postMessage: (m, transfer) => port1.postMessage(m, transfer ?? []),
    set onmessage(listener: ((e: MessageEvent) => void) | null) {
      port1.onmessage = listener;
    },
    get onmessage() {
      return port1.onmessage as ((e: MessageEvent) => void) | null;
    },
    onerror: null,
    terminate: () => {
      terminated = true;
      port1.close();
      port2.close();
    },
  };
  const scope: WorkerScope = {
    postMessage: (m, transfer) => port2.postMessage(m, transfer ?? []),
    set onmessage(listener: ((e: MessageEvent) => void) | null) {
      port2.onmessage = listener;
    },
    get onmessage() {
      return port2.onmessage as ((e: MessageEvent) => void) | null;
    },
  };
  return { worker, scope, terminated: () => terminated };
}

/** Load a worker module (which calls serveJobs on `self`) into this thread behind `scope`. */
export async function loadWorkerModule(scope: WorkerScope, load: () => Promise<unknown>): Promise<void> {
  const global = globalThis as unknown as { self?: unknown };
  const previous = global.self;
  global.self = scope;
  try {
    await load();
  } finally {
    global.self = previous;
  }
}

/**
 * One worker module (loaded once per test file) behind any number of page-side workers, for
 * clients that start a fresh worker after closing one: each worker made by `create` is a
 * MessageChannel of its own, and the module's replies go to the worker that sent the request.
 * Closing a worker closes its channel once the messages posted before are delivered (the client
 * tells a run to cancel just before); a job still running in the module is not stopped otherwise.
 */
export function workerPool(): { scope: WorkerScope; create: () => WorkerLike; created: () => number } {
  const replyTo = new Map<number, MessagePort>();
  const state: { listener: ((e: MessageEvent) => void) | null; created: number } = {
    listener: null,
    created: 0,
  };
  const scope: WorkerScope = {
    postMessage: (m, transfer) => replyTo.get((m as { id: number }).id)?.postMessage(m, transfer ?? []),
    set onmessage(listener: ((e: MessageEvent) => void) | null) {
      state.listener = listener;
    },
    get onmessage() {
      return state.listener;
    },
  };
  const create = (): WorkerLike => {
    state.created++;
    const { port1, port2 } = new MessageChannel();
    port2.onmessage = (e: MessageEvent<{ id: number }>) => {
      replyTo.set(e.data.id, port2);
      state.listener?.(e);
    };
    return {
      postMessage: (m, transfer) => port1.postMessage(m, transfer ?? []),
      set onmessage(listener: ((e: MessageEvent) => void) | null) {
        port1.onmessage = listener;
      },
      get onmessage() {
        return port1.onmessage as ((e: MessageEvent) => void) | null;
      },
      onerror: null,
      // After the messages already posted (a cancel comes just before terminate) are delivered:
      // the module cannot be ended as a worker is, so a run it never heard cancelled would go
      // on in this thread, taking the CPU from the tests after it.
      terminate: () => {
        setTimeout(() => {
          port1.close();
          port2.close();
        }, 0);
      },
    };
  };
  return { scope, create, created: () => state.created };
}
