import { describe, expect, it } from 'vitest';
import type { MeasuredBackend } from '../../core/pipeline/types';
import { DRAWN_POLL_MS, likelyBackend, whenDrawnAndIdle, type Waits } from './warm';

const remembered: MeasuredBackend = {
  backend: 'webgl',
  order: ['webgl', 'wasm'],
  reason: 'fastest of 2 working backends',
  notes: [],
  timings: [],
  measuredAt: '2026-12-01T10:00:00.000Z',
};

describe('likelyBackend', () => {
  it('warms the backend chosen in the settings', () => {
    expect(likelyBackend('webgpu', remembered)).toBe('webgpu');
    expect(likelyBackend('cpu', null)).toBe('cpu');
  });

  it("warms the automatic choice remembered in this browser, else WebAssembly (what 'auto' measures to without a GPU)", () => {
    expect(likelyBackend('auto', remembered)).toBe('webgl');
    expect(likelyBackend('auto', null)).toBe('wasm');
  });
});

/** Waits run by hand: what is waiting, in order, and a step that runs the first. */
function manualWaits() {
  const queue: { kind: string; run: () => void; cancelled: boolean }[] = [];
  const add = (kind: string, run: () => void) => {
    const entry = { kind, run, cancelled: false };
    queue.push(entry);
    return () => {
      entry.cancelled = true;
    };
  };
  const waits: Waits = {
    idle: (run) => add('idle', run),
    later: (run, ms) => add(`later ${ms}`, run),
  };
  const pending = () => queue.filter((e) => !e.cancelled).map((e) => e.kind);
  const step = () => {
    const next = queue.find((e) => !e.cancelled);
    if (!next) throw new Error('nothing waiting');
    next.cancelled = true;
    next.run();
  };
  return { waits, pending, step };
}

describe('whenDrawnAndIdle', () => {
  it('asks the map every 250 ms until it has drawn, then waits for an idle moment, then runs once', () => {
    const { waits, pending, step } = manualWaits();
    let drawn = false;
    let runs = 0;
    whenDrawnAndIdle(
      () => drawn,
      () => runs++,
      waits,
    );
    expect(pending()).toEqual([`later ${DRAWN_POLL_MS}`]);
    step();
    expect(pending()).toEqual(['later 250']);
    drawn = true;
    step();
    expect([pending(), runs]).toEqual([['idle'], 0]);
    step();
    expect([pending(), runs]).toEqual([[], 1]);
  });

  it('waits only for an idle moment when the map has drawn already', () => {
    const { waits, pending } = manualWaits();
    whenDrawnAndIdle(
      () => true,
      () => {},
      waits,
    );
    expect(pending()).toEqual(['idle']);
  });

  it('runs nothing once cancelled, while polling or while waiting for idle', () => {
    for (const drawn of [false, true]) {
      const { waits, pending } = manualWaits();
      let runs = 0;
      const cancel = whenDrawnAndIdle(
        () => drawn,
        () => runs++,
        waits,
      );
      cancel();
      expect([pending(), runs]).toEqual([[], 0]);
    }
  });
});
