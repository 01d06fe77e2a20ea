/**
 * `npm run city -- inspect <path-or-url>`: what a city holds and what is wrong with it.
 * Accepts a bundle folder, a .zip bundle, a .geojson file, a benchmark folder, or a URL.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { inspectCity } from '../core/city/inspect';
import { loadCity, loadDroppedFiles } from '../core/city/load';
import { formatProblem } from '../core/city/problems';
import type { LoadResult } from '../core/city/types';
import { urlSource } from '../core/io/source';
import { directorySource } from './fsSource';

const USAGE = `usage: npm run city -- inspect <folder | bundle.zip | regions.geojson | http(s)://base-url/>`;

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

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
