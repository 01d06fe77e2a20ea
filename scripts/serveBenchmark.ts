/**
 * Vite plugin: serves the read-only benchmark folder (TOPT_BENCHMARK_DIR, the folder
 * `npm run benchmark:get` writes, or ../shared/benchmark: src/cli/benchmarkDir.ts) under
 * /benchmark/ in dev and preview, when it exists.
 * Nothing is copied into the build: a static deployment simply has no benchmark cities.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { findBenchmarkDir } from '../src/cli/benchmarkDir.ts';
import type { Plugin } from 'vite';
import { folderHandler } from './serveFolder.ts';

export function benchmarkDir(root: string): string | null {
  return findBenchmarkDir(process.env, root);
}

/** City folders that look like the benchmark layout (have poi_dist.npy). */
export function benchmarkCities(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => existsSync(join(dir, name, 'poi_dist.npy')))
    .sort();
}

export function serveBenchmark(): Plugin {
  let dir: string | null = null;
  const handler = folderHandler(
    '/benchmark/',
    () => dir,
    (root) => ({ cities: benchmarkCities(root) }),
  );
  return {
    name: 'topt-serve-benchmark',
    configResolved(config) {
      dir = benchmarkDir(config.root);
    },
    configureServer(server) {
      server.middlewares.use(handler);
    },
    configurePreviewServer(server) {
      server.middlewares.use(handler);
    },
  };
}
