/**
 * Time left and clock times for every progress bar (the app's and the command line's): one
 * rule, the rate so far.
 */

/**
 * Seconds left when `fraction` (0..1) of the work took `elapsedSeconds`, at the rate so far;
 * null until some of it is done (or when all of it is).
 */
export function secondsLeftAt(fraction: number, elapsedSeconds: number): number | null {
  if (!(fraction > 0) || fraction >= 1) return null;
  return (elapsedSeconds * (1 - fraction)) / fraction;
}

/** "0:42", "12:05", "1:02:09". */
export function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const m = Math.floor(s / 60);
  return m >= 60
    ? `${Math.floor(m / 60)}:${String(m % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`
    : `${m}:${String(s % 60).padStart(2, '0')}`;
}
