import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Only unit and integration tests; Playwright specs live in e2e/ and run separately.
    include: ['src/**/*.test.ts'],
    // Two test files at a time (Vitest's default is one fewer than the cores: one on a 2-core
    // machine, where the main process is idle while a file runs). VITEST_MAX_WORKERS overrides.
    maxWorkers: Number(process.env.VITEST_MAX_WORKERS ?? 2),
    // Generous: a file training beside another on a loaded 2-core machine takes several times
    // its idle time. Slow tests say their own, longer timeout.
    testTimeout: 120_000,
  },
});
