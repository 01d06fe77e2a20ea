/**
 * What dropped files are (droppedFiles.ts): every good kind the app, the import worker and the
 * CLI take, and every refusal with its exact message, from the bad-input corpus
 * (fixtures/bad-points/, fixtures/bad-regions/) and small files made here.
 */
import { gzipSync } from 'fflate';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  RAW_INCIDENTS,
  RAW_LAND_USE_POINTS,
  RAW_POI_POINTS,
  RAW_TRIP_RECORDS,
} from '../samples/sampleCities';
import {
  classifyDroppedFiles,
  HEAD_BYTES,
  rawLayerKind,
  readRawLayer,
  type DroppedFile,
  type DroppedFiles,
} from './droppedFiles';
import { pointsFromCsv } from './layers/pointsCsv';

const riverton = join(import.meta.dirname, '../../../sample-cities/riverton');
const fixture = (path: string): DroppedFile => ({
  name: basename(path),
  bytes: new Uint8Array(readFileSync(join(import.meta.dirname, 'fixtures', path))),
});
const fromRiverton = (path: string): DroppedFile => ({
  name: basename(path),
  bytes: new Uint8Array(readFileSync(join(riverton, path))),
});
const text = (name: string, content: string): DroppedFile => ({
  name,
  bytes: new TextEncoder().encode(content),
});
const points = (...coordinates: [number, number][]): string =>
  JSON.stringify({
    type: 'FeatureCollection',
    features: coordinates.map((c) => ({
      type: 'Feature',
      properties: { category: 'bar' },
      geometry: { type: 'Point', coordinates: c },
    })),
  });
const square = JSON.stringify({
  type: 'FeatureCollection',
  features: [
    {
      type: 'Feature',
      properties: { id: 'A' },
      geometry: { type: 'Polygon', coordinates: [[[8.5, 47.37], [8.51, 47.37], [8.51, 47.38], [8.5, 47.37]]] }, // prettier-ignore
    },
  ],
});

const onCity = (files: DroppedFile[]): DroppedFiles => classifyDroppedFiles(files, { cityOpen: true });
const noCity = (files: DroppedFile[]): DroppedFiles => classifyDroppedFiles(files, { cityOpen: false });
/** What was found, without the bytes: the kind, and the layers' kinds or the refusals' messages. */
function summary(what: DroppedFiles): unknown {
  switch (what.kind) {
    case 'layers':
      return { layers: what.layers.map((l) => [l.file.name, l.kind]) };
    case 'refused':
      return { refused: what.refusals.map((r) => [r.file, r.message]), asLayers: what.asLayers };
    case 'bundleFiles':
      return { bundleFiles: what.files.map((f) => f.name) };
    default:
      return { [what.kind]: what.file.name };
  }
}
const refusal = (what: DroppedFiles): string[] =>
  what.kind === 'refused' ? what.refusals.map((r) => r.message) : [`not refused: ${what.kind}`];

