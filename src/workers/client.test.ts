import { describe, expect, it } from 'vitest';
import { workerChannel } from '../test/workerChannel';
import { JobCancelled, WorkerClient, type WorkerLike } from './client';
import { sparseFromDense } from '../core/math/sparse';
import { copiedForTransfer, transferablesOf } from './jobs';
import { serveJobs } from './serve';

interface EchoJobs {
  request: { values: Float64Array; fail?: string; wait?: boolean };
  event: { step: number };
  result: { doubled: Float64Array; controls: string[] };
  control: string;
}

class Stopped extends Error {}

/** A worker that emits three events, waits for 'go' when asked, and doubles the values. */
function echoWorker(): { client: WorkerClient<EchoJobs>; kept: Float64Array[]; terminated: () => boolean } {
  const { worker, scope, terminated } = workerChannel();
  const kept: Float64Array[] = [];
  serveJobs<EchoJobs>(
    async ({ values, fail, wait }, { emit, onControl }) => {
      const controls: string[] = [];
      let go: () => void = () => {};
      let stop: (e: Error) => void = () => {};
      onControl((c) => {
        controls.push(c);
        if (c === 'go') go();
        if (c === 'stop') stop(new Stopped('stopped by the page'));
      });
      for (let step = 1; step <= 3; step++) emit({ step });
      if (wait) await new Promise<void>((resolve, reject) => ((go = resolve), (stop = reject)));
      if (fail) throw new Error(fail);
      const doubled = values.map((v) => 2 * v);
      kept.push(doubled);
      return { doubled, controls };
    },
    { scope, isCancellation: (e) => e instanceof Stopped },
  );
  return { client: new WorkerClient<EchoJobs>(() => worker, 'the echo worker'), kept, terminated };
}

describe('the worker client and serveJobs', () => {
  it('passes events in order, then the result, handing its buffers over instead of copying', async () => {
    const { client, kept } = echoWorker();
    const events: number[] = [];
    const job = client.run({ values: new Float64Array([1, 2]) }, { onEvent: (e) => events.push(e.step) });
    const result = await job.result;
    expect(events).toEqual([1, 2, 3]);
    expect([...result.doubled]).toEqual([2, 4]);
    expect(kept[0].byteLength).toBe(0); // the worker's copy moved to the page
  });

  it('leaves the page its own arrays, unless it hands them over', async () => {
    const { client } = echoWorker();
    const kept = new Float64Array([1, 2]);
    expect([...(await client.run({ values: kept }).result).doubled]).toEqual([2, 4]);
    expect([...kept]).toEqual([1, 2]);
    const given = new Float64Array([3]);
    const job = client.run({ values: given }, { transfer: [given.buffer] });
    expect([...(await job.result).doubled]).toEqual([6]);
    expect(given.byteLength).toBe(0);
  });

  it('sends control messages to their job and reports a failure with its message', async () => {
    const { client } = echoWorker();
    const job = client.run({ values: new Float64Array([1]), wait: true });
    job.control('hello');
    job.control('go');
    expect((await job.result).controls).toEqual(['hello', 'go']);
    await expect(client.run({ values: new Float64Array([1]), fail: 'no labels' }).result).rejects.toThrow(
      /^no labels$/,
    );
  });

  it('tells a cancellation from a failure', async () => {
    const { client } = echoWorker();
    const job = client.run({ values: new Float64Array([1]), wait: true });
    job.control('stop');
    await expect(job.result).rejects.toBeInstanceOf(JobCancelled);
  });

  it('closing ends the jobs still running as cancelled and stops the worker', async () => {
    const { client, terminated } = echoWorker();
    const job = client.run({ values: new Float64Array([1]), wait: true });
    expect(client.busy).toBe(true);
    client.close();
    await expect(job.result).rejects.toBeInstanceOf(JobCancelled);
    expect(terminated()).toBe(true);
    expect(client.busy).toBe(false);
  });

  it('a control sent just before close leaves before the worker is ended (a worker module run in this thread hears its cancel)', async () => {
    const sent: string[] = [];
    const worker: WorkerLike = {
      postMessage: (m) => {
        const { kind, control } = m as { kind: string; control?: string };
        sent.push(control ? `${kind} ${control}` : kind);
      },
      onmessage: null,
      onerror: null,
      terminate: () => sent.push('terminate'),
    };
    const client = new WorkerClient<EchoJobs>(() => worker);
    const job = client.run({ values: new Float64Array([1]), wait: true });
    while (!sent.includes('request')) await new Promise((r) => setTimeout(r, 1));
    job.control('stop');
    client.close();
    expect(sent).toEqual(['request', 'control stop', 'terminate']);
    await expect(job.result).rejects.toBeInstanceOf(JobCancelled);
  });

  it('fails the jobs of a worker that dies and starts a fresh one for the next job', async () => {
    const made: ReturnType<typeof workerChannel>[] = [];
    const client = new WorkerClient<EchoJobs>(() => {
      const channel = workerChannel();
      serveJobs<EchoJobs>(({ values }) => ({ doubled: values.map((v) => 2 * v), controls: [] }), {
        scope: channel.scope,
      });
      made.push(channel);
      return channel.worker;
    }, 'the echo worker');
    const first = client.run({ values: new Float64Array([1]) });
    await first.result;
    const lost = client.run({ values: new Float64Array([1]) });
    made[0].worker.onerror?.({ message: '', preventDefault: () => {} } as ErrorEvent);
    await expect(lost.result).rejects.toThrow('the echo worker stopped unexpectedly');
    expect([...(await client.run({ values: new Float64Array([3]) }).result).doubled]).toEqual([6]);
    expect(made).toHaveLength(2);
  });
});

