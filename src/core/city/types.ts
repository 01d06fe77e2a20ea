/**
 * The city data model: what every loader produces and every later stage consumes.
 *
 * Conventions
 * - Coordinates are WGS84 [lon, lat] (GeoJSON order).
 * - Row i of every view and label array is regions[i].
 * - Matrices are dense, row-major Float64Array with an explicit shape, except trips: N x N
 *   is 80 GB at 100,000 regions, so trips are sparse (CSR, core/math/sparse) from file to tensor.
 * - A missing task label is NaN in `TaskLabels.values` and is counted in `missing`;
 *   loaders never produce NaN anywhere else (bad numbers are load problems).
 */
import type { MultiPolygon, Polygon } from 'geojson';
import type { SparseMatrix } from '../math/sparse';
import type { EvaluationProtocol } from './protocol';

/** Dense row-major matrix. */
export interface Matrix {
  rows: number;
  cols: number;
  data: Float64Array; // rows * cols
}

export type RegionGeometry = Polygon | MultiPolygon;

export interface Region {
  /** Stable identifier (unique within the city). */
  id: string;
  name: string;
  /** WGS84 polygon, or null when the city has no boundaries (e.g. the SF benchmark). */
  geometry: RegionGeometry | null;
  /** [lon, lat] area-weighted centroid of the geometry, or given explicitly; null when unknown. */
  centroid: [number, number] | null;
  /** Optional free text about the region (e.g. the benchmark's region descriptions). */
  description?: string;
}

export interface CityViews {
  /** POI counts, N x C. */
  poi: Matrix | null;
  poiCategories: string[];
  /** Land-use counts (or area shares), N x L. */
  landUse: Matrix | null;
  landUseClasses: string[];
  /** Trips, N x N in CSR form (only the pairs with trips are stored), row i = trips leaving region i. */
  trips: SparseMatrix | null;
  /**
   * Mobility reconstruction target, N x N in CSR form, when the source ships one separately
   * (the benchmark's mob-adj.npy); otherwise SREL uses `trips`.
   */
  mobilityTarget?: SparseMatrix | null;
}

export interface TaskLabels {
  /** Task id, e.g. "crime", "checkIn", "serviceCall". */
  id: string;
  /** Human name, e.g. "Crime". */
  name: string;
  unit: string;
  /** N values; NaN = no label for that region. */
  values: Float64Array;
  /** Number of NaN entries in values. */
  missing: number;
  /** What the loader knows about how to treat the label, e.g. "0 means missing". */
  note?: string;
}

export interface CityMetadata {
  name: string;
  /** Where the data came from (free text). */
  source: string;
  /** Licence / terms note. */
  licence: string;
  description?: string;
}

/** Which spatial information a city offers (decides which spatial prior can be used). */
export interface SpatialInfo {
  /** Every region has a polygon. */
  boundaries: boolean;
  /** Every region has a centroid. */
  centroids: boolean;
  /** An adjacency list is available (given, or derivable from the boundaries). */
  adjacency: boolean;
  /** A trip matrix is available (trip-based proximity prior). */
  trips: boolean;
}

export interface City {
  metadata: CityMetadata;
  regions: Region[];
  views: CityViews;
  labels: TaskLabels[];
  /** Adjacency list shipped with the data (row indices), if any. */
  adjacency: number[][] | null;
  spatial: SpatialInfo;
  /**
   * How its tasks are scored (folds, labels that mean missing); absent: DEFAULT_PROTOCOL.
   * Set by the benchmark loader; not part of the bundle format.
   */
  protocol?: EvaluationProtocol;
}

export type ProblemSeverity = 'error' | 'warning';

/** A problem found while loading: names the file, the feature or row, the field and the reason. */
export interface LoadProblem {
  severity: ProblemSeverity;
  file: string;
  /** e.g. "feature 12 (id \"A7\")", "row 5", "header". */
  location?: string;
  field?: string;
  message: string;
}

export interface LoadResult {
  /** null when any problem has severity "error". */
  city: City | null;
  problems: LoadProblem[];
}