describe('dropped files the app opens or imports', () => {
  it('one .zip is a city bundle archive, with or without a city open', () => {
    const zip = text('riverton.zip', 'PK…');
    expect(summary(onCity([zip]))).toEqual({ bundleArchive: 'riverton.zip' });
    expect(summary(noCity([zip]))).toEqual({ bundleArchive: 'riverton.zip' });
  });

  it('the files of a bundle, city.json among them, are a bundle even on an open city (and city.json alone too)', () => {
    const names = readdirSync(riverton, { withFileTypes: true }).filter((e) => e.isFile());
    const files = names.map((e) => fromRiverton(e.name));
    expect(summary(onCity(files))).toEqual({ bundleFiles: files.map((f) => f.name) });
    expect(summary(noCity([fromRiverton('city.json')]))).toEqual({ bundleFiles: ['city.json'] });
    const benchmark = [text('poi_dist.npy', 'x'), text('regions.geojson', square)];
    expect(summary(onCity(benchmark))).toEqual({ bundleFiles: ['poi_dist.npy', 'regions.geojson'] });
  });

  it('one GeoJSON of polygons is the regions of a new city, with or without a city open', () => {
    expect(summary(onCity([fromRiverton('regions.geojson')]))).toEqual({ regions: 'regions.geojson' });
    expect(summary(noCity([text('districts.json', square)]))).toEqual({ regions: 'districts.json' });
    // Not GeoJSON at all: its loader says why (invalid JSON, not a FeatureCollection).
    expect(
      summary(onCity([text('corrupt.geojson', '{"type": "FeatureCollection", "features": [ {')])),
    ).toEqual({
      regions: 'corrupt.geojson',
    });
  });

  it('the broken regions of the corpus (bad-regions/) are regions: their loader names each problem (badRegions.test.ts)', () => {
    for (const name of ['duplicate-ids.geojson', 'mixed-geometry.geojson'])
      expect(summary(onCity([fixture(`bad-regions/${name}`)]))).toEqual({ regions: name });
  });

  it('a GeoJSON of points is a layer of the open city, not the regions of a new one', () => {
    expect(summary(onCity([text('my-pois.geojson', points([8.5, 47.3]))]))).toEqual({
      layers: [['my-pois.geojson', 'geoJsonPoints']],
    });
  });

  it('a GeoJSON named "land use" is land-use polygons of the open city, and regions with no city open', () => {
    expect(summary(onCity([text('land_use.geojson', square)]))).toEqual({
      layers: [['land_use.geojson', 'landUsePolygons']],
    });
    expect(summary(noCity([text('land_use.geojson', square)]))).toEqual({ regions: 'land_use.geojson' });
  });

  it("CSVs on an open city are its layers, each with its kind, in the order dropped (Riverton's gzipped raw layers)", () => {
    const files = [RAW_TRIP_RECORDS, RAW_POI_POINTS, RAW_LAND_USE_POINTS, RAW_INCIDENTS].map(fromRiverton);
    expect(summary(onCity(files))).toEqual({
      layers: [
        ['trip_records.csv.gz', 'trips'],
        ['poi_points.csv.gz', 'poi'],
        ['land_use_points.csv.gz', 'landUsePoints'],
        ['incidents.csv.gz', 'incidents'],
      ],
    });
  });

  it('a CSV split by semicolons or tabs is read like one split by commas', () => {
    expect(summary(onCity([text('p.csv', 'lon;lat;category\n8.5;47.3;bar\n')]))).toEqual({
      layers: [['p.csv', 'poi']],
    });
    expect(summary(onCity([text('l.csv', 'region_id\tcrime\nA\t3\n')]))).toEqual({
      layers: [['l.csv', 'labels']],
    });
  });

  it('a file given by its first bytes and its size is told as when given whole', () => {
    const whole = fromRiverton(RAW_POI_POINTS);
    const start = { ...whole, bytes: whole.bytes.subarray(0, 4096), size: whole.bytes.length };
    expect(summary(onCity([start]))).toEqual(summary(onCity([whole])));
    const csv = text('big.csv', `lon,lat,category\n${'8.5,47.3,bar\n'.repeat(20_000)}`);
    expect(csv.bytes.length).toBeGreaterThan(HEAD_BYTES);
    const head = { ...csv, bytes: csv.bytes.subarray(0, HEAD_BYTES), size: csv.bytes.length };
    expect(summary(onCity([head]))).toEqual({ layers: [['big.csv', 'poi']] });
  });

  it('a CSV whose rows fail is left to its importer, which names the line', () => {
    expect(summary(onCity([fixture('bad-points/text-in-numbers.csv')]))).toEqual({
      layers: [['text-in-numbers.csv', 'poi']],
    });
  });
});

