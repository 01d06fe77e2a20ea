/**
 * `npm run city -- train <city> --out <folder>`: the app's training run without a browser.
 * It trains SREL on the city (a bundle folder or .zip, a GeoJSON, a benchmark folder, a URL)
 * with the same pipeline the app's training worker runs (core/pipeline), scores every task
 * on the city's protocol, and writes the files the app's downloads give: embeddings (.npy,
 * .csv), predictions (.csv, GeoJSON), the report (.md, .json) and the model (.json, .bin).
 * Progress (epochs, time left) goes to stderr. The path batch users and a job queue take.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { NODE_BACKENDS, type BackendName } from '../core/backend';
import { formatProblem } from '../core/city/problems';
import { describeNotDecimal, parseDecimal } from '../core/io/number';
import type { City, LoadResult } from '../core/city/types';
import type { CheckpointPolicy, RunCheckpoint } from '../core/pipeline/checkpoint';
import { runFiles } from '../core/export/runFiles';
import { DEFAULT_TRAIN_SETTINGS, srelConfigFrom, type TrainSettings } from '../core/pipeline/settings';
import { trainRun, type RunResult } from '../core/pipeline/trainRun';
import type { RunEvent, TrainingJob } from '../core/pipeline/types';
import { clock, secondsLeftAt } from '../core/progress';
import type { SavedSrel, SrelManifest } from '../core/srel/serialize';
import { tasksOfCity } from '../core/tasks/tasks';

export const TRAIN_USAGE = `npm run city -- train <city folder | bundle.zip | regions.geojson | URL> --out <folder>
         [--epochs N] [--seed N] [--embedding-size N] [--layers N] [--heads N]
         [--no-distance-prior] [--no-centrality] [--backend wasm|cpu|auto]
         [--start pretrained|<model.json>]`;

const HELP = `usage: ${TRAIN_USAGE}

Trains SREL on the city as the app does (same pipeline, same defaults: ${DEFAULT_TRAIN_SETTINGS.epochs} epochs,
embedding size ${DEFAULT_TRAIN_SETTINGS.embeddingSize}, ${DEFAULT_TRAIN_SETTINGS.regionFusionLayers} region-fusion layers, ${DEFAULT_TRAIN_SETTINGS.heads} heads, seed 0), scores every task with
held-out cross-validation on the city's protocol, and writes into --out the files the app's
downloads give: embeddings (.npy, .csv), predictions (.csv, .geojson), the report (.md, .json)
and the model (.json manifest and .bin weights).

  --start pretrained     fine-tune the shipped model (models/srel) instead of starting from scratch
  --start <model.json>   fine-tune a model you exported (its .bin beside it)
  --backend              TensorFlow.js backend: wasm (default), cpu, or auto (the faster of the two)`;

/** The pretrained model the project ships, as the app serves it. */
const PRETRAINED = join(import.meta.dirname, '../../models/srel/srel-pretrained.json');

export interface TrainCommandOptions {
  settings: TrainSettings;
  seed: number;
  start: string | null;
  out: string;
}

