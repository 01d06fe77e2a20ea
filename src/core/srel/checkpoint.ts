/**
 * Gradient checkpointing: run a block without keeping its intermediate tensors for the
 * backward pass, and recompute them there. The tape then holds the block's input only.
 * **Our choice**: used for the sparse (large-city) layout, where the kept activations were the
 * memory: at 2,000 regions one epoch peaked at 1.3 GB of live tensors, about 145 MB per
 * transformer block (some 125 tensors of N x d each: layer norms, dropout masks, feed-forward),
 * against 22 MB of inputs and weights. Recomputing costs one more forward pass per block.
 */
import * as tf from '@tensorflow/tfjs';

/** Any nesting of objects and arrays whose leaves are tensors (a block's parameters). */
export type TensorTree = tf.Tensor | TensorTree[] | { [key: string]: TensorTree };

/** The tree's tensors in a fixed order (object keys sorted). */
export function flattenTree(tree: TensorTree): tf.Tensor[] {
  if (tree instanceof tf.Tensor) return [tree];
  if (Array.isArray(tree)) return tree.flatMap(flattenTree);
  return Object.keys(tree)
    .sort()
    .flatMap((key) => flattenTree(tree[key]));
}

/** The same tree with its tensors replaced, in flattenTree's order, by `leaves`. */
export function rebuildTree<T extends TensorTree>(template: T, leaves: tf.Tensor[]): T {
  let next = 0;
  const walk = (node: TensorTree): TensorTree => {
    if (node instanceof tf.Tensor) return leaves[next++];
    if (Array.isArray(node)) return node.map(walk);
    const out: { [key: string]: TensorTree } = {};
    for (const key of Object.keys(node).sort()) out[key] = walk(node[key]);
    return out;
  };
  return walk(template) as T;
}

/**
 * Run `f`, which computes gradients, while the engine is back-propagating another gradient:
 * tfjs's engine keeps one active tape and clears it when any top-level gradient computation
 * ends, so the outer tape is put back afterwards (tfjs 4.22's engine.state.activeTape).
 */
function withOwnTape<T>(f: () => T): T {
  const state = (tf.engine() as unknown as { state: { activeTape: unknown } }).state;
  const outer = state.activeTape;
  try {
    return f();
  } finally {
    state.activeTape = outer;
  }
}

/**
 * y = block(x, params), computed without taping the block's inside; the backward pass reruns
 * the block (same dropout seeds, so the same masks) and differentiates it.   x [N, d] -> [N, e]
 */
export function checkpointed<P extends object>(
  block: (x: tf.Tensor2D, params: P) => tf.Tensor2D,
  x: tf.Tensor2D,
  params: P,
): tf.Tensor2D {
  const tree = params as unknown as TensorTree;
  const leaves = flattenTree(tree);
  const rebuild = (list: tf.Tensor[]): P => rebuildTree(tree, list) as unknown as P;
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args[args.length - 1] as tf.GradSaveFunc;
    const inputs = args.slice(0, -1) as tf.Tensor[];
    save(inputs);
    const value = tf.tidy(() => block(inputs[0] as tf.Tensor2D, rebuild(inputs.slice(1))));
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
        withOwnTape(() =>
          tf.tidy(() =>
            tf.grads((...xs: tf.Tensor[]) =>
              tf.sum(tf.mul(block(xs[0] as tf.Tensor2D, rebuild(xs.slice(1))), dy)),
            )(saved),
          ),
        ),
    };
  }) as unknown as (...inputs: tf.Tensor[]) => tf.Tensor2D;
  return op(x, ...leaves);
}
