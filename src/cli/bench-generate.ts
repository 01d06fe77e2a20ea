/**
 * `npm run bench:generate -- --regions 5000,20000,100000`: how long generateLargeCity takes and
 * how much memory it holds, one fresh process per size (so each peak RSS is its own). Figures
 * only, never asserted in tests.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { cliArgs } from './args';

const USAGE = `Usage: npm run bench:generate -- [--regions 5000,20000,100000] [--seed 15]

Times generateLargeCity and measures the memory it holds, one fresh process per size; prints a
Markdown table, writes nothing.

  --regions 5000,20000,100000   sizes, comma-separated (default 5000,20000,100000)
  --seed 15                     seed of the generated cities (default 15)
  --help, -h                    this text`;

const argv = process.argv.slice(2);
// --child <regions>: the one size a child process runs (set by the parent).
cliArgs(argv, USAGE, { regions: 'string', seed: 'string', child: 'string' });
const flag = (name: string, fallback: string): string => {
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] ? argv[i + 1] : fallback;
};
const MARK = 'BENCH_GENERATE_RECORD ';

interface GenerateRecord {
  regions: number;
  wallSeconds: number;
  cpuSeconds: number;
  tripEntries: number;
  /** heapUsed + external (typed arrays among it) after a full GC, with the city still held. */
  heldBytes: number;
  peakRssBytes: number;
}

/** In the child: one size. */
async function one(regions: number, seed: number): Promise<void> {
  const { generateLargeCity } = await import('../core/samples/largeCity');
  const { nonZeros } = await import('../core/math/sparse');
  const cpu = process.cpuUsage();
  const t = performance.now();
  const large = generateLargeCity({ seed, regions });
  const wallSeconds = (performance.now() - t) / 1000;
  const used = process.cpuUsage(cpu);
  (globalThis as { gc?: () => void }).gc?.();
  const memory = process.memoryUsage();
  const record: GenerateRecord = {
    regions: large.city.regions.length,
    wallSeconds,
    cpuSeconds: (used.user + used.system) / 1e6,
    tripEntries: nonZeros(large.trips),
    heldBytes: memory.heapUsed + memory.external, // external includes arrayBuffers
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
  };
  console.log(MARK + JSON.stringify(record));
}

function child(regions: number, seed: number): Promise<GenerateRecord | string> {
  return new Promise((resolve) => {
    const script = fileURLToPath(import.meta.url);
    const args = [
      '--expose-gc',
      ...process.execArgv,
      script,
      '--child',
      String(regions),
      '--seed',
      String(seed),
    ];
    const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    proc.stdout.on('data', (c: Buffer) => (out += c.toString()));
    proc.stderr.on('data', (c: Buffer) => (err += c.toString()));
    proc.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith(MARK));
      resolve(line ? (JSON.parse(line.slice(MARK.length)) as GenerateRecord) : `exit ${code}: ${err.trim()}`);
    });
  });
}

const mb = (b: number): string => `${Math.round(b / 2 ** 20)} MB`;

async function main(): Promise<void> {
  const seed = Number(flag('--seed', '15'));
  if (argv.includes('--child')) return one(Number(flag('--child', '0')), seed);
  const sizes = flag('--regions', '5000,20000,100000').split(',').map(Number);
  console.log('| regions | wall s | CPU s | held after GC | peak RSS | trip entries | per region |');
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const regions of sizes) {
    const r = await child(regions, seed);
    if (typeof r === 'string')
      console.log(`| ${regions} | failed: ${r.replace(/\s+/g, ' ').slice(0, 200)} |`);
    else
      console.log(
        `| ${r.regions} | ${r.wallSeconds.toFixed(1)} | ${r.cpuSeconds.toFixed(1)} | ${mb(r.heldBytes)} | ` +
          `${mb(r.peakRssBytes)} | ${r.tripEntries} | ${(r.tripEntries / r.regions).toFixed(1)} |`,
      );
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
