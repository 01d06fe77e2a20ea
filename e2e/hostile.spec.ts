/**
 * Hostile input in the browser (issue 16): a subset of the command line's hostile corpus
 * (src/cli/fixtures/hostile, run whole by src/cli/hostile.test.ts) dropped on the open sample
 * city. Each case is one row: the files (read from the corpus at run time, or made here), the
 * report's heading and its exact message. The CLI's own expected text (case.json `output`) must
 * be in the report too where the same core code produces it, and its `absent` text must not.
 * After each refusal Riverton must be untouched: same name, regions, summary, legend, value
 * shown, and a map still drawn.
 *
 * One page serves every row (a load takes seconds on a small machine); each row starts by
 * checking that the page shows Riverton as it was opened, and a failed row ends its worker, so
 * the next row opens a fresh page.
 */
import { expect, test as base, type Page } from '@playwright/test';
import { gzipSync } from 'node:zlib';
import {
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hexToRgb, openApp, pixelStats, waitForMap } from './helpers';

const CORPUS = join(import.meta.dirname, '../src/cli/fixtures/hostile');
/** BACKGROUND_COLOR of src/app/map/mapStyle.ts. */
const MAP_BACKGROUND = hexToRgb('#e8ecf1');
/** Overlays that sit on the map but are not part of it. */
const HIDE_OVERLAYS = '.map-legend, .maplibregl-ctrl, .tooltip { visibility: hidden !important; }';
/** Over MAX_FILE_BYTES (src/core/io/limits.ts, 256 MB): the app reads only its first 64 KB. */
const OVERSIZE_BYTES = 300 * 1024 * 1024;

interface CaseJson {
  output: string[];
  absent?: string[];
}

type DroppedFile = { name: string; buffer: Buffer } | string;

interface Row {
  /** The corpus folder (its case.json gives the CLI's text), or a name for a case made here. */
  name: string;
  /** What is dropped on the page. */
  files: () => DroppedFile[];
  /** How: dropped on the page (drag and drop) or picked with the file input. */
  via: 'drop' | 'input';
  /** The report's heading. */
  heading: string;
  /** One line of the report, exactly (severity, file, message). */
  line: string;
  /** Check the corpus's case.json `output` and `absent` too (default true when it has one). */
  cli?: boolean;
}

/** A corpus file as dropped: its name and bytes. */
const corpus = (folder: string, file: string): DroppedFile => ({
  name: file,
  buffer: readFileSync(join(CORPUS, folder, file)),
});

/** Every file of a corpus bundle folder, in name order (a bundle is its files dropped together). */
const bundle = (folder: string): DroppedFile[] =>
  readdirSync(join(CORPUS, folder, 'bundle'))
    .sort()
    .map((f) => ({ name: f, buffer: readFileSync(join(CORPUS, folder, 'bundle', f)) }));

/** A gzip of `text` whose trailer (ISIZE, its last 4 bytes) declares `declared` bytes unpacked. */
function gzipDeclaring(text: string, declared: number): Buffer {
  const gz = Buffer.from(gzipSync(Buffer.from(text)));
  gz.writeUInt32LE(declared, gz.length - 4);
  return gz;
}

const BUNDLE_FILES = '4 files (city.json, labels.csv, poi.csv, regions.geojson)';

/** Filled in by the oversize row: the sparse file's folder, removed after the test. */
let oversizeDir: string | null = null;

