/**
 * The Prompt4RE head (method.md, Prompt4RE steps 3-4), in TensorFlow.js:
 *   Q = E W_q,  K = S W_k,  V = S W_v            (queries from region embeddings E [N, e],
 *                                                  keys/values from semantic vectors S [N, T])
 *   Z = LayerNorm(concat_h softmax(Q_h K_h^T / sqrt(dh)) V_h + E W_r + S W_s)   [N, a]
 *   P = Z W_p                                                            [N, e]
 *   y = [E, P] w + b
 * Keys and values come from the semantic vectors of ALL regions of the city (they are
 * inputs, not labels), so a region's prediction does not depend on which regions share its
 * test fold. **Our choice**: the term S W_s gives each region a direct path to its own
 * semantic vector; through attention alone a region's query (from E) has no way to find its
 * own key (from S), so the head cannot use what the vectors say about that region. The E half of w and b start from the ridge fit on the training fold (the P half
 * at zero), so training starts at the ridge solution. Targets are standardised on the
 * training rows; early stopping watches an inner validation split of the training rows only.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../random';
import { standardiseColumns } from '../math/stats';
import { resolveFolds, type FoldsOrSettings } from '../eval/folds';
import { regressionMetrics } from '../eval/metrics';
import { fitRidge, takeRows } from '../eval/ridge';
import { linear, layerNorm, makeDropout } from '../srel/layers';
import { ParamStore, type LayerNormParams, type LinearParams } from '../srel/params';
import { principalScores } from './ridgeHead';

export interface Prompt4reConfig {
  /** Width of the aligned (attention) space. */
  alignSize: number;
  heads: number;
  dropout: number;
  learningRate: number;
  /** Upper bound on epochs; early stopping usually ends sooner. */
  maxEpochs: number;
  /** Stop after this many epochs without a better inner-validation loss. */
  patience: number;
  /** Share of the training rows held out for early stopping. */
  validationShare: number;
  /** Ridge strength of the initial E half (as the evaluation protocol, alpha 1). */
  ridgeAlpha: number;
  /**
   * After early stopping has found the epoch count on the inner split, fit again on ALL
   * training rows (ridge start included) for that many epochs, so no training row is lost
   * to validation. Off: keep the model fitted on the inner split.
   */
  refitOnAllRows: boolean;
  seed: number;
}

export const DEFAULT_PROMPT4RE_CONFIG: Prompt4reConfig = {
  alignSize: 64,
  heads: 4,
  dropout: 0.1,
  learningRate: 2e-4,
  maxEpochs: 300,
  patience: 30,
  validationShare: 0.2,
  ridgeAlpha: 1,
  refitOnAllRows: true,
  seed: 0,
};

interface HeadParams {
  store: ParamStore;
  q: LinearParams; // e -> a
  k: LinearParams; // T -> a
  v: LinearParams; // T -> a
  residual: LinearParams; // e -> a
  own: LinearParams; // T -> a: the region's own semantic vector
  norm: LayerNormParams;
  project: LinearParams; // a -> e
  outEmbedding: tf.Variable; // [e, 1], from ridge
  outAligned: tf.Variable; // [e, 1], zero
  outBias: tf.Variable; // [], from ridge
}

/**
 * The semantic vectors in r <= N - 1 columns instead of T: their principal-component scores
 * F = U sqrt(Lambda) of the column-centred S (ridgeHead.ts), scaled by sqrt(r / T) so a row has
 * the mean squared norm of a standardised r-wide input. S enters the head only through linear
 * maps with a bias (keys, values and the own-vector path): S W + b = F (V^T W) + (mu^T W + b),
 * so the head on F can express exactly the functions it can on S, at a cost that no longer
 * grows with T (3,584 and 4,096 for the published vectors, against 76 for Chicago's 77 regions).
 * **Our choice**; only the starting point and Adam's path differ.
 */
export function compactSemanticVectors(
  data: Float32Array,
  n: number,
  t: number,
): { data: Float32Array; t: number } {
  const { scores, r } = principalScores(data, n, t);
  if (r === 0) return { data: new Float32Array(n), t: 1 };
  const scale = Math.sqrt(r / t);
  return { data: Float32Array.from(scores, (v) => v * scale), t: r };
}

