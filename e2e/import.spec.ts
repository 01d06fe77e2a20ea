/**
 * Bring your own city: raw layers dropped on the open city are imported in a worker (all or
 * nothing), the rebuilt city opens with a report of what was read and dropped, and it trains
 * and predicts like any other. A file that cannot be used leaves the city as it was.
 */
import { expect, test } from '@playwright/test';
import { gunzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cityName, openApp, trainOnWasm, waitForMap } from './helpers';

const raw = join(import.meta.dirname, '../sample-cities/riverton/raw');

test('raw POI points, incidents and trip records rebuild Riverton, which then trains and predicts', async ({
  page,
}, info) => {
  test.setTimeout(180_000);
  await openApp(page);
  const regionCount = page.getByTestId('region-count');
  await expect(regionCount).toHaveText('150 regions');

  // A projected file is refused with its reason; Riverton stays.
  await page.getByTestId('file-input').setInputFiles({
    name: 'projected.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('x,y,category\n448123.5,4640000.2,bar\n'),
  });
  const report = page.getByTestId('problems');
  await expect(report).toContainText('the coordinates look projected');
  await expect(report).toContainText('Riverton is still loaded.');
  expect(await cityName(page)).toBe('Riverton');

  await page
    .getByTestId('file-input')
    .setInputFiles(['poi_points.csv.gz', 'incidents.csv.gz', 'trip_records.csv.gz'].map((f) => join(raw, f)));
  await waitForMap(page, 'Riverton (imported layers)');
  await expect(report).toContainText('into Riverton');
  const lines = page.getByTestId('import-report');
  await expect(lines).toContainText('26658 points counted into 26 categories of 150 regions');
  await expect(lines).toContainText('3 tasks (checkIn, crime, serviceCall)');
  await expect(lines).toContainText('summed into the 150 x 150 trip matrix');
  await expect(lines).toContainText('0 points outside every region');
  await page.screenshot({ path: info.outputPath('imported.png') });
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download the import report' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^import-report_\d{4}-\d\d-\d\d\.txt$/);
  expect(readFileSync(await download.path(), 'utf8')).toContain('0 points of unknown categories');

  // The rebuilt city trains and predicts.
  await trainOnWasm(page, 3);
  await expect(page.getByTestId('train-results').locator('tbody tr')).toHaveCount(3, { timeout: 120_000 });
  await expect(page.getByTestId('value-select')).toHaveValue(/^predicted:/);
});

test('a pipe-delimited or UTF-16 CSV dropped on Riverton is refused with its reason, not as an unsupported file type', async ({
  page,
}, info) => {
  await openApp(page);
  await expect(page.getByTestId('region-count')).toHaveText('150 regions');
  const badPoints = join(import.meta.dirname, '../src/core/city/fixtures/bad-points');
  const report = page.getByTestId('problems');
  await page.getByTestId('file-input').setInputFiles(join(badPoints, 'pipe-delimited.csv'));
  await expect(report).toContainText('Could not load pipe-delimited.csv into Riverton');
  await expect(report).toContainText(
    'error: pipe-delimited.csv: pipe-delimited.csv has a single column "lon|lat|category": its columns seem separated by pipes ("|"); separate them with commas (semicolons and tabs are read too)',
  );
  await expect(report).not.toContainText('unsupported file type');
  await expect(report).toContainText('Riverton is still loaded.');
  await page.screenshot({ path: info.outputPath('pipe-delimited.png') });

  await page.getByTestId('file-input').setInputFiles(join(badPoints, 'utf-16.csv'));
  await expect(report).toContainText(
    'utf-16.csv is UTF-16 text (it starts with a UTF-16 byte-order mark), not UTF-8: save it as UTF-8',
  );
  await expect(report).not.toContainText('unsupported file type');
  expect(await cityName(page)).toBe('Riverton');
  await expect(page.getByTestId('region-count')).toHaveText('150 regions');
});

