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
import type { SrelInputs } from './inputs';
import {
  linear,
  makeDropout,
  outputMlp,
  transformerBlock,
  type BlockParams,
  type DropoutFn,
  type MlpParams,
} from './layers';
import { ParamStore, type LinearParams } from './params';

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
  priorScale: tf.Variable; // w, [H, 1, 1]
  priorShift: tf.Variable; // b, [H, 1, 1]
  hopBias: tf.Variable; // [H, B]
  block: BlockParams;
}

export interface SrelParams {
  store: ParamStore;
  projection: Record<View, LinearParams>;
  intraView: Record<View, { blocks: BlockParams[]; mlp: MlpParams }>;
  /** gamma, [H, 1, 1]: weight of the trip flow in the mobility view's attention logits. */
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
    priorScale: store.constant(`fusion${i}.priorScale`, [h, 1, 1], 1),
    priorShift: store.constant(`fusion${i}.priorShift`, [h, 1, 1], 0),
    hopBias: store.constant(`fusion${i}.hopBias`, [h, dims.hopBucketCount], 0),
    block: blockParams(store, `fusion${i}.block`, d, config.feedForwardSize),
  }));
  return {
    store,
    projection,
    intraView,
    tripFlowScale: store.constant('mobility.tripFlowScale', [h, 1, 1], 1),
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
export interface SrelTensors {
  n: number;
  views: Record<View, tf.Tensor2D>;
  tripFlow: tf.Tensor3D; // F [1, N, N]
  mobilityTarget: tf.Tensor2D; // Mhat [N, N]
  poiSimilarity: tf.Tensor2D; // [N, N]
  landUseSimilarity: tf.Tensor2D; // [N, N]
  distancePrior: tf.Tensor3D | null; // A [1, N, N]
  withinCutoff: tf.Tensor3D | null; // 1[A > 0] [1, N, N]
  centrality: tf.Tensor2D | null; // c [N, 1]
  hopOneHot: tf.Tensor2D | null; // one-hot hop bucket [B, N*N]
}

function hopOneHot(buckets: Int32Array, count: number): tf.Tensor2D {
  const m = buckets.length;
  const data = new Float32Array(count * m);
  buckets.forEach((b, k) => (data[b * m + k] = 1));
  return tf.tensor2d(data, [count, m]);
}

export function srelTensors(inputs: SrelInputs): SrelTensors {
  const n = inputs.n;
  const a = inputs.distancePrior ? tf.tensor3d(inputs.distancePrior, [1, n, n]) : null;
  return {
    n,
    views: {
      poi: tf.tensor2d(inputs.poi, [n, inputs.poiDim]),
      landUse: tf.tensor2d(inputs.landUse, [n, inputs.landUseDim]),
      mobility: tf.tensor2d(inputs.mobility, [n, inputs.mobilityDim]),
    },
    tripFlow: tf.tensor3d(inputs.tripFlow, [1, n, n]),
    mobilityTarget: tf.tensor2d(inputs.mobilityTarget, [n, n]),
    poiSimilarity: tf.tensor2d(inputs.poiSimilarity, [n, n]),
    landUseSimilarity: tf.tensor2d(inputs.landUseSimilarity, [n, n]),
    distancePrior: a,
    withinCutoff: a ? tf.tidy(() => tf.cast(tf.greater(a, 0), 'float32') as tf.Tensor3D) : null,
    centrality: inputs.centrality ? tf.tensor2d(inputs.centrality, [n, 1]) : null,
    hopOneHot: inputs.hopBuckets ? hopOneHot(inputs.hopBuckets, inputs.hopBucketCount) : null,
  };
}

export function disposeSrelTensors(t: SrelTensors): void {
  const optional: (tf.Tensor | null)[] = [t.distancePrior, t.withinCutoff, t.centrality, t.hopOneHot];
  tf.dispose([
    ...Object.values(t.views),
    t.tripFlow,
    t.mobilityTarget,
    t.poiSimilarity,
    t.landUseSimilarity,
    ...optional.filter((x): x is tf.Tensor => x !== null),
  ]);
}

/** 1. View projection: X_v -> Dropout(ReLU(Linear(X_v))).   [N, in_v] -> [N, d] */
function viewProjection(x: tf.Tensor2D, p: LinearParams, dropout: DropoutFn, salt: number): tf.Tensor2D {
  return dropout(tf.relu(linear(x, p)), salt) as tf.Tensor2D;
}

/**
 * 2. Intra-view encoder: transformer blocks over regions, then an MLP.   [N, d] -> [N, d]
 *    `bias` [H|1, N, N] is added to the attention logits (the mobility view's trip flows).
 */
function intraViewEncoder(
  x: tf.Tensor2D,
  p: SrelParams['intraView'][View],
  heads: number,
  bias: tf.Tensor3D | null,
  dropout: DropoutFn,
  salt: number,
): tf.Tensor2D {
  let h = x;
  p.blocks.forEach((block, i) => {
    h = transformerBlock(h, block, heads, bias, dropout, salt + 10 * i).out;
  });
  return outputMlp(h, p.mlp);
}

/**
 * 3. View fusion: score_v = mean_i tanh(H_v K + b) q; weights = softmax over views;
 *    X = sum_v weight_v H_v.   3 x [N, d] -> [N, d], weights [3]
 */
export function viewFusion(
  views: tf.Tensor2D[],
  p: SrelParams['viewFusion'],
): { fused: tf.Tensor2D; weights: tf.Tensor1D } {
  const scores = views.map((h) => tf.mean(tf.matMul(tf.tanh(linear(h, p.key)), p.query as tf.Tensor2D)));
  const weights = tf.softmax(tf.stack(scores) as tf.Tensor1D) as tf.Tensor1D;
  const perView = tf.unstack(weights);
  const fused = views.map((h, v) => tf.mul(h, perView[v])).reduce((a, b) => tf.add(a, b)) as tf.Tensor2D;
  return { fused, weights };
}

/**
 * Attention bias of one region-fusion layer:
 *   alpha * (w_h * A_ij + b_h * 1[A_ij > 0])  [+ hop bias_h(hops_ij)]   -> [H, N, N]
 * (b_h is a learnable bonus for pairs within the cut-off: a constant over all j would cancel
 * in the softmax.)
 */
export function regionFusionBias(
  layer: RegionFusionLayer,
  alpha: tf.Variable,
  tensors: SrelTensors,
  config: SrelConfig,
): tf.Tensor3D | null {
  let bias: tf.Tensor3D | null = null;
  if (config.priors.distance && tensors.distancePrior && tensors.withinCutoff) {
    const scaled = tf.add(
      tf.mul(layer.priorScale, tensors.distancePrior),
      tf.mul(layer.priorShift, tensors.withinCutoff),
    );
    bias = tf.mul(alpha, scaled) as tf.Tensor3D;
  }
  if (config.priors.hops && tensors.hopOneHot) {
    // [H, B] x [B, N*N] -> [H, N, N] (a matmul, not gather: WASM lacks gather's gradient kernel)
    const n = tensors.n;
    const hop = tf.reshape(tf.matMul(layer.hopBias as tf.Tensor2D, tensors.hopOneHot), [
      -1,
      n,
      n,
    ]) as tf.Tensor3D;
    bias = bias ? (tf.add(bias, hop) as tf.Tensor3D) : hop;
  }
  return bias;
}

/**
 * 4. One Graphormer block: X = X + Linear(1 -> d)(c) (centrality encoding), then a
 *    transformer block whose attention logits carry the spatial bias.
 */
function graphormerBlock(
  x: tf.Tensor2D,
  layer: RegionFusionLayer,
  bias: tf.Tensor3D | null,
  tensors: SrelTensors,
  config: SrelConfig,
  dropout: DropoutFn,
  salt: number,
): { out: tf.Tensor2D; weights: tf.Tensor2D[] } {
  const withCentrality =
    config.priors.centrality && tensors.centrality
      ? (tf.add(x, linear(tensors.centrality, layer.centrality)) as tf.Tensor2D)
      : x;
  return transformerBlock(withCentrality, layer.block, config.heads, bias, dropout, salt);
}

export interface SrelOutputs {
  /** Region embeddings E [N, e]. */
  embedding: tf.Tensor2D;
  s: tf.Tensor2D;
  t: tf.Tensor2D;
  p: tf.Tensor2D;
  l: tf.Tensor2D;
  viewWeights: tf.Tensor1D;
  /** Attention weights of each region-fusion layer [H, N, N] (only when asked for). */
  regionAttention: tf.Tensor3D[];
}

export function srelForward(
  params: SrelParams,
  tensors: SrelTensors,
  config: SrelConfig,
  options: { training: boolean; dropoutSeed: number; keepAttention?: boolean },
): SrelOutputs {
  const dropout = makeDropout(config.dropout, options.training, options.dropoutSeed);
  const flowBias = config.tripFlowBias
    ? (tf.mul(params.tripFlowScale, tensors.tripFlow) as tf.Tensor3D)
    : null;
  const encoded = VIEWS.map((view, v) => {
    const projected = viewProjection(tensors.views[view], params.projection[view], dropout, 1000 * (v + 1));
    const bias = view === 'mobility' ? flowBias : null;
    return intraViewEncoder(
      projected,
      params.intraView[view],
      config.heads,
      bias,
      dropout,
      1000 * (v + 1) + 100,
    );
  });
  const { fused, weights: viewWeights } = viewFusion(encoded, params.viewFusion);
  let x = fused;
  const regionAttention: tf.Tensor3D[] = [];
  params.regionFusion.forEach((layer, i) => {
    const bias = regionFusionBias(layer, params.priorWeight, tensors, config);
    const block = graphormerBlock(x, layer, bias, tensors, config, dropout, 5000 + 100 * i);
    x = block.out;
    if (options.keepAttention) regionAttention.push(tf.stack(block.weights) as tf.Tensor3D);
  });
  const embedding = outputMlp(x, params.output);
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