const ROWS: Row[] = [
  // A GeoJSON of regions (a new city): geometry, numbers, encoding, ids, syntax.
  {
    name: 'geo-antimeridian-ring',
    files: () => [corpus('geo-antimeridian-ring', 'regions.geojson')],
    via: 'drop',
    heading: 'Could not load regions.geojson',
    line: 'error: regions.geojson, feature 0 (id "fiji"), field "geometry": ring crosses the antimeridian (edge from [179.5,-17] to [-179.5,-17] spans more than 180° of longitude): its centroid and area would be on the other side of the Earth; split it at ±180° into a MultiPolygon (RFC 7946, 3.1.9)',
  },
  {
    name: 'geo-zero-area-sliver',
    files: () => [corpus('geo-zero-area-sliver', 'regions.geojson')],
    via: 'input',
    heading: 'Could not load regions.geojson',
    line: 'error: regions.geojson, feature 0 (id "A"), field "geometry": outer ring has no area (its positions lie on one line, or its loops cancel out): a region needs a polygon that encloses its area',
  },
  {
    name: 'data-regions-coordinate-1e999',
    files: () => [corpus('data-regions-coordinate-1e999', 'regions.geojson')],
    via: 'drop',
    heading: 'Could not load regions.geojson',
    line: 'error: regions.geojson, feature 0 (id "R1"), field "geometry": position 0 is [Infinity, 47.5]: expected [lon, lat] finite numbers (a coordinate beyond about 1.8e308, such as 1e999, reads as Infinity)',
  },
  {
    name: 'data-regions-latin1-name',
    files: () => [corpus('data-regions-latin1-name', 'regions.geojson')],
    via: 'input',
    heading: 'Could not load regions.geojson',
    line: 'error: regions.geojson: regions.geojson is not UTF-8 text: line 1 holds byte 0xFC, which UTF-8 does not allow there (a Latin-1 or Windows-1252 file?): save it as UTF-8 and load it again',
  },
  {
    name: 'data-regions-spaced-duplicate-id',
    files: () => [corpus('data-regions-spaced-duplicate-id', 'regions.geojson')],
    via: 'drop',
    heading: 'Could not load regions.geojson',
    line: 'error: regions.geojson, feature 1 (id "R1"), field "id": duplicate region id "R1" (also feature 0); ids are compared without surrounding spaces',
  },
  {
    name: 'regions-not-json',
    files: () => [corpus('regions-not-json', 'regions.geojson')],
    via: 'input',
    heading: 'Could not load regions.geojson',
    line: 'error: regions.geojson: invalid JSON: Unexpected end of JSON input',
  },
  // Raw layers imported into the open city: POI points, land use, labels.
  {
    name: 'data-import-poi-all-1e999',
    files: () => [corpus('data-import-poi-all-1e999', 'poi.csv')],
    via: 'drop',
    heading: 'Could not load poi.csv into Riverton',
    line: 'error: poi.csv into Riverton: poi.csv: no row has numeric coordinates (poi.csv line 2: latitude "1e999" is beyond the largest number there is (about 1.8e308), not a finite number)',
  },
  {
    name: 'data-import-poi-latin1',
    files: () => [corpus('data-import-poi-latin1', 'poi.csv')],
    via: 'input',
    heading: 'Could not load poi.csv into Riverton',
    line: 'error: poi.csv: poi.csv is not UTF-8 text: line 3 holds byte 0xE9, which UTF-8 does not allow there (a Latin-1 or Windows-1252 file?): save it as UTF-8 and load it again',
  },
  {
    name: 'landuse-hex-and-infinite',
    files: () => [corpus('landuse-hex-and-infinite', 'land_use.csv')],
    via: 'drop',
    heading: 'Could not load land_use.csv into Riverton',
    line: 'error: land_use.csv into Riverton: land_use.csv: no row has numeric coordinates (land_use.csv line 2: latitude "0x2f" is not a decimal number (hexadecimal, octal and binary are not read))',
  },
  {
    name: 'data-import-labels-duplicate-column',
    files: () => [corpus('data-import-labels-duplicate-column', 'labels.csv')],
    via: 'input',
    heading: 'Could not load labels.csv into Riverton',
    line: 'error: labels.csv into Riverton: labels.csv has two columns named "crime": name each task once',
  },
  // Size: gzip and zip bombs (small files whose headers declare huge sizes), an oversize file.
  {
    name: 'size-gzip-trips-declares-300mb',
    files: () => [corpus('size-gzip-trips-declares-300mb', 'trips.csv.gz')],
    via: 'drop',
    heading: 'Could not load trips.csv.gz into Riverton',
    line: 'error: trips.csv.gz into Riverton: trips.csv.gz is 300.0 MB, over the 256.0 MB limit for one file once decompressed',
  },
  {
    // Made here, as the corpus's poi.csv.gz is: real POI rows, a trailer saying 4 GB.
    name: 'size-gzip-poi-declares-4gb',
    files: () => [
      {
        name: 'poi.csv.gz',
        buffer: gzipDeclaring(
          readFileSync(join(CORPUS, 'data-import-poi-hex-coordinate/poi.csv'), 'utf8'),
          0xffffffff,
        ),
      },
    ],
    via: 'input',
    heading: 'Could not load poi.csv.gz into Riverton',
    line: 'error: poi.csv.gz into Riverton: poi.csv.gz is 4096.0 MB, over the 256.0 MB limit for one file once decompressed',
  },
  {
    name: 'size-zip-entry-declares-300mb',
    files: () => [corpus('size-zip-entry-declares-300mb', 'bomb.zip')],
    via: 'drop',
    heading: 'Could not load bomb.zip',
    line: 'error: bomb.zip: bomb.zip: entry regions.geojson unpacks to 300.0 MB, over the 256.0 MB limit for one file (a zip bomb, or a file too large to open): nothing was unpacked',
  },
  {
    // A sparse 300 MB file (a CSV header, then zeros): picked by path, never read whole.
    name: 'oversize-poi-300mb',
    files: () => {
      oversizeDir = mkdtempSync(join(tmpdir(), 'topt-hostile-'));
      const path = join(oversizeDir, 'poi.csv');
      writeFileSync(path, 'lon,lat,category\n');
      truncateSync(path, OVERSIZE_BYTES);
      return [path];
    },
    via: 'input',
    // Refused by its size before it is told apart as a layer or regions: no "into Riverton".
    heading: 'Could not load poi.csv',
    line: 'error: poi.csv: poi.csv is 300.0 MB, over the 256.0 MB limit for one file',
  },
  // City bundles: a zip whose manifest points outside it, and bundles dropped as their files.
  {
    name: 'path-zip-slip',
    files: () => [corpus('path-zip-slip', 'bundle.zip')],
    via: 'input',
    heading: 'Could not load bundle.zip',
    line: 'error: city.json, field "regions.file": path "../secret-outside.txt" is refused: it has a ".." segment; files must be named by a relative path inside the bundle',
  },
  {
    name: 'data-bundle-labels-1e999',
    files: () => bundle('data-bundle-labels-1e999'),
    via: 'drop',
    heading: `Could not load ${BUNDLE_FILES}`,
    line: 'error: labels.csv, line 3, field "crime": "-1e999" is beyond the largest number there is (about 1.8e308), not a finite number',
  },
  {
    name: 'data-bundle-regions-object-id',
    files: () => bundle('data-bundle-regions-object-id'),
    via: 'input',
    heading: `Could not load ${BUNDLE_FILES}`,
    line: 'error: regions.geojson, feature 0, field "id": region id is an object ({"code":"A"}): ids must be strings or numbers',
  },
];

