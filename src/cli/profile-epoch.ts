/**
 * `npx tsx src/cli/profile-epoch.ts [city] [--regions N] [--epochs 1]`: where an SREL training
 * epoch spends its time, by TensorFlow.js kernel and by the kernel's input shapes (WASM backend),
 * for the city the app would train: its own inputs (`srelInputsOf`: N x N up to 1,000 regions,
 * neighbourhoods and sampled pairs above) and `SrelModel.train`, the one training loop. The first
 * epoch warms the kernels up and is not profiled. Figures only.
 *
 * Heavy modules (TensorFlow.js, the generator) are imported after the flags are read, so `--help`
 * answers at once.
 */
import { join } from 'node:path';
import { cliArgs } from './args';
import { benchmarkDirCandidates, findBenchmarkDir } from './benchmarkDir';

const USAGE = `Usage: npx tsx src/cli/profile-epoch.ts [city] [options]

Where one SREL training epoch spends its time, by TensorFlow.js kernel and input shapes.

  city            a city folder, or a benchmark city's name (default chicago)
  --regions N     instead, a city of N regions from the large-city generator (seed 15)
  --epochs 1      epochs profiled after the warm-up epoch (default 1)
  --top 12        rows of each table (default 12)
  --help, -h      this text`;

interface Row {
  ms: number;
  calls: number;
}

function table(title: string, rows: Map<string, Row>, top: number, total: number): void {
  console.log(`\n| ${title} | ms | share | calls |`);
  console.log('| --- | --- | --- | --- |');
  for (const [name, v] of [...rows.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, top))
    console.log(`| ${name} | ${v.ms.toFixed(1)} | ${((100 * v.ms) / total).toFixed(0)}% | ${v.calls} |`);
}

function add(rows: Map<string, Row>, key: string, ms: number): void {
  const row = rows.get(key) ?? { ms: 0, calls: 0 };
  row.ms += ms;
  row.calls++;
  rows.set(key, row);
}

async function main(): Promise<void> {
  const { values, positionals } = cliArgs(
    process.argv.slice(2),
    USAGE,
    { regions: 'string', epochs: 'string', top: 'string' },
    { positionals: true },
  );
  const epochs = Number(values.epochs ?? 1);
  const top = Number(values.top ?? 12);
  const tf = await import('@tensorflow/tfjs');
  const { useBackend } = await import('../core/backend');
  const { loadCity } = await import('../core/city/load');
  const { srelInputsOf } = await import('../core/pipeline/inputs');
  const { SrelModel, srelDims } = await import('../core/srel/train');
  const { generateLargeCity } = await import('../core/samples/largeCity');
  const { directorySource } = await import('./fsSource');

  let city;
  if (values.regions) {
    city = generateLargeCity({ seed: 15, regions: Number(values.regions) }).city;
  } else {
    const target = positionals[0] ?? 'chicago';
    const path = target.includes('/')
      ? target
      : join(findBenchmarkDir() ?? benchmarkDirCandidates()[0], target);
    const loaded = await loadCity(directorySource(path));
    if (!loaded.city) throw new Error(loaded.problems.map((p) => p.message).join('; '));
    city = loaded.city;
  }
  const { backend } = await useBackend();
  const inputs = srelInputsOf(city);
  const model = new SrelModel({}, srelDims(inputs));
  let t = performance.now();
  await model.train(inputs, { epochs: 1 });
  const warmUp = performance.now() - t;
  t = performance.now();
  const info = await tf.profile(async () => {
    await model.train(inputs, { epochs });
    return tf.scalar(0);
  });
  const wall = performance.now() - t;
  const byKernel = new Map<string, Row>();
  const byShape = new Map<string, Row>();
  for (const k of info.kernels) {
    const ms = Number(k.kernelTimeMs);
    add(byKernel, k.name, ms);
    add(byShape, `${k.name} ${JSON.stringify(k.inputShapes)}`, ms);
  }
  // Scopes of custom gradients ("forward", unnamed) hold kernels counted on their own too.
  const total = info.kernels.reduce((s, k) => s + Number(k.kernelTimeMs), 0);
  console.log(
    `${city.metadata.name}: ${city.regions.length} regions, ${inputs.layout} inputs, ${backend}; warm-up epoch ${(warmUp / 1000).toFixed(2)} s; ` +
      `${epochs} epoch(s) profiled in ${(wall / 1000).toFixed(2)} s wall, ${info.kernels.length} kernels`,
  );
  table('kernel', byKernel, top, total);
  table('kernel and input shapes', byShape, top, total);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
