/**
 * The app shell: opens on the sample city with a drawn map, tooltip, selection, load errors
 * that keep the current city, and the benchmark cities when the server offers them.
 */
import { expect, test, type Page } from '@playwright/test';
import { zipSync } from 'fflate';
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  cityName,
  clickRegion,
  hexToRgb,
  legendColors,
  openApp,
  pixelStats,
  regionNearCentre,
  showValue,
  waitForMap,
  watchExternalRequests,
} from './helpers';

/** The app's origin; E2E_PORT as in playwright.config.ts. */
const ORIGIN = `http://127.0.0.1:${process.env.E2E_PORT ?? 4180}`;
/** BACKGROUND_COLOR of src/app/map/mapStyle.ts. */
const MAP_BACKGROUND = hexToRgb('#e8ecf1');
/**
 * Strings only TensorFlow.js puts in a bundle, minified or not (as scripts/first-view-size.mjs):
 * tfjs-core's URL flag name, its model stores' names and the package scope.
 */
const TFJS_MARKERS = ['tfjsflags', 'tensorflowjs_models', '@tensorflow/tfjs'];
/** Overlays that sit on the map but are not part of it. */
const HIDE_OVERLAYS = '.map-legend, .maplibregl-ctrl, .tooltip { visibility: hidden !important; }';

async function mapScreenshot(page: Page, path: string): Promise<Buffer> {
  const box = await page.getByTestId('map').boundingBox();
  if (!box) throw new Error('map element has no size');
  return page.screenshot({ path, clip: box, style: HIDE_OVERLAYS });
}

/** minCover: the share of map pixels the regions should cover at least (depends on the city's shape). */
async function expectFilledMap(page: Page, path: string, minCover: number): Promise<void> {
  const png = await mapScreenshot(page, path);
  const colors = await legendColors(page);
  const stats = await pixelStats(page, png, MAP_BACKGROUND, colors);
  // Regions cover a good part of the map, and several palette classes are visible.
  expect(stats.nonBackground, 'share of map pixels that are not background').toBeGreaterThan(minCover);
  const visibleClasses = stats.colorShares.filter((s) => s > 0.005).length;
  expect(
    visibleClasses,
    `palette classes with >0.5% of pixels (shares ${stats.colorShares.join(', ')})`,
  ).toBeGreaterThanOrEqual(Math.min(4, colors.length));
}

test('opens on the sample city and draws filled regions, with no request off the origin', async ({
  page,
}, info) => {
  const external = watchExternalRequests(page, ORIGIN);
  await openApp(page);
  expect(await cityName(page)).toBe('Riverton');
  await expect(page.getByTestId('region-count')).toHaveText('150 regions');
  await expect(page.getByTestId('legend')).toContainText('Total POIs');
  await expectFilledMap(page, info.outputPath('map-riverton.png'), 0.4);
  expect(external, 'requests outside the app origin').toEqual([]);
});

/** The scripts index.html loads itself: its entry, its modulepreloads and their static imports. */
async function firstViewScripts(page: Page): Promise<Map<string, string>> {
  const html = await (await page.request.get('/')).text();
  const queue = [
    ...html.matchAll(/<(?:script type="module"[^>]*\ssrc|link rel="modulepreload"[^>]*\shref)="([^"]+)"/g),
  ].map((m) => new URL(m[1], ORIGIN).href);
  const scripts = new Map<string, string>();
  while (queue.length > 0) {
    const url = queue.shift() as string;
    if (scripts.has(url)) continue;
    const code = await (await page.request.get(url)).text();
    scripts.set(url, code);
    // import{a as b}from"./x.js", import"./x.js", export{a}from"./x.js"; not import("./x.js").
    for (const m of code.matchAll(
      /(?:^|[;}\s])(?:import|export)\s*(?:[\w$*{}\s,]*?\s*from\s*)?["'](\.{1,2}\/[^"']+)["']/g,
    ))
      queue.push(new URL(m[1], url).href);
  }
  return scripts;
}

const tfjsIn = (code: string): string[] => TFJS_MARKERS.filter((m) => code.includes(m));

