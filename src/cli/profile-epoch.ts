/**
 * `npx tsx src/cli/profile-epoch.ts [path-or-benchmark-city]`: where one SREL training epoch
 * spends its time, by TensorFlow.js kernel (WASM backend). Figures only.
 */
import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import { useBackend } from '../core/backend';
import { loadCity } from '../core/city/load';
import { mobilityLoss, similarityLoss, sumScalars } from '../core/srel/loss';
import { denseSrelTensors, disposeSrelTensors, srelForward } from '../core/srel/model';
import { srelInputs } from '../core/srel/inputs';
import { SrelModel, srelDims } from '../core/srel/train';
import { buildSpatialPriors } from '../core/spatial/priors';
import { directorySource } from './fsSource';
import { benchmarkDirCandidates, findBenchmarkDir } from './benchmarkDir';

const target = process.argv[2] ?? 'chicago';
const path = target.includes('/') ? target : join(findBenchmarkDir() ?? benchmarkDirCandidates()[0], target);
const { backend } = await useBackend();
const { city, problems } = await loadCity(directorySource(path));
if (!city) throw new Error(problems.map((p) => p.message).join('; '));
const inputs = srelInputs(city, buildSpatialPriors(city));
const model = new SrelModel({}, srelDims(inputs));
await model.train(inputs, { epochs: 3 }); // warm up kernels
const tensors = denseSrelTensors(inputs);
const variables = model.params.store.list();
const optimizer = tf.train.adam(model.config.learningRate);
const t0 = performance.now();
const info = await tf.profile(() => {
  const { value, grads } = tf.variableGrads(() => {
    const out = srelForward(model.params, tensors, model.config, { training: true, dropoutSeed: 1 });
    const mob = tf.div(
      mobilityLoss(out.s, out.t, tensors.mobilityTarget),
      tensors.n * tensors.n,
    ) as tf.Scalar;
    return sumScalars([
      mob,
      similarityLoss(out.p, tensors.poiSimilarity),
      similarityLoss(out.l, tensors.landUseSimilarity),
    ]);
  }, variables);
  optimizer.applyGradients(Object.entries(grads).map(([name, tensor]) => ({ name, tensor })));
  tf.dispose(grads);
  return value;
});
const wall = performance.now() - t0;
const byKernel = new Map<string, { ms: number; n: number }>();
for (const k of info.kernels) {
  const entry = byKernel.get(k.name) ?? { ms: 0, n: 0 };
  entry.ms += Number(k.kernelTimeMs);
  entry.n++;
  byKernel.set(k.name, entry);
}
const total = [...byKernel.values()].reduce((a, v) => a + v.ms, 0);
console.log(
  `${city.metadata.name}, ${backend}: one epoch ${wall.toFixed(0)} ms wall (profiled), ${total.toFixed(0)} ms in ${info.kernels.length} kernels`,
);
console.log('| kernel | ms | share | calls |');
console.log('| --- | --- | --- | --- |');
for (const [name, v] of [...byKernel.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 10)) {
  console.log(`| ${name} | ${v.ms.toFixed(1)} | ${((100 * v.ms) / total).toFixed(0)}% | ${v.n} |`);
}
disposeSrelTensors(tensors);
