/**
 * SREL, the spatial-aware region encoder of method.md:
 *   1. view projection  2. intra-view encoders  3. view fusion
 *   4. Graphormer region fusion with the distance prior and centrality  5. output MLP
 *   6. four linear decoders for the reconstruction losses.
 * Parameters never depend on N, so a model transfers between cities (with the same POI
 * categories and land-use classes).
 */
import * as tf from '@tensorflow/tfjs';
import type { SrelConfig } from './config';
import type { DenseSrelInputs, SparseSrelInputs, SrelInputs } from './inputs';
import {
  attentionWeights,
  denseAttention,
  layerNorm,
  linear,
  type AttentionBias,
  type AttentionFn,
  makeDropout,
  outputMlp,
  transformerBlock,
  type BlockParams,
  type DropoutFn,
  type MlpParams,
} from './layers';
import { ParamStore, type LinearParams } from './params';
import { gatherRows, type BatchLayout } from './batches';
import {
  firstRows,
  neighbourhoodTensors,
  sparseAttentionWeights,
  sparseMultiHeadAttention,
  type NeighbourhoodTensors,
  type SparseAttention,
} from './sparseAttention';
import { checkpointed } from './checkpoint';

/** Input widths a model is built for. */
export interface SrelDims {
  poiDim: number;
  landUseDim: number;
  mobilityDim: number;
  hopBucketCount: number;
}

const VIEWS = ['poi', 'landUse', 'mobility'] as const;
type View = (typeof VIEWS)[number];

interface RegionFusionLayer {
  centrality: LinearParams; // 1 -> d
  priorScale: tf.Variable; // w, [H]
  hopBias: tf.Variable; // [H, B]
  block: BlockParams;
}

export interface SrelParams {
  store: ParamStore;
  projection: Record<View, LinearParams>;
  intraView: Record<View, { blocks: BlockParams[]; mlp: MlpParams }>;
  /** gamma, [H]: weight of the trip flow in the mobility view's attention logits. */
  tripFlowScale: tf.Variable;
  viewFusion: { key: LinearParams; query: tf.Variable };
  /** alpha: weight of the spatial prior in the logits (shared by all layers). */
  priorWeight: tf.Variable;
  regionFusion: RegionFusionLayer[];
  output: MlpParams;
  decoders: { s: LinearParams; t: LinearParams; p: LinearParams; l: LinearParams };
}

function blockParams(store: ParamStore, name: string, d: number, ff: number): BlockParams {
  return {
    norm1: store.layerNorm(`${name}.norm1`, d),
    attention: {
      q: store.linear(`${name}.attention.q`, d, d),
      k: store.linear(`${name}.attention.k`, d, d),
      v: store.linear(`${name}.attention.v`, d, d),
      o: store.linear(`${name}.attention.o`, d, d),
    },
    norm2: store.layerNorm(`${name}.norm2`, d),
    feedForward: {
      inner: store.linear(`${name}.ff.inner`, d, ff),
      outer: store.linear(`${name}.ff.outer`, ff, d),
    },
  };
}

function mlpParams(store: ParamStore, name: string, inDim: number, outDim: number): MlpParams {
  return {
    layers: [
      store.linear(`${name}.0`, inDim, 2 * inDim),
      store.linear(`${name}.1`, 2 * inDim, 2 * inDim),
      store.linear(`${name}.2`, 2 * inDim, outDim),
    ],
  };
}