/** Semantic vectors standardised per dimension over all regions (no labels involved). */
export function standardiseVectors(data: Float32Array, n: number, t: number): Float32Array {
  return standardiseColumns(data, n, t);
}

/** Cross-attention alignment and projection: [N, e] x [N, T] -> P [N, e]. */
function alignedVector(
  p: HeadParams,
  e: tf.Tensor2D,
  s: tf.Tensor2D,
  heads: number,
  drop: (x: tf.Tensor, salt: number) => tf.Tensor,
): tf.Tensor2D {
  const dh = (p.q.w.shape[1] as number) / heads;
  const q = tf.split(tf.mul(linear(e, p.q), 1 / Math.sqrt(dh)), heads, 1) as tf.Tensor2D[];
  const k = tf.split(linear(s, p.k), heads, 1) as tf.Tensor2D[];
  const v = tf.split(linear(s, p.v), heads, 1) as tf.Tensor2D[];
  const mixed = q.map((qh, h) => tf.matMul(tf.softmax(tf.matMul(qh, tf.transpose(k[h]))), v[h])); // H x [N, dh]
  const z = layerNorm(
    // Adds, not tf.addN: addN gives wrong sums on tfjs's WebGPU backend.
    tf.add(tf.add(drop(tf.concat(mixed, 1), 1), linear(e, p.residual)), linear(s, p.own)) as tf.Tensor2D,
    p.norm,
  );
  return linear(z, p.project);
}

/** y = [E, P] w + b   [N] (standardised units). */
function headOutput(p: HeadParams, e: tf.Tensor2D, aligned: tf.Tensor2D): tf.Tensor1D {
  return tf.reshape(
    tf.add(
      tf.add(tf.matMul(e, p.outEmbedding as tf.Tensor2D), tf.matMul(aligned, p.outAligned as tf.Tensor2D)),
      p.outBias,
    ),
    [-1],
  ) as tf.Tensor1D;
}

export interface HeadFit {
  /** Predictions for every region, in label units, clipped at 0. */
  predict: () => Float64Array;
  /** Epochs trained (with early stopping: until patience ran out). */
  epochs: number;
  /** The epoch whose weights were kept (0: the ridge start). */
  bestEpoch: number;
  bestValidationLoss: number;
  dispose: () => void;
}

/**
 * Fit the head on `trainRows` of one fold. Nothing about other rows' labels is read:
 * `values` is only indexed at `trainRows`.
 */