test('OSM-tagged POI points: the category mapping is asked for, edited, used, and remembered for the session', async ({
  page,
}, info) => {
  test.setTimeout(120_000);
  await openApp(page);
  await expect(page.getByTestId('region-count')).toHaveText('150 regions');
  const osm = join(import.meta.dirname, '../src/core/city/layers/fixtures/osm/riverton-osm-pois.csv');
  await page.getByTestId('file-input').setInputFiles(osm);

  // Riverton has the 26 benchmark categories; the file's OSM tags are not among them.
  const panel = page.getByTestId('category-mapping');
  await expect(panel).toContainText('6 of its 7 categories are not among Riverton');
  await expect(panel.getByLabel('Count amenity=restaurant as')).toHaveValue('food_and_drink');
  await expect(panel.getByLabel('Count amenity=bench as')).toHaveValue('other');
  await expect(panel.getByLabel('Count shop=hairdresser as')).toHaveValue('beauty_and_personal_care');
  await expect(panel.getByLabel('Count amenity=weird_thing as')).toHaveValue('drop');
  await expect(panel.getByTestId('category-summary')).toHaveText(
    '24 points counted, 6 dropped; 1 category matches by name.',
  );
  await panel.getByLabel('Count amenity=weird_thing as').selectOption('entertainment');
  await expect(panel.getByTestId('category-summary')).toHaveText(
    '28 points counted, 2 dropped; 1 category matches by name.',
  );
  expect(await cityName(page)).toBe('Riverton');
  await page.screenshot({ path: info.outputPath('category-mapping.png') });
  await panel.getByRole('button', { name: 'Import' }).click();

  await waitForMap(page, 'Riverton (imported layers)');
  await expect(panel).toHaveCount(0);
  const lines = page.getByTestId('import-report');
  await expect(lines).toContainText('28 points counted into 26 categories of 150 regions');
  await expect(lines).toContainText('2 points dropped by the mapping: "amenity=unknown_thing" (2)');
  await expect(lines).toContainText('7 categories in the file: 1 by name, 6 by the mapping');
  await expect(lines).toContainText('0 points of unknown categories');
  await page.screenshot({ path: info.outputPath('category-import.png') });

  // Back on Riverton, the same file imports at once with the choices made before.
  await page.getByTestId('city-select').selectOption('sample:riverton');
  await waitForMap(page, 'Riverton');
  await page.getByTestId('file-input').setInputFiles(osm);
  await waitForMap(page, 'Riverton (imported layers)');
  await expect(lines).toContainText('28 points counted into 26 categories of 150 regions');
  await expect(page.getByTestId('category-mapping')).toHaveCount(0);
});

test('land-use polygons dropped as a GeoJSON named "land use" give area shares, not a new city', async ({
  page,
}) => {
  await openApp(page);
  const box = [[[8.7, 47.4], [9.1, 47.4], [9.1, 47.7], [8.7, 47.7], [8.7, 47.4]]]; // prettier-ignore
  const polygon = { type: 'Polygon', coordinates: box };
  const features = [{ type: 'Feature', properties: { landuse: 'residential' }, geometry: polygon }];
  await page.getByTestId('file-input').setInputFiles({
    name: 'land_use.geojson',
    mimeType: 'application/geo+json',
    buffer: Buffer.from(JSON.stringify({ type: 'FeatureCollection', features })),
  });
  await waitForMap(page, 'Riverton (imported layers)');
  await expect(page.getByTestId('region-count')).toHaveText('150 regions');
  await expect(page.getByTestId('import-report')).toContainText(
    '1 polygons clipped to the regions: area shares of 11 land-use classes in 150 regions',
  );
});

