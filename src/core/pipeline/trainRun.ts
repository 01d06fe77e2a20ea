/**
 * One training run, the same in the app's training worker, the benchmark and the headless
 * `npm run city -- train`: build the city's inputs, rank the backends, train SREL keeping
 * snapshots of the embedding (falling back to the next backend when one fails), then score
 * every task and save the model.
 */
import { useBackend, wasmThreads, type BackendName } from '../backend';
import type { SrelConfig } from '../srel/config';
import type { SrelInputs } from '../srel/inputs';
import { loadSrel, saveSrel, transferSrel } from '../srel/serialize';
import {
  SrelModel,
  TrainingCancelled,
  snapshotEpochs,
  srelDims,
  type EpochReport,
  type RegionAttention,
} from '../srel/train';
import { rankBackends, type GpuDevices } from './backends';
import {
  CHECKPOINT_EVERY,
  CHECKPOINT_FORMAT,
  CHECKPOINT_VERSION,
  checkpointDue,
  type CheckpointPolicy,
  type RunCheckpoint,
} from './checkpoint';
import { evaluateTask, evaluationContext } from './evaluate';
import { embeddingFeatures, srelInputsOf } from './inputs';
import type { BackendPreference, MeasuredBackend, RunEvent, TrainedResult, TrainingJob } from './types';

/** Regions kept per region for the inspector's "attends most to". */
export const ATTENTION_TOP = 8;

export interface RunOptions {
  /**
   * 'auto' uses `remembered`, else measures the backends of `available` worth measuring
   * (core/pipeline/backends); a backend name trains there first, the rest of `available` after.
   */
  backend: BackendPreference;
  /** The backends this environment offers, in fallback order. */
  available: BackendName[];
  /** 'auto': the choice measured earlier in this browser (nothing is probed then). */
  remembered?: MeasuredBackend | null;
  /** 'auto': what the GPU backends' devices are (a software one is not measured). */
  devices?: () => Promise<GpuDevices>;
  /** Seconds a probe's first epoch may take before its backend is abandoned. */
  probeBudgetSeconds?: number;
  /** Whether the page is cross-origin isolated (said with the backend; threads need it). */
  isolated?: boolean;
  signal?: AbortSignal;
  onEvent?: (event: RunEvent) => void;
  /**
   * Awaited after every epoch: resolves when training may go on (the worker holds it while
   * paused). Without it a run yields to the event loop once per epoch.
   */
  betweenEpochs?: (epoch: number) => Promise<void>;
  /** Epochs at which to keep the embedding as well (the benchmark's checkpoints). */
  keepEpochs?: number[];
  /**
   * Emit a 'checkpoint' event whenever one is due (checkpointDue; true: CHECKPOINT_EVERY): the
   * app keeps the last to resume from.
   */
  checkpoints?: boolean | CheckpointPolicy;
}

/** A trained model's embeddings along the run. */
export interface SnapshotRun {
  history: EpochReport[];
  /** N x d at the end of the run, dropout off. */
  embedding: Float32Array;
  /** At snapshotEpochs(epochs), the last being `embedding`. */
  snapshots: Float32Array[];
  /** At each of `keepEpochs` the run reached. */
  kept: Map<number, Float32Array>;
  /** Where each region looks at the end of the run (`attentionTop` asked for it; null: no fusion layers). */
  attention?: RegionAttention | null;
}

/**
 * Train `model` for its configured epochs, keeping the embedding at the snapshot epochs (the
 * snapshot ensemble every task is predicted with) and at `keepEpochs`. Rejects with
 * TrainingCancelled when the signal aborts. `resume`: go on with a stopped run (`model` holds
 * the checkpoint's weights); `onCheckpoint`: called with where the run stands when one is due.
 */