/** Parse the flags; a string is the error to print (with the usage). */
export function parseTrainArgs(argv: string[]): { target: string; options: TrainCommandOptions } | string {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        out: { type: 'string' },
        epochs: { type: 'string' },
        seed: { type: 'string' },
        'embedding-size': { type: 'string' },
        layers: { type: 'string' },
        heads: { type: 'string' },
        'no-distance-prior': { type: 'boolean' },
        'no-centrality': { type: 'boolean' },
        backend: { type: 'string' },
        start: { type: 'string' },
      },
    });
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) return 'give one city to train on';
  if (!values.out) return '--out <folder> is required';
  const integer = (
    name: string,
    text: string | undefined,
    fallback: number,
    min: number,
  ): number | string => {
    if (text === undefined) return fallback;
    // A decimal (Number() would take 0x10 as 16, and "" or " " as 0).
    const v = parseDecimal(text);
    if (v === null) return `--${name} ${describeNotDecimal(text)}; expected an integer of at least ${min}`;
    return Number.isInteger(v) && v >= min
      ? v
      : `--${name} must be an integer of at least ${min}, got "${text}"`;
  };
  const epochs = integer('epochs', values.epochs, DEFAULT_TRAIN_SETTINGS.epochs, 1);
  const seed = integer('seed', values.seed, 0, 0);
  const embeddingSize = integer(
    'embedding-size',
    values['embedding-size'],
    DEFAULT_TRAIN_SETTINGS.embeddingSize,
    1,
  );
  const layers = integer('layers', values.layers, DEFAULT_TRAIN_SETTINGS.regionFusionLayers, 0);
  const heads = integer('heads', values.heads, DEFAULT_TRAIN_SETTINGS.heads, 1);
  for (const v of [epochs, seed, embeddingSize, layers, heads]) if (typeof v === 'string') return v;
  const backend = values.backend ?? 'wasm';
  if (backend !== 'auto' && !NODE_BACKENDS.includes(backend as BackendName))
    return `--backend must be auto, ${NODE_BACKENDS.join(' or ')}, got "${backend}"`;
  const start = values.start ?? null;
  return {
    target: positionals[0],
    options: {
      settings: {
        ...DEFAULT_TRAIN_SETTINGS,
        epochs: epochs as number,
        embeddingSize: embeddingSize as number,
        regionFusionLayers: layers as number,
        heads: heads as number,
        distancePrior: !values['no-distance-prior'],
        centrality: !values['no-centrality'],
        backend: backend as TrainSettings['backend'],
        start: start === null ? 'scratch' : start === 'pretrained' ? 'pretrained' : 'imported',
      },
      seed: seed as number,
      start,
      out: values.out,
    },
  };
}

/** A saved model from its manifest path (the weights file named in it, beside it). */
async function readModel(manifestPath: string): Promise<SavedSrel> {
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as SrelManifest;
  if (manifest.format !== 'topt-srel') throw new Error(`${manifestPath} is not an SREL model manifest`);
  const weightsFile = manifest.weightsManifest[0]?.paths[0];
  if (!weightsFile) throw new Error(`${manifestPath} names no weights file`);
  return { manifest, weights: new Uint8Array(await readFile(join(dirname(manifestPath), weightsFile))) };
}

/** One line per tenth of the run (and per backend, start and task), on stderr. */
function progressPrinter(epochs: number, log: (line: string) => void): (e: RunEvent) => void {
  const every = Math.max(1, Math.round(epochs / 10));
  let evaluating = -1;
  return (e) => {
    if (e.type === 'probing') log(`trying the ${e.backend} backend…`);
    else if (e.type === 'backend') log(`backend: ${e.backend} (${e.reason})`);
    else if (e.type === 'notice') log(e.message);
    else if (e.type === 'started') log(`training ${epochs} epochs, ${e.description}`);
    else if (e.type === 'epoch' && (e.report.epoch % every === 0 || e.report.epoch === e.report.epochs)) {
      const { epoch, loss, elapsedSeconds } = e.report;
      const left = secondsLeftAt(epoch / e.report.epochs, elapsedSeconds);
      log(
        `epoch ${epoch} of ${e.report.epochs} · loss ${loss.toFixed(2)} · ${clock(elapsedSeconds)} elapsed${left !== null ? ` · about ${clock(left)} left` : ''}`,
      );
    } else if (e.type === 'evaluating' && e.taskIndex !== evaluating && e.tasks > 0) {
      evaluating = e.taskIndex;
      log(`cross-validating ${e.task} (${e.taskIndex + 1} of ${e.tasks})…`);
    }
  };
}

