/**
 * `npm run city -- tessellate --bbox w,s,e,n | --area area.geojson (--h3 RES | --grid METRES)
 * --name N --out <folder>`: a city of regions only (H3 hexagons or grid squares over the study
 * area), written as a bundle that `npm run city -- import <folder> --poi … --out …` fills.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { writeCityBundle } from '../core/city/bundle';
import {
  NO_VIEWS_YET,
  parseBbox,
  studyAreaFromGeoJson,
  tessellate,
  tessellationFromText,
} from '../core/city/tessellate';
import type { StudyArea } from '../core/city/tessellate';
import { checkArgs } from './args';

export const TESSELLATE_USAGE =
  'npm run city -- tessellate (--bbox w,s,e,n | --area area.geojson) (--h3 RES | --grid METRES) [--name N] --out <folder>';

function flag(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

/** Parse the flags, tessellate and write the bundle; returns the exit code. */
export async function tessellateCommand(argv: string[]): Promise<number> {
  const checked = checkArgs(argv, {
    bbox: 'string',
    area: 'string',
    h3: 'string',
    grid: 'string',
    out: 'string',
    name: 'string',
  });
  if (checked.kind === 'help') {
    console.log(`Usage: ${TESSELLATE_USAGE}`);
    return 0;
  }
  if (checked.kind === 'error') {
    console.error(`error: ${checked.message}\nusage: ${TESSELLATE_USAGE}`);
    return 2;
  }
  const bboxText = flag(argv, '--bbox');
  const areaFile = flag(argv, '--area');
  const h3 = flag(argv, '--h3');
  const grid = flag(argv, '--grid');
  const out = flag(argv, '--out');
  if (!out || !bboxText === !areaFile || !h3 === !grid) {
    console.error(`usage: ${TESSELLATE_USAGE}`);
    return 2;
  }
  let area: StudyArea;
  if (bboxText) {
    const parsed = parseBbox(bboxText);
    if ('error' in parsed) {
      console.error(`error: ${parsed.error}`);
      return 1;
    }
    area = parsed;
  } else {
    let json: unknown;
    try {
      json = JSON.parse(await readFile(areaFile as string, 'utf8'));
    } catch (e) {
      console.error(
        `error: ${areaFile} cannot be read as JSON (${e instanceof Error ? e.message : String(e)})`,
      );
      return 1;
    }
    const parsed = studyAreaFromGeoJson(json);
    if ('error' in parsed) {
      console.error(`error: ${areaFile}: ${parsed.error}`);
      return 1;
    }
    area = parsed;
  }
  const [name, text] = h3 ? ['--h3', h3] : ['--grid', grid ?? ''];
  const tessellation = tessellationFromText(h3 ? 'h3' : 'grid', text);
  if ('error' in tessellation) {
    console.error(`error: ${name} ${tessellation.error}`);
    return 1;
  }
  const result = tessellate(area, tessellation, {
    name: flag(argv, '--name'),
    ...(areaFile ? { areaLabel: basename(areaFile) } : {}),
  });
  if ('error' in result) {
    console.error(`error: ${result.error}; nothing written`);
    return 1;
  }
  await mkdir(out, { recursive: true });
  for (const [path, bytes] of Object.entries(writeCityBundle(result.city))) {
    await mkdir(dirname(join(out, path)), { recursive: true });
    await writeFile(join(out, path), bytes);
  }
  console.log(result.city.metadata.source);
  console.log(`wrote ${result.city.metadata.name} to ${out}; ${NO_VIEWS_YET}:`);
  console.log(`  npm run city -- import ${out} --poi points.csv --trips trips.csv --out <folder>`);
  return 0;
}
