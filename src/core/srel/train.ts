/**
 * Training SREL: full batch, Adam, a fixed number of epochs, per-epoch callbacks with the
 * loss and its parts, cancellation through an AbortSignal.
 */
import * as tf from '@tensorflow/tfjs';
import { resolveSrelConfig, type SrelConfig } from './config';
import type { SrelInputs } from './inputs';
import { mobilityLoss, similarityLoss, sumScalars, weightDecayPenalty } from './loss';
import {
  createSrelParams,
  disposeSrelTensors,
  srelForward,
  srelTensors,
  type SrelDims,
  type SrelOutputs,
  type SrelParams,
  type SrelTensors,
} from './model';
import { Rng } from '../random';
import type { SparseSrelInputs } from './inputTypes';
import {
  disposePairTensors,
  drawPairSamples,
  pairTensors,
  sampledMobilityLoss,
  sampledSimilarityLoss,
  type PairTensors,
} from './sparseLoss';
import { batchEpoch, inferInBatches, trainsInBatches } from './miniBatch';
import { captureAdam, restoreAdam, type ResumePoint } from './resume';

export interface EpochReport {
  epoch: number; // 1-based
  epochs: number;
  loss: number;
  mobility: number;
  poi: number;
  landUse: number;
  /** Seconds this epoch took, and since training started. */
  seconds: number;
  elapsedSeconds: number;
}

export class TrainingCancelled extends Error {
  constructor(readonly epoch: number) {
    super(`training cancelled after ${epoch} epochs`);
    this.name = 'TrainingCancelled';
  }
}

/**
 * Epochs at which to keep a snapshot of the embedding for a snapshot ensemble: `count`
 * evenly spaced over the run, the last at `epochs` (500 epochs: 50, 100, ..., 500). Ten
 * snapshots from a tenth of the run on were chosen on the sample city Riverton (3 seeds,
 * 500 epochs, mean 10-fold R² of its three tasks: final embedding 0.524, last five of
 * 100..500 0.561, ten from 50 0.566), never on the benchmark cities.
 */
export function snapshotEpochs(epochs: number, count = 10): number[] {
  const out = new Set<number>();
  for (let k = 1; k <= count; k++) out.add(Math.max(1, Math.round((k * epochs) / count)));
  return [...out];
}

export function srelDims(inputs: SrelInputs): SrelDims {
  return {
    poiDim: inputs.poiDim,
    landUseDim: inputs.landUseDim,
    mobilityDim: inputs.mobilityDim,
    hopBucketCount: inputs.hopBucketCount,
  };
}

/**
 * This epoch's draws for the sampled losses of a sparse city (seeded by the epoch, so a run
 * repeats), as tensors.
 */
function drawPairs(inputs: SparseSrelInputs, seed: number): PairTensors[] {
  return drawPairSamples(inputs, new Rng(seed)).map((sample) => pairTensors(sample));
}

/**
 * The three reconstruction losses (method.md step 6): on every pair (dense) or on this epoch's
 * draws (sparse: `pairs` from drawPairs). The mobility loss is divided by N^2 in 'mean' mode.
 */
function reconstructionLosses(
  out: SrelOutputs,
  tensors: SrelTensors,
  pairs: PairTensors[] | null,
  config: SrelConfig,
): { mob: tf.Scalar; poi: tf.Scalar; land: tf.Scalar } {
  const n = tensors.n;
  let mobSum: tf.Scalar;
  let poi: tf.Scalar;
  let land: tf.Scalar;
  if (tensors.layout === 'dense') {
    mobSum = mobilityLoss(out.s, out.t, tensors.mobilityTarget);
    poi = similarityLoss(out.p, tensors.poiSimilarity);
    land = similarityLoss(out.l, tensors.landUseSimilarity);
  } else {
    const [outgoing, incoming, poiPairs, landPairs] = pairs as PairTensors[];
    mobSum = sampledMobilityLoss(out.s, out.t, outgoing, incoming);
    poi = sampledSimilarityLoss(out.p, poiPairs);
    land = sampledSimilarityLoss(out.l, landPairs);
  }
  const mob = config.mobilityLoss === 'mean' ? (tf.div(mobSum, n * n) as tf.Scalar) : mobSum;
  return { mob, poi, land };
}

/**
 * One Adam step, the gradients given in the store's order: Adam keeps its moments by position,
 * so a run resumed from a checkpoint (resume.ts) finds each moment beside its weight.
 */
function applyInStoreOrder(
  optimizer: tf.Optimizer,
  variables: tf.Variable[],
  grads: tf.NamedTensorMap,
): void {
  // A weight without a gradient (none reaches it) keeps its place; Adam leaves it as it is.
  optimizer.applyGradients(variables.map((v) => ({ name: v.name, tensor: grads[v.name] })));
}

