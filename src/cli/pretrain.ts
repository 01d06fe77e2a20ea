/**
 * `npm run pretrain -- --force` or `npm run pretrain -- --out <dir>`
 *
 * Pretrains SREL on the project's own sample cities (Metropolis, then Riverton; both made by
 * the seeded generator) and writes the model the app offers as a starting point for
 * fine-tuning: `srel-pretrained.json` (config, input widths, weights manifest),
 * `srel-pretrained.weights.bin` and `MODEL_CARD.md`. Deterministic on one backend (seed 0).
 * No benchmark data is used. The committed model (models/srel) is only overwritten with
 * `--force` (issue 19); `--out` writes elsewhere. The flags are checked before TensorFlow.js is
 * imported, so `--help` and a bad flag answer at once.
 */
import { resolve } from 'node:path';
import type { City } from '../core/city/types';
import { cliArgs, type FlagKinds } from './args';

const COMMITTED = resolve(import.meta.dirname, '../../models/srel');
export const PRETRAINED_NAME = 'srel-pretrained';

export const PRETRAIN_USAGE = `Usage: npm run pretrain -- (--force | --out <dir>) [--metropolis-epochs 40] [--riverton-epochs 300]

Pretrains SREL on the sample cities (Metropolis, then Riverton; seed 0; minutes of CPU) and
writes ${PRETRAINED_NAME}.json, ${PRETRAINED_NAME}.weights.bin and MODEL_CARD.md.

  --out <dir>               where to write (default models/srel, the model the app ships)
  --force                   allow overwriting the committed models/srel (without it, writing
                            there is refused before any training starts)
  --metropolis-epochs 40    epochs on Metropolis (default 40)
  --riverton-epochs 300     epochs on Riverton after it (default 300)
  --help, -h                this text`;

export const PRETRAIN_FLAGS: FlagKinds = {
  out: 'string',
  force: 'boolean',
  'metropolis-epochs': 'string',
  'riverton-epochs': 'string',
};

export interface PretrainPlan {
  out: string;
  metropolisEpochs: number;
  rivertonEpochs: number;
}

/**
 * Pure: the run the parsed flags ask for, or the reason to refuse it (writing over the
 * committed models/srel without --force, or an epoch count that is not a positive integer).
 */
export function pretrainPlan(values: Record<string, string | boolean | undefined>): PretrainPlan | string {
  const out = resolve(typeof values.out === 'string' ? values.out : COMMITTED);
  if (out === COMMITTED && values.force !== true)
    return `refusing to overwrite the committed ${COMMITTED}: pass --force to replace it, or --out <dir> to write elsewhere`;
  const epochs = (name: string, fallback: number): number | string => {
    const text = values[name];
    const n = typeof text === 'string' ? Number(text) : fallback;
    return Number.isInteger(n) && n > 0 ? n : `--${name} must be a positive integer, got ${String(text)}`;
  };
  const metropolisEpochs = epochs('metropolis-epochs', 40);
  if (typeof metropolisEpochs === 'string') return metropolisEpochs;
  const rivertonEpochs = epochs('riverton-epochs', 300);
  if (typeof rivertonEpochs === 'string') return rivertonEpochs;
  return { out, metropolisEpochs, rivertonEpochs };
}

