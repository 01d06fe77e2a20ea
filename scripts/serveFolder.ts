/**
 * A read-only static folder under a URL prefix, for Vite's dev and preview servers: GET and
 * HEAD only, a real 404 for missing files (Vite would answer index.html with 200, which
 * clients then fail to parse), no path escapes, and an optional generated index.json.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, normalize, sep } from 'node:path';

type Next = (err?: unknown) => void;

const TYPES: Record<string, string> = {
  '.json': 'application/json',
  '.geojson': 'application/geo+json',
  '.npy': 'application/octet-stream',
  '.csv': 'text/csv',
  '.md': 'text/markdown',
  '.wasm': 'application/wasm',
};

export function folderHandler(
  prefix: string,
  dir: () => string | null,
  index?: (dir: string) => unknown,
): (req: IncomingMessage, res: ServerResponse, next: Next) => void {
  return (req, res, next) => {
    const url = req.url ?? '';
    const root = dir();
    if (!root || !url.startsWith(prefix)) return next();
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.statusCode = 405;
      res.end('read-only');
      return;
    }
    const rel = decodeURIComponent(url.slice(prefix.length).split('?')[0]);
    if (index && rel === 'index.json') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(index(root)));
      return;
    }
    const full = normalize(join(root, rel));
    if (!full.startsWith(root + sep) || !existsSync(full) || !statSync(full).isFile()) {
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
}
