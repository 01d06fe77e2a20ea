/**
 * `npm run bench:evaluate -- [--city riverton] [--epochs 10] [--repeat 2]`
 *
 * What the app's evaluation after training costs (issue 17: under 10 s of CPU on Riverton in
 * Node): trains SREL briefly on a sample city (the embedding's values do not change the cost;
 * 10 epochs keep 10 snapshots, as the app's default 300 do, and the cost grows with them),
 * then scores every task as the training worker does (core/pipeline/evaluate.ts: the combined
 * predictor, ridge on the embedding, the raw baseline and the semantic ridge head), printing
 * wall and CPU seconds per task and in all, and what the combined predictor chose.
 */
import { join } from 'node:path';
import { cliArgs } from './args';

const HELP = `Usage: npm run bench:evaluate -- [--city riverton] [--epochs 10] [--repeat 2]
  Times the app's evaluation of every task after training (wall and CPU seconds); writes nothing.

  --city riverton   sample city (a folder of sample-cities/; default riverton)
  --epochs 10       SREL epochs before the evaluation (default 10; one snapshot per epoch)
  --repeat 2        how many times the evaluation is timed (default 2)
  --help, -h        this text`;

function arg(argv: string[], flag: string, fallback: string): string {
  const i = argv.indexOf(flag);
  return i >= 0 && argv[i + 1] ? argv[i + 1] : fallback;
}

const cpuSeconds = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  cliArgs(argv, HELP, { city: 'string', epochs: 'string', repeat: 'string' });
  const { NODE_BACKENDS, useBackend } = await import('../core/backend');
  const { loadCity } = await import('../core/city/load');
  const { evaluateTask, evaluationContext } = await import('../core/pipeline/evaluate');
  const { embeddingFeatures } = await import('../core/pipeline/inputs');
  const { DEFAULT_TRAIN_SETTINGS, srelConfigFrom } = await import('../core/pipeline/settings');
  const { trainRun } = await import('../core/pipeline/trainRun');
  const { tasksOfCity } = await import('../core/tasks/tasks');
  const { directorySource } = await import('./fsSource');
  const name = arg(argv, '--city', 'riverton');
  const epochs = Number(arg(argv, '--epochs', '10'));
  const repeat = Number(arg(argv, '--repeat', '2'));
  const { city } = await loadCity(directorySource(join(import.meta.dirname, '../../sample-cities', name)));
  if (!city) throw new Error(`cannot load the sample city ${name}`);
  const { backend } = await useBackend();
  const run = await trainRun(
    { city, tasks: [], config: srelConfigFrom({ ...DEFAULT_TRAIN_SETTINGS, epochs }), initial: null },
    { backend, available: NODE_BACKENDS },
  );
  const embedding = embeddingFeatures(run.embedding, run.d, run.snapshots ?? []);
  console.log(
    `${name}: ${city.regions.length} regions, embedding ${run.d} wide, ${run.snapshots?.length ?? 0} snapshots; ${backend}`,
  );
  for (let r = 0; r < repeat; r++) {
    const wall0 = performance.now();
    const cpu0 = cpuSeconds();
    const context = evaluationContext(city);
    const setup = { wall: (performance.now() - wall0) / 1000, cpu: cpuSeconds() - cpu0 };
    console.log(
      `\nrun ${r + 1}: context (raw sets, spatial lag) ${setup.wall.toFixed(2)} s wall, ${setup.cpu.toFixed(2)} s CPU`,
    );
    for (const task of tasksOfCity(city)) {
      const w = performance.now();
      const c = cpuSeconds();
      const report = await evaluateTask(context, task, embedding);
      const parts = report.combined?.parts.map((p) => `${p.label} ${p.weight.toFixed(2)}`).join(', ');
      console.log(
        `  ${task.id}: ${((performance.now() - w) / 1000).toFixed(2)} s wall, ${(cpuSeconds() - c).toFixed(2)} s CPU; R² combined ${report.combined?.metrics.r2.toFixed(3)}, SREL ${report.embedding.r2.toFixed(3)}, raw ${report.raw?.r2.toFixed(3)}; weights ${parts}`,
      );
    }
    console.log(
      `  all tasks: ${((performance.now() - wall0) / 1000).toFixed(2)} s wall, ${(cpuSeconds() - cpu0).toFixed(2)} s CPU`,
    );
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
