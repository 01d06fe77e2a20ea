/** The sample cities shipped in sample-cities/ (regenerate with `npm run generate:samples -- --force`). */
import type { SyntheticCityOptions } from './generateCity';

export interface SampleCitySpec {
  /** Folder name under sample-cities/ and id in sample-cities/index.json. */
  id: string;
  /** The city the app opens first. */
  default: boolean;
  /** Bundle view format: CSV keeps the large city's trips sparse (origin, destination, count). */
  viewsFormat: 'csv' | 'npy';
  options: SyntheticCityOptions;
  /** Also write the raw layers behind the views (raw/*.csv.gz), for import tests. */
  rawLayers?: boolean;
}

/** Where a sample city's raw layers are, relative to its folder. */
export const RAW_POI_POINTS = 'raw/poi_points.csv.gz';
export const RAW_INCIDENTS = 'raw/incidents.csv.gz';
export const RAW_TRIP_RECORDS = 'raw/trip_records.csv.gz';
export const RAW_LAND_USE_POINTS = 'raw/land_use_points.csv.gz';

export const SAMPLE_CITIES: SampleCitySpec[] = [
  {
    id: 'riverton',
    default: true,
    viewsFormat: 'csv',
    options: { seed: 20261124, regions: 150, name: 'Riverton', centre: [8.9, 47.55] },
    rawLayers: true,
  },
  {
    id: 'metropolis',
    default: false,
    viewsFormat: 'csv',
    options: {
      seed: 20261125,
      regions: 2000,
      name: 'Metropolis',
      centre: [6.95, 50.55],
      // Fewer, shorter trips than the default so the sparse trip list stays small (< 4 MB).
      tripTotal: 250_000,
      tripDecayKm: 2.5,
    },
  },
];
