/**
 * Makes the sample cities of sample-cities/ (`npm run generate:samples`).
 *
 *   npm run generate:samples              regenerate in memory and compare with the files on disk
 *   npm run generate:samples -- --check   the same; exit 1 when a file differs
 *   npm run generate:samples -- --force   rewrite sample-cities/<id>/ and sample-cities/index.json
 *   npm run generate:samples -- --out DIR write to DIR instead (e.g. to diff -r with sample-cities/)
 *
 * The output is deterministic: the same code gives byte-identical files.
 */
import { gzipSync } from 'fflate';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeCityBundle } from '../core/city/bundle';
import { generateSyntheticCity } from '../core/samples/generateCity';
import {
  RAW_INCIDENTS,
  RAW_LAND_USE_POINTS,
  RAW_POI_POINTS,
  RAW_TRIP_RECORDS,
  SAMPLE_CITIES,
} from '../core/samples/sampleCities';
import { incidentPointsCsv, landUsePointsCsv, poiPointsCsv, tripRecordsCsv } from '../core/samples/rawLayers';
import { cliArgs } from './args';

const MAX_FILE_BYTES = 4 * 1024 * 1024;
const USAGE = `Usage: npm run generate:samples -- [--check] [--force] [--out <dir>]

Regenerates the sample cities from their fixed seeds (deterministic: the same code gives
byte-identical files). Committed files are rewritten only when asked (--force).

  (no flags)     compare with sample-cities/ and say whether they are up to date; writes nothing
  --check        the same, for CI: exit 1 when a file differs
  --force        rewrite sample-cities/<id>/ and sample-cities/index.json in place
  --out <dir>    write to <dir> instead (e.g. to diff -r with sample-cities/)
  --help, -h     this text`;
const { values } = cliArgs(process.argv.slice(2), USAGE, {
  out: 'string',
  check: 'boolean',
  force: 'boolean',
});
const root = values.out
  ? resolve(values.out as string)
  : resolve(dirname(fileURLToPath(import.meta.url)), '../../sample-cities');
/** Writing needs --force (in place) or --out (elsewhere); otherwise the files are compared. */
const check = values.check === true || (!values.force && !values.out);

const kb = (n: number): string => `${(n / 1024).toFixed(1)} KB`;

/** Every file we would write: path relative to sample-cities/ -> bytes. */
function buildOutput(): Record<string, Uint8Array> {
  const out: Record<string, Uint8Array> = {};
  const index: {
    cities: { id: string; name: string; regions: number; default: boolean; description?: string }[];
  } = {
    cities: [],
  };
  for (const spec of SAMPLE_CITIES) {
    const started = performance.now();
    const city = generateSyntheticCity(spec.options);
    const files = writeCityBundle(city, { viewsFormat: spec.viewsFormat });
    for (const [path, bytes] of Object.entries(files)) out[`${spec.id}/${path}`] = bytes;
    if (spec.rawLayers) {
      const gz = (text: string): Uint8Array =>
        gzipSync(new TextEncoder().encode(text), { level: 9, mtime: 0 });
      out[`${spec.id}/${RAW_POI_POINTS}`] = gz(poiPointsCsv(city, spec.options.seed + 1));
      out[`${spec.id}/${RAW_INCIDENTS}`] = gz(incidentPointsCsv(city, spec.options.seed + 2));
      out[`${spec.id}/${RAW_TRIP_RECORDS}`] = gz(tripRecordsCsv(city, spec.options.seed + 3));
      out[`${spec.id}/${RAW_LAND_USE_POINTS}`] = gz(landUsePointsCsv(city, spec.options.seed + 4));
    }
    index.cities.push({
      id: spec.id,
      name: city.metadata.name,
      regions: city.regions.length,
      default: spec.default,
      ...(city.metadata.description ? { description: city.metadata.description } : {}),
    });
    console.log(
      `${spec.id}: ${city.regions.length} regions, seed ${spec.options.seed} (${Math.round(performance.now() - started)} ms)`,
    );
  }
  out['index.json'] = new TextEncoder().encode(JSON.stringify(index, null, 2) + '\n');
  return out;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function main(): void {
  const output = buildOutput();
  const problems: string[] = [];
  let total = 0;
  for (const [path, bytes] of Object.entries(output).sort(([p], [q]) => (p < q ? -1 : 1))) {
    total += bytes.length;
    console.log(`  ${path.padEnd(32)} ${kb(bytes.length).padStart(10)}`);
    if (bytes.length > MAX_FILE_BYTES) problems.push(`${path} is ${kb(bytes.length)}, over the 4 MB limit`);
  }
  console.log(`  total ${kb(total)}`);

  if (check) {
    for (const [path, bytes] of Object.entries(output)) {
      const full = join(root, path);
      if (!existsSync(full)) problems.push(`${path} is missing on disk`);
      else if (!sameBytes(new Uint8Array(readFileSync(full)), bytes))
        problems.push(`${path} differs from the generator`);
    }
    for (const spec of SAMPLE_CITIES) {
      const dir = join(root, spec.id);
      if (!existsSync(dir)) continue;
      for (const name of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
        const path = `${spec.id}/${name}`;
        if (Object.keys(output).some((p) => p.startsWith(`${path}/`))) continue; // a folder
        if (!(path in output)) problems.push(`${spec.id}/${name} is not produced by the generator`);
      }
    }
  } else {
    // Replace each city's folder wholesale so no stale file survives; README.md is left alone.
    for (const spec of SAMPLE_CITIES) rmSync(join(root, spec.id), { recursive: true, force: true });
    for (const [path, bytes] of Object.entries(output)) {
      const full = join(root, path);
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, bytes);
    }
    console.log(`wrote ${Object.keys(output).length} files to ${root}`);
  }

  if (problems.length > 0) {
    for (const p of problems) console.error(`error: ${p}`);
    if (check && !values.check)
      console.error(`the sample cities differ from the generator: run with --force to rewrite ${root}`);
    process.exit(1);
  }
  if (check) console.log('sample cities are up to date');
}

main();