test('the first view fetches each file of the sample city once and no TensorFlow.js until the map is drawn', async ({
  page,
}) => {
  const requests: string[] = [];
  page.on('request', (req) => requests.push(req.url()));
  // The training worker (TensorFlow.js) is started to warm up once the map is drawn and the
  // page idle: note how many requests came before it, and whether the map had drawn by then.
  const warm: { before: number; mapDrawn: boolean }[] = [];
  await page.route(/\/assets\/training\.worker-[\w-]+\.js$/, async (route) => {
    const at = requests.indexOf(route.request().url());
    const before = at >= 0 ? at : requests.length;
    const mapDrawn = await page.evaluate(
      () => (window as Window & { __topt?: { mapReady(): boolean } }).__topt?.mapReady() ?? false,
    );
    warm.push({ before, mapDrawn });
    await route.continue();
  });
  await openApp(page);
  await page.waitForLoadState('networkidle');
  await expect
    .poll(() => warm.length, { message: 'the training worker warms up after the first draw' })
    .toBe(1);
  expect(warm[0].mapDrawn, 'the map was drawn when the training worker was started').toBe(true);
  const firstLoad = requests.slice(0, warm[0].before);

  // Every file of the default city's bundle, counted by its name (Vite adds a hash: labels-Ab12.csv).
  const folder = join(dirname(test.info().config.configFile ?? 'playwright.config.ts'), 'sample-cities');
  const manifest = JSON.parse(readFileSync(join(folder, 'riverton', 'city.json'), 'utf8')) as {
    regions: { file: string };
    views: Record<string, { file: string }>;
    labels: { file: string }[];
    adjacency: string;
  };
  const files = [
    'city.json',
    manifest.regions.file,
    ...Object.values(manifest.views).map((v) => v.file),
    ...manifest.labels.map((l) => l.file),
    manifest.adjacency,
  ];
  const counts = Object.fromEntries(
    [...new Set(files)].map((file) => {
      const dot = file.lastIndexOf('.');
      const asset = new RegExp(`/assets/${file.slice(0, dot)}-[\\w-]+\\${file.slice(dot)}$`);
      return [file, firstLoad.filter((url) => asset.test(new URL(url).pathname)).length];
    }),
  );
  expect(counts, 'requests per file of the sample city on first load').toEqual(
    Object.fromEntries([...new Set(files)].map((file) => [file, 1])),
  );

  // The first view's JavaScript (what index.html loads statically, and every script the page
  // asked for until now) holds no TensorFlow.js, and no TensorFlow.js WebAssembly was fetched.
  const scripts = await firstViewScripts(page);
  for (const url of firstLoad.filter((u) => new URL(u).pathname.endsWith('.js') && !scripts.has(u)))
    scripts.set(url, await (await page.request.get(url)).text());
  expect(scripts.size, 'scripts of the first view').toBeGreaterThan(0);
  const withTfjs = [...scripts].filter(([, code]) => tfjsIn(code).length > 0).map(([url]) => url);
  expect(withTfjs, 'first-view scripts containing TensorFlow.js').toEqual([]);
  expect(firstLoad.filter((u) => new URL(u).pathname.endsWith('.wasm'))).toEqual([]);

  // The same markers find TensorFlow.js in what the warm-up fetched (so the check above can fail).
  await expect
    .poll(
      async () => {
        for (const url of requests.slice(firstLoad.length))
          if (
            new URL(url).pathname.endsWith('.js') &&
            tfjsIn(await (await page.request.get(url)).text()).length > 0
          )
            return true;
        return false;
      },
      { timeout: 30_000, message: 'a script with TensorFlow.js is fetched by the warm-up' },
    )
    .toBe(true);
});

/** Counts the page's requestAnimationFrame calls (window.__frames()). */
function countFrames(): void {
  const request = window.requestAnimationFrame.bind(window);
  let n = 0;
  (window as Window & { __frames?: () => number }).__frames = () => n;
  window.requestAnimationFrame = (callback) => {
    n++;
    return request(callback);
  };
}

const framesAsked = (page: Page): Promise<number> =>
  page.evaluate(() => (window as Window & { __frames?: () => number }).__frames?.() ?? -1);

test('an idle map asks for no animation frames (deck.gl parks its loop); hovering a region wakes it and shows a tooltip with its name and counts', async ({
  page,
}) => {
  await page.addInitScript(countFrames);
  await openApp(page);
  // deck.gl's loop asked for a frame 60 times a second while nothing changed (frameGate.ts).
  await page.waitForTimeout(1500);
  const before = await framesAsked(page);
  await page.waitForTimeout(2000);
  expect(await framesAsked(page), 'animation frames asked for in 2 s of an idle map').toBeLessThan(
    before + 10,
  );
  const region = await regionNearCentre(page);
  await page.mouse.move(region.x - 3, region.y - 3);
  await page.mouse.move(region.x, region.y);
  const tooltip = page.getByTestId('tooltip');
  await expect(tooltip).toBeVisible();
  await expect(tooltip).toContainText(region.name);
  await expect(tooltip).toContainText('Total POIs');
  await expect(tooltip).toContainText('Trips out');
  await expect(tooltip).toContainText('Crime');
  await page.mouse.move(5, 5);
  await expect(tooltip).toBeHidden();
});

