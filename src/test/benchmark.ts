/**
 * Where the shared benchmark data lives for tests (read-only; never copied into the repo).
 * Tests that need it use `describe.skipIf(!BENCHMARK_DIR)` and say so when it is absent.
 */
import { findBenchmarkDir, missingBenchmarkMessage } from '../cli/benchmarkDir';

export const BENCHMARK_DIR: string | null = findBenchmarkDir();

export const BENCHMARK_SKIP_REASON = `${missingBenchmarkMessage()}: skipped`;

if (!BENCHMARK_DIR) console.warn(BENCHMARK_SKIP_REASON);
