/**
 * How far an import of raw layers is, from the worker's progress messages: each file counts
 * equally; within a file, reading its rows comes first and placing its points into regions
 * second, weighted by what each costs. A GeoJSON of regions (a new city) is parsed, then its
 * polygons are checked. Time left is extrapolated from the rate so far.
 */
import type { ImportProgress } from '../state/importing';
import { secondsSince, timeLeft } from '../ui/timeLeft';

/**
 * The share of a point file's time spent reading its rows (parsing, checking): 1 million POIs
 * took 2.99 s in all and 0.66 to 0.91 s to place (npm run bench:import:browser), so about 3/4.
 */
export const READING_SHARE = 0.75;

/**
 * The share of a GeoJSON of regions' time spent parsing its JSON: 50,000 polygons (19.7 MB)
 * took 1.8 s to parse and 1.1 s more to check, in Node.
 */
export const PARSING_SHARE = 0.6;

type Phase = NonNullable<ImportProgress['within']>['phase'];

/** Where each phase starts within its file, and its share of the file's time. */
const PHASES: Record<Phase, [start: number, share: number]> = {
  reading: [0, READING_SHARE],
  locating: [READING_SHARE, 1 - READING_SHARE],
  parsing: [0, PARSING_SHARE],
  checking: [PARSING_SHARE, 1 - PARSING_SHARE],
};

/** Share of the import done, 0..1. */
export function importFraction(p: ImportProgress): number {
  if (p.files <= 0) return 0;
  const w = p.within;
  let inFile = 0;
  if (w && w.total > 0) {
    const [start, share] = PHASES[w.phase];
    inFile = start + (share * Math.min(w.done, w.total)) / w.total;
  }
  return Math.min(1, (p.fileIndex + inFile) / p.files);
}

/** Seconds left at `now` by the rate so far; null until 1% of the work is done. */
export function importSecondsLeft(p: ImportProgress, now = Date.now()): number | null {
  return timeLeft(importFraction(p), secondsSince(p.startedAt, now), 0.01);
}

/** What is being done, e.g. "placing into regions: 450,000 of 1,000,000". */
export function importStep(p: ImportProgress): string {
  const w = p.within;
  if (!w) return 'starting';
  const count = `${w.done.toLocaleString('en-US')} of ${w.total.toLocaleString('en-US')}`;
  switch (w.phase) {
    case 'reading':
      return `reading rows: ${Math.round((100 * w.done) / Math.max(1, w.total))}%`;
    case 'locating':
      return `placing into regions: ${count}`;
    case 'parsing':
      return `parsing ${(w.total / 1024 / 1024).toFixed(1)} MB of JSON`;
    case 'checking':
      return `checking polygons ${count}`;
  }
}

/** The progress line's start: "Importing poi.csv (1 of 3)", or "Opening regions.geojson" (a new city). */
export function importTitle(p: ImportProgress): string {
  const phase = p.within?.phase;
  return phase === 'parsing' || phase === 'checking'
    ? `Opening ${p.file}`
    : `Importing ${p.file} (${p.fileIndex + 1} of ${p.files})`;
}
