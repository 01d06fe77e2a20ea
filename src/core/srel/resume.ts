/**
 * Going on with a run after it stopped (a reload, a closed tab): what the training loop holds
 * besides the weights. Adam's step count and moments, the epoch reached, and the mini-batch
 * bank; with the weights of the same moment (serialize.ts), the next epoch is the one the
 * stopped run would have trained (its seeds come from the epoch count the weights carry).
 */
import * as tf from '@tensorflow/tfjs';

/** Adam's state: its step count, and per variable (the model's store order) its moments. */
export interface AdamState {
  iterations: number;
  moments: { name: string; shape: number[]; m: Float32Array; v: Float32Array }[];
}

/** Where a run stands after an epoch: with the model's weights of that moment, enough to go on. */
export interface ResumePoint {
  /** Epochs of this run done (1-based count; the next epoch is epoch + 1). */
  epoch: number;
  /** Seconds trained until then (the last report's elapsedSeconds). */
  elapsedSeconds: number;
  optimizer: AdamState;
  /** N x e: the mini-batch bank of the batched sparse layout (miniBatch.ts), else null. */
  bank: Float32Array | null;
}

/** What tfjs's Adam keeps (tfjs 4.22: getWeights gives the step count, then every m, then every v). */
type AdamOptimizer = tf.AdamOptimizer;

/**
 * Adam's state after at least one step. `variables` are in the order gradients are applied
 * (the training loop applies them in the store's order), `names` their names in the store.
 */
export async function captureAdam(
  optimizer: AdamOptimizer,
  variables: tf.Variable[],
  names: string[],
): Promise<AdamState> {
  const weights = await optimizer.getWeights();
  const [iter, ...rest] = weights;
  const count = variables.length;
  if (rest.length !== 2 * count)
    throw new Error(`Adam holds moments for ${rest.length / 2} variables, the model has ${count}`);
  const iterations = (await iter.tensor.data())[0];
  iter.tensor.dispose();
  const moments = await Promise.all(
    variables.map(async (variable, i) => {
      const m = rest[i];
      const v = rest[count + i];
      if (m.name !== `${variable.name}/m` || v.name !== `${variable.name}/v`)
        throw new Error(`Adam's moment ${m.name} is not that of ${variable.name}`);
      return {
        name: names[i],
        shape: variable.shape,
        m: (await m.tensor.data()) as Float32Array,
        v: (await v.tensor.data()) as Float32Array,
      };
    }),
  );
  return { iterations, moments };
}

/**
 * Give a fresh Adam the state captured from another run of the same model: moments are matched
 * to `variables` by name in the store, in the order gradients will be applied.
 */
export async function restoreAdam(
  optimizer: AdamOptimizer,
  variables: tf.Variable[],
  names: string[],
  state: AdamState,
): Promise<void> {
  const byName = new Map(state.moments.map((moment) => [moment.name, moment]));
  if (byName.size !== variables.length)
    throw new Error(
      `the checkpoint holds Adam's moments for ${byName.size} weights, the model has ${variables.length}`,
    );
  const first: { name: string; tensor: tf.Tensor }[] = [];
  const second: { name: string; tensor: tf.Tensor }[] = [];
  variables.forEach((variable, i) => {
    const moment = byName.get(names[i]);
    if (!moment) throw new Error(`the checkpoint has no Adam moments for ${names[i]}`);
    if (moment.shape.join('x') !== variable.shape.join('x'))
      throw new Error(
        `the checkpoint's Adam moments for ${names[i]} have shape ${moment.shape.join('x')}, the model's weight ${variable.shape.join('x')}`,
      );
    first.push({ name: `${variable.name}/m`, tensor: tf.tensor(moment.m, variable.shape, 'float32') });
    second.push({ name: `${variable.name}/v`, tensor: tf.tensor(moment.v, variable.shape, 'float32') });
  });
  const iter = { name: 'iter', tensor: tf.scalar(state.iterations, 'int32') };
  // setWeights makes variables of the moments (sharing their data) and sets the bias
  // corrections from the step count; our tensors can go.
  await optimizer.setWeights([iter, ...first, ...second]);
  tf.dispose([iter.tensor, ...first.map((t) => t.tensor), ...second.map((t) => t.tensor)]);
}
