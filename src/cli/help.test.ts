/**
 * Issue 19: every CLI answers --help at once with its usage (exit 0) and refuses an unknown flag
 * (non-zero exit, naming it) without starting work; pretrain does not overwrite the committed
 * models/srel unless asked. The CLIs run as child processes with a short timeout, a few at a
 * time (shared machines); none of them trains or serves anything here.
 */
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkArgs } from './args';
import { pretrainPlan } from './pretrain';

const ROOT = join(import.meta.dirname, '../..');
const TIMEOUT_MS = 30_000;

/**
 * Every CLI: package.json's, and the entry points of src/cli run by hand or forked. Each runs
 * with tsx's loader (or plain node for .mjs) as `npm run <script>` runs it: `node --import
 * tsx`, one process where the tsx command starts two.
 */
const CLIS = [
  'src/cli/city.ts',
  'src/cli/generate-samples.ts',
  'src/cli/bench.ts',
  'src/cli/bench-scale.ts',
  'src/cli/bench-generate.ts',
  'src/cli/bench-prompt.ts',
  'src/cli/pretrain.ts',
  'src/cli/bench-finetune.ts',
  'src/cli/bench-evaluate.ts',
  'src/cli/bench-import.ts',
  'src/cli/benchmark-get.ts',
  'src/cli/queue.ts',
  'src/cli/bench-queue.ts',
  // Not in package.json: run by hand (the first two) or forked by the queue's worker.
  'src/cli/profile-epoch.ts',
  'src/cli/bench-matmul.ts',
  'src/cli/queue-run.ts',
  'scripts/bench-import-browser.ts',
  'scripts/bench-train-frames.ts',
  'scripts/bench-backend-choice.ts',
  'scripts/bench-scale-browser.ts',
  // Run with node. Left out: scripts/test.mjs (npm test), whose --help is checked by hand: were
  // it broken, a test here would start the whole suite on a shared machine.
  'scripts/start.mjs',
  'scripts/check-imports.mjs',
  'scripts/first-view-size.mjs',
];

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
  killed: boolean;
}

const run = (script: string, args: string[]): Promise<Ran> =>
  new Promise((done) => {
    execFile(
      process.execPath,
      script.endsWith('.mjs') ? [script, ...args] : ['--import', 'tsx', script, ...args],
      { cwd: ROOT, timeout: TIMEOUT_MS },
      (error, stdout, stderr) => {
        const e = error as (Error & { code?: number; killed?: boolean }) | null;
        done({
          code: e ? (typeof e.code === 'number' ? e.code : null) : 0,
          stdout,
          stderr,
          killed: !!e?.killed,
        });
      },
    );
  });

/** Runs the jobs a few at a time (the machine is shared), in order. */
async function pool<T, R>(items: T[], width: number, job: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await job(items[i]);
      }
    }),
  );
  return results;
}

describe('every CLI answers --help and refuses unknown flags (issue 19)', () => {
  it('--help: the usage on stdout, exit 0; --no-such-flag: named on stderr, exit 2, nothing started', async () => {
    const jobs = CLIS.flatMap((script) => [
      { script, args: ['--help'] },
      { script, args: ['--no-such-flag'] },
    ]);
    // city checks the flags of each subcommand.
    jobs.push(
      { script: 'src/cli/city.ts', args: ['train', '--help'] },
      { script: 'src/cli/city.ts', args: ['tessellate', '--help'] },
      { script: 'src/cli/city.ts', args: ['inspect', '--help'] },
      { script: 'src/cli/city.ts', args: ['import', '--help'] },
      { script: 'src/cli/city.ts', args: ['import', 'x', '--no-such-flag', '--out', 'y'] },
      { script: 'src/cli/city.ts', args: ['train', 'x', '--no-such-flag'] },
    );
    const results = await pool(jobs, 4, (j) => run(j.script, j.args));
    const failures: string[] = [];
    jobs.forEach(({ script, args }, i) => {
      const r = results[i];
      const what = `${script} ${args.join(' ')}`;
      if (r.killed) failures.push(`${what}: still running after ${TIMEOUT_MS / 1000} s`);
      else if (args.includes('--help')) {
        if (r.code !== 0) failures.push(`${what}: exit ${r.code}\n${r.stderr}`);
        if (!/^usage:/im.test(r.stdout)) failures.push(`${what}: no usage line on stdout:\n${r.stdout}`);
      } else {
        if (r.code !== 2) failures.push(`${what}: exit ${r.code}, expected 2`);
        if (!r.stderr.includes('--no-such-flag'))
          failures.push(`${what}: the flag is not named:\n${r.stderr}`);
        if (!/usage:/i.test(r.stderr)) failures.push(`${what}: no usage on stderr`);
        // Progress (epochs, tables, "wrote …") goes to stdout: a refused run prints none.
        if (r.stdout.trim() !== '') failures.push(`${what}: printed on stdout:\n${r.stdout}`);
      }
    });
    expect(failures).toEqual([]);
    // A subcommand's --help is that subcommand's usage, not every one's.
    const helpOf = (sub: string) =>
      results[jobs.findIndex((j) => j.args.join(' ') === `${sub} --help`)].stdout;
    expect(helpOf('inspect')).not.toContain('city -- import');
    expect(helpOf('import')).toContain('--own-categories');
    expect(helpOf('import')).not.toContain('city -- inspect');
  }, 240_000);
});

describe('checkArgs', () => {
  const flags = { bbox: 'string', out: 'string', force: 'boolean' } as const;

  it('answers help, names an unknown flag and reads values', () => {
    expect(checkArgs(['--out', 'x', '-h'], flags)).toEqual({ kind: 'help' });
    const bad = checkArgs(['--nope'], flags);
    expect(bad.kind === 'error' && bad.message).toMatch(/--nope/);
    expect(checkArgs(['--out', 'x', '--force'], flags)).toEqual({
      kind: 'ok',
      values: { out: 'x', force: true },
      positionals: [],
    });
    expect(checkArgs(['city'], flags).kind).toBe('error');
    expect(checkArgs(['city'], flags, { positionals: true })).toMatchObject({ positionals: ['city'] });
  });

  it('takes the word after a flag as its value even when it starts with a dash', () => {
    expect(checkArgs(['--bbox', '-87.9,41.6,-87.5,42.0'], flags)).toMatchObject({
      values: { bbox: '-87.9,41.6,-87.5,42.0' },
    });
  });
});

describe('pretrain writes over the committed model only when asked', () => {
  const committed = resolve(ROOT, 'models/srel');

  it('refuses models/srel without --force, before any training', () => {
    expect(pretrainPlan({})).toMatch(/--force/);
    expect(pretrainPlan({ out: committed })).toMatch(/refusing to overwrite/);
  });

  it('writes there with --force, or elsewhere with --out', () => {
    expect(pretrainPlan({ force: true })).toEqual({
      out: committed,
      metropolisEpochs: 40,
      rivertonEpochs: 300,
    });
    expect(pretrainPlan({ out: '/tmp/srel-x', 'riverton-epochs': '5' })).toEqual({
      out: '/tmp/srel-x',
      metropolisEpochs: 40,
      rivertonEpochs: 5,
    });
    expect(pretrainPlan({ out: '/tmp/srel-x', 'metropolis-epochs': 'ten' })).toMatch(/positive integer/);
  });
});
