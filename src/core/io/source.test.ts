import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BENCHMARK_DIR, BENCHMARK_SKIP_REASON } from '../../test/benchmark';
import { loadCity } from '../city/load';
import { memorySource, unsafePathProblem, urlSource } from './source';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Serves a folder like a static host; unknown paths get index.html with HTTP 200, as Vite does. */
function staticServer(root: string | null, files: Record<string, string> = {}): Server {
  return createServer(async (req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]);
    if (files[path] !== undefined) {
      res.setHeader('content-type', 'application/json');
      res.end(files[path]);
      return;
    }
    try {
      if (!root || path.includes('..')) throw new Error('no');
      const body = await readFile(join(root, path));
      res.setHeader('content-type', 'application/octet-stream');
      res.setHeader('content-length', String(body.length));
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      res.setHeader('content-type', 'text/html');
      res.end('<!doctype html><html></html>');
    }
  });
}

describe('urlSource', () => {
  let server: Server;
  let base = '';
  beforeAll(async () => {
    server = staticServer(BENCHMARK_DIR, { '/small/data.json': '{"a":1}' });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

  it('reads a file and treats an HTML fallback page as missing', async () => {
    const src = urlSource(`${base}/small`);
    const res = await src.read('data.json');
    expect(res.ok && new TextDecoder().decode(res.bytes)).toBe('{"a":1}');
    const missing = await src.read('city.json');
    expect(missing).toEqual({
      ok: false,
      reason: 'missing',
      message: `city.json not found at ${base}/small/`,
    });
    expect(await src.exists('city.json')).toBe(false);
  });

  it('enforces the size limit', async () => {
    const res = await urlSource(`${base}/small`, fetch, 3).read('data.json');
    expect(res.ok).toBe(false);
    expect(!res.ok && res.reason).toBe('too-large');
  });

  it.skipIf(!BENCHMARK_DIR)('loads a benchmark city from a base URL', async () => {
    const { city, problems } = await loadCity(urlSource(`${base}/chicago/`));
    expect(problems).toEqual([]);
    expect(city?.regions.length).toBe(77);
    expect(city?.metadata.name).toMatch(/Chicago/);
  });
  if (!BENCHMARK_DIR) it.skip(BENCHMARK_SKIP_REASON, () => {});
});

describe('memorySource', () => {
  it('normalises ./ prefixes and reports missing files', async () => {
    const src = memorySource('mem', { './a.csv': enc('x') });
    expect(await src.exists('a.csv')).toBe(true);
    const res = await src.read('b.csv');
    expect(res.ok).toBe(false);
  });
});

describe('unsafePathProblem', () => {
  it('accepts relative paths inside the bundle', () => {
    for (const p of ['regions.geojson', 'views/poi.csv', './labels.csv', 'a.b/c..d.csv'])
      expect(unsafePathProblem(p), p).toBeNull();
  });

  it('refuses absolute, .., backslash, URL-like and control-character paths, naming the path', () => {
    const why = (p: string): string | null => unsafePathProblem(p)?.replace(/;.*$/, '') ?? null;
    expect(why('../secret-outside.txt')).toBe(
      'path "../secret-outside.txt" is refused: it has a ".." segment',
    );
    expect(why('a/../../b')).toBe('path "a/../../b" is refused: it has a ".." segment');
    expect(why('%2E%2e/b')).toBe('path "%2E%2e/b" is refused: it has a ".." segment');
    expect(why('/etc/passwd')).toBe('path "/etc/passwd" is refused: it is absolute');
    expect(why('..\\x')).toBe('path "..\\\\x" is refused: it has a backslash');
    expect(why('C:/x')).toBe('path "C:/x" is refused: it has a ":" (a drive or a URL scheme)');
    expect(why('https://evil.test/x')).toBe(
      'path "https://evil.test/x" is refused: it has a ":" (a drive or a URL scheme)',
    );
    expect(why('x?y')).toBe('path "x?y" is refused: it has a "?" or "#" (URL-like)');
    expect(why('a\u0000b')).toBe('path "a\\u0000b" is refused: it has a control character');
    expect(why('a//b')).toBe('path "a//b" is refused: it has an empty or "." segment');
    expect(why('')).toBe('path "" is refused: it is empty');
  });

  it('is applied by memory and URL sources before anything is read', async () => {
    const mem = memorySource('m', { '../secret.txt': enc('TOPSECRET') });
    const res = await mem.read('../secret.txt');
    expect(res.ok).toBe(false);
    expect(JSON.stringify(res)).not.toContain('TOPSECRET');
    expect(await mem.exists('../secret.txt')).toBe(false);
    let fetched = 0;
    const url = urlSource('http://127.0.0.1:9/base/', async () => {
      fetched++;
      return new Response('TOPSECRET');
    });
    expect((await url.read('../other/x.csv')).ok).toBe(false);
    expect((await url.read('http://evil.test/x.csv')).ok).toBe(false);
    expect(await url.exists('//evil.test/x.csv')).toBe(false);
    expect(fetched).toBe(0);
  });
});
