/**
 * Where the shared benchmark data lives for tests (read-only; never copied into the repo).
 * Tests that need it use `describe.skipIf(!BENCHMARK_DIR)` and say so when it is absent.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const candidate = process.env.TOPT_BENCHMARK_DIR ?? resolve(import.meta.dirname, '../../../shared/benchmark');

export const BENCHMARK_DIR: string | null = existsSync(candidate) ? candidate : null;

export const BENCHMARK_SKIP_REASON = `benchmark data not found at ${candidate} (set TOPT_BENCHMARK_DIR): skipped`;

if (!BENCHMARK_DIR) console.warn(BENCHMARK_SKIP_REASON);
