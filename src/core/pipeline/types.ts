/**
 * What a training job is and what it gives: the nouns the training worker, the benchmark and
 * the headless run share (all plain data, so they cross to and from a Web Worker as they are).
 */
import type { BackendName } from '../backend/names';
import type { City } from '../city/types';
import type { SplitSpec } from '../eval/splits';
import type { TaskReport } from '../eval/taskReport';
import type { TaskPromptFeatures } from '../prompt/taskAttention';
import type { RunCheckpoint } from './checkpoint';
import type { SparseOptions } from '../srel/inputTypes';
import type { SrelConfig } from '../srel/config';
import type { SavedSrel } from '../srel/serialize';
import type { EpochReport, RegionAttention } from '../srel/train';
import type { Task } from '../tasks/types';

/** A city, its tasks and the settings to train SREL on it with. */
export interface TrainingJob {
  city: City;
  /** The tasks scored once SREL is trained (built-in and the user's own). */
  tasks: Task[];
  /** SREL settings; what is not set takes DEFAULT_SREL_CONFIG's value. */
  config: Partial<SrelConfig>;
  /**
   * Fine-tuning: start from this saved model (its architecture; `config` then only sets epochs
   * and priors). Null: train from scratch.
   */
  initial: { name: string; model: SavedSrel } | null;
  /**
   * Prompt features made where the job was sent from (LLM vectors, or a web-llm embedding
   * model that only the page can reach), by task id. Every other task gets the task-attended
   * composition with the offline encoder, built where the job runs.
   */
  promptFeatures?: Record<string, TaskPromptFeatures>;
  /**
   * Score the semantic ridge head on each task's prompt features too ("R² + prompt"); default
   * true. The benchmark's tables leave it out.
   */
  taskPrompts?: boolean;
  /** The split the tasks are scored on (splits.ts); default: the city's protocol. */
  split?: SplitSpec;
  /**
   * Train sparse (neighbourhoods and drawn pairs) with these settings whatever the city's size;
   * unset: dense up to DENSE_UP_TO regions, sparse with the defaults above.
   */
  sparse?: Partial<SparseOptions>;
  /**
   * Go on with a run that stopped (a reload): its last checkpoint, kept by the page. The model
   * then starts from the checkpoint's weights (`initial` is not read) and trains its epochs left.
   */
  resume?: RunCheckpoint;
}

/** The backend to train on: the fastest that works ('auto', probed) or the given one. */
export type BackendPreference = 'auto' | BackendName;

export interface BackendTiming {
  backend: BackendName;
  /** Seconds per epoch of the probe model after its first (compiling) epoch; null if it failed. */
  secondsPerEpoch: number | null;
  error?: string;
}

/**
 * An automatic choice of backend as it was measured once: the browser remembers it and trains
 * there without measuring again, until the user asks for a new measurement.
 */
export interface MeasuredBackend {
  backend: BackendName;
  /** Every backend to try, best first (the fallbacks follow `backend`). */
  order: BackendName[];
  /** Why `backend`, for the user. */
  reason: string;
  /** Why some backends were not measured. */
  notes: string[];
  timings: BackendTiming[];
  /** ISO date of the measurement. */
  measuredAt: string;
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

/** What a run tells while it goes, in order. */
export type RunEvent =
  | { type: 'probing'; backend: BackendName }
  | {
      type: 'backend';
      backend: BackendName;
      reason: string;
      timings: BackendTiming[];
      /** Why some backends were not measured (the automatic choice). */
      notes?: string[];
      /** The choice this run measured, for the page to remember (the automatic choice). */
      measured?: MeasuredBackend | null;
      /** WebAssembly: the threads it computes on. */
      threads?: number;
      /** Whether the page is cross-origin isolated (what threaded WebAssembly needs), where known. */
      isolated?: boolean;
    }
  | { type: 'notice'; message: string }
  /**
   * How the model started (from scratch, or which weights a saved model gave). A resumed run
   * also gives the epochs trained before it stopped (`history`), which the run goes on from.
   */
  | { type: 'started'; description: string; history?: EpochReport[] }
  /** Where the run stands, to keep (RunOptions.checkpoints): a reload resumes from it. */
  | { type: 'checkpoint'; checkpoint: RunCheckpoint }
  | { type: 'epoch'; report: EpochReport }
  | { type: 'paused'; epoch: number }
  | { type: 'resumed' }
  /**
   * Cross-validating the tasks after training: task `task` (number `taskIndex` of `tasks`),
   * `done` of `total` work units of that task (taskReport's onProgress).
   */
  | { type: 'evaluating'; task: string; taskIndex: number; tasks: number; done: number; total: number };