/** A trained (or training) SREL model: config, input widths and parameters. */
export class SrelModel {
  readonly config: SrelConfig;
  readonly dims: SrelDims;
  readonly params: SrelParams;
  /** Epochs trained so far (continues across `train` calls: fine-tuning). */
  epochsTrained = 0;

  constructor(config: Partial<SrelConfig>, dims: SrelDims) {
    this.config = resolveSrelConfig(config);
    this.dims = dims;
    this.params = createSrelParams(this.config, dims);
  }

  /** Check that a city's inputs fit this model's input widths. */
  checkInputs(inputs: SrelInputs): void {
    if (inputs.countFeatures !== this.config.countFeatures)
      throw new Error(
        `this model reads ${this.config.countFeatures} counts; build the inputs with countFeatures '${this.config.countFeatures}'`,
      );
    const got = srelDims(inputs);
    for (const key of Object.keys(got) as (keyof SrelDims)[]) {
      if (got[key] !== this.dims[key]) {
        throw new Error(`this model was built for ${key} = ${this.dims[key]}, the city has ${got[key]}`);
      }
    }
  }

  /**
   * Train for `epochs` (default: config.epochs) more epochs. Resolves with the history (the
   * epochs trained by this call); rejects with TrainingCancelled when the signal aborts (the
   * weights keep what was learned). `from`: go on with a run that stopped there (the weights
   * must be those it had then, e.g. loadSrel of its checkpoint): epochs from.epoch + 1 to
   * `epochs`. `onEpoch` may call `resumePoint` (before it returns) to keep where the run stands.
   */
  async train(
    inputs: SrelInputs,
    options: {
      epochs?: number;
      onEpoch?: (r: EpochReport, resumePoint: () => Promise<ResumePoint>) => void | Promise<void>;
      signal?: AbortSignal;
      from?: ResumePoint;
    } = {},
  ): Promise<EpochReport[]> {
    this.checkInputs(inputs);
    const epochs = options.epochs ?? this.config.epochs;
    const batched = inputs.layout === 'sparse' && trainsInBatches(inputs);
    const { from } = options;
    if (from && from.bank && from.bank.length !== inputs.n * this.config.embeddingSize)
      throw new Error(
        `the checkpoint's mini-batch bank has ${from.bank.length} values, this city needs ${inputs.n * this.config.embeddingSize}`,
      );
    const tensors = batched ? null : srelTensors(inputs, this.config.heads);
    const optimizer = tf.train.adam(this.config.learningRate);
    const names = [...this.params.store.variables.keys()];
    const variables = this.params.store.list();
    const history: EpochReport[] = [];
    const started = performance.now();
    const before = from?.elapsedSeconds ?? 0;
    // Mini-batches read their partners' embeddings from the last pass (miniBatch.ts); the
    // first pass is part of the first epoch.
    let bank: Float32Array | null = batched && from?.bank ? from.bank.slice() : null;
    try {
      if (from) await restoreAdam(optimizer, variables, names, from.optimizer);
      for (let e = (from?.epoch ?? 0) + 1; e <= epochs; e++) {
        if (options.signal?.aborted) throw new TrainingCancelled(e - 1);
        const t0 = performance.now();
        if (batched && !bank)
          bank = (await inferInBatches(this.params, this.config, inputs as SparseSrelInputs)).embedding;
        const epochSeed = this.config.seed * 100_003 + this.epochsTrained + 1;
        const step =
          tensors === null
            ? await this.batchStep(
                inputs as SparseSrelInputs,
                variables,
                optimizer,
                bank as Float32Array,
                epochSeed,
                options.signal,
              )
            : await this.wholeStep(inputs, tensors, variables, optimizer, epochSeed);
        if (!step) throw new TrainingCancelled(e - 1);
        const { loss, mobility, poi, landUse } = step;
        this.epochsTrained++;
        const now = performance.now();
        const report: EpochReport = {
          epoch: e,
          epochs,
          loss,
          mobility,
          poi,
          landUse,
          seconds: (now - t0) / 1000,
          elapsedSeconds: before + (now - started) / 1000,
        };
        history.push(report);
        if (!Number.isFinite(loss)) throw new Error(`SREL loss is ${loss} at epoch ${e}: training diverged`);
        await options.onEpoch?.(report, async () => ({
          epoch: e,
          elapsedSeconds: report.elapsedSeconds,
          optimizer: await captureAdam(optimizer, variables, names),
          bank: bank ? bank.slice() : null,
        }));
      }
      return history;
    } finally {
      optimizer.dispose();
      if (tensors) disposeSrelTensors(tensors);
    }
  }