describe('what a raw layer holds, from its header and its name', () => {
  it.each([
    ['lon,lat,category', 'p.csv', 'poi'],
    ['lon,lat,task', 'i.csv', 'incidents'],
    ['origin_lon,origin_lat,destination_lon,destination_lat', 't.csv', 'trips'],
    ['origin_id,destination_id,count', 't.csv', 'trips'],
    ['from,to', 't.csv', 'trips'],
    ['lon,lat,landuse', 'lu.csv', 'landUsePoints'],
    ['lon,lat,class', 'land_use_points.csv', 'landUsePoints'],
    ['region_id,crime,noise', 'l.csv', 'labels'],
    ['region_id,crime,noise', 'labels.csv', 'labels'],
    ['region_id,food_and_drink,shopping', 'poi.csv', null],
    ['{}', 'landuse.geojson', 'landUsePolygons'],
    ['{}', 'regions.geojson', null],
    ['name,category', 'n.csv', null],
  ])('%s (%s) -> %s', (header, name, kind) => {
    expect(rawLayerKind(`${header}\n`, name)).toBe(kind);
  });
});

describe('refused files, each with its reason (the corpus of broken points files on an open city)', () => {
  it.each([
    ['empty.csv', 'empty.csv is empty'],
    ['header-only.csv', 'header-only.csv has a header but no rows'],
    [
      'pipe-delimited.csv',
      'pipe-delimited.csv has a single column "lon|lat|category": its columns seem separated by pipes ("|"); separate them with commas (semicolons and tabs are read too)',
    ],
    [
      'no-coordinates.csv',
      'no-coordinates.csv has no columns a raw layer is read from: its columns are "name", "category"; expected lon and lat (POI, incident or land-use points), origin and destination coordinates or region ids (trip records, e.g. origin_lon or origin_id), or a region id column first (task labels, e.g. region_id)',
    ],
    [
      'no-latitude.csv',
      'no-latitude.csv needs a latitude column (named lat, latitude or y); its columns are "lon", "category"',
    ],
    [
      'projected.csv',
      'projected.csv: the coordinates look projected (e.g. 448123.5, 4640000.2), not longitude and latitude in degrees (WGS84)',
    ],
    [
      'utf-16.csv',
      'utf-16.csv is UTF-16 text (it starts with a UTF-16 byte-order mark), not UTF-8: save it as UTF-8 (e.g. "CSV UTF-8" in Excel) and load it again',
    ],
    [
      'utf-16-no-bom.csv',
      'utf-16-no-bom.csv looks like UTF-16 text without a byte-order mark (every other byte is zero), not UTF-8: save it as UTF-8 and load it again',
    ],
    [
      'latin-1.csv',
      'latin-1.csv is not UTF-8 text: line 3 holds byte 0xE9, which UTF-8 does not allow there (a Latin-1 or Windows-1252 file?): save it as UTF-8 and load it again',
    ],
  ])('%s', (file, message) => {
    const what = onCity([fixture(`bad-points/${file}`)]);
    expect(summary(what)).toEqual({ refused: [[file, message]], asLayers: true });
  });
});

