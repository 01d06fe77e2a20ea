/**
 * Trainable parameters of SREL: named tf.Variables, initialised from the core's seeded Rng
 * (Glorot-uniform weights, zero biases), so a seed gives the same start on every backend.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../random';

export interface LinearParams {
  w: tf.Variable; // in x out
  b: tf.Variable; // out
}

export interface LayerNormParams {
  gamma: tf.Variable;
  beta: tf.Variable;
}

/** tfjs needs globally unique variable names; several models may live side by side. */
let storeCounter = 0;

export class ParamStore {
  private readonly prefix = `srel${storeCounter++}`;
  readonly variables = new Map<string, tf.Variable>();
  private readonly rng: Rng;

  constructor(seed: number) {
    this.rng = new Rng(seed);
  }

  private add(name: string, shape: number[], values: Float32Array): tf.Variable {
    if (this.variables.has(name)) throw new Error(`duplicate parameter ${name}`);
    const initial = tf.tensor(values, shape, 'float32');
    const v = tf.variable(initial, true, `${this.prefix}/${name}`); // copies `initial`
    initial.dispose();
    this.variables.set(name, v);
    return v;
  }

  /** Glorot-uniform weight, zero bias. */
  linear(name: string, inDim: number, outDim: number): LinearParams {
    const limit = Math.sqrt(6 / (inDim + outDim));
    const w = Float32Array.from({ length: inDim * outDim }, () => this.rng.uniform(-limit, limit));
    return {
      w: this.add(`${name}.w`, [inDim, outDim], w),
      b: this.add(`${name}.b`, [outDim], new Float32Array(outDim)),
    };
  }

  layerNorm(name: string, dim: number): LayerNormParams {
    return {
      gamma: this.add(`${name}.gamma`, [dim], new Float32Array(dim).fill(1)),
      beta: this.add(`${name}.beta`, [dim], new Float32Array(dim)),
    };
  }

  /** A tensor of the given shape filled with a constant. */
  constant(name: string, shape: number[], value: number): tf.Variable {
    const size = shape.reduce((a, b) => a * b, 1);
    return this.add(name, shape, new Float32Array(size).fill(value));
  }

  /** Small random values (sd 0.02), e.g. for attention query vectors. */
  small(name: string, shape: number[]): tf.Variable {
    const size = shape.reduce((a, b) => a * b, 1);
    return this.add(
      name,
      shape,
      Float32Array.from({ length: size }, () => this.rng.normal(0, 0.02)),
    );
  }

  list(): tf.Variable[] {
    return [...this.variables.values()];
  }

  dispose(): void {
    for (const v of this.variables.values()) v.dispose();
    this.variables.clear();
  }
}
