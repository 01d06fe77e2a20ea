/**
 * `npm run bench:scale -- --regions 2000,10000 --epochs 3 --out f.json`: SREL at city scale
 * (issue 15). For each size, a fresh child process generates a large city in memory
 * (core/samples/largeCity.ts, a fixed seed), builds the spatial priors and SREL's inputs
 * (`srelInputsOf`), trains SREL (`SrelModel`) for the given epochs and reports one record:
 *
 *   { regions, secondsPerEpoch, cpuSecondsPerEpoch, peakHeapBytes, setupSeconds, ok, error, … }
 *
 * With --report it then computes the task report the app and `npm run city -- train` compute
 * after training (core/pipeline/trainRun.ts): the embedding's snapshots are kept as they keep
 * them (`trainWithSnapshots`; with few epochs, a snapshot per epoch), and each of the city's
 * three tasks is scored by `evaluateTask` (nested cross-validated ridge on the snapshot
 * ensemble, the raw-feature baseline and the semantic ridge head on the offline prompt
 * features), timed as reportSeconds and reportCpuSeconds.
 *
 * A size that fails (out of memory, say) is recorded with
 * ok: false and the error's text; the others still run. Prints a markdown table; writes the
 * records as JSON with --out. Figures only: no test asserts timings (shared, noisy machines).
 *
 * Heavy modules (TensorFlow.js, the generator) are imported only in the child, after the flags
 * are read, so `--help` answers at once.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cliArgs, type FlagKinds } from './args';
import type { City } from '../core/city/types';
import type { SnapshotRun } from '../core/pipeline/trainRun';
import type { EpochReport } from '../core/srel/train';

const USAGE = `Usage: npm run bench:scale -- [options]

SREL at city scale: one fresh process per size generates a city in memory, builds SREL's inputs
and trains for a few epochs.

  --regions 150,1000,2000   sizes, comma-separated (default 150,1000,2000)
  --epochs 3                epochs per size (default 3; seconds per epoch leave out the first
                            when there are 2 or more)
  --seed 15                 seed of the generated cities (default 15)
  --config '{"heads":2}'    SREL config overrides (JSON)
  --sparse '{"batchRegions":2048}'
                            sparse-layout settings (JSON; neighbours, sharedRegions, positives,
                            negatives, similarityPairs, batchAbove, batchRegions)
  --timeout 1800            seconds before a size is stopped and recorded as failed
  --report                  after training, also compute the app's task report (three tasks,
                            snapshot ensemble, raw baseline, semantic ridge head) and time it
  --out f.json              also write the records as JSON
  --help, -h                this text
`;

/** Every flag; --child <regions> is the one size a child process runs (set by the parent). */
const SCALE_FLAGS: FlagKinds = {
  regions: 'string',
  epochs: 'string',
  seed: 'string',
  config: 'string',
  sparse: 'string',
  timeout: 'string',
  report: 'boolean',
  out: 'string',
  child: 'string',
};

export interface ScaleFlags {
  regions: number[];
  epochs: number;
  seed: number;
  config: Record<string, unknown>;
  sparse: Record<string, unknown> | null;
  timeoutSeconds: number;
  out: string | null;
  /** Also time the task report after training. */
  report: boolean;
  help: boolean;
}

