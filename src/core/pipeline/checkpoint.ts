/**
 * Checkpoints of a training run: every so often the run's weights, Adam's state, the epoch
 * reached and what the run has kept so far (its loss history and embedding snapshots), so a
 * run a reload or a closed tab stopped goes on from there instead of from epoch 0.
 */
import type { ResumePoint } from '../srel/resume';
import type { SavedSrel } from '../srel/serialize';
import type { EpochReport } from '../srel/train';

export const CHECKPOINT_FORMAT = 'topt-run-checkpoint';
export const CHECKPOINT_VERSION = 1;

/** A run as it stood after an epoch (plain data: it crosses from the worker and into IndexedDB). */
export interface RunCheckpoint {
  format: typeof CHECKPOINT_FORMAT;
  version: number;
  /** The model's weights at that epoch (its config and epoch count included). */
  model: SavedSrel;
  /** Adam's state, the epoch, the seconds trained, the mini-batch bank. */
  point: ResumePoint;
  /** The run's reports up to point.epoch. */
  history: EpochReport[];
  /** The embedding snapshots taken up to point.epoch (trainRun's snapshot ensemble). */
  snapshots: Float32Array[];
  /**
   * The embeddings kept at the run's `keepEpochs` up to point.epoch, by epoch (the benchmark's
   * full rows keep some; the app's runs keep none). Absent in checkpoints written before it was
   * added, which were all of runs that kept none.
   */
  kept?: [epoch: number, embedding: Float32Array][];
  /** How the run's model started ("from scratch", or which saved model). */
  startedFrom: string;
}

/**
 * When a run keeps a checkpoint. **Our choice**: after an epoch once at least 10 epochs and 5
 * seconds have passed since the last one (or the start), so a quick city is checkpointed
 * every 5 s and a slow one every 10 epochs; a reload loses at most that. A checkpoint holds the
 * weights and Adam's two moments (19.5 MB for the default model's 1.6 million weights) and the
 * snapshots so far. Reading it back from the backend, serialising and cloning it took 0.07 to
 * 0.42 s on Riverton beside 0.4 to 1.1 s epochs, and 0.03 to 0.05 s at 2,000 regions beside
 * 2.7 s epochs (Node, WebAssembly, a loaded 2-core machine); the page then writes it to IndexedDB.
 */
export const CHECKPOINT_EVERY: CheckpointPolicy = { epochs: 10, seconds: 5 };

/** A checkpoint once at least `epochs` epochs and `seconds` seconds have passed since the last. */
export interface CheckpointPolicy {
  epochs: number;
  seconds: number;
}

/** Whether to checkpoint after `report`, the last checkpoint (or the start) being at `last`. */
export function checkpointDue(
  report: Pick<EpochReport, 'epoch' | 'epochs' | 'elapsedSeconds'>,
  last: { epoch: number; elapsedSeconds: number },
  every: CheckpointPolicy = CHECKPOINT_EVERY,
): boolean {
  if (report.epoch >= report.epochs) return false; // the finished run is saved whole
  return (
    report.epoch - last.epoch >= every.epochs && report.elapsedSeconds - last.elapsedSeconds >= every.seconds
  );
}

/** Whether `value` is a checkpoint this app can resume (IndexedDB may hold an older one). */
export function isRunCheckpoint(value: unknown): value is RunCheckpoint {
  if (typeof value !== 'object' || value === null) return false;
  const c = value as Partial<RunCheckpoint>;
  return c.format === CHECKPOINT_FORMAT && c.version === CHECKPOINT_VERSION && !!c.model && !!c.point;
}
