import { describe, expect, it } from 'vitest';
import { FrameGate, PARKED } from './frameGate';

/** A browser's frames by hand: `tick()` runs the frames asked for so far. */
function fakeFrames() {
  let next = 1;
  const pending = new Map<number, (time: number) => void>();
  return {
    frames: {
      request: (callback: (time: number) => void) => {
        pending.set(next, callback);
        return next++;
      },
      cancel: (id: number) => void pending.delete(id),
    },
    pending: () => pending.size,
    tick(time: number) {
      const due = [...pending.values()];
      pending.clear();
      for (const f of due) f(time);
    },
  };
}

/** A loop like luma.gl's: each frame asks for the next one. */
function loop(gate: FrameGate, log: number[]) {
  const state = { id: 0 };
  const frame = (time: number) => {
    log.push(time);
    state.id = gate.requestAnimationFrame(frame);
  };
  state.id = gate.requestAnimationFrame(frame);
  return state;
}

describe('FrameGate', () => {
  it('gives a loop frames until the wake runs out, then parks its request', () => {
    let now = 0;
    const browser = fakeFrames();
    const gate = new FrameGate(browser.frames, () => now);
    gate.wake(1000);
    const drawn: number[] = [];
    loop(gate, drawn);
    for (now = 0; now <= 1500; now += 100) browser.tick(now);
    // Frames at 0 to 900 ms asked for the next; the frame at 1000 ms found the gate closed.
    expect(drawn).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
    expect(browser.pending()).toBe(0);
    expect(gate.waiting).toBe(true);
  });

  it('a wake hands the parked request to the browser at once, and a later wake extends an earlier one', () => {
    let now = 5000;
    const browser = fakeFrames();
    const gate = new FrameGate(browser.frames, () => now);
    const drawn: number[] = [];
    loop(gate, drawn);
    expect(gate.waiting).toBe(true);
    browser.tick(now);
    expect(drawn).toEqual([]);

    gate.wake(300);
    expect(gate.waiting).toBe(false);
    expect(browser.pending()).toBe(1);
    gate.wake(100); // shorter than the wake before: still open until 5300
    for (; now <= 5600; now += 100) browser.tick(now);
    expect(drawn).toEqual([5000, 5100, 5200, 5300]);
    expect(gate.waiting).toBe(true);
  });

  it('cancelling the parked id cancels the frame a wake gave it, so a restarted loop does not run twice', () => {
    let now = 0;
    const browser = fakeFrames();
    const gate = new FrameGate(browser.frames, () => now);
    const drawn: number[] = [];
    const first = loop(gate, drawn);
    expect(first.id).toBe(PARKED);
    gate.wake(1000);
    // The loop still holds PARKED; stopping it (as luma.gl's stop() and start() do) cancels it.
    gate.cancelAnimationFrame(first.id);
    expect(browser.pending()).toBe(0);
    const second = loop(gate, drawn);
    expect(second.id).toBeGreaterThan(0);
    now = 16;
    browser.tick(now);
    expect(drawn).toEqual([16]);
    expect(browser.pending()).toBe(1);
  });

  it('cancelling a real frame cancels it in the browser', () => {
    const browser = fakeFrames();
    const gate = new FrameGate(browser.frames, () => 0);
    gate.wake(1000);
    const id = gate.requestAnimationFrame(() => {});
    expect(browser.pending()).toBe(1);
    gate.cancelAnimationFrame(id);
    expect(browser.pending()).toBe(0);
  });
});
