/**
 * The benchmark's training runs, one per city, SREL row and seed: the rows, where each city's
 * folder is, the key a run is kept under (benchCache.ts), and the run itself. Used by
 * `npm run bench` (bench.ts) in its own process, and by a queue worker's job process
 * (queue-run.ts) when the bench trains through the job queue (`--queue <url>`), so a run is
 * the same wherever it is trained.
 */
import { join } from 'node:path';
import { NODE_BACKENDS, type BackendName } from '../core/backend/names';
import type { City } from '../core/city/types';
import type { CheckpointPolicy, RunCheckpoint } from '../core/pipeline/checkpoint';
import { trainRun } from '../core/pipeline/trainRun';
import type { RunEvent } from '../core/pipeline/types';
import type { SrelConfig } from '../core/srel/config';
import type { SparseOptions } from '../core/srel/inputTypes';
import type { StoredRun } from './benchCache';

export const ALL_CITIES = ['chicago', 'nyc', 'sf'];
/** Sample cities the benchmark can also run on (their own folds: 10, shuffled): design choices are made here. */
export const SAMPLE_CITIES = ['riverton'];
const SAMPLE_DIR = join(import.meta.dirname, '../../sample-cities');

/** The folder of the benchmark city or sample city `key`. */
export const cityDirOf = (key: string, benchmarkDir: string): string =>
  SAMPLE_CITIES.includes(key) ? join(SAMPLE_DIR, key) : join(benchmarkDir, key);

export const LINEAR_ROW = 'SREL full, linear counts beside log1p';

/** The SREL rows of the table: ablations of the spatial priors, and variants of the full model. */
export const SREL_ROWS: {
  key: string;
  row: string;
  config: Partial<SrelConfig>;
  sparse?: Partial<SparseOptions>;
}[] = [
  {
    key: 'none',
    row: 'SREL without spatial priors',
    config: { priors: { distance: false, centrality: false, hops: false } },
  },
  {
    key: 'nocentrality',
    row: 'SREL without centrality',
    config: { priors: { distance: true, centrality: false, hops: false } },
  },
  { key: 'full', row: 'SREL full', config: { priors: { distance: true, centrality: true, hops: false } } },
  {
    key: 'linear',
    row: LINEAR_ROW,
    config: { priors: { distance: true, centrality: true, hops: false }, countFeatures: 'log1p+linear' },
  },
  {
    // What sparsity costs: the large-city model on the benchmark cities, k well below N.
    key: 'sparse',
    row: 'SREL full, sparse: 16 neighbours (4 shared), 16 trips + 16 drawn, 16 similarity pairs',
    config: { priors: { distance: true, centrality: true, hops: false } },
    sparse: { neighbours: 16, sharedRegions: 4, positives: 16, negatives: 16, similarityPairs: 16 },
  },
  {
    // What mini-batches cost: the same sparse model trained in batches of 40 seeds (a city
    // of 150 regions in about four batches), against the 'sparse' row.
    key: 'batched',
    row: 'SREL full, sparse as above, in mini-batches of 40 seeds',
    config: { priors: { distance: true, centrality: true, hops: false } },
    sparse: {
      neighbours: 16,
      sharedRegions: 4,
      positives: 16,
      negatives: 16,
      similarityPairs: 16,
      batchAbove: 0,
      batchRegions: 40,
    },
  },
  {
    key: 'hops',
    row: 'SREL full with the hop-distance prior (where the city has adjacency)',
    config: { priors: { distance: true, centrality: true, hops: true } },
  },
];
export const DEFAULT_ROW_KEYS = ['none', 'nocentrality', 'full', 'linear'];
/** Rows whose checkpoints the honest selection rows choose among. */
export const FULL_ROWS = ['SREL full', LINEAR_ROW];

/**
 * Epochs at which the full rows keep an embedding for the honest selection rows (the final
 * one is always kept): spaced roughly geometrically over the whole run, because quality can
 * peak early (the issue reports SF peaking between 100 and 1,000 epochs) and a grid that
 * starts late could never find that.
 */
export function checkpointEpochs(epochs: number): number[] {
  return [5, 10, 25, 50, 100, 200, 300, 400, 600, 800, 1000, 1500, 2000].filter((e) => e < epochs);
}

/** The key a trained run is kept under: city, row, seed and epoch count. */
export const runKeyOf = (city: string, rowKey: string, seed: number, epochs: number): string =>
  `${city}-${rowKey}-seed${seed}-epochs${epochs}`;

/** One benchmark run, as a queued job carries it (plain JSON). */
export interface BenchRunSpec {
  /** The city's key (chicago, riverton, ...). */
  city: string;
  /** Its folder (absolute, on the shared file system). */
  dir: string;
  /** The SREL row's key (SREL_ROWS). */
  row: string;
  seed: number;
  epochs: number;
}

/**
 * Train one run of the benchmark: the app's own training run (core/pipeline), keeping the
 * snapshots every row's ensemble averages and, for the full rows, the embeddings at
 * checkpointEpochs, among which the honest selection rows choose using each fold's training
 * regions only. `resume`, `checkpointEvery` and `onEvent` (checkpoints among its events) are
 * the queue's: a job a dead worker left goes on from its last checkpoint.
 */
export async function trainBenchRun(
  city: City,
  spec: Pick<BenchRunSpec, 'row' | 'seed' | 'epochs'>,
  backend: BackendName,
  extra: {
    resume?: RunCheckpoint;
    checkpointEvery?: CheckpointPolicy;
    onEvent?: (event: RunEvent) => void;
  } = {},
): Promise<StoredRun> {
  const row = SREL_ROWS.find((r) => r.key === spec.row);
  if (!row) throw new Error(`unknown row "${spec.row}" (use ${SREL_ROWS.map((r) => r.key).join(', ')})`);
  const result = await trainRun(
    {
      city,
      tasks: [],
      config: { ...row.config, seed: spec.seed, epochs: spec.epochs },
      initial: null,
      taskPrompts: false,
      ...(row.sparse ? { sparse: row.sparse } : {}),
      ...(extra.resume ? { resume: extra.resume } : {}),
    },
    {
      backend,
      available: NODE_BACKENDS,
      keepEpochs: FULL_ROWS.includes(row.row) ? checkpointEpochs(spec.epochs) : [],
      ...(extra.checkpointEvery ? { checkpoints: extra.checkpointEvery } : {}),
      ...(extra.onEvent ? { onEvent: extra.onEvent } : {}),
    },
  );
  return {
    history: result.history,
    d: result.d,
    embedding: result.embedding,
    snapshots: result.snapshots ?? [],
    kept: result.kept,
  };
}
