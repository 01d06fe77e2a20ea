/**
 * `npm run benchmark:get` against a local mirror of the public sources (issue 19): no machine
 * here reaches GitHub, so the mirror is rebuilt from the reference benchmark folder in the form
 * each publisher used (a pickle for HREP's adjacency, a shapefile for MGFN's boundaries, the
 * City's property names for Chicago, chat messages for the prompts) and served on 127.0.0.1.
 * The download must equal the reference in content: every .npy byte for byte, GeoJSON
 * geometries within 1e-6 degrees with the same properties, JSON files equal as data.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { FeatureCollection, Geometry } from 'geojson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BENCHMARK_FILES } from '../core/benchmark/manifest';
import { BENCHMARK_DIR } from '../test/benchmark';
import { BenchmarkGetError, getBenchmark } from './benchmark-get';
import { serveMirror, writeBenchmarkMirror } from './fixtures/benchmarkMirror';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((p) => statSync(join(dir, p)).isFile())
    .map((p) => relative(dir, join(dir, p)))
    .sort();
}

/** Largest coordinate difference between two geometries of the same shape, or Infinity. */
function maxCoordinateGap(a: Geometry, b: Geometry): number {
  if (a.type !== b.type) return Infinity;
  const flat = (g: Geometry): number[] =>
    JSON.stringify((g as { coordinates: unknown }).coordinates)
      .replace(/[[\]]/g, ' ')
      .split(/[\s,]+/)
      .filter(Boolean)
      .map(Number);
  const x = flat(a);
  const y = flat(b);
  if (x.length !== y.length) return Infinity;
  return x.reduce((m, v, i) => Math.max(m, Math.abs(v - y[i])), 0);
}

describe.skipIf(!BENCHMARK_DIR)('benchmark:get from a local mirror', () => {
  const reference = BENCHMARK_DIR ?? '';
  let work = '';
  let mirror = '';
  let url = '';
  let server: Server;
  let requests: string[] = [];
  const lines: string[] = [];

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'topt-benchmark-get-'));
    mirror = join(work, 'mirror');
    writeBenchmarkMirror(reference, mirror);
    ({ url, server, requests } = await serveMirror(mirror));
  });
  afterAll(() => {
    server?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('rebuilds the reference folder: every .npy byte for byte, boundaries within 1e-6 degrees, JSON equal as data', async () => {
    const out = join(work, 'benchmark');
    const result = await getBenchmark({ out, source: url, log: (l) => lines.push(l) });
    expect(result).toMatchObject({ out, files: BENCHMARK_FILES.length, alreadyThere: false });
    expect(requests.every((p) => !p.includes('..'))).toBe(true);

    const expected = filesUnder(reference).filter((p) => p !== 'README.md');
    expect(filesUnder(out).filter((p) => p !== 'SOURCES.md')).toEqual(expected);
    for (const path of expected) {
      const mine = readFileSync(join(out, path));
      const theirs = readFileSync(join(reference, path));
      if (path.endsWith('.npy')) expect(mine.equals(theirs), path).toBe(true);
      else if (path.endsWith('.geojson')) {
        const a = JSON.parse(mine.toString('utf8')) as FeatureCollection;
        const b = JSON.parse(theirs.toString('utf8')) as FeatureCollection;
        expect(a.features.length, path).toBe(b.features.length);
        a.features.forEach((f, i) => {
          expect(f.properties, `${path} feature ${i}`).toEqual(b.features[i].properties);
          expect(
            maxCoordinateGap(f.geometry, b.features[i].geometry),
            `${path} feature ${i}`,
          ).toBeLessThanOrEqual(1e-6);
        });
      } else expect(JSON.parse(mine.toString('utf8')), path).toEqual(JSON.parse(theirs.toString('utf8')));
    }
    expect(readFileSync(join(out, 'SOURCES.md'), 'utf8')).toContain(
      'slzhou-xy/HREP@1b7e032/data/neighbor.npy',
    );
    expect(lines.at(-1)).toMatch(/^Wrote 38 files \(6\.\d MB downloaded\) to /);
  });

  it('a second run finds the folder complete and downloads nothing', async () => {
    const before = requests.length;
    const result = await getBenchmark({ out: join(work, 'benchmark'), source: url, log: () => {} });
    expect(result.alreadyThere).toBe(true);
    expect(requests.length).toBe(before);
  });

  it('a source that differs from its pinned version is named with both checksums, and nothing is written', async () => {
    const file = BENCHMARK_FILES.find((f) => f.out === 'sf/crime_counts.npy');
    if (file?.recipe.kind !== 'copy') throw new Error('manifest changed');
    const { repo, commit, path } = file.recipe.from;
    const source = join(mirror, repo, commit, path);
    const original = readFileSync(source);
    const changed = Buffer.from(original);
    changed[changed.length - 1] ^= 1;
    writeFileSync(source, changed);
    const out = join(work, 'tampered');
    try {
      const error = await getBenchmark({ out, source: url, log: () => {} }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BenchmarkGetError);
      const message = (error as Error).message;
      expect(message).toMatch(/^1 file does not match the pinned version; nothing was written:/);
      expect(message).toContain(`sf/crime_counts.npy: SHA-256 `);
      expect(message).toContain(`expected ${file.sha256}`);
      expect(existsSync(out)).toBe(false);
      expect(readdirSync(work).filter((n) => n.startsWith('tampered'))).toEqual([]);
    } finally {
      writeFileSync(source, original);
    }
  });

  it('a source the mirror lacks is named by its address, with the HTTP status', async () => {
    const error = await getBenchmark({
      out: join(work, 'elsewhere'),
      source: `${url}/no-such-prefix`,
      log: () => {},
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BenchmarkGetError);
    expect((error as Error).message).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/no-such-prefix\/.+: HTTP 404/);
    expect(existsSync(join(work, 'elsewhere'))).toBe(false);
  });

  it('an existing folder that is not the benchmark is left alone without --force, replaced with it', async () => {
    const out = join(work, 'mine');
    const first = await getBenchmark({ out, source: url, log: () => {} });
    expect(first.alreadyThere).toBe(false);
    writeFileSync(join(out, 'nyc', 'adjacency.json'), '[]');
    await expect(getBenchmark({ out, source: url, log: () => {} })).rejects.toThrow(
      /exists but is not a complete benchmark folder: use --force/,
    );
    expect(readFileSync(join(out, 'nyc', 'adjacency.json'), 'utf8')).toBe('[]');
    await getBenchmark({ out, source: url, force: true, log: () => {} });
    expect(JSON.parse(readFileSync(join(out, 'nyc', 'adjacency.json'), 'utf8'))).toHaveLength(180);
    expect(readdirSync(work).filter((n) => n.startsWith('mine.'))).toEqual([]);
  });
});