export function createSrelParams(config: SrelConfig, dims: SrelDims): SrelParams {
  const store = new ParamStore(config.seed);
  const d = config.hiddenSize;
  const e = config.embeddingSize;
  const h = config.heads;
  const inputDim: Record<View, number> = {
    poi: dims.poiDim,
    landUse: dims.landUseDim,
    mobility: dims.mobilityDim,
  };
  const projection = {} as Record<View, LinearParams>;
  const intraView = {} as SrelParams['intraView'];
  for (const view of VIEWS) {
    projection[view] = store.linear(`${view}.projection`, inputDim[view], d);
    intraView[view] = {
      blocks: Array.from({ length: config.intraViewLayers }, (_, i) =>
        blockParams(store, `${view}.block${i}`, d, config.feedForwardSize),
      ),
      mlp: mlpParams(store, `${view}.mlp`, d, d),
    };
  }
  const regionFusion = Array.from({ length: config.regionFusionLayers }, (_, i) => ({
    centrality: store.linear(`fusion${i}.centrality`, 1, d),
    priorScale: store.constant(`fusion${i}.priorScale`, [h], 1),
    hopBias: store.constant(`fusion${i}.hopBias`, [h, dims.hopBucketCount], 0),
    block: blockParams(store, `fusion${i}.block`, d, config.feedForwardSize),
  }));
  return {
    store,
    projection,
    intraView,
    tripFlowScale: store.constant('mobility.tripFlowScale', [h], 1),
    viewFusion: { key: store.linear('viewFusion.key', d, d), query: store.small('viewFusion.query', [d, 1]) },
    priorWeight: store.constant('priorWeight', [], config.priorWeightInit),
    regionFusion,
    output: mlpParams(store, 'output', d, e),
    decoders: {
      s: store.linear('decoder.s', e, e),
      t: store.linear('decoder.t', e, e),
      p: store.linear('decoder.p', e, e),
      l: store.linear('decoder.l', e, e),
    },
  };
}

/** SrelInputs as tensors (created once per training run; dispose when done). */
interface SrelTensorsBase {
  n: number;
  views: Record<View, tf.Tensor2D>;
  centrality: tf.Tensor2D | null; // c [N, 1]
}

export interface DenseSrelTensors extends SrelTensorsBase {
  layout: 'dense';
  tripFlow: tf.Tensor2D; // F [N, N]
  mobilityTarget: tf.Tensor2D; // Mhat [N, N]
  poiSimilarity: tf.Tensor2D; // [N, N]
  landUseSimilarity: tf.Tensor2D; // [N, N]
  distancePrior: tf.Tensor2D | null; // A [N, N]
  hopIndicators: tf.Tensor2D[] | null; // B x [N, N]: 1 where the pair's hop bucket is b
}

export interface SparseSrelTensors extends SrelTensorsBase {
  layout: 'sparse';
  /**
   * Rows of each stage of a mini-batch, input to output (batches.ts: rings, then seeds); null
   * for the whole city (N rows everywhere). `n` is levels[0].
   */
  levels: number[] | null;
  neighbourhood: NeighbourhoodTensors; // [N H k, 1] rows (a mini-batch: its first stage's)
  prior: tf.Tensor2D | null; // A at the neighbours [N, k]
  tripFlow: tf.Tensor2D; // F at the neighbours [N, k]
  /**
   * A mini-batch's attention at each stage s (queries levels[s + 1] over keys levels[s]),
   * made once per batch: tensors the backward pass reads must outlive the forward pass.
   */
  stages: SparseStageTensors[] | null;
  /** Whether blocks are checkpointed (CHECKPOINT_ABOVE; always in a mini-batch). */
  checkpoint: boolean;
}

export interface SparseStageTensors {
  neighbourhood: NeighbourhoodTensors;
  prior: tf.Tensor2D | null; // [levels[s + 1], k]
  tripFlow: tf.Tensor2D; // [levels[s + 1], k]
}

export type SrelTensors = DenseSrelTensors | SparseSrelTensors;

function hopIndicators(buckets: Int32Array, count: number, n: number): tf.Tensor2D[] {
  return Array.from({ length: count }, (_, b) =>
    tf.tensor2d(
      Float32Array.from(buckets, (x) => (x === b ? 1 : 0)),
      [n, n],
    ),
  );
}

function viewTensors(inputs: SrelInputs): SrelTensorsBase {
  const n = inputs.n;
  return {
    n,
    views: {
      poi: tf.tensor2d(inputs.poi, [n, inputs.poiDim]),
      landUse: tf.tensor2d(inputs.landUse, [n, inputs.landUseDim]),
      mobility: tf.tensor2d(inputs.mobility, [n, inputs.mobilityDim]),
    },
    centrality: inputs.centrality ? tf.tensor2d(inputs.centrality, [n, 1]) : null,
  };
}

