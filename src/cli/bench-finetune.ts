/**
 * `npm run bench:finetune -- --city chicago|nyc|sf|all [--seeds 3] [--epochs 300]`
 *
 * Does fine-tuning the shipped pretrained SREL (models/srel, sample cities only) reach the
 * quality of training from scratch in fewer epochs? Trains both ways per city and seed and
 * prints the protocol's ridge R² (mean over seeds) after fixed epoch counts. Nothing is
 * chosen here: the table shows every checkpoint, so the reader sees the curves.
 */
import { join } from 'node:path';
import type { SrelModel as SrelModelType } from '../core/srel/train';
import type { SrelManifest } from '../core/srel/serialize';
import { cliArgs } from './args';
import { benchmarkDirCandidates, findBenchmarkDir } from './benchmarkDir';

const MODELS = join(import.meta.dirname, '../../models/srel');

const USAGE = `Usage: npm run bench:finetune -- [--city chicago|nyc|sf|all|a,b] [--seeds 3] [--epochs 300] [--data <dir>]

Fine-tuning the shipped pretrained SREL (models/srel, read only) against training from scratch:
trains both ways per city and seed (long: 2 x seeds runs of up to --epochs epochs per city)
and prints ridge R² (mean over seeds) at fixed epoch checkpoints. Writes nothing.

  --city chicago       benchmark city or cities, comma-separated, or all (default chicago)
  --seeds 3            seeds per city (default 3)
  --epochs 300         epochs per run (default 300)
  --data <dir>         benchmark folder (default: see npm run benchmark:get -- --help)
  --help, -h           this text`;

function arg(argv: string[], flag: string, fallback: string): string {
  const i = argv.indexOf(flag);
  return i >= 0 && argv[i + 1] ? argv[i + 1] : fallback;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  cliArgs(argv, USAGE, { city: 'string', seeds: 'string', epochs: 'string', data: 'string' });
  const { readFileSync } = await import('node:fs');
  const { useBackend } = await import('../core/backend');
  const { loadCity } = await import('../core/city/load');
  const { evaluateAllTasks } = await import('../core/eval/tasks');
  const { meanAndSd } = await import('../core/eval/metrics');
  const { buildSpatialPriors } = await import('../core/spatial/priors');
  const { srelInputs } = await import('../core/srel/inputs');
  const { transferSrel } = await import('../core/srel/serialize');
  const { SrelModel, srelDims } = await import('../core/srel/train');
  const { directorySource } = await import('./fsSource');
  const cityArg = arg(argv, '--city', 'chicago');
  const cities = cityArg === 'all' ? ['chicago', 'nyc', 'sf'] : cityArg.split(',');
  const seeds = Number(arg(argv, '--seeds', '3'));
  const epochs = Number(arg(argv, '--epochs', '300'));
  const benchmarkDir = arg(argv, '--data', findBenchmarkDir() ?? benchmarkDirCandidates()[0]);
  const saved = {
    manifest: JSON.parse(readFileSync(join(MODELS, 'srel-pretrained.json'), 'utf8')) as SrelManifest,
    weights: new Uint8Array(readFileSync(join(MODELS, 'srel-pretrained.weights.bin'))),
  };
  const checkpoints = [0, 10, 25, 50, 100, 200, 300, 500, 1000].filter((e) => e <= epochs);
  const { backend } = await useBackend();
  console.log(
    `fine-tune vs scratch: ${cities.join(', ')}; ${seeds} seed(s); up to ${epochs} epochs; ${backend}`,
  );
  for (const key of cities) {
    const { city } = await loadCity(directorySource(join(benchmarkDir, key)));
    if (!city) throw new Error(`cannot load ${key}`);
    const inputs = srelInputs(city, buildSpatialPriors(city));
    // r2[start][epoch][task] -> values over seeds
    const r2 = new Map<string, number[]>();
    let fresh = '';
    for (let seed = 0; seed < seeds; seed++) {
      for (const start of ['scratch', 'pretrained'] as const) {
        let model: SrelModelType;
        if (start === 'scratch') model = new SrelModel({ seed, epochs }, srelDims(inputs));
        else {
          const t = transferSrel(saved, srelDims(inputs), { seed, epochs });
          model = t.model;
          fresh = `${t.reinitialised.length} of ${t.transferred.length + t.reinitialised.length} weight tensors start fresh`;
        }
        const record = async (epoch: number): Promise<void> => {
          const e = Float64Array.from(await model.embed(inputs));
          for (const r of evaluateAllTasks(e, model.config.embeddingSize, city)) {
            const id = `${start}|${epoch}|${r.task}`;
            r2.set(id, [...(r2.get(id) ?? []), r.r2]);
          }
        };
        if (checkpoints.includes(0)) await record(0);
        await model.train(inputs, {
          onEpoch: async (r) => {
            if (checkpoints.includes(r.epoch)) await record(r.epoch);
          },
        });
        model.dispose();
      }
    }
    const tasks = city.labels.map((l) => l.id);
    console.log(`\n### ${key} (pretrained: ${fresh})\n`);
    console.log(`| epochs | ${tasks.map((t) => `${t} scratch | ${t} fine-tuned`).join(' | ')} |`);
    console.log(`| --- | ${tasks.map(() => '--- | ---').join(' | ')} |`);
    for (const epoch of checkpoints) {
      const cells = tasks.map((t) =>
        (['scratch', 'pretrained'] as const)
          .map((s) => {
            const { mean, sd } = meanAndSd(r2.get(`${s}|${epoch}|${t}`) ?? []);
            return seeds > 1 ? `${mean.toFixed(3)} ± ${sd.toFixed(3)}` : mean.toFixed(3);
          })
          .join(' | '),
      );
      console.log(`| ${epoch} | ${cells.join(' | ')} |`);
    }
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
