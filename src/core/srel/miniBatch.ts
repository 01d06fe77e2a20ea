/**
 * SREL on a city too large for one pass: each epoch the regions are cut into compact batches
 * (batches.ts); each batch runs the model on its seeds and their rings of neighbours, and its
 * losses on its seeds' rows of the epoch's draws.
 *
 * **Our choice**: one optimiser step per epoch, as the whole-city path: the batches' gradients
 * are summed, and the losses are scaled so that their sum is the whole-city loss (the
 * mobility sum over N^2, the similarity means by each batch's share of the rows). The
 * epochs, learning rate and other settings chosen for the whole-city path then keep their
 * meaning. The partners of a seed outside its batch (most mobility candidates of a border
 * region, most drawn similarity partners) are read from a bank of every region's embedding
 * from the last pass that computed it (one optimiser step old at most), decoded with the
 * current decoders, and carry no gradient to that region.
 * The view-fusion scores of a batch are the mean over the batch's rows in training; for
 * embeddings the scores are the mean over the whole city (a first pass), so every batch fuses
 * the views with the same weights, as the whole city would.
 */
import * as tf from '@tensorflow/tfjs';
import type { SrelConfig } from './config';
import type { SparseSrelInputs } from './inputTypes';
import { linear } from './layers';
import { sumScalars, weightDecayPenalty } from './loss';
import {
  batchSrelTensors,
  disposeSrelTensors,
  encodeViews,
  srelForward,
  viewScores,
  type SrelParams,
} from './model';
import { batchLayout, compactBatches, gatherRows, type BatchLayout } from './batches';
import {
  disposePairTensors,
  drawPairSamples,
  drawPool,
  pairTensors,
  renamePartners,
  sampledMobilityTerm,
  sampledSimilarityLoss,
} from './sparseLoss';
import { firstRows } from './sparseAttention';
import { Rng } from '../random';

/** Whether a city trains in mini-batches. */
export function trainsInBatches(inputs: SparseSrelInputs): boolean {
  return inputs.n > inputs.sampling.batchAbove;
}

/** Attention hops of a model: one per intra-view block and per region-fusion block. */
export function modelHops(config: SrelConfig): number {
  return config.intraViewLayers + config.regionFusionLayers;
}

/** This epoch's batches (seeded: a run repeats), each with its layout. */
export function epochBatches(inputs: SparseSrelInputs, config: SrelConfig, seed: number): BatchLayout[] {
  const { sampling, neighbours } = inputs;
  const spread = Math.max(1, neighbours.k - sampling.sharedRegions);
  return compactBatches(inputs.positions, neighbours, sampling.batchRegions, spread, new Rng(seed)).map(
    (seeds) => batchLayout(seeds, neighbours, Math.max(1, modelHops(config))),
  );
}

export interface BatchEpochResult {
  /** Sum over the batches: the whole-city loss and its parts (as the whole-city path reports them). */
  loss: number;
  mobility: number;
  poi: number;
  landUse: number;
  /** Summed gradients, by variable name (dispose when applied). */
  grads: tf.NamedTensorMap;
}

/**
 * **Our choice**: a batch's random partners (mobility negatives, similarity partners) come
 * from a pool of 4,096 regions drawn for the batch. Drawn from the whole city, 1,024 seeds
 * drew some 130,000 partners, most of a 100,000-region city, all read from the bank and
 * decoded each batch.
 */
export const BATCH_POOL = 4096;

/**
 * One epoch's losses and gradients over mini-batches: each batch draws its seeds' pairs (as
 * drawPairSamples, partners from a pool); `bank` (N x e) holds each region's last embedding
 * and is updated with every batch's seeds. Null when `signal` aborts between two batches
 * (an epoch of a very large city takes minutes; Cancel should not wait for it).
 */
