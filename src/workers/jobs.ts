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

/** Bytes copied between two yields to the event loop (a few milliseconds of memcpy). */
const COPY_CHUNK_BYTES = 4 * 2 ** 20;

type Typed = ArrayBufferView & { length: number; set(source: ArrayLike<number>, offset?: number): void } & {
  subarray(begin?: number, end?: number): ArrayLike<number>;
};

/**
 * A copy of plain data in which every typed array (with an ArrayBuffer of its own) is a fresh
 * copy, and those copies' buffers, to post it with them transferred: the sender keeps its own
 * arrays and the message costs one memcpy per array instead of the structured clone's
 * serialise-and-copy on the sender's thread (Metropolis's City, with its 32 MB trip matrix:
 * 412 ms cloned on a loaded machine). Large arrays are copied a few MB at a time with a yield
 * to the event loop in between, so a page keeps drawing frames. Objects without typed arrays
 * inside are not copied; buffers in `moved` go as they are (the sender gives them up).
 */
export async function copiedForTransfer<T>(
  value: T,
  moved: Transferable[] = [],
): Promise<{ value: T; transfer: Transferable[] }> {
  const keep = new Set(moved);
  const copies = new Map<ArrayBufferView, ArrayBufferView>();
  const fills: [Typed, Typed][] = [];
  const transfer = new Set<Transferable>(moved);
  const copy = (v: unknown): unknown => {
    if (typeof v !== 'object' || v === null) return v;
    if (ArrayBuffer.isView(v)) {
      if (!(v.buffer instanceof ArrayBuffer) || keep.has(v.buffer) || v instanceof DataView) return v;
      let c = copies.get(v);
      if (!c) {
        const source = v as Typed;
        const Ctor = source.constructor as new (length: number) => Typed;
        const target = new Ctor(source.length);
        fills.push([source, target]);
        c = target;
        copies.set(v, c);
        transfer.add(c.buffer as ArrayBuffer);
      }
      return c;
    }
    if (Array.isArray(v)) {
      // Allocate only once an element changes: coordinate arrays (Metropolis: 180,000 of
      // them) are scanned, never rebuilt.
      let out: unknown[] | null = null;
      for (let i = 0; i < v.length; i++) {
        const x: unknown = v[i];
        if (typeof x !== 'object' || x === null) continue;
        const y = copy(x);
        if (y !== x) {
          out ??= v.slice();
          out[i] = y;
        }
      }
      return out ?? v;
    }
    if (Object.getPrototypeOf(v) !== Object.prototype) return v;
    let out: Record<string, unknown> | null = null;
    for (const [k, x] of Object.entries(v)) {
      if (typeof x !== 'object' || x === null) continue;
      const y = copy(x);
      if (y !== x) {
        out ??= { ...v };
        out[k] = y;
      }
    }
    return out ?? v;
  };
  const copied = copy(value) as T;
  let sinceYield = 0;
  for (const [source, target] of fills) {
    const step = Math.max(1, Math.floor(COPY_CHUNK_BYTES / (source.byteLength / Math.max(1, source.length))));
    for (let at = 0; at < source.length; at += step) {
      const end = Math.min(source.length, at + step);
      target.set(source.subarray(at, end), at);
      sinceYield += (end - at) * (source.byteLength / Math.max(1, source.length));
      if (sinceYield >= COPY_CHUNK_BYTES) {
        sinceYield = 0;
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
    }
  }
  return { value: copied, transfer: [...transfer] };
}