/** One size's result. Timings in seconds, memory in bytes; null where the run did not get there. */
export interface ScaleRecord {
  regions: number;
  /** Mean wall seconds per epoch (after the first when there are 2 or more). */
  secondsPerEpoch: number | null;
  /** Mean CPU seconds (user + system, process.cpuUsage) per epoch, same epochs. */
  cpuSecondsPerEpoch: number | null;
  /** Largest size of the WASM backend's linear memory (it only grows); null on another backend. */
  peakHeapBytes: number | null;
  /** Building the spatial priors and SREL's inputs (srelInputsOf). */
  setupSeconds: number | null;
  ok: boolean;
  error: string | null;
  backend: string | null;
  epochs: number;
  firstEpochSeconds: number | null;
  /** Generating the city (not part of setup). */
  generateSeconds: number | null;
  /** Stored (origin, destination) pairs of the sparse trips. */
  tripEntries: number | null;
  /** Largest tf.memory().numBytes seen (tensor bytes). */
  peakTensorBytes: number | null;
  /** The child's peak resident set (process.resourceUsage().maxRSS). */
  peakRssBytes: number | null;
  /**
   * With --report: wall and CPU seconds of the task report of all the city's tasks (the raw
   * baseline and each task's prompt features included, as after a training run).
   */
  reportSeconds?: number | null;
  reportCpuSeconds?: number | null;
  /** With --report: snapshots the ensemble averaged (the embedding at each snapshot epoch). */
  snapshots?: number | null;
  /** With --report: per task, its wall seconds and held-out R² (embedding, raw, prompt head). */
  reportTasks?: {
    task: string;
    seconds: number;
    embedding: number;
    raw: number | null;
    prompt: number | null;
  }[];
  /** With --report: wall seconds of embedding the snapshots (left out of the epoch figures). */
  snapshotSeconds?: number | null;
}

/** The flags of the command line (throws with a message on a bad one). */
export function parseScaleFlags(argv: string[]): ScaleFlags {
  const value = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    if (i < 0) return undefined;
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new Error(`${flag} needs a value`);
    return v;
  };
  const positive = (flag: string, fallback: number): number => {
    const v = value(flag);
    const n = v === undefined ? fallback : Number(v);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`${flag} must be a positive integer, got ${v}`);
    return n;
  };
  const regions = (value('--regions') ?? '150,1000,2000').split(',').map((s) => Number(s.trim()));
  for (const n of regions)
    if (!Number.isInteger(n) || n < 20) throw new Error(`--regions: every size must be an integer >= 20`);
  const object = (flag: string): Record<string, unknown> | null => {
    const text = value(flag);
    if (text === undefined) return null;
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new Error(`${flag} must be a JSON object`);
    return parsed as Record<string, unknown>;
  };
  const config = object('--config') ?? {};
  return {
    regions,
    epochs: positive('--epochs', 3),
    seed: positive('--seed', 15),
    config,
    sparse: object('--sparse'),
    timeoutSeconds: positive('--timeout', 1800),
    out: value('--out') ?? null,
    report: argv.includes('--report'),
    help: argv.includes('--help') || argv.includes('-h'),
  };
}

const fixed = (v: number | null, digits: number): string => (v === null ? '–' : v.toFixed(digits));
const mb = (v: number | null): string => (v === null ? '–' : `${Math.round(v / 2 ** 20)} MB`);