test('clicking a region selects it; the panel shows its id; Escape clears', async ({ page }) => {
  await openApp(page);
  const region = await clickRegion(page, () => regionNearCentre(page));
  const details = page.getByTestId('region-details');
  await expect(details).toBeVisible();
  await expect(details.getByRole('heading', { level: 2 })).toHaveText(region.name);
  await expect(page.getByTestId('selected-region-id')).toHaveText(region.id);
  await expect(page.getByTestId('region-select')).toHaveValue(String(region.index));
  await page.keyboard.press('Escape');
  await expect(details).toBeHidden();
  await expect(page.getByTestId('region-select')).toHaveValue('');
});

test('a corrupt GeoJSON shows the specific problems and keeps the current city', async ({ page }, info) => {
  await openApp(page);
  // 1. Invalid JSON, dropped on the page.
  const dataTransfer = await page.evaluateHandle(() => {
    const dt = new DataTransfer();
    dt.items.add(
      new File(['{"type": "FeatureCollection", "features": [ {'], 'corrupt.geojson', {
        type: 'application/geo+json',
      }),
    );
    return dt;
  });
  await page.dispatchEvent('body', 'dragenter', { dataTransfer });
  await page.dispatchEvent('body', 'dragover', { dataTransfer });
  await page.dispatchEvent('body', 'drop', { dataTransfer });
  const problems = page.getByTestId('problems');
  await expect(problems).toContainText('Could not load corrupt.geojson');
  await expect(problems).toContainText('error: corrupt.geojson: invalid JSON');
  await expect(problems).toContainText('Riverton is still loaded');
  await expect(page.getByTestId('region-count')).toHaveText('150 regions');
  expect(await cityName(page)).toBe('Riverton');

  // 2. A FeatureCollection whose only feature is a Point, through the file input: read as a
  // point layer of the open city (it lies outside it), and told how it would work as regions.
  const points = {
    type: 'FeatureCollection',
    features: [
      {
        type: 'Feature',
        properties: { id: 'A', name: 'Alpha' },
        geometry: { type: 'Point', coordinates: [0, 0] },
      },
    ],
  };
  await page.getByTestId('file-input').setInputFiles({
    name: 'points.geojson',
    mimeType: 'application/geo+json',
    buffer: Buffer.from(JSON.stringify(points)),
  });
  await expect(problems).toContainText('Could not load points.geojson into Riverton');
  await expect(problems).toContainText('none of its 1 points lies inside a region');
  await expect(problems).toContainText(
    'warning: points.geojson: holds points, so it was read as a layer of Riverton; to open it as the regions of a new city, its features must be Polygon or MultiPolygon',
  );
  await expect(problems).toContainText('Riverton is still loaded');
  expect(await cityName(page)).toBe('Riverton');
  await waitForMap(page, 'Riverton');
  await expectFilledMap(page, info.outputPath('map-after-errors.png'), 0.4);
  await page.screenshot({ path: info.outputPath('app-with-errors.png') });
  await problems.getByRole('button', { name: 'Dismiss' }).click();
  await expect(problems).toBeHidden();
});

test('a GeoJSON with warnings loads, and the warnings are listed', async ({ page }) => {
  await openApp(page);
  const square = (x: number, y: number, closed: boolean) => {
    const ring = [
      [x, y],
      [x + 0.01, y],
      [x + 0.01, y + 0.01],
      [x, y + 0.01],
    ];
    return { type: 'Polygon', coordinates: [closed ? [...ring, ring[0]] : ring] };
  };
  const fc = {
    type: 'FeatureCollection',
    features: [
      { type: 'Feature', properties: { id: 'a', name: 'West' }, geometry: square(8.5, 47.3, true) },
      { type: 'Feature', properties: { id: 'b', name: 'East' }, geometry: square(8.51, 47.3, false) },
    ],
  };
  await page.getByTestId('file-input').setInputFiles({
    name: 'two-squares.geojson',
    mimeType: 'application/geo+json',
    buffer: Buffer.from(JSON.stringify(fc)),
  });
  const problems = page.getByTestId('problems');
  await expect(problems).toContainText('Loaded two-squares.geojson with warnings');
  await expect(problems).toContainText(
    'warning: two-squares.geojson, feature 1 (id "b"), field "geometry": ring is not closed',
  );
  await expect(page.getByTestId('region-count')).toHaveText('2 regions');
  await waitForMap(page, 'two-squares');
  await expect(page.getByTestId('legend')).toContainText('Area (km²)');
});

