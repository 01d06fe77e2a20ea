/**
 * Animation frames for deck.gl's render loop only while the map may change.
 *
 * deck.gl's loop (luma.gl's AnimationLoop) asks for a frame 60 times a second for as long as
 * the page is open, and draws only when something changed (visgl/deck.gl#6961, open). The
 * asking alone kept the browser's compositor ticking: on the first view with nothing changing,
 * 2.0 s of CPU per 10 s between the page and Chromium's GPU process (headless, software GL,
 * 1280 x 800), 0.4 s with the gate (the rest is the page's own timers). The gate gives the
 * loop real frames for a while after each `wake` (a layer change, a camera move, the pointer
 * or keys on the map) and parks its request otherwise; the next wake hands the parked request
 * to the browser. The loop has nothing to do between wakes: it draws after a change (the
 * frame right after a wake), picks under the pointer (the frame after a pointer event), and
 * nothing of ours animates.
 */
import type { AnimationFrameCallback, AnimationFrameProvider } from '@luma.gl/engine';

/** The browser's frame functions, or a test's. */
export interface Frames {
  request: (callback: AnimationFrameCallback) => number;
  cancel: (id: number) => void;
}

/** The id a parked request is given back (real frame ids are positive). */
export const PARKED = -1;

export class FrameGate implements AnimationFrameProvider {
  private awakeUntil = 0;
  private parked: AnimationFrameCallback | null = null;
  /** The browser's id for the frame a wake gave the parked request, until that frame runs. */
  private woken: number | null = null;

  constructor(
    private readonly frames: Frames,
    private readonly now: () => number,
  ) {}

  /** Frames are given until `ms` from now (or later, if an earlier wake said so). */
  wake(ms: number): void {
    this.awakeUntil = Math.max(this.awakeUntil, this.now() + ms);
    const parked = this.parked;
    if (parked) {
      this.parked = null;
      this.woken = this.frames.request((time) => {
        this.woken = null;
        parked(time);
      });
    }
  }

  /** Whether a request is waiting for the next wake. */
  get waiting(): boolean {
    return this.parked !== null;
  }

  requestAnimationFrame(callback: AnimationFrameCallback): number {
    if (this.now() < this.awakeUntil) return this.frames.request(callback);
    this.parked = callback;
    return PARKED;
  }

  /** The loop holds PARKED for a request a wake has since handed on: cancelling it cancels that frame. */
  cancelAnimationFrame(id: number): void {
    if (id !== PARKED) this.frames.cancel(id);
    else if (this.woken !== null) this.frames.cancel(this.woken);
    this.parked = null;
    this.woken = null;
  }
}