export async function batchEpoch(
  params: SrelParams,
  config: SrelConfig,
  inputs: SparseSrelInputs,
  variables: tf.Variable[],
  bank: Float32Array,
  epochSeed: number,
  signal?: AbortSignal,
): Promise<BatchEpochResult | null> {
  const n = inputs.n;
  const e = config.embeddingSize;
  const grads: tf.NamedTensorMap = {};
  const totals = { mobility: 0, poi: 0, landUse: 0, decay: 0 };
  const layouts = epochBatches(inputs, config, epochSeed);
  for (const [b, layout] of layouts.entries()) {
    if (signal?.aborted) {
      // Cancelled mid-epoch: nothing of this epoch is applied.
      tf.dispose(Object.values(grads));
      return null;
    }
    const seedCount = layout.levels[layout.levels.length - 1];
    const seeds = layout.order.subarray(0, seedCount);
    const tensors = batchSrelTensors(inputs, layout, config.heads);
    // This batch's draws: for its seeds, partners from one pool (BATCH_POOL).
    const rng = new Rng(epochSeed * 7919 + b);
    const pool = drawPool(n, BATCH_POOL, rng);
    const restricted = renamePartners(drawPairSamples(inputs, rng, { rows: seeds, pool }), seeds, n);
    const [outgoing, incoming, poiPairs, landPairs] = restricted.samples.map((s) => pairTensors(s));
    const banked =
      restricted.others.length > 0
        ? tf.tensor2d(gatherRows(bank, e, restricted.others), [restricted.others.length, e])
        : null;
    let parts: tf.Scalar[] = [];
    const kept: { embedding?: tf.Tensor2D } = {};
    const { grads: batchGrads, value } = tf.variableGrads(() => {
      const out = srelForward(params, tensors, config, { training: true, dropoutSeed: epochSeed * 7 + b });
      kept.embedding = tf.keep(out.embedding);
      const { s, t, p, l } = params.decoders;
      // The partner table: the seeds' live rows, then the others' banked ones.
      const table = (live: tf.Tensor2D, decoder: typeof s): tf.Tensor2D =>
        banked ? (tf.concat([live, linear(banked, decoder)], 0) as tf.Tensor2D) : live;
      const mobSum = tf.add(
        sampledMobilityTerm(out.s, table(out.t, t), outgoing),
        sampledMobilityTerm(out.t, table(out.s, s), incoming),
      ) as tf.Scalar;
      const mob = config.mobilityLoss === 'mean' ? (tf.div(mobSum, n * n) as tf.Scalar) : mobSum;
      const share = seedCount / n;
      const poi = tf.mul(sampledSimilarityLoss(out.p, poiPairs, table(out.p, p)), share) as tf.Scalar;
      const land = tf.mul(sampledSimilarityLoss(out.l, landPairs, table(out.l, l)), share) as tf.Scalar;
      const decay = b === 0 ? weightDecayPenalty(variables, config.weightDecay) : tf.scalar(0);
      parts = [tf.keep(mob), tf.keep(poi), tf.keep(land), tf.keep(decay)];
      return sumScalars([mob, poi, land, decay]);
    }, variables);
    for (const [name, g] of Object.entries(batchGrads)) {
      const previous = grads[name];
      grads[name] = previous ? tf.add(previous, g) : g;
      if (previous) tf.dispose([previous, g]);
    }
    const [mob, poi, land, decay] = await Promise.all(parts.map(async (x) => (await x.data())[0]));
    totals.mobility += mob;
    totals.poi += poi;
    totals.landUse += land;
    totals.decay += decay;
    const embedding = kept.embedding as tf.Tensor2D;
    const rows = (await embedding.data()) as Float32Array;
    for (let r = 0; r < seedCount; r++) bank.set(rows.subarray(r * e, (r + 1) * e), seeds[r] * e);
    tf.dispose([value, ...parts, embedding]);
    if (banked) banked.dispose();
    [outgoing, incoming, poiPairs, landPairs].forEach(disposePairTensors);
    disposeSrelTensors(tensors);
  }
  return {
    loss: totals.mobility + totals.poi + totals.landUse + totals.decay,
    mobility: totals.mobility,
    poi: totals.poi,
    landUse: totals.landUse,
    grads,
  };
}

/** The batches of an inference pass (fixed: embeddings do not depend on a seed). */
function inferenceBatches(inputs: SparseSrelInputs, config: SrelConfig): BatchLayout[] {
  return epochBatches(inputs, config, 0);
}

/**
 * The view-fusion scores over the whole city, batch by batch: the sum over each batch's
 * seeds of tanh(H_v K + b) q, over N.   -> [3]
 */
async function cityViewScores(
  params: SrelParams,
  config: SrelConfig,
  inputs: SparseSrelInputs,
  layouts: BatchLayout[],
): Promise<Float32Array> {
  const sums = new Float32Array(3);
  for (const layout of layouts) {
    const seedCount = layout.levels[layout.levels.length - 1];
    const tensors = batchSrelTensors(inputs, layout, config.heads);
    // mean over the seeds' rows x their count = their sum
    const scores = tf.tidy(() =>
      tf.mul(
        viewScores(
          encodeViews(params, tensors, config, { training: false, dropoutSeed: 0 }).map((h) =>
            firstRows(h, seedCount),
          ),
          params.viewFusion,
        ),
        seedCount,
      ),
    );
    const values = await scores.data();
    scores.dispose();
    disposeSrelTensors(tensors);
    for (let v = 0; v < 3; v++) sums[v] += values[v];
  }
  return sums.map((x) => x / inputs.n);
}

/**
 * Embeddings (N x e, dropout off) and, when asked, the region-fusion attention averaged over
 * layers and heads (N x k, at each region's neighbours), batch by batch.
 */
export async function inferInBatches(
  params: SrelParams,
  config: SrelConfig,
  inputs: SparseSrelInputs,
  keepAttention = false,
): Promise<{ embedding: Float32Array; attention: Float32Array | null }> {
  const { n, k } = inputs.neighbours;
  const e = config.embeddingSize;
  const layouts = inferenceBatches(inputs, config);
  const scores = await cityViewScores(params, config, inputs, layouts);
  const embedding = new Float32Array(n * e);
  const attention = keepAttention ? new Float32Array(n * k) : null;
  for (const layout of layouts) {
    const seedCount = layout.levels[layout.levels.length - 1];
    const tensors = batchSrelTensors(inputs, layout, config.heads);
    const [emb, att] = tf.tidy((): tf.Tensor[] => {
      const out = srelForward(params, tensors, config, {
        training: false,
        dropoutSeed: 0,
        keepAttention,
        viewScores: tf.tensor1d(scores),
      });
      // L x [H, q_l, k] -> the seeds' rows, averaged over layers and heads: [seeds, k]
      const mean =
        keepAttention && out.regionAttention.length > 0
          ? tf.div(
              out.regionAttention
                .map((a) => tf.sum(tf.slice(a, [0, 0, 0], [-1, seedCount, -1]), 0))
                .reduce((acc, a) => tf.add(acc, a)),
              out.regionAttention.length * config.heads,
            )
          : null;
      return mean ? [out.embedding, mean] : [out.embedding];
    });
    const rows = (await emb.data()) as Float32Array;
    for (let r = 0; r < seedCount; r++) embedding.set(rows.subarray(r * e, (r + 1) * e), layout.order[r] * e);
    if (att && attention) {
      const weights = (await att.data()) as Float32Array;
      for (let r = 0; r < seedCount; r++)
        attention.set(weights.subarray(r * k, (r + 1) * k), layout.order[r] * k);
    }
    tf.dispose([emb, att]);
    disposeSrelTensors(tensors);
  }
  return { embedding, attention };
}
