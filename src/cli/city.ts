/**
 * `npm run city -- inspect <path-or-url>`: what a city holds and what is wrong with it.
 * Accepts a bundle folder, a .zip bundle, a .geojson file, a benchmark folder, or a URL.
 *
 * `npm run city -- import <city> [--poi f] [--incidents f] [--trips f] [--landuse f] [--labels f]
 * --out <folder>`: the city with its views rebuilt from raw layers (POI points, incident
 * points, trip records by coordinates or region ids, land-use points or polygons (GeoJSON),
 * task labels by region id; .csv or .csv.gz), written as a bundle, with a report of what was
 * dropped. Nothing is
 * written when a layer cannot be used. POI categories: `--mapping m.json` (category -> city
 * category or "drop"), `--osm` (OpenStreetMap tags onto the benchmark categories for the rest),
 * `--own-categories` (keep the points' own).
 *
 * `npm run city -- tessellate (--bbox w,s,e,n | --area f.geojson) (--h3 RES | --grid METRES)`:
 * a city of regions only, cut from a study area (see ./tessellate.ts), for `import` to fill.
 *
 * `npm run city -- train <city> --out <folder>`: the app's training run in Node, writing the
 * files the app's downloads give (see ./train.ts).
 */
import { accessSync, constants, statSync } from 'node:fs';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { writeCityBundle } from '../core/city/bundle';
import { parseCategoryMapping } from '../core/city/layers/categoryMapping';
import type { PoiCategoryOptions } from '../core/city/layers/pointsCsv';
import { RAW_LAYER_IMPORTERS } from '../core/city/layers/rawLayers';
import { readRawLayer } from '../core/city/droppedFiles';
import { inspectCity } from '../core/city/inspect';
import { loadCity, loadDroppedFiles } from '../core/city/load';
import { formatProblem } from '../core/city/problems';
import type { LoadResult } from '../core/city/types';
import { urlSource } from '../core/io/source';
import { utf8Problem } from '../core/io/utf8';
import { checkArgs } from './args';
import { directorySource } from './fsSource';
import { TESSELLATE_USAGE, tessellateCommand } from './tessellate';
import { TRAIN_USAGE, trainCommand } from './train';

const INSPECT_LINE = `npm run city -- inspect <folder | bundle.zip | regions.geojson | http(s)://base-url/>`;
const IMPORT_LINES = `npm run city -- import <city> [--poi points.csv] [--incidents incidents.csv] [--trips trips.csv]
         [--landuse land_use.csv|land_use.geojson] [--labels labels.csv] --out <folder>
         [--mapping categories.json] [--osm] [--own-categories]`;
/** Both, as the start of every subcommand's usage (cityMain). */
const USAGE = `Usage: ${INSPECT_LINE}\n       ${IMPORT_LINES}`;

/** What `inspect --help` and `import --help` print: that subcommand only. */
const SUBCOMMAND_USAGE: Record<'inspect' | 'import', string> = {
  inspect: `Usage: ${INSPECT_LINE}

Loads a city (a folder, a city bundle, a regions GeoJSON, or a served folder) as the app does
and prints what it holds (regions, views, tasks) and every problem found; exit 1 when it
cannot be loaded.`,
  import: `Usage: ${IMPORT_LINES}

Builds a city from raw layers on its regions (<city> is a city folder, bundle or regions
GeoJSON) and writes it to --out as a city folder.

  --poi points.csv             POI points: lon, lat, category (categories matched by name)
  --incidents incidents.csv    incident points: lon, lat, task (counted per region as labels)
  --trips trips.csv            trip records: origin and destination (coordinates or region ids)
  --landuse <file>             land use: points with a class (.csv) or polygons (.geojson)
  --labels labels.csv          task labels: region id and one column per task
  --osm                        map OpenStreetMap tags (amenity=pub, ...) with the built-in table
  --mapping categories.json    POI category -> one of the city's categories, or "drop" (over --osm)
  --own-categories             keep the points' own categories
  --out <folder>               where the city is written
  --help, -h                   this text

See docs/import.md for the file formats.`,
};