test('a GeoJSON with numeric properties asks what they are, then builds the city from the answer', async ({
  page,
}) => {
  await openApp(page);
  const square = (x: number) => ({
    type: 'Polygon',
    coordinates: [
      [
        [x, 47.3],
        [x + 0.01, 47.3],
        [x + 0.01, 47.31],
        [x, 47.31],
        [x, 47.3],
      ],
    ],
  });
  const fc = {
    type: 'FeatureCollection',
    features: [0, 1, 2].map((k) => ({
      type: 'Feature',
      properties: {
        id: `d${k}`,
        name: `District ${k}`,
        food_and_drink: 3 + k,
        lu_parks: k,
        crime_2024: 10 * (k + 1),
        households: 100 + k,
      },
      geometry: square(8.5 + 0.01 * k),
    })),
  };
  await page.getByTestId('file-input').setInputFiles({
    name: 'districts.geojson',
    mimeType: 'application/geo+json',
    buffer: Buffer.from(JSON.stringify(fc)),
  });
  const mapping = page.getByTestId('mapping');
  await expect(mapping).toContainText('What is in districts.geojson?');
  await expect(mapping).toContainText('Riverton stays open until you build the new city.');
  expect(await cityName(page)).toBe('Riverton');
  // Suggestions from the names; "households" is not recognised, so the user makes it a label.
  await expect(page.getByLabel('Use food_and_drink as')).toHaveValue('poi');
  await expect(page.getByLabel('Use lu_parks as')).toHaveValue('landUse');
  await expect(page.getByLabel('Use crime_2024 as')).toHaveValue('label');
  await expect(page.getByLabel('Use households as')).toHaveValue('ignore');
  await page.getByLabel('Use households as').selectOption('label');
  await page.screenshot({ path: test.info().outputPath('mapping.png') });
  await mapping.getByRole('button', { name: 'Build city' }).click();
  await expect(mapping).toBeHidden();
  await waitForMap(page, 'districts');
  await expect(page.getByTestId('region-count')).toHaveText('3 regions');
  // The two label columns are the city's task labels (named for people: "Crime 2024").
  await page.getByTestId('layer-kind-select').selectOption('labels');
  const options = await page.getByLabel('Colour regions by').locator('option').allTextContents();
  expect(options.join('|')).toMatch(/crime[ _]2024/i);
  expect(options.join('|')).toMatch(/households/i);
});

test('the files of a bundle, or a .zip of it, load as a city from your files', async ({ page }) => {
  await openApp(page);
  const folder = join(
    dirname(test.info().config.configFile ?? 'playwright.config.ts'),
    'sample-cities',
    'riverton',
  );
  // The bundle's files (raw/, the layers behind its views, is not part of the bundle).
  const names = readdirSync(folder, { withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => entry.name);
  await page.getByTestId('file-input').setInputFiles(names.map((n) => join(folder, n)));
  await expect(page.getByTestId('city-select')).toHaveValue('files');
  await expect(page.getByTestId('region-count')).toHaveText('150 regions');
  await expect(page.locator('.side-panel')).toContainText('Your files');
  await waitForMap(page, 'Riverton');

  // A zipped folder: entries under one top folder are read relative to it.
  const zip = zipSync(
    Object.fromEntries(names.map((n) => [`riverton/${n}`, new Uint8Array(readFileSync(join(folder, n)))])),
  );
  await page.getByTestId('city-select').selectOption({ label: 'Metropolis (2000 regions)' });
  await expect(page.getByTestId('region-count')).toHaveText('2000 regions');
  await page
    .getByTestId('file-input')
    .setInputFiles({ name: 'riverton.zip', mimeType: 'application/zip', buffer: Buffer.from(zip) });
  await expect(page.getByTestId('region-count')).toHaveText('150 regions');
  await expect(page.getByTestId('problems')).toHaveCount(0);
  await waitForMap(page, 'Riverton');
});

test('settings: palette switch, and the online basemap only when switched on', async ({ page }, info) => {
  const external = watchExternalRequests(page, ORIGIN);
  // Serve tiles locally so the test needs no network: a 1x1 grey PNG for every tile.
  const tile = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR42mN4+fIlAAWwAqPmDUw6AAAAAElFTkSuQmCC',
    'base64',
  );
  await page.route('https://tile.openstreetmap.org/**', (route) =>
    route.fulfill({ status: 200, contentType: 'image/png', body: tile }),
  );
  await openApp(page);
  await page.getByRole('button', { name: 'Settings' }).click();
  const basemap = page.getByLabel('Online basemap (OpenStreetMap)');
  await expect(basemap).not.toBeChecked();
  expect(external).toEqual([]);

  await page.getByLabel('Cividis').check();
  await expect(page.getByTestId('legend').locator('.swatch').first()).toHaveCSS(
    'background-color',
    'rgb(0, 34, 78)',
  );
  await basemap.check();
  await expect
    .poll(() => external.filter((u) => u.startsWith('https://tile.openstreetmap.org/')).length)
    .toBeGreaterThan(0);
  await expect(page.getByText('OpenStreetMap contributors')).toBeAttached();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('settings')).toBeHidden();
  await waitForMap(page);
  await mapScreenshot(page, info.outputPath('map-basemap.png'));
});