async function main(): Promise<void> {
  const planned = pretrainPlan(cliArgs(process.argv.slice(2), PRETRAIN_USAGE, PRETRAIN_FLAGS).values);
  if (typeof planned === 'string') {
    console.error(`error: ${planned}\n\n${PRETRAIN_USAGE}`);
    process.exit(2);
  }
  const { out } = planned;
  const plan: [string, number][] = [
    ['metropolis', planned.metropolisEpochs],
    ['riverton', planned.rivertonEpochs],
  ];
  const { mkdirSync, writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { useBackend } = await import('../core/backend');
  const { loadCity } = await import('../core/city/load');
  const { evaluateAllTasks } = await import('../core/eval/tasks');
  const { buildSpatialPriors } = await import('../core/spatial/priors');
  const { srelInputs } = await import('../core/srel/inputs');
  const { saveSrel } = await import('../core/srel/serialize');
  const { SrelModel, srelDims } = await import('../core/srel/train');
  const { directorySource } = await import('./fsSource');
  const SAMPLES = join(import.meta.dirname, '../../sample-cities');
  const { backend } = await useBackend();
  const cities = new Map<string, City>();
  for (const [key] of plan) {
    const { city } = await loadCity(directorySource(join(SAMPLES, key)));
    if (!city) throw new Error(`cannot load sample city ${key}`);
    cities.set(key, city);
  }
  const inputsOf = (key: string) => {
    const city = cities.get(key) as City;
    return srelInputs(city, buildSpatialPriors(city));
  };
  const first = inputsOf(plan[0][0]);
  const model = new SrelModel({ seed: 0 }, srelDims(first));
  const lines: string[] = [];
  for (const [key, epochs] of plan) {
    const inputs = inputsOf(key);
    const started = performance.now();
    const history = await model.train(inputs, {
      epochs,
      onEpoch: (r) => {
        if (r.epoch % 20 === 0 || r.epoch === r.epochs)
          console.log(`${key}: epoch ${r.epoch}/${r.epochs}, loss ${r.loss.toFixed(4)}`);
      },
    });
    const seconds = (performance.now() - started) / 1000;
    const last = history[history.length - 1];
    const city = cities.get(key) as City;
    const e = Float64Array.from(await model.embed(inputs));
    const r2 = evaluateAllTasks(e, model.config.embeddingSize, city)
      .map((t) => `${t.task} ${t.r2.toFixed(3)}`)
      .join(', ');
    lines.push(
      `| ${city.metadata.name} | ${city.regions.length} | ${epochs} | ${history[0].loss.toFixed(3)} → ${last.loss.toFixed(3)} | ${(seconds / epochs).toFixed(3)} | ${r2} |`,
    );
  }
  const saved = await saveSrel(
    model,
    { pretrainedOn: plan.map(([k, e]) => `${k}:${e}`).join(',') },
    `${PRETRAINED_NAME}.weights.bin`,
  );
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, `${PRETRAINED_NAME}.json`), JSON.stringify(saved.manifest, null, 1) + '\n');
  writeFileSync(join(out, `${PRETRAINED_NAME}.weights.bin`), saved.weights);
  const params = saved.weights.length / 4;
  const c = model.config;
  writeFileSync(
    join(out, 'MODEL_CARD.md'),
    `# SREL pretrained on the sample cities

Made by \`npm run pretrain\` (src/cli/pretrain.ts), seed 0, ${backend} backend, from the
project's own synthetic sample cities only (no benchmark data): first Metropolis, then
Riverton, with SREL's self-supervised losses (mobility, POI and land-use reconstruction;
docs/model.md). No task labels are used in training.

## Architecture
Hidden width ${c.hiddenSize}, embedding ${c.embeddingSize}, ${c.intraViewLayers} intra-view block(s) per view,
${c.regionFusionLayers} Graphormer region-fusion blocks, ${c.heads} heads, feed-forward ${c.feedForwardSize},
dropout ${c.dropout}; distance prior ${c.priors.distance ? 'on' : 'off'}, centrality ${c.priors.centrality ? 'on' : 'off'}.
${params.toLocaleString('en-US')} float32 parameters (${(saved.weights.length / 1e6).toFixed(1)} MB). Input widths: ${model.dims.poiDim} POI
categories, ${model.dims.landUseDim} land-use classes, mobility view ${model.dims.mobilityDim}. No width depends on the
number of regions.

## Training
| city | regions | epochs | loss first → last | s/epoch | ridge R² on its tasks (10-fold) |
| --- | --- | --- | --- | --- | --- |
${lines.join('\n')}

The R² figures are on the cities the model was trained on (self-supervised, without labels),
as a sanity check, not a claim about other cities.

## Use
The app's training settings offer it as "Start from: pretrained (sample cities)"; the
weights of every layer whose shape fits the new city are copied, and layers whose input
width depends on the city's categories (a city with a different number of land-use classes
has a different land-use and mobility projection) start fresh. Fine-tuning then trains all
weights on the new city.

## Limitations
Synthetic cities: their POI mix, land use and trips come from a generator with known
formulas. The model is a starting point that saves epochs, not a general urban model.
`,
  );
  console.log(
    `\nwrote ${out}/${PRETRAINED_NAME}.json, .weights.bin (${(saved.weights.length / 1e6).toFixed(1)} MB) and MODEL_CARD.md`,
  );
  console.log(lines.join('\n'));
}

if (process.argv[1]?.endsWith('pretrain.ts'))
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