/** The records as a markdown table. */
export function scaleTable(records: ScaleRecord[]): string {
  const lines = [
    '| regions | ok | backend | s/epoch | CPU s/epoch | setup s | report s | report CPU s | generate s | WASM heap | peak RSS | trip entries | error |',
    '| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const r of records)
    lines.push(
      `| ${r.regions} | ${r.ok ? 'yes' : 'no'} | ${r.backend ?? '–'} | ${fixed(r.secondsPerEpoch, 2)} | ` +
        `${fixed(r.cpuSecondsPerEpoch, 2)} | ${fixed(r.setupSeconds, 2)} | ${fixed(r.reportSeconds ?? null, 2)} | ` +
        `${fixed(r.reportCpuSeconds ?? null, 2)} | ${fixed(r.generateSeconds, 2)} | ` +
        `${mb(r.peakHeapBytes)} | ${mb(r.peakRssBytes)} | ${r.tripEntries ?? '–'} | ` +
        `${(r.error ?? '').replace(/\|/g, '\\|').replace(/\s+/g, ' ').slice(0, 160)} |`,
    );
  return lines.join('\n');
}

/** A record with nothing measured yet. */
export function emptyRecord(regions: number, epochs: number): ScaleRecord {
  return {
    regions,
    secondsPerEpoch: null,
    cpuSecondsPerEpoch: null,
    peakHeapBytes: null,
    setupSeconds: null,
    ok: false,
    error: null,
    backend: null,
    epochs,
    firstEpochSeconds: null,
    generateSeconds: null,
    tripEntries: null,
    peakTensorBytes: null,
    peakRssBytes: null,
  };
}

/** The mean of the epochs that count: all but the first when there are 2 or more. */
export function steadyMean(values: number[]): number | null {
  const counted = values.length >= 2 ? values.slice(1) : values;
  return counted.length === 0 ? null : counted.reduce((s, v) => s + v, 0) / counted.length;
}

const RESULT_MARK = 'BENCH_SCALE_RECORD ';

/**
 * The task report of every task of the city, as trainRun computes it after training (same
 * functions, same order: the evaluation context once, then evaluateTask per task with the
 * default, offline prompt features); its wall and CPU seconds and each task's R² go into
 * the record.
 */
async function timeReport(city: City, run: SnapshotRun, d: number, record: ScaleRecord): Promise<void> {
  const { embeddingFeatures } = await import('../core/pipeline/inputs');
  const { evaluateTask, evaluationContext } = await import('../core/pipeline/evaluate');
  const { tasksOfCity } = await import('../core/tasks/tasks');
  const cpu = process.cpuUsage();
  const t = performance.now();
  const features = embeddingFeatures(run.embedding, d, run.snapshots);
  const context = evaluationContext(city);
  console.log(
    `report: raw baseline (${context.sets?.plain.d ?? 0} columns) in ${((performance.now() - t) / 1000).toFixed(2)} s`,
  );
  record.snapshots = run.snapshots.length;
  record.reportTasks = [];
  for (const task of tasksOfCity(city)) {
    const start = performance.now();
    const report = await evaluateTask(context, task, features);
    const seconds = (performance.now() - start) / 1000;
    record.reportTasks.push({
      task: task.id,
      seconds,
      embedding: report.embedding.r2,
      raw: report.raw?.r2 ?? null,
      prompt: report.prompt?.metrics.r2 ?? null,
    });
    console.log(`report: ${task.id} in ${seconds.toFixed(2)} s, R² ${report.embedding.r2.toFixed(4)}`);
  }
  const used = process.cpuUsage(cpu);
  record.reportSeconds = (performance.now() - t) / 1000;
  record.reportCpuSeconds = (used.user + used.system) / 1e6;
}

/** In the child: one size, from generation to the last epoch; prints the record as its last line. */
async function runOneSize(regions: number, flags: ScaleFlags): Promise<void> {
  const record = emptyRecord(regions, flags.epochs);
  const { useBackend } = await import('../core/backend');
  const tf = await import('@tensorflow/tfjs');
  const { generateLargeCity } = await import('../core/samples/largeCity');
  const { nonZeros } = await import('../core/math/sparse');
  const { srelInputsOf } = await import('../core/pipeline/inputs');
  const { SrelModel, srelDims } = await import('../core/srel/train');
  const { trainWithSnapshots } = await import('../core/pipeline/trainRun');

  /** The WASM backend's linear memory (HEAPU8's buffer), null on another backend. */
  const wasmHeapBytes = (): number | null => {
    const backend = tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } };
    return backend.wasm?.HEAPU8?.buffer.byteLength ?? null;
  };
  const sample = (): void => {
    const heap = wasmHeapBytes();
    if (heap !== null) record.peakHeapBytes = Math.max(record.peakHeapBytes ?? 0, heap);
    record.peakTensorBytes = Math.max(record.peakTensorBytes ?? 0, tf.memory().numBytes);
  };
  const finish = (): void => {
    record.peakRssBytes = process.resourceUsage().maxRSS * 1024;
    console.log(RESULT_MARK + JSON.stringify(record));
  };
  try {
    record.backend = (await useBackend()).backend;
    let t = performance.now();
    const large = generateLargeCity({ seed: flags.seed, regions });
    record.generateSeconds = (performance.now() - t) / 1000;
    record.tripEntries = nonZeros(large.trips);
    console.log(`${regions} regions generated in ${record.generateSeconds.toFixed(2)} s`);
    const city = large.city;

    t = performance.now();
    const inputs = srelInputsOf(city, flags.config, flags.sparse ?? undefined);
    record.setupSeconds = (performance.now() - t) / 1000;
    console.log(`spatial priors and SREL inputs in ${record.setupSeconds.toFixed(2)} s`);
    sample();

    const model = new SrelModel({ ...flags.config, epochs: flags.epochs }, srelDims(inputs));
    const seconds: number[] = [];
    const cpuSeconds: number[] = [];
    // Embedding a snapshot (--report) happens inside an epoch's callback: its CPU time is kept
    // apart so that the epoch figures stay those of training alone.
    let embedCpu = 0;
    let embedWall = 0;
    let cpu = process.cpuUsage();
    const onEpoch = (r: EpochReport): void => {
      const used = process.cpuUsage(cpu);
      cpu = process.cpuUsage();
      seconds.push(r.seconds);
      cpuSeconds.push((used.user + used.system) / 1e6 - embedCpu);
      embedCpu = 0;
      sample();
      console.log(`epoch ${r.epoch}: ${r.seconds.toFixed(2)} s, loss ${r.loss.toFixed(0)}`);
    };
    let run: SnapshotRun | null = null;
    if (flags.report) {
      const embed = model.embed.bind(model);
      model.embed = async (x) => {
        const [c0, t0] = [process.cpuUsage(), performance.now()];
        const out = await embed(x);
        const used = process.cpuUsage(c0);
        embedCpu += (used.user + used.system) / 1e6;
        embedWall += (performance.now() - t0) / 1000;
        return out;
      };
      run = await trainWithSnapshots(model, inputs, { onEpoch });
      record.snapshotSeconds = embedWall;
    } else await model.train(inputs, { onEpoch });
    sample();
    record.firstEpochSeconds = seconds[0] ?? null;
    record.secondsPerEpoch = steadyMean(seconds);
    record.cpuSecondsPerEpoch = steadyMean(cpuSeconds);
    model.dispose();
    if (run) await timeReport(city, run, model.config.embeddingSize, record);
    record.ok = true;
  } catch (e) {
    sample();
    record.error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  }
  finish();
}