export async function loadFromPath(target: string): Promise<LoadResult> {
  if (/^https?:\/\//.test(target)) return loadCity(urlSource(target));
  const info = await stat(target).catch(() => null);
  if (!info) {
    return { city: null, problems: [{ severity: 'error', file: target, message: 'no such file or folder' }] };
  }
  if (info.isDirectory()) return loadCity(directorySource(target));
  return loadDroppedFiles([{ name: basename(target), bytes: new Uint8Array(await readFile(target)) }]);
}

export interface RawLayers {
  /** POI points: lon, lat, category. */
  poi?: string;
  /** Incident points: lon, lat, task. */
  incidents?: string;
  /** Trip records: origin and destination coordinates or region ids, optional count. */
  trips?: string;
  /** Land use: points with a class (CSV) or polygons with a class (.geojson / .json). */
  landUse?: string;
  /** Task labels: region id and one value column per task. */
  labels?: string;
}

/** How POI categories are mapped: a mapping file, the OSM default, or the points' own. */
export interface PoiMappingFlags {
  /** JSON object: category -> one of the city's POI categories, or "drop". */
  mappingFile?: string;
  osm?: boolean;
  ownCategories?: boolean;
}

/** Why `path` cannot be read as a file ("no such file", "a folder, not a file", ...), or null. */
export function unreadableFile(path: string): string | null {
  try {
    if (statSync(path).isDirectory()) return 'a folder, not a file';
    accessSync(path, constants.R_OK);
    return null;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR'
      ? 'no such file'
      : code === 'EACCES'
        ? 'not readable (permission denied)'
        : String(e);
  }
}

/**
 * Load `cityPath`, rebuild the views the raw layers give (each file .csv or .csv.gz) and
 * write the city as a bundle to `out`. All or nothing: if any layer fails nothing is written.
 */
export async function importRawCommand(
  cityPath: string,
  layers: RawLayers,
  out: string,
  flags: PoiMappingFlags = {},
): Promise<number> {
  // Every file named on the command line is checked first: a missing one is one line naming
  // its flag and path (issue 19: it used to be Node's ENOENT stack trace, after the city loaded).
  const named: [string, string | undefined][] = [
    ...(Object.entries(layers) as [string, string | undefined][]).map(
      ([layer, path]): [string, string | undefined] => [`--${layer === 'landUse' ? 'landuse' : layer}`, path],
    ),
    ['--mapping', flags.mappingFile],
  ];
  for (const [flag, path] of named) {
    const problem = path ? unreadableFile(path) : null;
    if (problem) {
      console.error(`error: ${flag} ${path}: ${problem}; nothing written`);
      return 1;
    }
  }
  const loaded = await loadFromPath(cityPath);
  if (!loaded.city) {
    for (const p of loaded.problems) console.error(formatProblem(p));
    return 1;
  }
  let city = loaded.city;
  const poiOptions: PoiCategoryOptions = { osm: flags.osm, ownCategories: flags.ownCategories };
  if (flags.mappingFile) {
    const bytes = new Uint8Array(await readFile(flags.mappingFile));
    const encoding = utf8Problem(bytes);
    const parsed = encoding
      ? { error: `${basename(flags.mappingFile)} is ${encoding}` }
      : parseCategoryMapping(
          new TextDecoder().decode(bytes),
          basename(flags.mappingFile),
          city.views.poiCategories,
        );
    if ('error' in parsed) {
      console.error(`error: ${parsed.error}; nothing written`);
      return 1;
    }
    poiOptions.mapping = parsed.mapping;
  }
  for (const [layer, path] of Object.entries(layers) as [keyof RawLayers, string | undefined][]) {
    if (!path) continue;
    // The flag says what the layer is (--landuse: points or polygons, as the file holds); the
    // file is read and checked as a dropped one is (size, gzip, encoding, delimiter).
    const file = { name: basename(path), bytes: new Uint8Array(await readFile(path)) };
    const read = readRawLayer(file, { as: layer });
    const options = layer === 'poi' ? poiOptions : {};
    const result =
      'error' in read ? read : RAW_LAYER_IMPORTERS[read.kind](city, read.text, file.name, options);
    if ('error' in result) {
      console.error(`error: ${result.error}; nothing written`);
      return 1;
    }
    for (const line of result.report) console.log(line);
    city = result.city;
  }
  await mkdir(out, { recursive: true });
  for (const [path, bytes] of Object.entries(writeCityBundle(city))) {
    await mkdir(dirname(join(out, path)), { recursive: true });
    await writeFile(join(out, path), bytes);
  }
  console.log(`wrote the city to ${out}`);
  return 0;
}

/** The `city` command line: argv without `npm run city --`; the exit code. */
export async function cityMain(argv: string[]): Promise<number> {
  const [command, target] = argv;
  const everyUsage = `${USAGE}\n       ${TESSELLATE_USAGE}\n       ${TRAIN_USAGE}`;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    // No command at all is a mistake (exit 2); asking for help is not.
    (command === undefined ? console.error : console.log)(everyUsage);
    return command === undefined ? 2 : 0;
  }
  if (!['inspect', 'import', 'tessellate', 'train'].includes(command)) {
    console.error(
      `error: ${command.startsWith('-') ? `unknown option '${command}'` : `unknown command '${command}'`}\n${everyUsage}`,
    );
    return 2;
  }
  if (command === 'tessellate') return tessellateCommand(argv.slice(1));
  if (command === 'train') return trainCommand(argv.slice(1), loadFromPath);
  if (command === 'import' || command === 'inspect') {
    const checked = checkArgs(
      argv.slice(1),
      command === 'inspect'
        ? {}
        : {
            out: 'string',
            poi: 'string',
            incidents: 'string',
            trips: 'string',
            landuse: 'string',
            labels: 'string',
            mapping: 'string',
            osm: 'boolean',
            'own-categories': 'boolean',
          },
      { positionals: true },
    );
    if (checked.kind === 'help') {
      console.log(SUBCOMMAND_USAGE[command]);
      return 0;
    }
    if (checked.kind === 'error') {
      console.error(`error: ${checked.message}\n${SUBCOMMAND_USAGE[command]}`);
      return 2;
    }
  }
  if (command === 'import') {
    const flag = (name: string): string | undefined =>
      argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined;
    const out = flag('--out');
    const layers: RawLayers = {
      poi: flag('--poi'),
      incidents: flag('--incidents'),
      trips: flag('--trips'),
      landUse: flag('--landuse'),
      labels: flag('--labels'),
    };
    if (!target || !out || !Object.values(layers).some(Boolean)) {
      console.error(USAGE);
      return 2;
    }
    return importRawCommand(target, layers, out, {
      mappingFile: flag('--mapping'),
      osm: argv.includes('--osm'),
      ownCategories: argv.includes('--own-categories'),
    });
  }
  if (command !== 'inspect' || !target) {
    console.error(everyUsage);
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
  cityMain(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      // A file-system error (a folder that cannot be written, ...) is one line, not a stack.
      if ((e as NodeJS.ErrnoException | null)?.code) console.error(`error: ${(e as Error).message}`);
      else console.error(e);
      process.exit(1);
    },
  );