  /** One epoch over the whole city: losses, gradients, one Adam step. */
  private async wholeStep(
    inputs: SrelInputs,
    tensors: SrelTensors,
    variables: tf.Variable[],
    optimizer: tf.AdamOptimizer,
    epochSeed: number,
  ): Promise<{ loss: number; mobility: number; poi: number; landUse: number }> {
    let parts: tf.Scalar[] = [];
    const pairs = inputs.layout === 'sparse' ? drawPairs(inputs, epochSeed) : null;
    const { value, grads } = tf.variableGrads(() => {
      const out = srelForward(this.params, tensors, this.config, {
        training: true,
        dropoutSeed: epochSeed,
      });
      const { mob, poi, land } = reconstructionLosses(out, tensors, pairs, this.config);
      parts = [tf.keep(mob), tf.keep(poi), tf.keep(land)];
      return sumScalars([mob, poi, land, weightDecayPenalty(variables, this.config.weightDecay)]);
    }, variables);
    pairs?.forEach(disposePairTensors);
    applyInStoreOrder(optimizer, variables, grads);
    const [loss, mobility, poi, landUse] = await Promise.all(
      [value, ...parts].map(async (s) => (await s.data())[0]),
    );
    tf.dispose([value, ...parts, ...Object.values(grads)]);
    return { loss, mobility, poi, landUse };
  }

  /** One epoch in mini-batches (miniBatch.ts): summed gradients, one Adam step. */
  private async batchStep(
    inputs: SparseSrelInputs,
    variables: tf.Variable[],
    optimizer: tf.AdamOptimizer,
    bank: Float32Array,
    epochSeed: number,
    signal: AbortSignal | undefined,
  ): Promise<{ loss: number; mobility: number; poi: number; landUse: number } | null> {
    const result = await batchEpoch(this.params, this.config, inputs, variables, bank, epochSeed, signal);
    if (!result) return null;
    const { grads, ...losses } = result;
    applyInStoreOrder(optimizer, variables, grads);
    tf.dispose(Object.values(grads));
    return losses;
  }

  /** Region embeddings E (N x embeddingSize, row-major), computed with dropout off. */
  async embed(inputs: SrelInputs): Promise<Float32Array> {
    this.checkInputs(inputs);
    if (inputs.layout === 'sparse' && trainsInBatches(inputs))
      return (await inferInBatches(this.params, this.config, inputs)).embedding;
    const tensors = srelTensors(inputs, this.config.heads);
    try {
      const e = tf.tidy(
        () => srelForward(this.params, tensors, this.config, { training: false, dropoutSeed: 0 }).embedding,
      );
      const data = (await e.data()) as Float32Array;
      e.dispose();
      return data;
    } finally {
      disposeSrelTensors(tensors);
    }
  }

  /**
   * Where each region looks in the region-fusion (Graphormer) layers: the attention weights
   * averaged over heads and layers, dropout off, and per region the `k` other regions that
   * stand out most (largest lift: rankByLift). Rows of the result are regions; weights are shares of the region's
   * attention (its own share is reported apart). Null for a model without fusion layers.
   */
  async regionAttention(inputs: SrelInputs, k = 8): Promise<RegionAttention | null> {
    if (this.config.regionFusionLayers === 0) return null;
    return (await this.embedWithAttention(inputs, k)).attention;
  }

  /**
   * `embed` and `regionAttention` from one forward pass (the embedding's bits are embed's: the
   * kept weights are computed beside the blocks, not in them). A run's last snapshot takes
   * both at once: one pass less after training (1.9 s at 5,000 regions in the browser).
   */
  async embedWithAttention(
    inputs: SrelInputs,
    k = 8,
  ): Promise<{ embedding: Float32Array; attention: RegionAttention | null }> {
    this.checkInputs(inputs);
    if (this.config.regionFusionLayers === 0) return { embedding: await this.embed(inputs), attention: null };
    // Mean weights [N, N] (dense) or [N, k] (each region's neighbours) -> each region's top k.
    const top = (weights: Float32Array): RegionAttention =>
      inputs.layout === 'sparse'
        ? topNeighbourAttention(weights, inputs.neighbours, Math.min(k, inputs.neighbours.k - 1))
        : topAttention(weights, inputs.n, Math.min(k, inputs.n - 1));
    if (inputs.layout === 'sparse' && trainsInBatches(inputs)) {
      const { embedding, attention } = await inferInBatches(this.params, this.config, inputs, true);
      return { embedding, attention: top(attention as Float32Array) };
    }
    const tensors = srelTensors(inputs, this.config.heads);
    try {
      const [e, mean] = tf.tidy(() => {
        const out = srelForward(this.params, tensors, this.config, {
          training: false,
          dropoutSeed: 0,
          keepAttention: true,
        });
        // L x [H, N, N] -> [N, N]  (sparse: L x [H, N, k] -> [N, k])
        return [
          out.embedding,
          tf.div(
            out.regionAttention.map((a) => tf.sum(a, 0)).reduce((acc, a) => tf.add(acc, a)),
            out.regionAttention.length * this.config.heads,
          ) as tf.Tensor2D,
        ];
      });
      const embedding = (await e.data()) as Float32Array;
      const weights = (await mean.data()) as Float32Array;
      tf.dispose([e, mean]);
      return { embedding, attention: top(weights) };
    } finally {
      disposeSrelTensors(tensors);
    }
  }