async function benchmarkCities(page: Page): Promise<string[]> {
  const res = await page.request.get('/benchmark/index.json');
  const type = res.headers()['content-type'] ?? '';
  if (!res.ok() || !type.includes('json')) return [];
  const json = (await res.json()) as { cities?: unknown };
  return Array.isArray(json.cities) ? json.cities.filter((c): c is string => typeof c === 'string') : [];
}

test('benchmark: picking Chicago shows its 77 regions', async ({ page }, info) => {
  const cities = await benchmarkCities(page);
  test.skip(
    !cities.includes('chicago'),
    'benchmark folder absent (/benchmark/index.json does not list chicago): run npm run benchmark:get or set TOPT_BENCHMARK_DIR',
  );
  await openApp(page);
  await page.getByTestId('city-select').selectOption({ label: 'Chicago' });
  await expect(page.getByTestId('region-count')).toHaveText('77 regions');
  await waitForMap(page, 'Chicago');
  await expectFilledMap(page, info.outputPath('map-chicago.png'), 0.15);
});

test('benchmark: San Francisco (no boundaries) is listed without a map', async ({ page }, info) => {
  const cities = await benchmarkCities(page);
  test.skip(!cities.includes('sf'), 'benchmark folder absent (/benchmark/index.json does not list sf)');
  await openApp(page);
  await page.getByTestId('city-select').selectOption({ label: 'San Francisco' });
  await expect(page.getByTestId('no-geometry-note')).toHaveText(
    'This city has no boundaries: 175 regions listed without a map.',
  );
  await expect(page.getByTestId('region-count')).toHaveText('175 regions');
  await expect(page.getByTestId('map')).toHaveCount(0);
  await page.screenshot({ path: info.outputPath('app-sf.png') });
});

test('full-page screenshot with a selected region (docs/screenshot.png when UPDATE_DOCS_SCREENSHOT=1)', async ({
  page,
}, info) => {
  await openApp(page);
  await clickRegion(page, () => regionNearCentre(page, { dx: -220, dy: 110 }));
  await expect(page.getByTestId('region-details')).toBeVisible();
  const hovered = await regionNearCentre(page, { dx: 230, dy: -150 });
  await page.mouse.move(hovered.x, hovered.y);
  await expect(page.getByTestId('tooltip')).toContainText(hovered.name);
  await waitForMap(page);
  const path = info.outputPath('app.png');
  await page.screenshot({ path });
  if (process.env.UPDATE_DOCS_SCREENSHOT) {
    const docs = join(dirname(info.config.configFile ?? 'playwright.config.ts'), 'docs', 'screenshot.png');
    mkdirSync(dirname(docs), { recursive: true });
    await page.screenshot({ path: docs });
  }
});

test('deep links: the URL opens the same city, value and region, and follows the view', async ({ page }) => {
  await page.goto('/?city=sample:riverton&value=label:crime&region=R002');
  await waitForMap(page, 'Riverton');
  await expect(page.getByTestId('value-select')).toHaveValue('label:crime');
  await expect(page.getByTestId('selected-region-id')).toHaveText('R002');
  await expect(page.getByTestId('region-details').getByRole('heading', { level: 2 })).toHaveText(
    'South Rushmere',
  );
  // Changing the view rewrites the address (without adding history entries).
  await showValue(page, 'poi-total');
  await expect.poll(() => new URL(page.url()).searchParams.get('value')).toBe('poi-total');
  await page.keyboard.press('Escape');
  await expect.poll(() => new URL(page.url()).searchParams.get('region')).toBeNull();
  const region = await clickRegion(page, () => regionNearCentre(page));
  await expect.poll(() => new URL(page.url()).searchParams.get('region')).toBe(region.id);
  expect(new URL(page.url()).searchParams.get('city')).toBe('sample:riverton');
  // A link to a city this server does not offer says so and shows the sample city.
  await page.goto('/?city=benchmark:atlantis');
  await waitForMap(page, 'Riverton');
  await expect(page.getByText(/names a benchmark city this server does not offer/)).toBeVisible();
});