/** The last few lines of a failed child's output: where an out-of-memory abort says why. */
function tailOf(text: string, lines = 6): string {
  return text.trim().split('\n').slice(-lines).join(' / ');
}

/** In the parent: one child process for one size; its record, or a failed one. */
function runChild(regions: number, flags: ScaleFlags, argv: string[]): Promise<ScaleRecord> {
  const script = fileURLToPath(import.meta.url);
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [...process.execArgv, script, ...argv, '--child', String(regions)],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      stdout += text;
      for (const line of text.split('\n'))
        if (line.trim() && !line.startsWith(RESULT_MARK)) console.log(`  [${regions}] ${line}`);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), flags.timeoutSeconds * 1000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = stdout.split('\n').find((l) => l.startsWith(RESULT_MARK));
      if (line) {
        resolve(JSON.parse(line.slice(RESULT_MARK.length)) as ScaleRecord);
        return;
      }
      const record = emptyRecord(regions, flags.epochs);
      const why = signal ? `killed by ${signal}` : `exited with code ${code}`;
      record.error = `child process ${why}${stderr.trim() ? `: ${tailOf(stderr)}` : ''}`;
      resolve(record);
    });
  });
}

async function main(argv: string[]): Promise<void> {
  cliArgs(argv, USAGE, SCALE_FLAGS);
  const flags = parseScaleFlags(argv);
  if (flags.help) {
    console.log(USAGE);
    return;
  }
  const childAt = argv.indexOf('--child');
  if (childAt >= 0) {
    await runOneSize(Number(argv[childAt + 1]), flags);
    return;
  }
  const records: ScaleRecord[] = [];
  for (const regions of flags.regions) {
    console.log(`${regions} regions …`);
    records.push(await runChild(regions, flags, argv));
  }
  console.log(`\n${scaleTable(records)}`);
  if (flags.out) {
    writeFileSync(flags.out, JSON.stringify(records, null, 2) + '\n');
    console.log(`wrote ${flags.out}`);
  }
}

if (process.argv[1]?.endsWith('bench-scale.ts')) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  });
}