describe('copiedForTransfer', () => {
  it('copies each typed array once, keeps what holds none, and lists the copies to transfer', async () => {
    const trips = new Float64Array([1, 2, 3]);
    const plain = { name: 'Riverton', regions: [{ id: 'a' }] };
    const city = { plain, views: { trips, again: trips }, labels: [{ values: trips.subarray(1) }] };
    const { value, transfer } = await copiedForTransfer(city);
    expect(value.plain).toBe(plain);
    expect(value.views.trips).not.toBe(trips);
    expect(value.views.again).toBe(value.views.trips);
    expect([...value.views.trips]).toEqual([1, 2, 3]);
    expect([...value.labels[0].values]).toEqual([2, 3]);
    expect(transfer).toEqual([value.views.trips.buffer, value.labels[0].values.buffer]);
  });

  it("copies a City's sparse trips, Int32 offsets and columns included, as arrays of their own type", async () => {
    const trips = sparseFromDense({ rows: 2, cols: 2, data: [0, 3, 1, 0] });
    const { value, transfer } = await copiedForTransfer({ views: { trips } });
    const copy = value.views.trips;
    expect(copy.rowStart).toBeInstanceOf(Int32Array);
    expect(copy.colIndex).toBeInstanceOf(Int32Array);
    expect(copy.values).toBeInstanceOf(Float64Array);
    expect(copy).toEqual(trips);
    expect(copy.rowStart).not.toBe(trips.rowStart);
    expect(transfer).toEqual([copy.rowStart.buffer, copy.colIndex.buffer, copy.values.buffer]);
    expect(transferablesOf({ trips })).toEqual([
      trips.rowStart.buffer,
      trips.colIndex.buffer,
      trips.values.buffer,
    ]);
  });

  it('copies a large array in chunks, yielding in between, to the same values', async () => {
    const big = Float64Array.from({ length: 3 * 2 ** 20 }, (_, i) => i % 977); // 24 MB: 6 chunks
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const { value } = await copiedForTransfer({ big });
    clearInterval(timer);
    // A fresh array, not the same one (not `.not.toBe`: on a miss Vitest deep-compares 3 M elements, 30 s).
    expect(value.big === big).toBe(false);
    expect(value.big.length).toBe(big.length);
    expect(value.big.every((v, i) => v === big[i])).toBe(true);
    expect(ticks).toBeGreaterThan(0);
  });
});

describe('transferablesOf', () => {
  it('finds each buffer of the typed arrays in plain data once', () => {
    const a = new Float32Array(4);
    const b = new Uint8Array(2);
    const found = transferablesOf({ a, nested: [a.subarray(1), { b }], map: new Map([['k', b]]), n: 3 });
    expect(found).toEqual([a.buffer, b.buffer]);
  });
});
