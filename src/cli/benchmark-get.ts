/**
 * `npm run benchmark:get [-- --out <dir>] [--force] [--source <url>]`
 *
 * Downloads the public benchmark data (Chicago, NYC's Manhattan, San Francisco) from the
 * repositories that published it, at pinned commits, checks every file's SHA-256, makes the
 * converted files (boundaries, adjacency, region descriptions; see src/core/benchmark), and
 * writes the folder the app, the bench and the tests read. Nothing is written unless every file
 * checks out: the folder is built under a temporary name beside the target and renamed at the end.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { FeatureCollection } from 'geojson';
import { read as readShapefile } from 'shapefile';
import {
  adjacencyLists,
  canonicalJson,
  chicagoRegionsFromCommunityAreas,
  descriptionsFromPrompts,
  nycRegionsFromShapefile,
} from '../core/benchmark/convert';
import {
  BENCHMARK_FILES,
  DEFAULT_SOURCE_BASE,
  sourceUrl,
  sourcesOf,
  type BenchmarkFile,
  type SourceFile,
} from '../core/benchmark/manifest';
import { readNeighborNpy } from '../core/benchmark/neighbors';
import { formatBytes } from '../core/io/limits';
import { cliArgs } from './args';
import { downloadedBenchmarkDir } from './benchmarkDir';

export const USAGE = `Usage: npm run benchmark:get -- [--out <dir>] [--force] [--source <url>]

Downloads the public benchmark data (Chicago 77 regions, NYC Manhattan 180, San Francisco 175;
about 7 MB) from the repositories that published it, at pinned commits (HAFusion, the ToPT
authors' Prompt4RE, HREP, MGFN, a copy of Chicago's community areas), checks each file's
SHA-256, converts boundaries and adjacency, and writes the folder the app, the bench and the
tests read. Nothing is written unless every file checks out.

  --out <dir>      where to write it (default $TOPT_BENCHMARK_DIR, else
                   ${downloadedBenchmarkDir()})
  --force          replace a folder that is already there
  --source <url>   a mirror with the same layout as ${DEFAULT_SOURCE_BASE}
                   (<url>/<owner>/<repo>/<commit>/<path>)
  --help, -h       this text`;

export class BenchmarkGetError extends Error {
  constructor(
    message: string,
    /** Worth asking again (a 5xx answer). */
    readonly retry = false,
  ) {
    super(message);
    this.name = 'BenchmarkGetError';
  }
}

export interface GetOptions {
  out: string;
  source?: string;
  force?: boolean;
  /** One line per step (default: console.log). */
  log?: (line: string) => void;
  /** Per request (default 60 s). */
  timeoutMs?: number;
  /** Attempts per file on network errors and 5xx answers (default 3). */
  attempts?: number;
}

export interface GetResult {
  out: string;
  files: number;
  bytes: number;
  /** true when the folder was already complete and nothing was downloaded */
  alreadyThere: boolean;
}

const MAX_SOURCE_BYTES = 64 * 1024 * 1024;

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function fetchOnce(url: string, timeoutMs: number): Promise<Uint8Array> {
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
  if (!response.ok) {
    throw new BenchmarkGetError(
      `${url}: HTTP ${response.status} ${response.statusText}`.trim(),
      response.status >= 500,
    );
  }
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > MAX_SOURCE_BYTES)
    throw new BenchmarkGetError(`${url}: ${formatBytes(declared)} is more than any source should be`);
  return new Uint8Array(await response.arrayBuffer());
}

async function fetchWithRetries(url: string, timeoutMs: number, attempts: number): Promise<Uint8Array> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetchOnce(url, timeoutMs);
    } catch (e) {
      const retry = !(e instanceof BenchmarkGetError) || e.retry;
      if (!retry || attempt >= attempts) {
        if (e instanceof BenchmarkGetError) throw e;
        const why = e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : String(e);
        const hint = /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ENETUNREACH/.test(why)
          ? '; this machine cannot reach the source: try again online, or give a mirror with --source <url>'
          : '';
        throw new BenchmarkGetError(
          `${url}: ${why} (after ${attempt} attempt${attempt > 1 ? 's' : ''})${hint}`,
        );
      }
      await new Promise((r) => setTimeout(r, 500 * 2 ** (attempt - 1)));
    }
  }
}

/** The bytes to write for one file of the folder, from its fetched sources. */
async function make(file: BenchmarkFile, fetched: (s: SourceFile) => Uint8Array): Promise<Uint8Array> {
  const text = (s: SourceFile) => new TextDecoder().decode(fetched(s));
  const json = (s: SourceFile): unknown => {
    try {
      return JSON.parse(text(s));
    } catch (e) {
      throw new BenchmarkGetError(
        `${s.repo}/${s.path}: not valid JSON (${e instanceof Error ? e.message : String(e)})`,
      );
    }
  };
  const encode = (value: unknown) => new TextEncoder().encode(canonicalJson(value));
  const r = file.recipe;
  switch (r.kind) {
    case 'copy':
      return fetched(r.from);
    case 'nycAdjacency':
      return encode(adjacencyLists(readNeighborNpy(fetched(r.neighbors))));
    case 'nycRegions': {
      const shapes = (await readShapefile(fetched(r.shp))) as FeatureCollection;
      return encode(nycRegionsFromShapefile(shapes, json(r.districts)));
    }
    case 'chicagoRegions':
      return encode(chicagoRegionsFromCommunityAreas(json(r.areas) as FeatureCollection));
    case 'descriptions':
      return encode(descriptionsFromPrompts(json(r.prompts)));
  }
}