export async function trainWithSnapshots(
  model: SrelModel,
  inputs: SrelInputs,
  options: Pick<RunOptions, 'signal' | 'betweenEpochs' | 'keepEpochs'> & {
    onEpoch?: (report: EpochReport) => void;
    resume?: Pick<RunCheckpoint, 'point' | 'history' | 'snapshots' | 'kept'>;
    onCheckpoint?: (
      checkpoint: Pick<RunCheckpoint, 'model' | 'point' | 'history' | 'snapshots' | 'kept'>,
    ) => void;
    checkpointEvery?: CheckpointPolicy;
    /** Also take the model's regionAttention with this many regions each at the end (from the last snapshot's pass). */
    attentionTop?: number;
  } = {},
): Promise<SnapshotRun> {
  const { resume } = options;
  const snapshotAt = new Set(snapshotEpochs(model.config.epochs));
  const keepAt = new Set(options.keepEpochs ?? []);
  const snapshots: Float32Array[] = resume ? [...resume.snapshots] : [];
  const kept = new Map<number, Float32Array>(resume?.kept ?? []);
  const history: EpochReport[] = resume ? [...resume.history] : [];
  let last = resume?.point ?? { epoch: 0, elapsedSeconds: 0 };
  // The last snapshot is taken after the last epoch, with the weights the run ends with: it is
  // the final embedding, which then needs no forward pass of its own (1.7 s at 5,000 regions).
  // (Set in the callback: the cast keeps TypeScript from taking it for null after the await.)
  let final = null as Float32Array | null;
  let attention: RegionAttention | null | undefined;
  const { attentionTop } = options;
  const atEnd = async (): Promise<Float32Array> => {
    if (attentionTop === undefined) return model.embed(inputs);
    const both = await model.embedWithAttention(inputs, attentionTop);
    attention = both.attention;
    return both.embedding;
  };
  await model.train(inputs, {
    signal: options.signal,
    from: resume?.point,
    onEpoch: async (report, resumePoint) => {
      history.push(report);
      if (snapshotAt.has(report.epoch) || keepAt.has(report.epoch)) {
        const isLast = report.epoch === model.config.epochs;
        const embedding = isLast ? await atEnd() : await model.embed(inputs);
        if (snapshotAt.has(report.epoch)) snapshots.push(embedding);
        if (keepAt.has(report.epoch)) kept.set(report.epoch, embedding);
        if (isLast) final = embedding;
      }
      if (options.onCheckpoint && checkpointDue(report, last, options.checkpointEvery)) {
        const point = await resumePoint();
        options.onCheckpoint({
          model: await saveSrel(model),
          point,
          history: [...history],
          snapshots: [...snapshots],
          kept: [...kept],
        });
        last = point;
      }
      options.onEpoch?.(report);
      // On WASM and CPU an epoch ends in resolved promises only: yield a task so that pause
      // and cancel messages get delivered.
      await new Promise((resolve) => setTimeout(resolve, 0));
      await options.betweenEpochs?.(report.epoch);
    },
  });
  // A copy: the result's arrays may be transferred to the page one by one.
  const embedding = final ? final.slice() : await atEnd();
  return { history, embedding, snapshots, kept, ...(attention !== undefined ? { attention } : {}) };
}

/**
 * A fresh model, the saved one with every weight that fits this city (fine-tuning), or the
 * checkpoint's model of a run to resume.
 */
export function startingModel(
  config: Partial<SrelConfig>,
  inputs: SrelInputs,
  initial: TrainingJob['initial'],
  resume?: RunCheckpoint,
): { model: SrelModel; description: string } {
  const dims = srelDims(inputs);
  if (resume) {
    let model: SrelModel | null = null;
    try {
      model = loadSrel(resume.model);
      model.checkInputs(inputs);
    } catch (e) {
      model?.dispose();
      const why = e instanceof Error ? e.message : String(e);
      throw new Error(`the saved checkpoint no longer fits this city (${why}): start the run over`, {
        cause: e,
      });
    }
    const { epoch } = resume.point;
    return {
      model,
      description: `${resume.startedFrom}; resumed at epoch ${epoch + 1} from the checkpoint kept after epoch ${epoch}`,
    };
  }
  if (!initial) return { model: new SrelModel(config, dims), description: 'from scratch' };
  const { epochs, priors } = config;
  const { model, transferred, reinitialised } = transferSrel(initial.model, dims, {
    ...(epochs ? { epochs } : {}),
    ...(priors ? { priors } : {}),
  });
  const fresh = reinitialised.length
    ? `; ${reinitialised.length} start fresh because their input width depends on this city's categories (${reinitialised.join(', ')})`
    : '';
  return {
    model,
    description: `from ${initial.name}: ${transferred.length} of ${transferred.length + reinitialised.length} weight tensors copied${fresh}`,
  };
}

export interface RunResult extends TrainedResult {
  history: EpochReport[];
  /** The embedding at each of `keepEpochs` (empty without them). */
  kept: Map<number, Float32Array>;
}

