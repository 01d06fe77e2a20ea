/**
 * Saving and loading SREL: a JSON manifest (config, input widths, epochs trained and a
 * tfjs-style weights manifest) plus one little-endian float32 weights file.
 */
import * as tf from '@tensorflow/tfjs';
import type { SrelConfig } from './config';
import type { SrelDims } from './model';
import { SrelModel } from './train';

export const SREL_FORMAT = 'topt-srel';
export const SREL_FORMAT_VERSION = 1;

export interface SrelManifest {
  format: typeof SREL_FORMAT;
  version: number;
  config: SrelConfig;
  dims: SrelDims;
  epochsTrained: number;
  /** tfjs weightsManifest layout: one group, one weights file. */
  weightsManifest: { paths: string[]; weights: { name: string; shape: number[]; dtype: 'float32' }[] }[];
  /** Free-form provenance, e.g. city, date, final loss. */
  meta?: Record<string, string | number>;
}

export interface SavedSrel {
  manifest: SrelManifest;
  weights: Uint8Array;
}

export async function saveSrel(
  model: SrelModel,
  meta?: Record<string, string | number>,
  weightsFile = 'srel.weights.bin',
): Promise<SavedSrel> {
  const entries = [...model.params.store.variables.entries()];
  const arrays = await Promise.all(entries.map(async ([, v]) => (await v.data()) as Float32Array));
  const total = arrays.reduce((s, a) => s + a.length, 0);
  const data = new Float32Array(total);
  let offset = 0;
  for (const a of arrays) {
    data.set(a, offset);
    offset += a.length;
  }
  return {
    manifest: {
      format: SREL_FORMAT,
      version: SREL_FORMAT_VERSION,
      config: model.config,
      dims: model.dims,
      epochsTrained: model.epochsTrained,
      weightsManifest: [
        {
          paths: [weightsFile],
          weights: entries.map(([name, v]) => ({ name, shape: v.shape, dtype: 'float32' })),
        },
      ],
      ...(meta ? { meta } : {}),
    },
    weights: new Uint8Array(data.buffer),
  };
}

/** Rebuild a model from a saved manifest and weights; throws with a specific reason on mismatch. */
export function loadSrel(saved: SavedSrel): SrelModel {
  const { manifest, weights } = saved;
  if (manifest.format !== SREL_FORMAT)
    throw new Error(`not an SREL model (format ${JSON.stringify(manifest.format)})`);
  if (manifest.version > SREL_FORMAT_VERSION)
    throw new Error(`SREL model format ${manifest.version} is newer than this app (${SREL_FORMAT_VERSION})`);
  const model = new SrelModel(manifest.config, manifest.dims);
  const specs = manifest.weightsManifest.flatMap((g) => g.weights);
  const data = new Float32Array(weights.slice().buffer);
  let offset = 0;
  for (const spec of specs) {
    const v = model.params.store.variables.get(spec.name);
    if (!v) throw new Error(`saved weight ${spec.name} does not exist in this model`);
    if (v.shape.join('x') !== spec.shape.join('x'))
      throw new Error(
        `saved weight ${spec.name} has shape ${spec.shape.join('x')}, the model expects ${v.shape.join('x')}`,
      );
    const size = spec.shape.reduce((a, b) => a * b, 1);
    if (offset + size > data.length) throw new Error('weights file is shorter than its manifest says');
    const value = tf.tensor(data.subarray(offset, offset + size), spec.shape, 'float32');
    v.assign(value);
    value.dispose();
    offset += size;
  }
  if (specs.length !== model.params.store.variables.size)
    throw new Error(
      `saved model has ${specs.length} weights, this model has ${model.params.store.variables.size}`,
    );
  if (offset !== data.length) throw new Error('weights file is longer than its manifest says');
  model.epochsTrained = manifest.epochsTrained;
  return model;
}

export interface TransferredSrel {
  model: SrelModel;
  /** Weights copied from the saved model. */
  transferred: string[];
  /** Weights left at their fresh initialisation (their shape depends on the city's views). */
  reinitialised: string[];
}

/**
 * Start a model for another city from a saved one (fine-tuning): the saved config, the new
 * city's input widths, and every saved weight whose name and shape fit copied over. No layer
 * depends on the number of regions, but the view projections depend on how many POI
 * categories and land-use classes a city has (Chicago 12 land-use classes, NYC 11, SF 23):
 * those start fresh, and the result says which.
 */
export function transferSrel(
  saved: SavedSrel,
  dims: SrelDims,
  overrides: Partial<SrelConfig> = {},
): TransferredSrel {
  const { manifest, weights } = saved;
  if (manifest.format !== SREL_FORMAT)
    throw new Error(`not an SREL model (format ${JSON.stringify(manifest.format)})`);
  const model = new SrelModel({ ...manifest.config, ...overrides }, dims);
  const data = new Float32Array(weights.slice().buffer);
  const transferred: string[] = [];
  let offset = 0;
  for (const spec of manifest.weightsManifest.flatMap((g) => g.weights)) {
    const size = spec.shape.reduce((a, b) => a * b, 1);
    if (offset + size > data.length) throw new Error('weights file is shorter than its manifest says');
    const v = model.params.store.variables.get(spec.name);
    if (v && v.shape.join('x') === spec.shape.join('x')) {
      const value = tf.tensor(data.subarray(offset, offset + size), spec.shape, 'float32');
      v.assign(value);
      value.dispose();
      transferred.push(spec.name);
    }
    offset += size;
  }
  const reinitialised = [...model.params.store.variables.keys()].filter(
    (name) => !transferred.includes(name),
  );
  model.epochsTrained = manifest.epochsTrained; // fine-tuning continues the count
  return { model, transferred, reinitialised };
}
