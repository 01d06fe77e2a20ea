import { relative } from 'node:path';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The slowest files, slowest first (seconds on a clean clone, two files at a time on two cores).
 * Vitest runs the longest files first only once it has timed them (its cache, which a fresh
 * clone lacks); before that it runs the largest first, and these small files came last: the
 * bench-on-queue test ran alone for the suite's last 40 s.
 */
const SLOWEST_FIRST = [
  'src/cli/queue.test.ts', // 79 s: six jobs on three worker processes
  'src/cli/benchOnQueue.test.ts', // 42 s
  'src/cli/bench-prompt.test.ts', // 27 s (needs the benchmark)
  'src/cli/bench.test.ts', // 26 s (needs the benchmark)
  'src/core/srel/spillover.test.ts', // 10 s
  'src/cli/help.test.ts', // 16 s
  'src/app/training/controller.test.ts', // 12 s
  'src/core/prompt/head.test.ts', // 11 s
];

class SlowestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (f: TestSpecification): number => {
      const at = SLOWEST_FIRST.indexOf(relative(import.meta.dirname, f.moduleId).replaceAll('\\', '/'));
      return at < 0 ? SLOWEST_FIRST.length : at;
    };
    // A stable sort: the others keep Vitest's order.
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  test: {
    // Only unit and integration tests; Playwright specs live in e2e/ and run separately.
    include: ['src/**/*.test.ts'],
    // Two test files at a time (Vitest's default is one fewer than the cores: one on a 2-core
    // machine, where the main process is idle while a file runs). VITEST_MAX_WORKERS overrides.
    maxWorkers: Number(process.env.VITEST_MAX_WORKERS ?? 2),
    sequence: { sequencer: SlowestFirst },
    // Generous: a file training beside another on a loaded 2-core machine takes several times
    // its idle time. Slow tests say their own, longer timeout.
    testTimeout: 120_000,
  },
});
