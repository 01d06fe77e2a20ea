/**
 * What each Web Worker does, as job types of the one protocol in jobs.ts (request, events,
 * result, control messages); structured-clone friendly, plain data only.
 */
import type { BackendName } from '../core/backend/names';
import type { StudyArea, Tessellation } from '../core/city/tessellate';
import type { CategoryMapping } from '../core/city/layers/categoryMapping';
import type { GeoJsonCityResult, GeoJsonMapping } from '../core/city/geojson';
import type { CategoryChoice } from '../core/city/layers/pointsCsv';
import type { City } from '../core/city/types';
import type { WeightsKind } from '../core/eval/spatialLag';
import type { TaskReport } from '../core/eval/taskReport';
import type { BackendCheckResult } from '../core/pipeline/backends';
import type {
  BackendPreference,
  MeasuredBackend,
  RunEvent,
  TrainedResult,
  TrainingJob,
} from '../core/pipeline/types';
import type { TaskPromptFeatures } from '../core/prompt/taskAttention';
import type { SpatialPattern } from '../core/spatial/moran';
import type { SrelConfig } from '../core/srel/config';
import type { Task } from '../core/tasks/types';

/** Train SREL on a city. `remembered`: with 'auto', the choice measured earlier in this browser (no probe then). */
export interface TrainRequest {
  job: TrainingJob;
  backend: BackendPreference;
  remembered?: MeasuredBackend | null;
}

/**
 * Get ready to train before being asked (the page is idle, the Train card shown): TensorFlow.js
 * is loaded with the worker; `warm` is initialised (WebAssembly: its binary fetched and
 * compiled), so a Train that follows on this worker starts at once.
 */
export interface WarmRequest {
  warm: BackendName;
  /** The model a run would train (the settings'): a practice epoch of it (core/pipeline/warmUp.ts). */
  config?: Partial<SrelConfig>;
}

/** A warm worker: the backend it initialised (or why not) and the seconds that took, practice epoch included. */
export interface WarmedResult {
  warmed: BackendName;
  seconds: number;
  /** Why `warmed` could not be initialised or practised on (a run then goes on as usual). */
  error?: string;
}

/** Training worker: train SREL on a city, then score its tasks (core/pipeline trainRun); or warm up. */
export interface TrainingJobs {
  request: TrainRequest | WarmRequest;
  event: RunEvent;
  result: TrainedResult | WarmedResult;
  control: { type: 'pause' } | { type: 'resume' } | { type: 'cancel' };
}

/** Whether a training worker's result is a trained run (not a warm-up's). */
export const isTrained = (result: TrainingJobs['result']): result is TrainedResult => !('warmed' in result);

/** Evaluation worker: score one task (a user's, or one to predict again) on a trained embedding. */
export interface EvaluationJobs {
  request: {
    city: City;
    task: Task;
    /** The trained embedding (N x d) and its snapshots along the run. */
    embedding: Float32Array;
    d: number;
    snapshots?: Float32Array[];
    /** LLM vectors for the task, where the page has some; else the offline composition. */
    prompt?: TaskPromptFeatures;
  };
  event: { done: number; total: number };
  result: TaskReport;
  control: never;
}

/**
 * Spatial-diagnostics worker: global Moran's I and the LISA cluster map of one value of a city
 * (a map layer), with the city's spatial weights (core/spatial/moran.ts layerPattern).
 */
export interface SpatialJobs {
  request: { city: City; values: Float64Array; weights?: WeightsKind };
  event: never;
  result: SpatialPattern;
  control: never;
}

/**
 * The name the page gives the training worker's bundle to run the backend check instead of
 * training (one bundle for both, so TensorFlow.js is shipped once).
 */
export const BACKEND_CHECK_WORKER = 'backend-check';

/** Backend-check worker: train a small SREL briefly on each backend, in order. */
export interface BackendCheckJobs {
  request: { city: City; backends: BackendName[]; epochs: number };
  event:
    | { type: 'backend-started'; backend: BackendName }
    | { type: 'backend-result'; result: BackendCheckResult };
  result: BackendCheckResult[];
  control: never;
}

/** Raw layers (CSV or .csv.gz) to rebuild the city's views from. */
export interface ImportRequest {
  city: City;
  files: { name: string; bytes: Uint8Array }[];
  /** POI categories: source category -> city category or "drop"; or keep the points' own. */
  poi?: { mapping: CategoryMapping; ownCategories: boolean };
  /**
   * Ask first when POI points have categories the city lacks that `poi.mapping` does not
   * cover: the worker then imports nothing and answers with 'categories'.
   */
  askMapping?: boolean;
}

/**
 * A GeoJSON of regions (a new city) to read and check, with the mapping of its properties when
 * the user chose one: 50,000 polygons kept the page from answering for over a minute.
 */
export interface RegionsRequest {
  regions: { name: string; bytes: Uint8Array };
  mapping?: GeoJsonMapping;
}

/** What the import's work says (importRun.ts): progress, a category question, the city, or why not. */
export type ImportMessage =
  | {
      type: 'progress';
      /** Files done of `total`; `file` is the one being imported. */
      done: number;
      total: number;
      file: string;
      /**
       * How far within that file: characters read, then points (or records) placed; for a
       * GeoJSON of regions, parsing it (bytes), then checking its polygons.
       */
      within?: { phase: 'reading' | 'locating' | 'parsing' | 'checking'; done: number; total: number };
    }
  /** The categories of POI files the city lacks, each with its count and suggested target. */
  | { type: 'categories'; layers: { file: string; choices: CategoryChoice[]; targets: string[] }[] }
  | { type: 'done'; city: City; report: string[] }
  | { type: 'failed'; message: string };

/**
 * Import worker: rebuild a city's views from raw layers. It keeps the POI points it read to
 * ask for their categories, for the request that follows the user's answer (sent to the same
 * worker: the client keeps it between jobs). Or read a GeoJSON of regions as a new city.
 */
export interface ImportJobs {
  request: ImportRequest | RegionsRequest;
  event: Extract<ImportMessage, { type: 'progress' }>;
  result:
    | Extract<ImportMessage, { type: 'categories' } | { type: 'done' }>
    | { type: 'regions'; loaded: GeoJsonCityResult };
  control: never;
}

/** Tessellate worker: count the cells of a study area, or build the city from them. */
export interface TessellateJobs {
  request:
    | { type: 'count'; area: StudyArea; tessellation: Tessellation }
    | { type: 'tessellate'; area: StudyArea; tessellation: Tessellation; name: string };
  event: never;
  result:
    | {
        type: 'count';
        count: number;
        exact: boolean;
        /** Mean cell area (H3: worldwide, at that resolution) and the study area's, in km². */
        cellKm2: number;
        areaKm2: number;
      }
    | { type: 'city'; city: City; bundle: { name: string; bytes: Uint8Array }[] };
  control: never;
}