export function denseSrelTensors(inputs: DenseSrelInputs): DenseSrelTensors {
  const n = inputs.n;
  return {
    ...viewTensors(inputs),
    layout: 'dense',
    tripFlow: tf.tensor2d(inputs.tripFlow, [n, n]),
    mobilityTarget: tf.tensor2d(inputs.mobilityTarget, [n, n]),
    poiSimilarity: tf.tensor2d(inputs.poiSimilarity, [n, n]),
    landUseSimilarity: tf.tensor2d(inputs.landUseSimilarity, [n, n]),
    distancePrior: inputs.distancePrior ? tf.tensor2d(inputs.distancePrior, [n, n]) : null,
    hopIndicators: inputs.hopBuckets ? hopIndicators(inputs.hopBuckets, inputs.hopBucketCount, n) : null,
  };
}

function sparseTensors(inputs: SparseSrelInputs, heads: number): SparseSrelTensors {
  const { n, k } = inputs.neighbours;
  return {
    ...viewTensors(inputs),
    layout: 'sparse',
    levels: null,
    stages: null,
    checkpoint: n > CHECKPOINT_ABOVE,
    neighbourhood: neighbourhoodTensors(inputs.neighbours, heads),
    prior: inputs.prior ? tf.tensor2d(inputs.prior, [n, k]) : null,
    tripFlow: tf.tensor2d(inputs.tripFlow, [n, k]),
  };
}

/** A mini-batch's inputs as tensors (batches.ts), laid out for `heads` heads. */
export function batchSrelTensors(
  inputs: SparseSrelInputs,
  layout: BatchLayout,
  heads: number,
): SparseSrelTensors {
  const { order, levels, neighbours } = layout;
  const rows = order.length;
  const { k } = inputs.neighbours;
  const view = (data: Float32Array, width: number): tf.Tensor2D =>
    tf.tensor2d(gatherRows(data, width, order), [rows, width]);
  const stages = levels.slice(1).map((queries, s): SparseStageTensors => {
    const index = neighbours.index.subarray(0, queries * k);
    return {
      neighbourhood: neighbourhoodTensors({ n: queries, k, index }, heads, undefined, levels[s]),
      prior: inputs.prior ? tf.tensor2d(gatherRows(inputs.prior, k, order, queries), [queries, k]) : null,
      tripFlow: tf.tensor2d(gatherRows(inputs.tripFlow, k, order, queries), [queries, k]),
    };
  });
  return {
    n: rows,
    layout: 'sparse',
    levels,
    views: {
      poi: view(inputs.poi, inputs.poiDim),
      landUse: view(inputs.landUse, inputs.landUseDim),
      mobility: view(inputs.mobility, inputs.mobilityDim),
    },
    centrality: inputs.centrality ? view(inputs.centrality, 1) : null,
    ...stages[0],
    stages,
    checkpoint: true,
  };
}

/** The inputs as tensors; the sparse layout's neighbour rows are laid out for `heads` heads. */
export function srelTensors(inputs: SrelInputs, heads: number): SrelTensors {
  return inputs.layout === 'dense' ? denseSrelTensors(inputs) : sparseTensors(inputs, heads);
}

export function disposeSrelTensors(t: SrelTensors): void {
  const common: (tf.Tensor | null)[] = [...Object.values(t.views), t.centrality];
  const rest: (tf.Tensor | null)[] =
    t.layout === 'dense'
      ? [
          t.tripFlow,
          t.mobilityTarget,
          t.poiSimilarity,
          t.landUseSimilarity,
          t.distancePrior,
          ...(t.hopIndicators ?? []),
        ]
      : (t.stages ?? [t]).flatMap((s) => [s.neighbourhood.headRows, s.prior, s.tripFlow]);
  tf.dispose([...common, ...rest].filter((x): x is tf.Tensor => x !== null));
}

/** 1. View projection: X_v -> Dropout(ReLU(Linear(X_v))).   [N, in_v] -> [N, d] */
function viewProjection(x: tf.Tensor2D, p: LinearParams, dropout: DropoutFn, salt: number): tf.Tensor2D {
  return dropout(tf.relu(linear(x, p)), salt) as tf.Tensor2D;
}

/**
 * 2. Intra-view encoder: transformer blocks over regions, then an MLP.   [N, d] -> [N, d]
 *    `attentionAt(i)` mixes regions in block i (with the mobility view's trip-flow bias where
 *    it is on); in a mini-batch each block answers for fewer rows than it reads.
 */
