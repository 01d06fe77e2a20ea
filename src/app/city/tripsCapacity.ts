/**
 * Trips in the browser follow SREL's measured capacity (core/srel/capacity.ts): a city of more
 * than MAX_TRIPS_REGIONS regions is not given trips (the import is refused before any file is
 * read, so the open city stays as it was), and a city whose training will be slow gets them
 * with a word on how slow. Node's `npm run city -- import` has no cap: it trains larger cities.
 */
import type { LoadProblem } from '../../core/city/types';
import type { BackendPreference, MeasuredBackend } from '../../core/pipeline/types';
import {
  MAX_TRIPS_REGIONS,
  estimateEpochSeconds,
  isSlowTraining,
  wasmEpochSeconds,
} from '../../core/srel/capacity';
import { formatNumber } from '../region/regionStats';
import { roughDuration, trainEstimateText } from '../training/estimate';
import { likelyBackend } from '../training/warm';

/**
 * Why trips are not imported into a city of `regions` regions (one error per trip file), or
 * null when they are. `otherFiles`: the files dropped with them, which are not imported either.
 */
export function tripsOverCapacity(
  tripFiles: readonly string[],
  cityName: string,
  regions: number,
  otherFiles: number,
): LoadProblem[] | null {
  if (tripFiles.length === 0 || regions <= MAX_TRIPS_REGIONS) return null;
  const cap = formatNumber(MAX_TRIPS_REGIONS);
  const others =
    otherFiles === 0
      ? ''
      : `; drop the other file${otherFiles === 1 ? '' : 's'} without the trips to import ${otherFiles === 1 ? 'it' : 'them'}`;
  return tripFiles.map((file) => ({
    severity: 'error',
    file,
    message:
      `trips are imported for cities of up to ${cap} regions, and ${cityName} has ${formatNumber(regions)}. ` +
      `${cap} regions is the largest city measured to train SREL in the browser ` +
      `(${roughDuration(wasmEpochSeconds(MAX_TRIPS_REGIONS))} per epoch on WebAssembly, one thread), and trips ` +
      `are what its mobility view learns from. Nothing was lost: nothing was imported and ${cityName} is as it ` +
      `was${others}. To use these trips, cut the study area into coarser cells (${cap} regions or fewer), ` +
      `or import them and train in Node (npm run city -- import, then npm run city -- train), which has no such cap.`,
  }));
}

/**
 * A warning after trips were imported into a city whose training will be slow on the backend
 * it is expected to train on (capacity.ts's estimate; an epoch of 6.9 s or more), or null.
 */
export function slowTrainingWarning(
  tripFiles: readonly string[],
  regions: number,
  epochs: number,
  preference: BackendPreference,
  remembered: MeasuredBackend | null,
): LoadProblem | null {
  if (tripFiles.length === 0) return null;
  const backend = likelyBackend(preference, remembered);
  if (!isSlowTraining(estimateEpochSeconds(regions, backend, remembered?.timings ?? []))) return null;
  return {
    severity: 'warning',
    file: tripFiles.join(', '),
    message:
      `trips imported; training SREL on ${formatNumber(regions)} regions will be slow. ` +
      `${trainEstimateText(regions, epochs, preference, remembered)} ` +
      'Fewer epochs (Training settings) or coarser cells train faster.',
  };
}