/** Whether `dir` already holds every file with its pinned checksum. */
export function isComplete(dir: string): boolean {
  return BENCHMARK_FILES.every((f) => {
    const path = join(dir, f.out);
    return existsSync(path) && sha256Hex(readFileSync(path)) === f.sha256;
  });
}

export async function getBenchmark(options: GetOptions): Promise<GetResult> {
  const out = resolve(options.out);
  const base = options.source ?? DEFAULT_SOURCE_BASE;
  const log = options.log ?? ((line: string) => console.log(line));
  const timeoutMs = options.timeoutMs ?? 60_000;
  const attempts = options.attempts ?? 3;
  if (existsSync(out) && !options.force) {
    if (isComplete(out)) {
      log(`${out} already holds the benchmark (every checksum matches); nothing to do`);
      return { out, files: BENCHMARK_FILES.length, bytes: 0, alreadyThere: true };
    }
    throw new BenchmarkGetError(
      `${out} exists but is not a complete benchmark folder: use --force to replace it, or --out <dir>`,
    );
  }

  // Fetch every source once, four at a time.
  const sources = new Map<string, SourceFile>();
  for (const f of BENCHMARK_FILES) for (const s of sourcesOf(f.recipe)) sources.set(sourceUrl(base, s), s);
  const urls = [...sources.keys()];
  const bytes = new Map<string, Uint8Array>();
  let done = 0;
  let total = 0;
  const worker = async () => {
    for (let url = urls.shift(); url !== undefined; url = urls.shift()) {
      const data = await fetchWithRetries(url, timeoutMs, attempts);
      bytes.set(url, data);
      total += data.length;
      log(`[${++done}/${sources.size}] ${formatBytes(data.length).padStart(9)}  ${url}`);
    }
  };
  log(`Downloading ${sources.size} files from ${base} ...`);
  await Promise.all(Array.from({ length: 4 }, worker));
  const fetched = (s: SourceFile) => bytes.get(sourceUrl(base, s)) as Uint8Array;

  // Make and check every file before writing any.
  const made: { file: BenchmarkFile; data: Uint8Array }[] = [];
  const wrong: string[] = [];
  for (const file of BENCHMARK_FILES) {
    let data: Uint8Array;
    try {
      data = await make(file, fetched);
    } catch (e) {
      wrong.push(`${file.out}: ${e instanceof Error ? e.message : String(e)}`);
      continue;
    }
    const sum = sha256Hex(data);
    if (sum !== file.sha256)
      wrong.push(
        `${file.out}: SHA-256 ${sum}, expected ${file.sha256} (from ${sourcesOf(file.recipe)
          .map((s) => sourceUrl(base, s))
          .join(' and ')})`,
      );
    made.push({ file, data });
  }
  if (wrong.length > 0)
    throw new BenchmarkGetError(
      `${wrong.length} file${wrong.length > 1 ? 's do' : ' does'} not match the pinned version; nothing was written:\n  ${wrong.join('\n  ')}`,
    );

  const partial = `${out}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  try {
    for (const { file, data } of made) {
      const path = join(partial, file.out);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, data);
    }
    writeFileSync(
      join(partial, 'SOURCES.md'),
      `# Benchmark data fetched by \`npm run benchmark:get\`\n\nFrom ${base}, ${new Date().toISOString().slice(0, 10)}. Each file, its source and SHA-256:\n\n${BENCHMARK_FILES.map(
        (f) =>
          `- \`${f.out}\` (${f.sha256}): ${sourcesOf(f.recipe)
            .map((s) => `${s.repo}@${s.commit.slice(0, 7)}/${s.path}`)
            .join(', ')}${f.recipe.kind === 'copy' ? '' : ` (${f.recipe.kind})`}`,
      ).join('\n')}\n`,
    );
    mkdirSync(dirname(out), { recursive: true });
    if (existsSync(out)) {
      const old = `${out}.old-${process.pid}`;
      renameSync(out, old);
      renameSync(partial, out);
      rmSync(old, { recursive: true, force: true });
    } else renameSync(partial, out);
  } catch (e) {
    rmSync(partial, { recursive: true, force: true });
    throw e;
  }
  log(`Wrote ${made.length} files (${formatBytes(total)} downloaded) to ${out}`);
  return { out, files: made.length, bytes: total, alreadyThere: false };
}

async function main(): Promise<void> {
  const { values } = cliArgs(process.argv.slice(2), USAGE, {
    out: 'string',
    force: 'boolean',
    source: 'string',
  });
  const out =
    (values.out as string | undefined) ?? process.env.TOPT_BENCHMARK_DIR ?? downloadedBenchmarkDir();
  try {
    await getBenchmark({ out, source: values.source as string | undefined, force: values.force === true });
  } catch (e) {
    console.error(`error: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) await main();
