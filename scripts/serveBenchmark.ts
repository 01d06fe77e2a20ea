/**
 * Vite plugin: serves the read-only benchmark folder (../shared/benchmark, or
 * TOPT_BENCHMARK_DIR) under /benchmark/ in dev and preview, when it exists.
 * Nothing is copied into the build: a static deployment simply has no benchmark cities.
 */
import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, normalize, resolve, sep } from 'node:path';
import type { Plugin } from 'vite';

type Next = (err?: unknown) => void;

const TYPES: Record<string, string> = {
  '.json': 'application/json',
  '.geojson': 'application/geo+json',
  '.npy': 'application/octet-stream',
  '.csv': 'text/csv',
  '.md': 'text/markdown',
};

export function benchmarkDir(root: string): string | null {
  const dir = process.env.TOPT_BENCHMARK_DIR ?? resolve(root, '../shared/benchmark');
  return existsSync(dir) && statSync(dir).isDirectory() ? dir : null;
}

/** City folders that look like the benchmark layout (have poi_dist.npy). */
export function benchmarkCities(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => existsSync(join(dir, name, 'poi_dist.npy')))
    .sort();
}

export function serveBenchmark(): Plugin {
  let dir: string | null = null;
  const handler = (req: IncomingMessage, res: ServerResponse, next: Next): void => {
    const url = req.url ?? '';
    if (!dir || !url.startsWith('/benchmark/')) return next();
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.statusCode = 405;
      res.end('read-only');
      return;
    }
    const rel = decodeURIComponent(url.slice('/benchmark/'.length).split('?')[0]);
    if (rel === 'index.json') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ cities: benchmarkCities(dir) }));
      return;
    }
    const full = normalize(join(dir, rel));
    if (!full.startsWith(dir + sep) || !existsSync(full) || !statSync(full).isFile()) {
      res.statusCode = 404;
      res.end('not found');
      return;
    }
    const ext = full.slice(full.lastIndexOf('.'));
    res.setHeader('content-type', TYPES[ext] ?? 'application/octet-stream');
    res.setHeader('content-length', String(statSync(full).size));
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(full).pipe(res);
  };
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
