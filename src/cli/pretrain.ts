/**
 * `npm run pretrain [-- --out models/srel --metropolis-epochs 40 --riverton-epochs 300]`
 *
 * Pretrains SREL on the project's own sample cities (Metropolis, then Riverton; both made by
 * the seeded generator) and writes the model the app offers as a starting point for
 * fine-tuning: `srel-pretrained.json` (config, input widths, weights manifest),
 * `srel-pretrained.weights.bin` and `MODEL_CARD.md`. Deterministic on one backend (seed 0).
 * No benchmark data is used.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useBackend } from '../core/backend';
import { loadCity } from '../core/city/load';
import type { City } from '../core/city/types';
import { evaluateAllTasks } from '../core/eval/tasks';
import { buildSpatialPriors } from '../core/spatial/priors';
import { srelInputs } from '../core/srel/inputs';
import { saveSrel } from '../core/srel/serialize';
import { SrelModel, srelDims } from '../core/srel/train';
import { directorySource } from './fsSource';

const SAMPLES = join(import.meta.dirname, '../../sample-cities');
export const PRETRAINED_NAME = 'srel-pretrained';

function arg(argv: string[], flag: string, fallback: string): string {
  const i = argv.indexOf(flag);
  return i >= 0 && argv[i + 1] ? argv[i + 1] : fallback;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const out = arg(argv, '--out', join(import.meta.dirname, '../../models/srel'));
  const plan: [string, number][] = [
    ['metropolis', Number(arg(argv, '--metropolis-epochs', '40'))],
    ['riverton', Number(arg(argv, '--riverton-epochs', '300'))],
  ];
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
Riverton, with the self-supervised losses of method.md (mobility, POI and land-use
reconstruction). No task labels are used in training.

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

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