/** Parse, load, train, write; returns the exit code. */
export async function trainCommand(
  argv: string[],
  load: (target: string) => Promise<LoadResult>,
  log: (line: string) => void = (line) => console.error(line),
): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(HELP);
    return 0;
  }
  const parsed = parseTrainArgs(argv);
  if (typeof parsed === 'string') {
    console.error(`error: ${parsed}\nusage: ${TRAIN_USAGE}`);
    return 2;
  }
  const { target, options } = parsed;
  const loaded = await load(target);
  for (const p of loaded.problems) log(formatProblem(p));
  if (!loaded.city) return 1;
  const city = loaded.city;
  const { poi, landUse, trips } = city.views;
  if (!poi || !landUse || !trips) {
    console.error(
      `error: SREL needs POI counts, land use and trips; ${city.metadata.name} lacks ${[!poi && 'POI counts', !landUse && 'land use', !trips && 'trips'].filter(Boolean).join(', ')} (fill them with npm run city -- import)`,
    );
    return 1;
  }
  try {
    await trainToFolder({ city, ...options, log });
  } catch (e) {
    if (!(e instanceof StartModelError)) throw e;
    console.error(`error: ${e.message}`);
    return 1;
  }
  return 0;
}

/** The model to start from could not be read (`--start`). */
export class StartModelError extends Error {}

export interface TrainToFolderOptions extends TrainCommandOptions {
  city: City;
  log: (line: string) => void;
  /** The files' creation time (default now); the queue passes its submission time, so a job
   * run twice gives byte-identical files. */
  createdAt?: Date;
  /** Go on from this checkpoint instead of epoch 0. */
  resume?: RunCheckpoint;
  /** Called with each checkpoint the run keeps (policy: `checkpointEvery`). */
  onCheckpoint?: (checkpoint: RunCheckpoint) => void;
  checkpointEvery?: CheckpointPolicy;
  /** Every event of the run, besides the progress lines `log` gets. */
  onEvent?: (e: RunEvent) => void;
}

/** Train on a loaded city and write the app's download files into `out` (each file atomically). */
export async function trainToFolder(options: TrainToFolderOptions): Promise<RunResult> {
  const { city, log } = options;
  let initial: TrainingJob['initial'] = null;
  try {
    if (options.start === 'pretrained')
      initial = { name: 'the pretrained model (sample cities)', model: await readModel(PRETRAINED) };
    else if (options.start) initial = { name: options.start, model: await readModel(options.start) };
  } catch (e) {
    throw new StartModelError(e instanceof Error ? e.message : String(e));
  }
  const tasks = tasksOfCity(city);
  const started = Date.now();
  const printer = progressPrinter(options.settings.epochs, log);
  const result = await trainRun(
    {
      city,
      tasks,
      config: { ...srelConfigFrom(options.settings), seed: options.seed },
      initial,
      resume: options.resume,
    },
    {
      backend: options.settings.backend,
      available: NODE_BACKENDS,
      checkpoints: options.onCheckpoint ? (options.checkpointEvery ?? true) : false,
      onEvent: (e) => {
        printer(e);
        if (e.type === 'checkpoint') options.onCheckpoint?.(e.checkpoint);
        options.onEvent?.(e);
      },
    },
  );
  const settings = { ...options.settings, seed: options.seed, start: options.start ?? 'scratch' };
  await mkdir(options.out, { recursive: true });
  for (const { label, file } of runFiles(city, tasks, result, settings, options.createdAt ?? new Date())) {
    const f = file();
    const path = join(options.out, f.name);
    // Written under a temporary name, then renamed: a folder never holds half a file.
    await writeFile(`${path}.partial`, f.bytes);
    await rename(`${path}.partial`, path);
    log(`wrote ${label}: ${path}`);
  }
  for (const r of result.reports)
    log(
      `${r.task}: held-out R²${r.combined ? ` combined ${r.combined.metrics.r2.toFixed(3)} (what the app's map shows),` : ''} SREL ${r.embedding.r2.toFixed(3)}, counts only ${r.raw ? r.raw.r2.toFixed(3) : '–'}, with the task prompt ${r.prompt ? r.prompt.metrics.r2.toFixed(3) : '–'}; ${r.folds} folds${r.residualPattern ? `; residuals' Moran's I ${r.residualPattern.moransI.toFixed(3)} (pseudo p ${r.residualPattern.moransIPValue.toFixed(3)})` : ''}`,
    );
  log(`done in ${clock((Date.now() - started) / 1000)}`);
  return result;
}
