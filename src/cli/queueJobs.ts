/**
 * The jobs of `npm run queue`: one headless training run each (`npm run city -- train`), named
 * by its city and settings, with its results in one folder of the shared output folder.
 *
 * A sweep file (JSON) lists runs, or a grid whose every combination is a run:
 *   {"runs": [{"city": "sample-cities/riverton", "epochs": 60, "seed": 1}, ...]}
 *   {"cities": ["sample-cities/riverton", "chicago.zip"], "seeds": [0, 1, 2], "epochs": [60]}
 * Settings are the train command's flags without dashes (epochs, seed, embedding-size, layers,
 * heads, backend, start); paths are relative to the sweep file. Each run is checked as the
 * train command checks its flags before anything is queued.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { CHECKPOINT_EVERY, type CheckpointPolicy } from '../core/pipeline/checkpoint';
import { slug } from '../core/slug';
import { hasRun, runFile } from './benchCache';
import type { BenchRunSpec } from './benchRuns';
import { parseTrainArgs } from './train';

/** What a worker needs to run one job (plain JSON: it is stored in Redis). */
export interface QueueJob {
  /** Unique per city and settings; the results folder's name. */
  id: string;
  /** Absolute path (on the shared file system) or URL of the city. */
  city: string;
  /** The train command's flags for this run, without --out. */
  args: string[];
  /** The shared output folder; results go to `<out>/<id>/`. */
  out: string;
  /** ISO time of submission: the files' creation time, so a rerun gives the same bytes. */
  createdAt: string;
  /** How often the run keeps a checkpoint a worker can resume from. */
  checkpointEvery: CheckpointPolicy;
  /**
   * Set for a run of `npm run bench -- --queue`: that run (city, row, seed, epochs) instead of
   * the train command, kept as the benchmark keeps its runs, `<out>/<id>.json` and `.bin`
   * (benchCache.ts), `out` being the bench's runs folder and `id` the run's key.
   */
  bench?: BenchRunSpec;
}

/** The file in a job's results folder that says it is complete (written last, before the rename). */
export const JOB_FILE = 'job.json';

export const resultsDir = (job: Pick<QueueJob, 'out' | 'id'>): string => join(job.out, job.id);
export const checkpointFile = (job: Pick<QueueJob, 'out' | 'id'>): string =>
  join(job.out, '.checkpoints', `${job.id}.ckpt`);
export const hasResults = (job: Pick<QueueJob, 'out' | 'id' | 'bench'>): boolean =>
  job.bench ? hasRun(job.out, job.id) : existsSync(join(resultsDir(job), JOB_FILE));
/** Where a finished job's results are: its folder, or a benchmark run's file. */
export const resultsPlace = (job: Pick<QueueJob, 'out' | 'id' | 'bench'>): string =>
  job.bench ? runFile(job.out, job.id) : resultsDir(job);

const isUrl = (s: string): boolean => /^https?:\/\//i.test(s);

/** A run's id: city slug, epochs, seed, and a hash of every setting (so two runs never share one). */
export function jobId(city: string, args: string[]): string {
  const parsed = parseTrainArgs([city, ...args, '--out', '-']);
  if (typeof parsed === 'string') throw new Error(`${city}: ${parsed}`);
  const { settings, seed } = parsed.options;
  const hash = createHash('sha256')
    .update(JSON.stringify([city, ...args]))
    .digest('hex')
    .slice(0, 8);
  const name = slug(basename(city).replace(/\.(zip|geojson|json)$/i, '')) || 'city';
  return `${name}-e${settings.epochs}-s${seed}-${hash}`;
}

type Setting = string | number | boolean;

function flagsOf(run: Record<string, Setting>, where: string): string[] {
  const args: string[] = [];
  for (const [key, value] of Object.entries(run)) {
    if (key === 'city') continue;
    if (typeof value === 'boolean') {
      if (value) args.push(`--${key}`);
    } else if (typeof value === 'string' || typeof value === 'number') args.push(`--${key}`, String(value));
    else throw new Error(`${where}: "${key}" must be a number, text or true/false`);
  }
  return args;
}

/** The runs of a sweep file: each its city (resolved) and its train flags. */
export function sweepRuns(path: string): { city: string; args: string[] }[] {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`${path}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  const base = dirname(resolve(path));
  const cityPath = (c: unknown, where: string): string => {
    if (typeof c !== 'string' || c === '') throw new Error(`${path}: ${where} has no city`);
    return isUrl(c) || isAbsolute(c) ? c : join(base, c);
  };
  const obj = (data ?? {}) as Record<string, unknown>;
  if (Array.isArray(obj.runs))
    return obj.runs.map((run: unknown, i) => {
      const r = (run ?? {}) as Record<string, Setting>;
      return { city: cityPath(r.city, `run ${i + 1}`), args: flagsOf(r, `${path}: run ${i + 1}`) };
    });
  if (Array.isArray(obj.cities)) {
    // A grid: every list (seeds, epochs, ...) multiplies the runs; a single value applies to all.
    const singular: Record<string, string> = { seeds: 'seed', cities: 'city' };
    let runs: Record<string, Setting>[] = obj.cities.map((c: unknown) => ({ city: cityPath(c, 'a city') }));
    for (const [key, value] of Object.entries(obj)) {
      if (key === 'cities') continue;
      const name = singular[key] ?? key;
      const values = (Array.isArray(value) ? value : [value]) as Setting[];
      runs = runs.flatMap((run) => values.map((v) => ({ ...run, [name]: v })));
    }
    return runs.map((r, i) => ({ city: r.city as string, args: flagsOf(r, `${path}: run ${i + 1}`) }));
  }
  throw new Error(`${path}: expected {"runs": [...]} or {"cities": [...], "seeds": [...], ...}`);
}

/** The jobs for the given cities or sweep files, each with the shared flags; checked before any is queued. */
export function jobsFor(
  targets: string[],
  shared: string[],
  out: string,
  options: { createdAt?: Date; checkpointEvery?: CheckpointPolicy } = {},
): QueueJob[] {
  const runs = targets.flatMap((t) =>
    t.toLowerCase().endsWith('.json') && !t.toLowerCase().endsWith('city.json')
      ? sweepRuns(t).map((r) => ({ city: r.city, args: [...shared, ...r.args] }))
      : [{ city: isUrl(t) ? t : resolve(t), args: shared }],
  );
  for (const { city } of runs)
    if (!isUrl(city) && !existsSync(city)) throw new Error(`${city}: no such city folder or file`);
  const createdAt = (options.createdAt ?? new Date()).toISOString();
  const jobs = runs.map(({ city, args }) => ({
    id: jobId(city, args),
    city,
    args,
    out: resolve(out),
    createdAt,
    checkpointEvery: options.checkpointEvery ?? CHECKPOINT_EVERY,
  }));
  const seen = new Set<string>();
  for (const j of jobs) {
    if (seen.has(j.id)) throw new Error(`two runs have the same city and settings (${j.id})`);
    seen.add(j.id);
  }
  return jobs;
}