export function fitPrompt4reHead(
  embedding: Float64Array,
  e: number,
  semantic: Float32Array,
  t: number,
  values: Float64Array,
  trainRows: number[],
  partial: Partial<Prompt4reConfig> = {},
  /** Called after each epoch with a prediction function (dropout on or off), for reports. */
  onEpoch?: (epoch: number, predict: (dropoutOn: boolean) => Float64Array) => void,
): HeadFit {
  const config = { ...DEFAULT_PROMPT4RE_CONFIG, ...partial };
  if (config.refitOnAllRows && config.validationShare > 0) {
    // Epoch count from the inner split, then the same recipe on every training row.
    const probe = fitPrompt4reHead(embedding, e, semantic, t, values, trainRows, {
      ...config,
      refitOnAllRows: false,
    });
    probe.dispose();
    const final = fitPrompt4reHead(
      embedding,
      e,
      semantic,
      t,
      values,
      trainRows,
      { ...config, refitOnAllRows: false, validationShare: 0, maxEpochs: probe.bestEpoch },
      onEpoch,
    );
    return { ...final, bestEpoch: probe.bestEpoch, bestValidationLoss: probe.bestValidationLoss };
  }
  const n = embedding.length / e;
  // Standardised target on the training rows.
  const yTrain = trainRows.map((r) => values[r]);
  const mean = yTrain.reduce((a, b) => a + b, 0) / yTrain.length;
  const sd = Math.sqrt(yTrain.reduce((a, v) => a + (v - mean) ** 2, 0) / yTrain.length) || 1;
  const standardised = new Float64Array(values.length);
  for (const r of trainRows) standardised[r] = (values[r] - mean) / sd;

  // Inner split of the training rows for early stopping (seeded); validationShare 0 turns
  // early stopping off and fits on every training row.
  const shuffled = new Rng(config.seed + 7).shuffle([...trainRows]);
  const nVal =
    config.validationShare > 0 ? Math.max(1, Math.round(config.validationShare * shuffled.length)) : 0;
  const valRows = shuffled.slice(0, nVal).sort((x, z) => x - z);
  const fitRows = shuffled.slice(nVal).sort((x, z) => x - z);

  // Ridge on the fitting rows gives the E half and the bias.
  const ridge = fitRidge(
    takeRows(embedding, e, fitRows),
    fitRows.length,
    e,
    Float64Array.from(fitRows, (r) => standardised[r]),
    config.ridgeAlpha,
  );

  const store = new ParamStore(config.seed);
  const a = config.alignSize;
  const p: HeadParams = {
    store,
    q: store.linear('head.q', e, a),
    k: store.linear('head.k', t, a),
    v: store.linear('head.v', t, a),
    residual: store.linear('head.residual', e, a),
    own: store.linear('head.own', t, a),
    norm: store.layerNorm('head.norm', a),
    project: store.linear('head.project', a, e),
    outEmbedding: store.constant('head.outEmbedding', [e, 1], 0),
    outAligned: store.constant('head.outAligned', [e, 1], 0),
    outBias: store.constant('head.outBias', [], ridge.intercept),
  };
  const ridgeWeights = tf.tensor2d(Float32Array.from(ridge.weights), [e, 1]);
  p.outEmbedding.assign(ridgeWeights);
  ridgeWeights.dispose();

  const E = tf.tensor2d(Float32Array.from(embedding), [n, e]);
  const S = tf.tensor2d(semantic, [n, t]);
  // Masks instead of gathers (WASM has no kernel for gather's gradient). Rows outside the
  // fold's training rows carry target 0 and weight 0: their labels are never read.
  const mask = (rows: number[]): tf.Tensor1D => {
    const m = new Float32Array(n);
    for (const r of rows) m[r] = 1;
    return tf.tensor1d(m);
  };
  const target = new Float32Array(n);
  for (const r of trainRows) target[r] = standardised[r];
  const y = tf.tensor1d(target);
  const fitMask = mask(fitRows);
  const valMask = mask(valRows);
  const maskedMse = (pred: tf.Tensor1D, m: tf.Tensor1D, count: number): tf.Scalar =>
    tf.div(tf.sum(tf.mul(m, tf.squaredDifference(pred, y))), count) as tf.Scalar;
  const optimizer = tf.train.adam(config.learningRate);
  const variables = store.list();
  const noDropout = makeDropout(0, false, 0);

  const toLabels = (y: ArrayLike<number>): Float64Array =>
    Float64Array.from(y, (v) => Math.max(0, v * sd + mean));
  const forward = (training: boolean, seed: number): tf.Tensor1D => {
    const drop = makeDropout(config.dropout, training, seed);
    return headOutput(p, E, alignedVector(p, E, S, config.heads, training ? drop : noDropout));
  };
  const validationLoss = (): number =>
    valRows.length === 0
      ? 0
      : tf.tidy(() => maskedMse(forward(false, 0), valMask, valRows.length).dataSync()[0]);

  let best = validationLoss();
  let bestWeights = variables.map((v) => tf.clone(v));
  let sinceBest = 0;
  let epochs = 0;
  let bestEpoch = 0;
  for (let epoch = 1; epoch <= config.maxEpochs && sinceBest < config.patience; epoch++) {
    epochs = epoch;
    tf.tidy(() => {
      const { grads } = tf.variableGrads(
        () => maskedMse(forward(true, config.seed * 10_007 + epoch), fitMask, fitRows.length),
        variables,
      );
      optimizer.applyGradients(Object.entries(grads).map(([name, tensor]) => ({ name, tensor })));
    });
    onEpoch?.(epoch, (dropoutOn) =>
      toLabels(tf.tidy(() => forward(dropoutOn, config.seed * 10_007 + epoch).dataSync())),
    );
    const loss = validationLoss();
    if (valRows.length === 0 || loss < best - 1e-9) {
      best = loss;
      bestEpoch = epoch;
      tf.dispose(bestWeights);
      bestWeights = variables.map((v) => tf.clone(v));
      sinceBest = 0;
    } else sinceBest++;
  }
  variables.forEach((v, i) => v.assign(bestWeights[i]));
  tf.dispose([...bestWeights, y, fitMask, valMask]);
  optimizer.dispose();

  return {
    epochs,
    bestEpoch,
    bestValidationLoss: best,
    predict: () => toLabels(tf.tidy(() => forward(false, 0).dataSync())),
    dispose: () => {
      tf.dispose([E, S]);
      store.dispose();
    },
  };
}