describe('refused files, each with its reason', () => {
  it('refuses a file type it does not read, naming the extension', () => {
    const message = (name: string): string =>
      `${name}: unsupported file type (${name.includes('.') ? '".xlsx"' : 'no extension'}): drop a .geojson of regions, a .zip city bundle or all the files of a bundle, or, on an open city, raw layers (.csv, .csv.gz, or a .geojson of points)`;
    expect(summary(onCity([text('data.xlsx', 'x')]))).toEqual({
      refused: [['data.xlsx', message('data.xlsx')]],
      asLayers: false,
    });
    expect(refusal(noCity([text('README', '')]))).toEqual([message('README')]);
  });

  it('refuses an empty GeoJSON or .zip', () => {
    expect(refusal(noCity([text('regions.geojson', '')]))).toEqual(['regions.geojson is empty']);
    expect(refusal(noCity([text('regions.geojson', '  \n')]))).toEqual(['regions.geojson is empty']);
    expect(refusal(onCity([text('city.zip', '')]))).toEqual(['city.zip is empty']);
  });

  it('refuses a CSV dropped with no city open, saying what it holds', () => {
    expect(refusal(noCity([text('p.csv', 'lon,lat,category\n8.5,47.3,bar\n')]))).toEqual([
      'p.csv holds POI points, a raw layer of a city, not a city: open a city first, then drop it on that city',
    ]);
    expect(refusal(noCity([fromRiverton(RAW_TRIP_RECORDS), fromRiverton(RAW_INCIDENTS)]))).toEqual([
      'trip_records.csv.gz holds trip records, a raw layer of a city, not a city: open a city first, then drop it on that city',
      'incidents.csv.gz holds incident points, a raw layer of a city, not a city: open a city first, then drop it on that city',
    ]);
  });

  it('refuses a GeoJSON of points dropped with no city open, saying what regions would need', () => {
    expect(refusal(noCity([text('p.geojson', points([8.5, 47.3]))]))).toEqual([
      'p.geojson holds points (a GeoJSON of Point features), a raw layer of a city, not a city: open a city first, then drop it on that city (as the regions of a new city, its features would have to be Polygon or MultiPolygon)',
    ]);
  });

  it('refuses a broken CSV for what is broken even with no city open', () => {
    expect(refusal(noCity([fixture('bad-points/pipe-delimited.csv')]))).toEqual([
      'pipe-delimited.csv has a single column "lon|lat|category": its columns seem separated by pipes ("|"); separate them with commas (semicolons and tabs are read too)',
    ]);
  });

  it('refuses, among layers dropped on an open city, every file that is not one, and says what it is', () => {
    const what = onCity([
      text('city.zip', 'PK'),
      text('regions.geojson', square),
      text('poi.csv', 'region_id,food\nA,1\n'),
      text('labels.csv', 'region_id,crime\nA,1\n'),
      text('notes.txt', 'x'),
    ]);
    expect(summary(what)).toEqual({
      refused: [
        ['city.zip', 'city.zip is a .zip city bundle: drop it on its own to open it'],
        [
          'regions.geojson',
          'regions.geojson holds no points: a GeoJSON of region polygons opens as a new city when dropped on its own, and a GeoJSON of land-use polygons needs "land use" in its name',
        ],
        [
          'poi.csv',
          "poi.csv is a city bundle's table of counts by region id: drop it with the other files of its bundle, city.json among them",
        ],
        [
          'notes.txt',
          'notes.txt: unsupported file type (".txt"): drop a .geojson of regions, a .zip city bundle or all the files of a bundle, or, on an open city, raw layers (.csv, .csv.gz, or a .geojson of points)',
        ],
      ],
      asLayers: true,
    });
  });

  it('refuses a GeoJSON in UTF-16, with or without a byte-order mark', () => {
    const utf16be = (content: string): Uint8Array =>
      Uint8Array.from([...content].flatMap((c) => [c.charCodeAt(0) >> 8, c.charCodeAt(0) & 0xff]));
    expect(refusal(noCity([{ name: 'regions.geojson', bytes: utf16be(square) }]))).toEqual([
      'regions.geojson looks like UTF-16 text without a byte-order mark (every other byte is zero), not UTF-8: save it as UTF-8 and load it again',
    ]);
    expect(refusal(noCity([{ name: 'regions.geojson', bytes: utf16be(`\ufeff${square}`) }]))).toEqual([
      'regions.geojson is UTF-16 text (it starts with a UTF-16 byte-order mark), not UTF-8: save it as UTF-8 (e.g. "CSV UTF-8" in Excel) and load it again',
    ]);
  });

  it('refuses binary data named .csv', () => {
    expect(
      refusal(onCity([{ name: 'sheet.csv', bytes: new Uint8Array([0x50, 0x4b, 3, 4, 0, 0, 8, 0]) }])),
    ).toEqual(['sheet.csv is not text: byte 5 is a zero byte (a CSV or GeoJSON is plain UTF-8 text)']);
  });

  it('refuses a .gz that is not gzip, and reads the CSV inside one that is', () => {
    expect(refusal(onCity([text('p.csv.gz', 'lon,lat\n8.5,47.3\n')]))).toEqual([
      'p.csv.gz is not a valid gzip file (invalid gzip data)',
    ]);
    const gz = { name: 'p.csv.gz', bytes: gzipSync(new TextEncoder().encode('lon|lat\n8.5|47.3\n')) };
    expect(refusal(onCity([gz]))).toEqual([
      'p.csv.gz has a single column "lon|lat": its columns seem separated by pipes ("|"); separate them with commas (semicolons and tabs are read too)',
    ]);
  });

  it('refuses a gzipped GeoJSON of regions (regions are read uncompressed)', () => {
    const gz = { name: 'regions.geojson.gz', bytes: gzipSync(new TextEncoder().encode(square)) };
    expect(refusal(noCity([gz]))).toEqual([
      'regions.geojson.gz is a gzipped GeoJSON without points: a GeoJSON of regions is read uncompressed, so unzip it and drop the .geojson',
    ]);
  });

  it('refuses files over the size limit, and a drop of nothing', () => {
    const big = { name: 'p.csv', bytes: new Uint8Array(16), size: 3 * 1024 * 1024 };
    expect(refusal(classifyDroppedFiles([big], { cityOpen: true, maxFileBytes: 1024 * 1024 }))).toEqual([
      'p.csv is 3.0 MB, over the 1.0 MB limit for one file',
    ]);
    expect(summary(onCity([]))).toEqual({ refused: [['(no file)', 'no file was dropped']], asLayers: false });
  });
});

