/**
 * `npx tsx src/cli/bench-matmul.ts`: why SREL's linear layers use an explicit-transpose
 * gradient. Times a^T b and b w^T with tfjs's transpose flags against an explicit
 * transpose and a plain matmul on the WASM backend, at the sizes of the benchmark cities.
 */
import type * as TF from '@tensorflow/tfjs';
import { cliArgs } from './args';

const USAGE = `Usage: npx tsx src/cli/bench-matmul.ts

Times a^T b and b w^T with TensorFlow.js's transpose flags against an explicit transpose and a
plain matmul on the WASM backend, at the benchmark cities' sizes. Takes no options.

  --help, -h      this text`;

cliArgs(process.argv.slice(2), USAGE, {});
// After the flags are read, so that --help answers at once.
const tf = await import('@tensorflow/tfjs');
const { useBackend } = await import('../core/backend');

async function time(f: () => TF.Tensor, reps = 20): Promise<number> {
  for (let i = 0; i < 3; i++) tf.dispose(await f().data());
  const t = performance.now();
  for (let i = 0; i < reps; i++) {
    const r = f();
    await r.data();
    r.dispose();
  }
  return (performance.now() - t) / reps;
}

const { backend } = await useBackend();
console.log(`backend ${backend}`);
console.log('| N | a^T b (transposeA) | transpose, then a b | b w^T (transposeB) | transpose, then b w |');
console.log('| --- | --- | --- | --- | --- |');
for (const n of [77, 180, 2000]) {
  const a = tf.randomNormal([n, 288]);
  const b = tf.randomNormal([n, 144]);
  const w = tf.randomNormal([288, 144]);
  const cells = [
    await time(() => tf.matMul(a, b, true, false)),
    await time(() => tf.matMul(tf.transpose(a), b)),
    await time(() => tf.matMul(b, w, false, true)),
    await time(() => tf.matMul(b, tf.transpose(w))),
  ];
  console.log(`| ${n} | ${cells.map((c) => `${c.toFixed(2)} ms`).join(' | ')} |`);
  tf.dispose([a, b, w]);
}