function intraViewEncoder(
  x: tf.Tensor2D,
  p: SrelParams['intraView'][View],
  attentionAt: (block: number) => Attention,
  heads: number,
  dropout: DropoutFn,
  salt: number,
): tf.Tensor2D {
  let h = x;
  let checkpoint = false;
  p.blocks.forEach((block, i) => {
    const attention = attentionAt(i);
    checkpoint ||= checkpointing(attention);
    h = attentionBlock(h, block, attention, heads, dropout, salt + 10 * i);
  });
  return mlp(h, p.mlp, checkpoint);
}

/** The view scores of view fusion: score_v = mean_i tanh(H_v K + b) q.   3 x [N, d] -> [3] */
export function viewScores(views: tf.Tensor2D[], p: SrelParams['viewFusion']): tf.Tensor1D {
  return tf.stack(
    views.map((h) => tf.mean(tf.matMul(tf.tanh(linear(h, p.key)), p.query as tf.Tensor2D))),
  ) as tf.Tensor1D;
}

/**
 * 3. View fusion: weights = softmax over views of the scores; X = sum_v weight_v H_v.
 *    3 x [N, d] -> [N, d], weights [3]. `scores` replaces the mean over these rows (a
 *    mini-batch's inference uses the mean over the whole city, so batches fuse alike).
 */
export function viewFusion(
  views: tf.Tensor2D[],
  p: SrelParams['viewFusion'],
  scores: tf.Tensor1D | null = null,
): { fused: tf.Tensor2D; weights: tf.Tensor1D } {
  const weights = tf.softmax(scores ?? viewScores(views, p)) as tf.Tensor1D;
  const perView = tf.unstack(weights);
  const fused = views.map((h, v) => tf.mul(h, perView[v])).reduce((a, b) => tf.add(a, b)) as tf.Tensor2D;
  return { fused, weights };
}

/**
 * Attention bias of one region-fusion layer, per head h:
 *   alpha * w_h * A  [+ sum_b hopBias_hb * 1[hop bucket = b]]
 * (method.md writes alpha * (w * A_ij + b); a constant b is the same for every j of a row and
 * cancels in the softmax, so it is left out.)
 */
export function regionFusionBias(
  layer: RegionFusionLayer,
  alpha: tf.Variable,
  tensors: DenseSrelTensors,
  config: SrelConfig,
): AttentionBias[] | null {
  const useDistance = config.priors.distance && tensors.distancePrior !== null;
  const useHops = config.priors.hops && tensors.hopIndicators !== null;
  if (!useDistance && !useHops) return null;
  const distanceWeight = useDistance ? (tf.unstack(tf.mul(alpha, layer.priorScale)) as tf.Scalar[]) : [];
  const hopWeights = useHops
    ? (tf.unstack(layer.hopBias) as tf.Tensor1D[]).map((row) => tf.unstack(row) as tf.Scalar[])
    : [];
  return Array.from({ length: config.heads }, (_, h) => ({
    weights: [...(useDistance ? [distanceWeight[h]] : []), ...(useHops ? hopWeights[h] : [])],
    matrices: [
      ...(useDistance ? [tensors.distancePrior as tf.Tensor2D] : []),
      ...(useHops ? (tensors.hopIndicators as tf.Tensor2D[]) : []),
    ],
  }));
}

/**
 * The same bias over neighbourhoods: alpha * w_h * A_ij at each region's neighbours (the hop
 * bias needs N x N hop indicators and is not offered for sparse cities). `stage` is the
 * block's place in the model (sparseStage).
 */
export function sparseRegionFusionAttention(
  layer: RegionFusionLayer,
  alpha: tf.Variable,
  tensors: SparseSrelTensors,
  config: SrelConfig,
  stage: number,
): BlockSparseAttention {
  if (config.priors.hops)
    throw new Error('the hop-distance prior needs N x N inputs; it is not offered for large cities');
  const at = stageTensors(tensors, stage);
  const useDistance = config.priors.distance && at.prior !== null;
  return {
    kind: 'sparse',
    checkpoint: tensors.checkpoint,
    neighbourhood: at.neighbourhood,
    bias: useDistance
      ? [{ weights: tf.mul(alpha, layer.priorScale) as tf.Tensor1D, values: at.prior as tf.Tensor2D }]
      : [],
  };
}

