/**
 * The usage and flags of `npm run bench:prompt` (./bench-prompt.ts), in a module of their own
 * with no heavy imports: bench-prompt.ts imports it first, so when it is the program `--help`
 * and a bad flag are answered (exit 0 / exit 2) before TensorFlow.js is loaded or any training
 * starts.
 */
import { cliArgs, type FlagKinds } from './args';

export const PROMPT_BENCH_USAGE = `Usage: npm run bench:prompt -- [--city chicago|nyc|sf|all|riverton|a,b] [--seeds 3] [--epochs 500]
         [--head-epochs 300] [--heads attention,ridge] [--sets offline,random] [--quick]
         [--data <dir>] [--out results.json]
       npm run bench:prompt -- --from a.json,b.json [--out merged.json]

Prompt4RE and the semantic ridge head on SREL embeddings trained for a fixed number of epochs,
per city and task (R², mean ± sd over seeds). Long: 3 seeds x 500 epochs by default.

  --city chicago         chicago, nyc, sf, all, or riverton; comma-separated (default chicago)
  --seeds 3              seeds (default 3; 1 with --quick)
  --epochs 500           SREL epochs (default 500; 5 with --quick)
  --head-epochs 300      Prompt4RE head epochs (default 300; 5 with --quick)
  --heads attention,ridge
                         which heads (default both)
  --sets offline,random  keep the vector sets whose names start with one of these words
  --quick                1 seed, 5 epochs, 5 head epochs (a smoke run)
  --data <dir>           benchmark folder (default $TOPT_BENCHMARK_DIR, else the folder
                         npm run benchmark:get writes, else ../shared/benchmark)
  --out results.json     also write the records as JSON (nothing else is written)
  --from a.json,b.json   print the tables of saved results, without training
  --help, -h             this text`;

export const PROMPT_BENCH_FLAGS: FlagKinds = {
  city: 'string',
  seeds: 'string',
  epochs: 'string',
  'head-epochs': 'string',
  heads: 'string',
  sets: 'string',
  quick: 'boolean',
  data: 'string',
  out: 'string',
  from: 'string',
};

if (process.argv[1]?.endsWith('bench-prompt.ts'))
  cliArgs(process.argv.slice(2), PROMPT_BENCH_USAGE, PROMPT_BENCH_FLAGS);
