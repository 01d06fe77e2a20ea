/** Messages between the app and its Web Workers (structured-clone friendly: plain data only). */
import type { BackendName } from '../core/backend';
import type { StudyArea, Tessellation } from '../core/city/tessellate';
import type { CategoryMapping } from '../core/city/layers/categoryMapping';
import type { CategoryChoice } from '../core/city/layers/pointsCsv';
import type { City } from '../core/city/types';
import type { FeatureSet, TaskPromptFeatures, TaskReport } from '../core/eval/taskReport';
import type { SrelConfig } from '../core/srel/config';
import type { SrelInputs } from '../core/srel/inputs';
import type { SavedSrel } from '../core/srel/serialize';
import type { EpochReport, RegionAttention } from '../core/srel/train';

/** App -> backend-check worker: train a small SREL briefly on each backend, in order. */
export interface BackendCheckRequest {
  type: 'check-backends';
  inputs: SrelInputs;
  backends: BackendName[];
  epochs: number;
}

export type BackendCheckResult =
  | {
      backend: BackendName;
      status: 'ok';
      /** The first epoch includes kernel compilation (slow on WebGPU). */
      firstEpochSeconds: number;
      /** Mean of the later epochs. */
      secondsPerEpoch: number;
      finalLoss: number;
      /** The loss's parts at the last epoch: mobility, POI, land use. */
      parts: [number, number, number];
    }
  | { backend: BackendName; status: 'unavailable' | 'failed'; reason: string };

/** Worker -> app. */
export type BackendCheckMessage =
  | { type: 'backend-started'; backend: BackendName }
  | { type: 'backend-result'; result: BackendCheckResult }
  | { type: 'done' };

/** A task the training worker evaluates once SREL is trained. */
export interface TaskLabels {
  id: string;
  values: Float64Array;
  /** The task's prompt features (task-attended composition), for the semantic ridge head. */
  prompt?: TaskPromptFeatures | null;
}

/** The backend to train on: chosen by the worker ('auto') or by the user. */
export type BackendPreference = 'auto' | BackendName;

/** App -> training worker: train SREL on a city, then evaluate its tasks. */
export interface TrainRequest {
  type: 'train';
  inputs: SrelInputs;
  config: Partial<SrelConfig>;
  backend: BackendPreference;
  /** Benchmark city key ('chicago', ...) or '' for the protocol's defaults. */
  cityKey: string;
  tasks: TaskLabels[];
  /** Raw-feature baseline (z-scored [POI | land use | trips out | trips in]), N x d. */
  raw: { data: Float64Array; d: number } | null;
  /**
   * Fine-tuning: start from this saved model (its architecture; `config` then only sets
   * epochs and priors). Null: train from scratch.
   */
  initial: { name: string; model: SavedSrel } | null;
}

export type TrainControl = { type: 'pause' } | { type: 'resume' } | { type: 'cancel' };

export interface BackendTiming {
  backend: BackendName;
  /** Seconds per epoch of the probe model after its first (compiling) epoch; null if it failed. */
  secondsPerEpoch: number | null;
  error?: string;
}

export interface TrainedResult {
  backend: BackendName;
  epochs: number;
  /** N x d, row-major, dropout off. */
  embedding: Float32Array;
  /**
   * The embedding at ten evenly spaced epochs (N x d each, the last = `embedding`): tasks are
   * predicted by the mean of ridge on each. Absent in runs saved before it existed.
   */
  snapshots?: Float32Array[];
  d: number;
  reports: TaskReport[];
  /** Where each region looks in the Graphormer layers (top regions per row); null without them. */
  attention: RegionAttention | null;
  /** Saved model: the tfjs-style manifest and the weights. */
  model: SavedSrel;
}

/** Training worker -> app. */
export type TrainMessage =
  | { type: 'probing'; backend: BackendName }
  | { type: 'backend'; backend: BackendName; reason: string; timings: BackendTiming[] }
  | { type: 'notice'; message: string }
  /** How the model started (from scratch, or which weights a saved model gave). */
  | { type: 'started'; description: string }
  | { type: 'epoch'; report: EpochReport }
  | { type: 'paused'; epoch: number }
  | { type: 'resumed' }
  /**
   * Cross-validating the tasks after training: task `task` (number `taskIndex` of `tasks`),
   * `done` of `total` work units of that task (taskReport's onProgress).
   */
  | { type: 'evaluating'; task: string; taskIndex: number; tasks: number; done: number; total: number }
  | { type: 'done'; result: TrainedResult }
  | { type: 'cancelled'; epoch: number }
  | { type: 'failed'; message: string };

/** App -> evaluation worker: cross-validate one task on features the app already has. */
export interface EvaluateRequest {
  type: 'evaluate';
  task: string;
  values: Float64Array;
  embedding: FeatureSet;
  raw: FeatureSet | null;
  cityKey: string;
  prompt?: TaskPromptFeatures | null;
}

/** Evaluation worker -> app. */
export type EvaluateMessage =
  | { type: 'progress'; done: number; total: number }
  | { type: 'report'; report: TaskReport }
  | { type: 'failed'; message: string };

/** App -> import worker: raw layers (CSV or .csv.gz) to rebuild the city's views from. */
export interface ImportRequest {
  type: 'import';
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

/** Import worker -> app. */
export type ImportMessage =
  | {
      type: 'progress';
      /** Files done of `total`; `file` is the one being imported. */
      done: number;
      total: number;
      file: string;
      /** How far within that file: characters read, then points (or records) placed. */
      within?: { phase: 'reading' | 'locating'; done: number; total: number };
    }
  /** The categories of POI files the city lacks, each with its count and suggested target. */
  | { type: 'categories'; layers: { file: string; choices: CategoryChoice[]; targets: string[] }[] }
  | { type: 'done'; city: City; report: string[] }
  | { type: 'failed'; message: string };

/** App -> tessellate worker: count the cells of a study area, or build the city from them. */
export type TessellateRequest =
  | { type: 'count'; id: number; area: StudyArea; tessellation: Tessellation }
  | { type: 'tessellate'; id: number; area: StudyArea; tessellation: Tessellation; name: string };

/** Tessellate worker -> app (same id as the request). */
export type TessellateMessage =
  | {
      type: 'count';
      id: number;
      count: number;
      exact: boolean;
      /** Mean cell area (H3: worldwide, at that resolution) and the study area's, in km². */
      cellKm2: number;
      areaKm2: number;
    }
  | { type: 'city'; id: number; city: City; bundle: { name: string; bytes: Uint8Array }[] }
  | { type: 'failed'; id: number; message: string };
