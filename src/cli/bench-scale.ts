/**
 * `npm run bench:scale [-- --city sample-cities/metropolis --epochs 3]`: SREL on a large
 * city (2,000 regions): seconds per epoch, tensor memory and process memory. Figures only;
 * no test asserts timings (these machines are shared and noisy).
 */
import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import { useBackend } from '../core/backend';
import { loadCity } from '../core/city/load';
import { srelInputs } from '../core/srel/inputs';
import { SrelModel, srelDims } from '../core/srel/train';
import { buildSpatialPriors } from '../core/spatial/priors';
import { directorySource } from './fsSource';

const argv = process.argv.slice(2);
const arg = (flag: string, fallback: string): string => {
  const i = argv.indexOf(flag);
  return i >= 0 ? argv[i + 1] : fallback;
};
const path = arg('--city', join(import.meta.dirname, '../../sample-cities/metropolis'));
const epochs = Number(arg('--epochs', '3'));
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

const { backend } = await useBackend();
let t = performance.now();
const { city, problems } = await loadCity(directorySource(path));
if (!city) throw new Error(problems.map((p) => p.message).join('; '));
console.log(
  `${city.metadata.name}: ${city.regions.length} regions, loaded in ${((performance.now() - t) / 1000).toFixed(2)} s`,
);
t = performance.now();
const priors = buildSpatialPriors(city);
console.log(`spatial priors (distance, adjacency, hops): ${((performance.now() - t) / 1000).toFixed(2)} s`);
t = performance.now();
const inputs = srelInputs(city, priors);
console.log(`SREL inputs: ${((performance.now() - t) / 1000).toFixed(2)} s`);
const overrides = JSON.parse(arg('--config', '{}')) as Record<string, unknown>;
const model = new SrelModel({ epochs, ...overrides }, srelDims(inputs));
console.log(`config overrides: ${JSON.stringify(overrides)}`);
let peakTensorBytes = 0;
const history = await model.train(inputs, {
  onEpoch: (r) => {
    peakTensorBytes = Math.max(peakTensorBytes, tf.memory().numBytes);
    console.log(`epoch ${r.epoch}: ${r.seconds.toFixed(2)} s, loss ${r.loss.toFixed(0)}`);
  },
});
t = performance.now();
await model.embed(inputs);
const mean = history.slice(1).reduce((a, r) => a + r.seconds, 0) / Math.max(1, history.length - 1);
console.log(`\n| regions | backend | s/epoch (after the first) | embed s | tensor memory | process RSS |`);
console.log(`| --- | --- | --- | --- | --- | --- |`);
console.log(
  `| ${city.regions.length} | ${backend} | ${mean.toFixed(2)} | ${((performance.now() - t) / 1000).toFixed(2)} | ${mb(peakTensorBytes)} | ${mb(process.memoryUsage().rss)} |`,
);