test('POI points as GeoJSON dropped on the city are a layer of it, not regions of a new city', async ({
  page,
}) => {
  test.setTimeout(60_000);
  await openApp(page);
  await expect(page.getByTestId('region-count')).toHaveText('150 regions');
  const rows = gunzipSync(new Uint8Array(readFileSync(join(raw, 'poi_points.csv.gz'))))
    .toString()
    .trim()
    .split('\n')
    .slice(1, 41)
    .map((line) => line.split(','));
  const features = rows.map(([lon, lat, category]) => ({
    type: 'Feature',
    properties: { category },
    geometry: { type: 'Point', coordinates: [Number(lon), Number(lat)] },
  }));
  await page.getByTestId('file-input').setInputFiles({
    name: 'my-pois.geojson',
    mimeType: 'application/geo+json',
    buffer: Buffer.from(JSON.stringify({ type: 'FeatureCollection', features })),
  });
  await waitForMap(page, 'Riverton (imported layers)');
  await expect(page.getByTestId('region-count')).toHaveText('150 regions');
  await expect(page.getByTestId('import-report')).toContainText(
    '40 points counted into 26 categories of 150 regions',
  );
});

type ProgressWindow = Window & { __progressTexts?: string[]; __frames?: number; __longTasks?: number[] };

test('a GeoJSON of a few thousand regions is read in a worker: the progress bar counts the polygons checked and the page keeps drawing frames', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const count = Number(process.env.E2E_REGIONS ?? 5000);
  // Every text the import progress line shows, the frames drawn and the long tasks, from the page itself.
  await page.addInitScript(() => {
    const w = window as ProgressWindow;
    w.__progressTexts = [];
    w.__frames = 0;
    w.__longTasks = [];
    const frame = (): void => {
      w.__frames = (w.__frames ?? 0) + 1;
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__longTasks?.push(e.duration);
    }).observe({ type: 'longtask', buffered: true });
    new MutationObserver(() => {
      const text = document.querySelector('[data-testid="import-progress"] [role="status"]')?.textContent;
      if (text && w.__progressTexts?.at(-1) !== text) w.__progressTexts?.push(text);
    }).observe(document, { subtree: true, childList: true, characterData: true });
  });
  await openApp(page);
  const side = Math.ceil(Math.sqrt(count));
  const features = Array.from({ length: count }, (_, i) => {
    const x = 8.5 + (i % side) * 0.002;
    const y = 47.3 + Math.floor(i / side) * 0.002;
    const ring = Array.from({ length: 12 }, (_, v) => {
      const a = (2 * Math.PI * v) / 12;
      return [+(x + 0.0009 * Math.cos(a)).toFixed(6), +(y + 0.0009 * Math.sin(a)).toFixed(6)];
    });
    return {
      type: 'Feature',
      properties: { id: `R${i}`, name: `Region ${i}` },
      geometry: { type: 'Polygon', coordinates: [[...ring, ring[0]]] },
    };
  });
  const framesBefore = await page.evaluate(() => {
    const w = window as ProgressWindow;
    w.__longTasks = [];
    return w.__frames ?? 0;
  });
  const started = Date.now();
  await page.getByTestId('file-input').setInputFiles({
    name: 'many.geojson',
    mimeType: 'application/geo+json',
    buffer: Buffer.from(JSON.stringify({ type: 'FeatureCollection', features })),
  });
  await expect(page.getByTestId('region-count')).toHaveText(`${count} regions`, {
    timeout: 120_000,
  });
  const loaded = Date.now() - started;
  await waitForMap(page, 'many');
  const seen = await page.evaluate(() => {
    const w = window as ProgressWindow;
    return { texts: w.__progressTexts ?? [], frames: w.__frames ?? 0, longTasks: w.__longTasks ?? [] };
  });
  console.log(
    `${count} polygons: opened in ${(loaded / 1000).toFixed(1)} s (drawn ${((Date.now() - started) / 1000).toFixed(1)} s); ${seen.frames - framesBefore} frames; long tasks ${seen.longTasks.length}, longest ${Math.round(Math.max(0, ...seen.longTasks))} ms, ${Math.round(seen.longTasks.reduce((a, b) => a + b, 0))} ms in all; progress: ${seen.texts.join(' | ')}`,
  );
  expect(seen.texts.some((t) => /^Opening many\.geojson: checking polygons [\d,]+ of [\d,]+/.test(t))).toBe(
    true,
  );
  expect(seen.frames).toBeGreaterThan(framesBefore);
});
