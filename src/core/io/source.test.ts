import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BENCHMARK_DIR, BENCHMARK_SKIP_REASON } from '../../test/benchmark';
import { loadCity } from '../city/load';
import { strToU8, zipSync } from 'fflate';
import { formatBytes, MAX_ARCHIVE_ENTRIES, MAX_UNPACKED_BYTES } from './limits';
import { memorySource, unsafePathProblem, urlSource, zipSource } from './source';
import { zipSizeError } from './unzip';

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

describe('zip bombs and archive limits', () => {
  /** Sets each central-directory entry's declared unpacked size, in order. */
  const declare = (zip: Uint8Array, sizes: number[]): Uint8Array => {
    const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
    let k = 0;
    for (let i = 0; i + 4 <= zip.length; i++)
      if (view.getUint32(i, true) === 0x02014b50) view.setUint32(i + 24, sizes[k++], true);
    return zip;
  };

  it('refuses an entry that unpacks to more than the file limit, before inflating it', async () => {
    const zip = zipSync({ 'city.json': strToU8('{}'), 'poi.csv': new Uint8Array(2_000_000) });
    expect(zip.length).toBeLessThan(10_000);
    const source = zipSource('bomb.zip', zip, 1_000_000);
    expect(await source.read('city.json')).toEqual({
      ok: false,
      reason: 'unreadable',
      message:
        'bomb.zip: entry poi.csv unpacks to 1.9 MB, over the 976.6 KB limit for one file (a zip bomb, or a file too large to open): nothing was unpacked',
    });
  });

  it('refuses an entry declaring 300 MB without allocating it', () => {
    const zip = declare(zipSync({ 'city.json': strToU8('{}'), 'regions.geojson': new Uint8Array(100) }), [
      2,
      300 * 1024 * 1024,
    ]);
    expect(zipSizeError(zip)).toBe(
      'entry regions.geojson unpacks to 300.0 MB, over the 256.0 MB limit for one file (a zip bomb, or a file too large to open): nothing was unpacked',
    );
  });

  it('refuses entries under the file limit that together unpack to more than the archive limit', () => {
    const files: Record<string, Uint8Array> = {};
    for (const name of ['a', 'b', 'c', 'd', 'e']) files[`${name}.csv`] = new Uint8Array(1);
    const zip = declare(zipSync(files), Array(5).fill(250 * 1024 * 1024));
    expect(zipSizeError(zip)).toBe(
      `the archive unpacks to 1250.0 MB in all, over the ${formatBytes(MAX_UNPACKED_BYTES)} limit for one archive: nothing was unpacked`,
    );
  });

  it('refuses more entries than an archive may hold', () => {
    const files: Record<string, Uint8Array> = {};
    for (let i = 0; i <= MAX_ARCHIVE_ENTRIES; i++) files[`${i}`] = new Uint8Array(0);
    expect(zipSizeError(zipSync(files))).toBe(
      'the archive holds 10,001 entries, over the limit of 10,000 for one archive: nothing was unpacked',
    );
  });

  it('refuses an entry that holds more than its directory declares, unpacking nothing', async () => {
    const zip = declare(
      zipSync({ 'city.json': strToU8('{}'), 'big.csv': new Uint8Array(1_000_000) }),
      [2, 1000],
    );
    expect(await zipSource('lying.zip', zip).read('city.json')).toEqual({
      ok: false,
      reason: 'unreadable',
      message:
        'lying.zip: entry big.csv unpacks to more than the 1000 bytes the archive declares for it (a zip bomb, or a damaged archive): nothing was unpacked',
    });
  });
});
