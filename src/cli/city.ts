/**
 * `npm run city -- inspect <path-or-url>`: what a city holds and what is wrong with it.
 * Accepts a bundle folder, a .zip bundle, a .geojson file, a benchmark folder, or a URL.
 *
 * `npm run city -- import-points <city> <points.csv[.gz]> --out <folder>`: the city with its
 * POI view rebuilt from POI points (lon, lat, category), written as a bundle, with a report
 * of what was dropped. Nothing is written when the points cannot be used.
 */
import { gunzipSync } from 'fflate';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { writeCityBundle } from '../core/city/bundle';
import { importPoiPoints } from '../core/city/pointsCsv';
import { inspectCity } from '../core/city/inspect';
import { loadCity, loadDroppedFiles } from '../core/city/load';
import { formatProblem } from '../core/city/problems';
import type { LoadResult } from '../core/city/types';
import { urlSource } from '../core/io/source';
import { directorySource } from './fsSource';

const USAGE = `usage: npm run city -- inspect <folder | bundle.zip | regions.geojson | http(s)://base-url/>
       npm run city -- import-points <city> <points.csv | points.csv.gz> --out <folder>`;

/** Load `cityPath`, rebuild its POI view from the points file and write the bundle to `out`. */
export async function importPointsCommand(
  cityPath: string,
  pointsPath: string,
  out: string,
): Promise<number> {
  const loaded = await loadFromPath(cityPath);
  if (!loaded.city) {
    for (const p of loaded.problems) console.error(formatProblem(p));
    return 1;
  }
  const raw = new Uint8Array(await readFile(pointsPath));
  const text = new TextDecoder().decode(pointsPath.endsWith('.gz') ? gunzipSync(raw) : raw);
  const result = importPoiPoints(loaded.city, text, basename(pointsPath));
  if ('error' in result) {
    console.error(`error: ${result.error}; nothing written`);
    return 1;
  }
  for (const line of result.report) console.log(line);
  await mkdir(out, { recursive: true });
  for (const [path, bytes] of Object.entries(writeCityBundle(result.city))) {
    await mkdir(dirname(join(out, path)), { recursive: true });
    await writeFile(join(out, path), bytes);
  }
  console.log(`wrote the city to ${out}`);
  return 0;
}

export async function loadFromPath(target: string): Promise<LoadResult> {
  if (/^https?:\/\//.test(target)) return loadCity(urlSource(target));
  const info = await stat(target).catch(() => null);
  if (!info) {
    return { city: null, problems: [{ severity: 'error', file: target, message: 'no such file or folder' }] };
  }
  if (info.isDirectory()) return loadCity(directorySource(target));
  return loadDroppedFiles([{ name: basename(target), bytes: new Uint8Array(await readFile(target)) }]);
}

async function main(argv: string[]): Promise<number> {
  const [command, target] = argv;
  if (command === 'import-points') {
    const out = argv.includes('--out') ? argv[argv.indexOf('--out') + 1] : undefined;
    if (!target || !argv[2] || !out) {
      console.error(USAGE);
      return 2;
    }
    return importPointsCommand(target, argv[2], out);
  }
  if (command !== 'inspect' || !target) {
    console.error(USAGE);
    return 2;
  }
  const result = await loadFromPath(target);
  if (result.city) console.log(inspectCity(result.city));
  const errors = result.problems.filter((p) => p.severity === 'error').length;
  if (result.problems.length === 0) console.log('Problems: none');
  else {
    console.log(`Problems: ${errors} error(s), ${result.problems.length - errors} warning(s)`);
    for (const p of result.problems) console.log(`  ${formatProblem(p)}`);
  }
  return result.city ? 0 : 1;
}

if (process.argv[1]?.endsWith('city.ts'))
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