/**
 * The sparse attention's tensors of the block at `stage` (0 for the first intra-view block,
 * then one more per block): a mini-batch's queries are the rows of the stage after it, its
 * keys the rows it reads; for the whole city both are every region.
 */
function stageTensors(tensors: SparseSrelTensors, stage: number): SparseStageTensors {
  if (!tensors.stages) return tensors;
  const at = tensors.stages[stage];
  if (!at) throw new Error(`this mini-batch has ${tensors.stages.length} stages, not ${stage + 1}`);
  return at;
}

/** Sparse attention, and whether its block is checkpointed. */
type BlockSparseAttention = SparseAttention & { checkpoint: boolean };

/** How a block's attention mixes regions: dense with each head's bias, or over neighbourhoods. */
type Attention = { kind: 'dense'; bias: AttentionBias[] | null } | BlockSparseAttention;

/**
 * A transformer block with its attention. Sparse and checkpointed (above CHECKPOINT_ABOVE
 * regions, and in mini-batches): the bias weights are passed as parameters so their
 * gradients flow (checkpoint.ts).
 */
function attentionBlock(
  x: tf.Tensor2D,
  p: BlockParams,
  attention: Attention,
  heads: number,
  dropout: DropoutFn,
  salt: number,
): tf.Tensor2D {
  if (attention.kind === 'dense')
    return transformerBlock(x, p, denseAttention(heads, attention.bias), dropout, salt);
  const values = attention.bias.map((b) => b.values);
  if (!attention.checkpoint)
    return transformerBlock(x, p, (h, a) => sparseMultiHeadAttention(h, a, attention), dropout, salt);
  const attend =
    (weights: tf.Tensor[]): AttentionFn =>
    (h, a) =>
      sparseMultiHeadAttention(h, a, {
        kind: 'sparse',
        neighbourhood: attention.neighbourhood,
        bias: weights.map((w, m) => ({ weights: w as tf.Tensor1D, values: values[m] })),
      });
  return checkpointed((h, q) => transformerBlock(h, q.block, attend(q.weights), dropout, salt), x, {
    block: p,
    weights: attention.bias.map((b) => b.weights) as tf.Tensor[],
  });
}

/** The output MLP, checkpointed for the largest cities. */
function mlp(x: tf.Tensor2D, p: MlpParams, checkpoint: boolean): tf.Tensor2D {
  return checkpoint ? checkpointed((h, q) => outputMlp(h, q), x, p) : outputMlp(x, p);
}

/**
 * **Our choice**: blocks of a whole city are checkpointed (checkpoint.ts) above 4,000 regions,
 * and always in a mini-batch (whose point is to bound memory). At 2,000 regions checkpointing
 * halved the peak of live tensors (1,322 -> 694 MB) but cost 28% more CPU per epoch
 * (3.3 -> 4.2 s), and 2,000 regions fit either way.
 */
export const CHECKPOINT_ABOVE = 4000;

function checkpointing(attention: Attention): boolean {
  return attention.kind === 'sparse' && attention.checkpoint;
}

/**
 * 4. One Graphormer block: X = X + Linear(1 -> d)(c) (centrality encoding), then a
 *    transformer block whose attention logits carry the spatial bias. Kept attention weights
 *    are [H, N, N] (dense) or [H, N, k] (over each region's neighbours).
 */
function graphormerBlock(
  x: tf.Tensor2D,
  layer: RegionFusionLayer,
  attention: Attention,
  tensors: SrelTensors,
  config: SrelConfig,
  dropout: DropoutFn,
  salt: number,
  keepAttention: boolean,
): { out: tf.Tensor2D; weights: tf.Tensor3D | null } {
  const withCentrality =
    config.priors.centrality && tensors.centrality
      ? (tf.add(x, linear(firstRows(tensors.centrality, x.shape[0]), layer.centrality)) as tf.Tensor2D)
      : x;
  let weights: tf.Tensor3D | null = null;
  if (keepAttention) {
    const normed = layerNorm(withCentrality, layer.block.norm1);
    weights =
      attention.kind === 'dense'
        ? (tf.stack(
            attentionWeights(normed, layer.block.attention, config.heads, attention.bias),
          ) as tf.Tensor3D)
        : sparseAttentionWeights(normed, layer.block.attention, attention);
  }
  const out = attentionBlock(withCentrality, layer.block, attention, config.heads, dropout, salt);
  return { out, weights };
}