  dispose(): void {
    this.params.store.dispose();
  }
}

export interface RegionAttention {
  k: number;
  /**
   * N x k region rows, the one that stands out most first: largest lift (weight over what the
   * average region gives that region, `received`); runs saved before lifts: largest weight first.
   */
  indices: Int32Array;
  /** N x k weights (shares of the row's attention). */
  weights: Float32Array;
  /** N: the weight of each region on itself. */
  self: Float32Array;
  /**
   * N: the mean share each region receives from the regions that can attend to it (every other
   * region; with neighbourhood attention, those that have it among their neighbours). Absent
   * in runs saved before it.
   */
  received?: Float32Array;
}

/**
 * Our choice: rank a region's links by lift, weight_ij / received_j, not by weight. On Riverton
 * (150 regions) the largest weights were 1.0 to 1.7% against 0.67% for an even share, and the
 * same two downtown hubs led most regions' lists: every region attends to them. Lift says where
 * this region looks more than the average region does; the weights are still what is reported.
 */
function rankByLift(
  candidates: number[],
  weightOf: (c: number) => number,
  regionOf: (c: number) => number,
  received: Float32Array,
): number[] {
  const lift = (c: number): number => weightOf(c) / Math.max(received[regionOf(c)], 1e-30);
  return candidates.sort((x, y) => lift(y) - lift(x) || regionOf(x) - regionOf(y));
}

/**
 * The k off-diagonal entries of each row of an N x N matrix that stand out most (rankByLift),
 * with received_j = sum_{i != j} a_ij / (N - 1).
 */
export function topAttention(a: Float32Array, n: number, k: number): RegionAttention {
  const indices = new Int32Array(n * k);
  const weights = new Float32Array(n * k);
  const self = new Float32Array(n);
  const received = new Float32Array(n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (j !== i) received[j] += a[i * n + j] / (n - 1);
  const order = Array.from({ length: n }, (_, j) => j);
  for (let i = 0; i < n; i++) {
    self[i] = a[i * n + i];
    const others = rankByLift(
      order.filter((j) => j !== i),
      (j) => a[i * n + j],
      (j) => j,
      received,
    );
    for (let r = 0; r < k; r++) {
      indices[i * k + r] = others[r];
      weights[i * k + r] = a[i * n + others[r]];
    }
  }
  return { k, indices, weights, self, received };
}

/**
 * The k entries of each row over its neighbours (N x kNb weights, neighbour rows in `nb`) that
 * stand out most (rankByLift), itself apart; received_j is the mean weight j gets from the
 * regions that have it among their neighbours.
 */
export function topNeighbourAttention(
  a: Float32Array,
  nb: { n: number; k: number; index: Int32Array },
  k: number,
): RegionAttention {
  const indices = new Int32Array(nb.n * k);
  const weights = new Float32Array(nb.n * k);
  const self = new Float32Array(nb.n);
  const received = new Float32Array(nb.n);
  const count = new Float32Array(nb.n);
  for (let i = 0; i < nb.n; i++)
    for (let s = 0; s < nb.k; s++) {
      const j = nb.index[i * nb.k + s];
      if (j === i) continue;
      received[j] += a[i * nb.k + s];
      count[j]++;
    }
  for (let j = 0; j < nb.n; j++) if (count[j] > 0) received[j] /= count[j];
  for (let i = 0; i < nb.n; i++) {
    const slots: number[] = [];
    for (let s = 0; s < nb.k; s++) {
      if (nb.index[i * nb.k + s] === i) self[i] += a[i * nb.k + s];
      else slots.push(s);
    }
    rankByLift(
      slots,
      (s) => a[i * nb.k + s],
      (s) => nb.index[i * nb.k + s],
      received,
    );
    for (let r = 0; r < k; r++) {
      indices[i * k + r] = nb.index[i * nb.k + slots[r]];
      weights[i * k + r] = a[i * nb.k + slots[r]];
    }
  }
  return { k, indices, weights, self, received };
}