/** What the page shows of the open city: nothing of it may change when a file is refused. */
interface CityView {
  name: string | null;
  regions: number;
  title: string;
  summary: string;
  facts: string;
  legend: string;
  value: string;
  mapReady: boolean;
  canvases: number;
}

type HookWindow = Window & {
  __topt?: { cityName(): string | null; regionCount(): number; mapReady(): boolean };
};

async function cityView(page: Page): Promise<CityView> {
  const hook = await page.evaluate(() => {
    const h = (window as HookWindow).__topt;
    return { name: h?.cityName() ?? null, regions: h?.regionCount() ?? 0, mapReady: h?.mapReady() ?? false };
  });
  const card = page.locator('section.card', { has: page.locator('#city-title') });
  return {
    ...hook,
    title: await page.locator('#city-title').innerText(),
    summary: await card.locator('p.muted').innerText(),
    facts: await card.locator('dl.facts').innerText(),
    legend: await page.getByTestId('legend').innerText(),
    value: await page.getByTestId('value-select').inputValue(),
    canvases: await page.getByTestId('map').locator('canvas').count(),
  };
}

/** The share of the map's pixels that are not background (the regions drawn). */
async function mapCover(page: Page): Promise<number> {
  const box = await page.getByTestId('map').boundingBox();
  if (!box) throw new Error('map element has no size');
  const png = await page.screenshot({ clip: box, style: HIDE_OVERLAYS });
  return (await pixelStats(page, png, MAP_BACKGROUND, [])).nonBackground;
}

/** Files as the page's drop handler gets them: a DataTransfer dispatched as a drag and drop. */
async function dropOnPage(page: Page, files: { name: string; buffer: Buffer }[]): Promise<void> {
  const dataTransfer = await page.evaluateHandle(
    (list) => {
      const dt = new DataTransfer();
      for (const f of list) {
        const bytes = Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0));
        dt.items.add(new File([bytes], f.name));
      }
      return dt;
    },
    files.map((f) => ({ name: f.name, b64: f.buffer.toString('base64') })),
  );
  await page.dispatchEvent('body', 'dragenter', { dataTransfer });
  await page.dispatchEvent('body', 'dragover', { dataTransfer });
  await expect(page.locator('.drop-overlay')).toBeVisible();
  await page.dispatchEvent('body', 'drop', { dataTransfer });
  await expect(page.locator('.drop-overlay')).toHaveCount(0);
}

const test = base.extend<{ riverton: Page }, { shared: Page }>({
  shared: [
    async ({ browser }, use, workerInfo) => {
      const { baseURL, viewport } = workerInfo.project.use;
      const context = await browser.newContext({ baseURL, viewport });
      const page = await context.newPage();
      await openApp(page);
      await use(page);
      await context.close();
    },
    { scope: 'worker', timeout: 60_000 },
  ],
  /** The shared page showing Riverton as opened, with no report or question left from a row before. */
  riverton: async ({ shared: page }, use) => {
    const report = page.getByTestId('problems');
    if (await report.isVisible()) await report.getByRole('button', { name: 'Dismiss' }).click();
    await expect(report).toHaveCount(0);
    await expect(page.getByTestId('category-mapping')).toHaveCount(0);
    await waitForMap(page, 'Riverton');
    await expect(page.locator('#city-title')).toHaveText('Riverton');
    await expect(page.getByTestId('region-count')).toHaveText('150 regions');
    await use(page);
  },
});

