/**
 * Where the benchmark folder is (Node only): the one place the bench CLIs, the dev server and
 * the tests look, in this order:
 * 1. `$TOPT_BENCHMARK_DIR`, when set (used as given, even when it does not exist yet);
 * 2. the folder `npm run benchmark:get` writes by default,
 *    `$XDG_DATA_HOME/topt-studio/benchmark` (`~/.local/share/topt-studio/benchmark`);
 * 3. `../shared/benchmark` beside the checkout (where the project's own machines keep it).
 * The first that exists is the answer; with none, `null` and the places looked at.
 */
import { existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

const REPO_ROOT = resolve(import.meta.dirname, '../..');

/** The folder `npm run benchmark:get` writes to when neither --out nor $TOPT_BENCHMARK_DIR is given. */
export function downloadedBenchmarkDir(env: NodeJS.ProcessEnv = process.env): string {
  const dataHome = env.XDG_DATA_HOME || join(env.HOME || homedir(), '.local', 'share');
  return join(dataHome, 'topt-studio', 'benchmark');
}

/** The places looked at, in order. */
export function benchmarkDirCandidates(env: NodeJS.ProcessEnv = process.env, root = REPO_ROOT): string[] {
  if (env.TOPT_BENCHMARK_DIR) return [resolve(env.TOPT_BENCHMARK_DIR)];
  return [downloadedBenchmarkDir(env), resolve(root, '../shared/benchmark')];
}

/** The benchmark folder to read, or null when no candidate is a folder. */
export function findBenchmarkDir(env: NodeJS.ProcessEnv = process.env, root = REPO_ROOT): string | null {
  return benchmarkDirCandidates(env, root).find((d) => existsSync(d) && statSync(d).isDirectory()) ?? null;
}

/** One line for when it is missing: where we looked and how to get it. */
export function missingBenchmarkMessage(env: NodeJS.ProcessEnv = process.env, root = REPO_ROOT): string {
  return `benchmark data not found (looked in ${benchmarkDirCandidates(env, root).join(', ')}): run \`npm run benchmark:get\` or set TOPT_BENCHMARK_DIR`;
}
