/**
 * The usage and flags of `npm run bench` (./bench.ts), in a module of their own with no heavy
 * imports: bench.ts imports it first, so when bench.ts is the program `--help` and a bad flag
 * are answered (exit 0 / exit 2) before TensorFlow.js is loaded or any training starts.
 */
import { cliArgs, type FlagKinds } from './args';

export const BENCH_USAGE = `Usage: npm run bench -- [--city chicago|nyc|sf|all|riverton|a,b] [--seeds 3] [--epochs 500] [--quick]
         [--rows none,nocentrality,full,linear] [--split literature|kfold:K:SEED|spatial:K:SEED[,...]]
         [--reuse-runs] [--train-only] [--ensemble-runs R] [--data <dir>] [--out results.json]
         [--queue redis://host:6379] [--runs-dir <shared folder>]
       npm run bench -- --from a.json,b.json

Trains SREL per city, row and seed for a fixed number of epochs and scores every task with the
literature's protocol; prints Markdown tables. Long: the default is 3 cities x 3 seeds x 500
epochs for each row.

  --city all             chicago, nyc, sf, all, or the sample city riverton; comma-separated (default all)
  --seeds 3              seeds per city (default 3; 1 with --quick)
  --epochs 500           epochs per run (default 500; 5 with --quick)
  --quick                1 seed, 5 epochs (a smoke run)
  --rows none,nocentrality,full,linear
                         SREL rows (default as shown; also sparse, batched, hops)
  --split literature     folds to score on: literature, kfold:K:SEED, spatial:K:SEED; several
                         comma-separated score the same runs on each (default literature)
  --reuse-runs           read trained runs back from the runs folder instead of training
  --train-only           train and keep runs in the runs folder without scoring
  --queue <url>          train the runs as jobs on the job queue in this Redis (workers:
                         npm run queue -- worker --redis <url>), wait for them, then score;
                         runs already in the runs folder are not trained again
  --runs-dir <folder>    the runs folder (default bench-results/runs); with --queue, a folder
                         every worker's machine shares
  --ensemble-runs 1      trainings of the full row per seed for the multi-seed ensemble rows
  --data <dir>           benchmark folder (default $TOPT_BENCHMARK_DIR, else the folder
                         npm run benchmark:get writes, else ../shared/benchmark)
  --out results.json     also write the records there
  --from a.json,b.json   print the tables of saved results, without training
  --help, -h             this text

Writes the records to bench-results/bench-<time>.json (git-ignored) and to --out.`;

export const BENCH_FLAGS: FlagKinds = {
  city: 'string',
  seeds: 'string',
  epochs: 'string',
  quick: 'boolean',
  rows: 'string',
  split: 'string',
  'reuse-runs': 'boolean',
  'train-only': 'boolean',
  'ensemble-runs': 'string',
  data: 'string',
  out: 'string',
  from: 'string',
  queue: 'string',
  'runs-dir': 'string',
};

if (process.argv[1]?.endsWith('bench.ts')) cliArgs(process.argv.slice(2), BENCH_USAGE, BENCH_FLAGS);