export interface Prompt4reCrossValidation {
  predictions: Float64Array; // per evaluated row
  rows: number[];
  mae: number;
  rmse: number;
  r2: number;
  n: number;
  /** Epochs trained in each fold (early stopping on inner validation rows). */
  epochs: number[];
}

/**
 * The K-fold loop shared by the honest and the published protocol: `fitFold` gets a fold's
 * training and test rows and returns predictions for every region plus the epochs it used;
 * only the test rows' predictions are kept, and the metrics are pooled over all folds.
 */
function crossValidateFolds(
  values: Float64Array,
  rows: number[],
  foldOptions: FoldsOrSettings,
  fitFold: (trainRows: number[], testRows: number[]) => { predicted: Float64Array; epochs: number },
): Prompt4reCrossValidation {
  const predictions = new Float64Array(rows.length);
  const epochs: number[] = [];
  for (const fold of resolveFolds(rows.length, foldOptions)) {
    const result = fitFold(
      fold.train.map((i) => rows[i]),
      fold.test.map((i) => rows[i]),
    );
    fold.test.forEach((i) => (predictions[i] = result.predicted[rows[i]]));
    epochs.push(result.epochs);
  }
  const metrics = regressionMetrics(
    Float64Array.from(rows, (r) => values[r]),
    predictions,
  );
  return { ...metrics, predictions, rows, epochs };
}

/** K-fold evaluation of the head: fitted on each fold's training rows, predicting its test rows. */
export function crossValidatePrompt4re(
  embedding: Float64Array,
  e: number,
  semantic: Float32Array,
  t: number,
  values: Float64Array,
  rows: number[],
  foldOptions: FoldsOrSettings,
  config: Partial<Prompt4reConfig> = {},
): Prompt4reCrossValidation {
  const compact = compactSemanticVectors(semantic, embedding.length / e, t);
  return crossValidateFolds(values, rows, foldOptions, (trainRows) => {
    const fit = fitPrompt4reHead(embedding, e, compact.data, compact.t, values, trainRows, config);
    const predicted = fit.predict();
    fit.dispose();
    return { predicted, epochs: fit.bestEpoch };
  });
}

/**
 * The PUBLISHED protocol, for comparison only: in each fold the head trains on all training
 * rows with dropout left on, is scored on the TEST rows every 20 epochs, and the fold keeps
 * its best-scoring predictions. Choosing checkpoints by test-fold R² leaks the test labels
 * into the result; reports show this figure beside the honest one, labelled as such.
 */
export function publishedProtocolCrossValidate(
  embedding: Float64Array,
  e: number,
  semantic: Float32Array,
  t: number,
  values: Float64Array,
  rows: number[],
  foldOptions: FoldsOrSettings,
  config: Partial<Prompt4reConfig> = {},
): Prompt4reCrossValidation {
  const compact = compactSemanticVectors(semantic, embedding.length / e, t);
  return crossValidateFolds(values, rows, foldOptions, (trainRows, testRows) => {
    const truth = testRows.map((r) => values[r]);
    let best: { r2: number; epoch: number; predicted: Float64Array } = {
      r2: -Infinity,
      epoch: 0,
      predicted: new Float64Array(values.length),
    };
    const fit = fitPrompt4reHead(
      embedding,
      e,
      compact.data,
      compact.t,
      values,
      trainRows,
      { ...config, validationShare: 0 },
      (epoch, predict) => {
        if (epoch % 20 !== 1) return;
        const predicted = predict(true);
        const r2 = regressionMetrics(
          truth,
          testRows.map((r) => predicted[r]),
        ).r2;
        if (r2 > best.r2) best = { r2, epoch, predicted };
      },
    );
    fit.dispose();
    return { predicted: best.predicted, epochs: best.epoch };
  });
}