export interface SrelOutputs {
  /** Region embeddings E [N, e]. */
  embedding: tf.Tensor2D;
  s: tf.Tensor2D;
  t: tf.Tensor2D;
  p: tf.Tensor2D;
  l: tf.Tensor2D;
  viewWeights: tf.Tensor1D;
  /** Attention weights of each region-fusion layer, [H, N, N] dense or [H, N, k] sparse (only when asked for). */
  regionAttention: tf.Tensor3D[];
}

export function srelForward(
  params: SrelParams,
  tensors: SrelTensors,
  config: SrelConfig,
  options: {
    training: boolean;
    dropoutSeed: number;
    keepAttention?: boolean;
    /** Fixed view-fusion scores [3] (a mini-batch's inference: the whole city's). */
    viewScores?: tf.Tensor1D;
  },
): SrelOutputs {
  const encoded = encodeViews(params, tensors, config, options);
  const { fused, weights: viewWeights } = viewFusion(encoded, params.viewFusion, options.viewScores ?? null);
  return regionFusion(params, tensors, config, options, fused, viewWeights);
}

/** Steps 1 and 2: each view projected and encoded.   3 x [N, d] */
export function encodeViews(
  params: SrelParams,
  tensors: SrelTensors,
  config: SrelConfig,
  options: { training: boolean; dropoutSeed: number },
): tf.Tensor2D[] {
  const dropout = makeDropout(config.dropout, options.training, options.dropoutSeed);
  const attentionFor = (view: View, block: number): Attention => {
    const flow = view === 'mobility' && config.tripFlowBias;
    if (tensors.layout === 'sparse') {
      const at = stageTensors(tensors, block);
      return {
        kind: 'sparse',
        checkpoint: tensors.checkpoint,
        neighbourhood: at.neighbourhood,
        bias: flow ? [{ weights: params.tripFlowScale as tf.Tensor1D, values: at.tripFlow }] : [],
      };
    }
    const flowBias: AttentionBias[] | null = flow
      ? (tf.unstack(params.tripFlowScale) as tf.Scalar[]).map((g) => ({
          weights: [g],
          matrices: [tensors.tripFlow],
        }))
      : null;
    return { kind: 'dense', bias: flowBias };
  };
  return VIEWS.map((view, v) => {
    const projected = viewProjection(tensors.views[view], params.projection[view], dropout, 1000 * (v + 1));
    return intraViewEncoder(
      projected,
      params.intraView[view],
      (block) => attentionFor(view, block),
      config.heads,
      dropout,
      1000 * (v + 1) + 100,
    );
  });
}

/** Steps 4 to 6 on the fused views: region fusion, the output MLP and the decoders. */
function regionFusion(
  params: SrelParams,
  tensors: SrelTensors,
  config: SrelConfig,
  options: { training: boolean; dropoutSeed: number; keepAttention?: boolean },
  fused: tf.Tensor2D,
  viewWeights: tf.Tensor1D,
): SrelOutputs {
  const dropout = makeDropout(config.dropout, options.training, options.dropoutSeed);
  let x = fused;
  const regionAttention: tf.Tensor3D[] = [];
  params.regionFusion.forEach((layer, i) => {
    const attention: Attention =
      tensors.layout === 'dense'
        ? { kind: 'dense', bias: regionFusionBias(layer, params.priorWeight, tensors, config) }
        : sparseRegionFusionAttention(layer, params.priorWeight, tensors, config, config.intraViewLayers + i);
    const block = graphormerBlock(
      x,
      layer,
      attention,
      tensors,
      config,
      dropout,
      5000 + 100 * i,
      options.keepAttention ?? false,
    );
    x = block.out;
    if (block.weights) regionAttention.push(block.weights);
  });
  const embedding = mlp(x, params.output, tensors.layout === 'sparse' && tensors.checkpoint);
  const { s, t, p, l } = params.decoders;
  return {
    embedding,
    s: linear(embedding, s),
    t: linear(embedding, t),
    p: linear(embedding, p),
    l: linear(embedding, l),
    viewWeights,
    regionAttention,
  };
}