/**
 * Train SREL on the job's city and score its tasks. Events arrive in this order: probing
 * (auto only), backend, started, epoch..., evaluating...; a backend that fails mid-run adds a
 * notice and starts again on the next one. Rejects with TrainingCancelled when cancelled.
 */
export async function trainRun(job: TrainingJob, options: RunOptions): Promise<RunResult> {
  const emit = (e: RunEvent): void => options.onEvent?.(e);
  const inputs = srelInputsOf(job.city, job.config, job.sparse);
  const ranking = await rankBackends(inputs, options.backend, options.available, {
    signal: options.signal,
    onProbe: (backend) => emit({ type: 'probing', backend }),
    remembered: options.remembered,
    devices: options.devices,
    budgetSeconds: options.probeBudgetSeconds,
  });
  const { order, reason, timings, notes, measured } = ranking;
  if (options.signal?.aborted) throw new TrainingCancelled(0);
  for (let i = 0; i < order.length; i++) {
    const backend = order[i];
    const chosen: Extract<RunEvent, { type: 'backend' }> =
      i === 0
        ? { type: 'backend', backend, reason, timings, notes, measured }
        : { type: 'backend', backend, reason: `fallback after ${order[i - 1]} failed`, timings };
    try {
      return await trainOn(job, inputs, chosen, options);
    } catch (e) {
      if (e instanceof TrainingCancelled || i === order.length - 1) throw e;
      const message = e instanceof Error ? e.message : String(e);
      emit({
        type: 'notice',
        message: `Training failed on ${backend} (${message}); starting again on ${order[i + 1]}.`,
      });
    }
  }
  throw new Error('no backend to train on');
}

/** Train on the backend `chosen` names, which is announced once it is initialised. */
async function trainOn(
  job: TrainingJob,
  inputs: SrelInputs,
  chosen: Extract<RunEvent, { type: 'backend' }>,
  options: RunOptions,
): Promise<RunResult> {
  const emit = (e: RunEvent): void => options.onEvent?.(e);
  const { backend } = chosen;
  await useBackend([backend]);
  const threads = wasmThreads();
  emit({
    ...chosen,
    ...(threads !== null ? { threads } : {}),
    ...(options.isolated !== undefined ? { isolated: options.isolated } : {}),
  });
  const { resume } = job;
  const { model, description } = startingModel(job.config, inputs, job.initial, resume);
  emit({ type: 'started', description, ...(resume ? { history: resume.history } : {}) });
  // A resumed run keeps saying how its model first started.
  const startedFrom = resume?.startedFrom ?? description;
  try {
    const run = await trainWithSnapshots(model, inputs, {
      ...options,
      resume,
      onEpoch: (report) => emit({ type: 'epoch', report }),
      checkpointEvery: options.checkpoints === true ? CHECKPOINT_EVERY : options.checkpoints || undefined,
      attentionTop: ATTENTION_TOP,
      onCheckpoint: options.checkpoints
        ? (parts) =>
            emit({
              type: 'checkpoint',
              checkpoint: { format: CHECKPOINT_FORMAT, version: CHECKPOINT_VERSION, startedFrom, ...parts },
            })
        : undefined,
    });
    const tasks = job.tasks.length;
    emit({ type: 'evaluating', task: job.tasks[0]?.id ?? '', taskIndex: 0, tasks, done: 0, total: 1 });
    const d = model.config.embeddingSize;
    const features = embeddingFeatures(run.embedding, d, run.snapshots);
    const context = evaluationContext(job.city, job.split);
    const reports = [];
    for (const [taskIndex, task] of job.tasks.entries())
      reports.push(
        await evaluateTask(context, task, features, {
          prompt: job.taskPrompts === false ? null : job.promptFeatures?.[task.id],
          onProgress: (done, total) =>
            emit({ type: 'evaluating', task: task.id, taskIndex, tasks, done, total }),
        }),
      );
    // Asked for above, so always there (null: a model without fusion layers).
    const attention = run.attention ?? null;
    const saved = await saveSrel(model, { backend });
    return {
      backend,
      epochs: run.history.length,
      embedding: run.embedding,
      snapshots: run.snapshots,
      d,
      reports,
      attention,
      model: saved,
      history: run.history,
      kept: run.kept,
    };
  } finally {
    model.dispose();
  }
}
