/**
 * How far an import of raw layers is, from the worker's progress messages: each file counts
 * equally; within a file, reading its rows comes first and placing its points into regions
 * second, weighted by what each costs. Time left is extrapolated from the rate so far.
 */
import type { ImportProgress } from '../state/importing';
import { secondsSince, timeLeft } from '../ui/timeLeft';

/**
 * The share of a point file's time spent reading its rows (parsing, checking): 1 million POIs
 * took 2.99 s in all and 0.66 to 0.91 s to place (npm run bench:import:browser), so about 3/4.
 */
export const READING_SHARE = 0.75;

/** Share of the import done, 0..1. */
export function importFraction(p: ImportProgress): number {
  if (p.files <= 0) return 0;
  const w = p.within;
  const inFile =
    w && w.total > 0
      ? w.phase === 'reading'
        ? (READING_SHARE * Math.min(w.done, w.total)) / w.total
        : READING_SHARE + ((1 - READING_SHARE) * Math.min(w.done, w.total)) / w.total
      : 0;
  return Math.min(1, (p.fileIndex + inFile) / p.files);
}

/** Seconds left at `now` by the rate so far; null until 1% of the work is done. */
export function importSecondsLeft(p: ImportProgress, now = Date.now()): number | null {
  return timeLeft(importFraction(p), secondsSince(p.startedAt, now), 0.01);
}

/** What is being done, e.g. "placing points: 450,000 of 1,000,000". */
export function importStep(p: ImportProgress): string {
  const w = p.within;
  if (!w) return 'starting';
  if (w.phase === 'reading') return `reading rows: ${Math.round((100 * w.done) / Math.max(1, w.total))}%`;
  return `placing into regions: ${w.done.toLocaleString('en-US')} of ${w.total.toLocaleString('en-US')}`;
}
