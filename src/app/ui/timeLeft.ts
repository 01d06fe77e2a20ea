/**
 * The one time-left rule of every progress line in the app (training, evaluation, imports,
 * custom tasks, model downloads, region analyses): core/progress.ts's rate so far, and how it
 * is written.
 */
import { clock, secondsLeftAt } from '../../core/progress';

/**
 * Seconds left of work that is `fraction` (0..1) done after `elapsedSeconds`, at the rate so
 * far; null before `from` of it is done (the first moments' rate misleads) and once all is.
 */
export function timeLeft(fraction: number, elapsedSeconds: number, from = 0): number | null {
  return fraction < from ? null : secondsLeftAt(fraction, elapsedSeconds);
}

/** Seconds from `startedAt` to `now` (both Date.now() milliseconds). */
export const secondsSince = (startedAt: number, now: number): number => (now - startedAt) / 1000;

/** " · about 1:05 left" (or, as seconds, " · about 65 s left"); '' while it is unknown. */
export function aboutLeft(seconds: number | null, as: 'clock' | 'seconds' = 'clock'): string {
  if (seconds === null) return '';
  return ` · about ${as === 'clock' ? clock(seconds) : `${Math.round(seconds)} s`} left`;
}

export { clock };