describe('a raw layer read whole (the import worker, npm run city -- import)', () => {
  it('tells the kind of GeoJSON points from their properties, read as CSV', () => {
    const read = readRawLayer(text('incidents.geojson', points([8.5, 47.3]).replaceAll('category', 'task')));
    expect('error' in read ? read.error : [read.kind, read.text]).toEqual([
      'incidents',
      'lon,lat,task\n8.5,47.3,bar\n',
    ]);
  });

  it('refuses every file the page refuses, in the same words, gzipped or not', () => {
    const dir = join(import.meta.dirname, 'fixtures/bad-points');
    for (const name of readdirSync(dir).filter((n) => n !== 'text-in-numbers.csv')) {
      const file = fixture(`bad-points/${name}`);
      const gz = { name: `${name}.gz`, bytes: gzipSync(file.bytes) };
      const onPage = refusal(onCity([file]));
      expect(readRawLayer(file), name).toEqual({ error: onPage[0] });
      expect(readRawLayer(gz), name).toEqual({ error: onPage[0].replaceAll(name, `${name}.gz`) });
    }
  });

  it('says what the points importer says about the same broken file', () => {
    for (const name of [
      'empty.csv',
      'pipe-delimited.csv',
      'no-latitude.csv',
      'header-only.csv',
      'projected.csv',
    ]) {
      const file = fixture(`bad-points/${name}`);
      expect(readRawLayer(file), name).toEqual(pointsFromCsv(new TextDecoder().decode(file.bytes), name));
    }
  });

  it('with the kind given (a CLI flag), checks the reading only; land use is points or polygons as the file holds', () => {
    const kind = (file: DroppedFile, as: Parameters<typeof readRawLayer>[1]): unknown => {
      const read = readRawLayer(file, as);
      return 'error' in read ? read.error : read.kind;
    };
    expect(kind(text('zones.geojson', square), { as: 'landUse' })).toBe('landUsePolygons');
    expect(kind(text('lu.geojson', points([8.5, 47.3])), { as: 'landUse' })).toBe('landUsePoints');
    expect(kind(text('lu.csv', 'lon,lat,class\n8.5,47.3,park\n'), { as: 'landUse' })).toBe('landUsePoints');
    expect(kind(text('p.csv', 'name,category\nA,bar\n'), { as: 'poi' })).toBe('poi');
    expect(kind(fixture('bad-points/utf-16.csv'), { as: 'poi' })).toBe(
      'utf-16.csv is UTF-16 text (it starts with a UTF-16 byte-order mark), not UTF-8: save it as UTF-8 (e.g. "CSV UTF-8" in Excel) and load it again',
    );
    expect(kind(text('regions.geojson', square), { as: 'poi' })).toBe(
      'regions.geojson holds no points: a GeoJSON of region polygons opens as a new city when dropped on its own, and a GeoJSON of land-use polygons needs "land use" in its name',
    );
  });
});