test.afterEach(() => {
  if (oversizeDir) rmSync(oversizeDir, { recursive: true, force: true });
  oversizeDir = null;
});

for (const row of ROWS) {
  test(`${row.name}: refused with its reason, Riverton untouched`, async ({ riverton: page }, info) => {
    const before = await cityView(page);
    expect(before.mapReady).toBe(true);
    expect(before.canvases).toBeGreaterThan(0);
    const coverBefore = await mapCover(page);
    expect(coverBefore, 'share of map pixels that are not background').toBeGreaterThan(0.3);

    const files = row.files();
    const paths = files.filter((f) => typeof f === 'string');
    const buffers = files.filter((f) => typeof f !== 'string');
    if (row.via === 'drop') {
      expect(paths, 'files dropped are made in the page from their bytes').toEqual([]);
      await dropOnPage(page, buffers);
    } else if (paths.length > 0) {
      expect(buffers, 'files picked by path are picked alone').toEqual([]);
      await page.getByTestId('file-input').setInputFiles(paths);
    } else {
      await page
        .getByTestId('file-input')
        .setInputFiles(buffers.map((f) => ({ ...f, mimeType: 'application/octet-stream' })));
    }

    const report = page.getByTestId('problems');
    await expect(report.getByRole('heading', { level: 2 })).toHaveText(row.heading);
    await expect(report).toContainText('Riverton is still loaded.');
    await expect(report.locator('li.error').filter({ hasText: row.line })).toHaveText([row.line]);
    const caseFile = join(CORPUS, row.name, 'case.json');
    if (row.cli !== false && statSync(caseFile, { throwIfNoEntry: false })) {
      const cli = JSON.parse(readFileSync(caseFile, 'utf8')) as CaseJson;
      const text = await report.innerText();
      for (const s of cli.output) expect(text, 'the CLI says this too').toContain(s);
      for (const s of cli.absent ?? []) expect(text, 'the CLI never says this').not.toContain(s);
    }
    await expect(report).not.toContainText('could not be read');
    await page.screenshot({ path: info.outputPath(`${row.name}.png`) });

    // Riverton as it was: name, regions, summary, legend, value shown, a drawn map.
    expect(await cityView(page)).toEqual(before);
    const coverAfter = await mapCover(page);
    expect(coverAfter, 'share of map pixels that are not background').toBeGreaterThan(0.8 * coverBefore);
  });
}

test('POI categories called __proto__, constructor and toString are asked for, then mapped as chosen', async ({
  page,
}, info) => {
  await openApp(page);
  await expect(page.getByTestId('region-count')).toHaveText('150 regions');
  const before = await cityView(page);
  await page
    .getByTestId('file-input')
    .setInputFiles(join(CORPUS, 'data-import-poi-proto-own-categories/poi.csv'));

  // Nothing is imported before the answer: Riverton stays as it was while the panel asks.
  const panel = page.getByTestId('category-mapping');
  await expect(panel).toContainText("3 of its 4 categories are not among Riverton's 26 POI categories");
  await expect(panel.getByLabel('Count __proto__ as', { exact: true })).toHaveValue('drop');
  await expect(panel.getByLabel('Count constructor as', { exact: true })).toHaveValue('drop');
  await expect(panel.getByLabel('Count toString as', { exact: true })).toHaveValue('drop');
  await expect(panel.getByTestId('category-summary')).toHaveText(
    '10 points counted, 30 dropped; 1 category matches by name.',
  );
  await page.screenshot({ path: info.outputPath('proto-categories.png') });
  expect(await cityView(page)).toEqual(before);

  // The mapping file of data-import-poi-proto-mapping, chosen in the panel.
  await panel.getByLabel('Count __proto__ as', { exact: true }).selectOption('food_and_drink');
  await panel.getByLabel('Count toString as', { exact: true }).selectOption('shopping');
  await panel.getByRole('button', { name: 'Import' }).click();
  await waitForMap(page, 'Riverton (imported layers)');
  const lines = page.getByTestId('import-report');
  await expect(lines).toContainText('30 points counted into 26 categories of 150 regions');
  await expect(lines).toContainText('4 categories in the file: 1 by name, 3 by the mapping');
  await expect(lines).toContainText('10 points dropped by the mapping: "constructor" (10)');
  await expect(lines).toContainText('0 points of unknown categories');
  await expect(page.getByTestId('region-count')).toHaveText('150 regions');
});
