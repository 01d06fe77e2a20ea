/**
 * Bring your own city from nothing: a study area (a typed box, or an outline drawn on the map)
 * cut into H3 hexagons or grid squares becomes a city of its own; raw POI points (and trip
 * records) dropped on it fill its views and colour the map; the city exported as a .zip bundle opens again when
 * dropped, and a reload brings it back.
 */
import { expect, test, type Page } from '@playwright/test';
import { join } from 'node:path';
import { hexToRgb, legendColors, openApp, pixelStats, trainOnWasm, waitForMap } from './helpers';

const RAW = join(import.meta.dirname, '../sample-cities/riverton/raw');
const POI_POINTS = join(RAW, 'poi_points.csv.gz');
const TRIP_RECORDS = join(RAW, 'trip_records.csv.gz');
const LAND_USE_POINTS = join(RAW, 'land_use_points.csv.gz');
const INCIDENTS = join(RAW, 'incidents.csv.gz');
/** BACKGROUND_COLOR of src/app/map/mapStyle.ts. */
const MAP_BACKGROUND = hexToRgb('#e8ecf1');
const HIDE_OVERLAYS = '.map-legend, .maplibregl-ctrl, .tooltip { visibility: hidden !important; }';

/** Screenshot of the map alone; checks that regions cover it in several palette classes. */
async function expectColouredMap(page: Page, path: string, minClasses: number): Promise<void> {
  const box = await page.getByTestId('map').boundingBox();
  if (!box) throw new Error('map element has no size');
  const png = await page.screenshot({ path, clip: box, style: HIDE_OVERLAYS });
  const colors = await legendColors(page);
  const stats = await pixelStats(page, png, MAP_BACKGROUND, colors);
  expect(stats.nonBackground, 'share of map pixels that are not background').toBeGreaterThan(0.3);
  const visible = stats.colorShares.filter((s) => s > 0.005).length;
  expect(
    visible,
    `palette classes on the map (shares ${stats.colorShares.join(', ')})`,
  ).toBeGreaterThanOrEqual(minClasses);
}

test('a box around Riverton in H3 hexagons takes its raw POIs, exports as a bundle and opens again', async ({
  page,
}, info) => {
  test.setTimeout(240_000);
  await openApp(page);
  await page.getByText('New city from an area').click();
  const count = page.getByTestId('cell-count');
  const box = page.getByLabel('West, south, east, north (degrees)');

  // This city's extent, rounded outwards.
  await page.getByRole('button', { name: "Use this city's extent" }).click();
  await expect(box).toHaveValue('8.765, 47.482, 9.051, 47.614');
  await expect(count).toHaveText(/^4\d\d cells of about 7\d\.\d ha$/);

  // The map's view holds all of Riverton (the map is fitted to it, with a margin).
  await page.getByRole('button', { name: "Use the map's view" }).click();
  const [w, s, e, n] = (await box.inputValue()).split(',').map(Number);
  expect(w < 8.765 && s < 47.482 && e > 9.051 && n > 47.614, `${w}, ${s}, ${e}, ${n}`).toBe(true);
  await expect(count).toHaveText(/cells of about/);

  // Refusals while typing: a projected box, then too many cells.
  await box.fill('448123, 4640000, 449000, 4641000');
  await expect(
    page.getByText("the bounding box's west (448123) is beyond ±180°, not a longitude", { exact: false }),
  ).toContainText('not projected coordinates');
  await expect(count).toHaveText('Enter a box to see how many cells it gives.');
  await box.fill('8.76, 47.48, 9.06, 47.62');
  await page.getByLabel(/^H3 resolution/).fill('11');
  await expect(count).toContainText('over the limit of 20,000');
  const create = page.getByRole('button', { name: 'Create the city' });
  await expect(create).toBeDisabled();
  await page.getByLabel(/^H3 resolution/).fill('8');
  await expect(count).toHaveText(/^498 cells of about 70\.\d ha$/);
  await page.getByLabel('City name').fill('Riverton hexagons');
  await page.screenshot({ path: info.outputPath('area-box.png') });
  await create.click();

  await waitForMap(page, 'Riverton hexagons');
  await expect(page.getByTestId('region-count')).toHaveText('498 regions');
  await expect(page.getByTestId('no-views')).toContainText(
    'Riverton hexagons: no views yet: drop POI points / trip records',
  );
  await expect(page.getByTestId('train-needs-views')).toContainText(
    'this city has no POI counts, no land use, no trips',
  );
  await expect(page.getByRole('button', { name: 'Train', exact: true })).toBeDisabled();
  await page.screenshot({ path: info.outputPath('hexagons.png') });

  await page.getByTestId('file-input').setInputFiles([POI_POINTS, TRIP_RECORDS]);
  await waitForMap(page, 'Riverton hexagons (imported layers)');
  const report = page.getByTestId('import-report');
  await expect(report).toContainText('26658 points counted into 26 categories of 498 regions');
  await expect(report).toContainText('0 points outside every region');
  await expect(report).toContainText('summed into the 498 x 498 trip matrix');
  await expect(page.getByTestId('no-views')).toHaveCount(0);
  await expect(page.getByTestId('train-needs-views')).toContainText('this city has no land use.');
  // It had only areas to show; now it shows what came in.
  await expect(page.getByTestId('value-select')).toHaveValue('poi-total');
  await waitForMap(page);
  await expectColouredMap(page, info.outputPath('hexagons-poi.png'), 4);
  await page.screenshot({ path: info.outputPath('hexagons-poi-page.png') });

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export city bundle' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('riverton-hexagons-imported-layers.zip');
  const zip = info.outputPath(download.suggestedFilename());
  await download.saveAs(zip);

  // Back to Riverton, then the dropped bundle opens the hexagons again, POIs and all.
  await page.getByTestId('city-select').selectOption('sample:riverton');
  await waitForMap(page, 'Riverton');
  await expect(page.getByTestId('region-count')).toHaveText('150 regions');
  await page.getByTestId('file-input').setInputFiles(zip);
  await waitForMap(page, 'Riverton hexagons (imported layers)');
  await expect(page.getByTestId('region-count')).toHaveText('498 regions');
  await expect(page.getByTestId('value-select')).toHaveValue('poi-total');
  await waitForMap(page);
  await expectColouredMap(page, info.outputPath('reopened.png'), 4);

  // Saved like dropped files: a reload brings it back.
  await page.reload();
  await waitForMap(page, 'Riverton hexagons (imported layers)');
  await expect(page.getByTestId('region-count')).toHaveText('498 regions');

  // Land-use points and incident points complete it (the name takes no second suffix): it trains and predicts.
  await page.getByTestId('file-input').setInputFiles([LAND_USE_POINTS, INCIDENTS]);
  await expect(page.getByTestId('import-report')).toContainText('3 tasks (checkIn, crime, serviceCall)');
  await waitForMap(page, 'Riverton hexagons (imported layers)');
  await expect(page.getByTestId('train-needs-views')).toHaveCount(0);
  await trainOnWasm(page, 3);
  await expect(page.getByTestId('train-results').locator('tbody tr')).toHaveCount(3, { timeout: 120_000 });
  await expect(page.getByTestId('value-select')).toHaveValue(/^predicted:/);
  await waitForMap(page);
  await expectColouredMap(page, info.outputPath('hexagons-predicted.png'), 3);
});

test('an outline drawn on the map becomes a grid city (Backspace, Escape and Enter while drawing)', async ({
  page,
}, info) => {
  test.setTimeout(90_000);
  await openApp(page);
  await page.getByText('New city from an area').click();
  await page.getByLabel('Draw on the map').check();
  await page.getByRole('button', { name: 'Draw the area' }).click();
  const help = page.getByTestId('area-help');
  await expect(help).toContainText('0 so far');
  const map = await page.getByTestId('map').boundingBox();
  if (!map) throw new Error('map element has no size');
  const cx = map.x + map.width / 2;
  const cy = map.y + map.height / 2;
  const click = (dx: number, dy: number): Promise<void> => page.mouse.click(cx + dx, cy + dy);

  // Escape cancels the outline.
  await click(-150, -120);
  await expect(help).toContainText('1 so far');
  await page.keyboard.press('Escape');
  await expect(help).toHaveCount(0);

  // An outline that crosses itself is refused with its reason.
  await page.getByRole('button', { name: 'Draw the area' }).click();
  for (const [dx, dy] of [
    [-150, -120],
    [160, 130],
    [160, -130],
    [-150, 120],
  ])
    await click(dx, dy);
  await page.keyboard.press('Enter');
  const count = page.getByTestId('cell-count');
  await expect(count).toContainText('outline crosses itself');
  await expect(page.getByRole('button', { name: 'Create the city' })).toBeDisabled();

  await page.getByRole('button', { name: 'Draw again' }).click();
  for (const [dx, dy] of [
    [-150, -120],
    [160, -130],
    [170, 130],
    [-140, 120],
    [0, 220],
  ])
    await click(dx, dy);
  await expect(help).toContainText('5 so far');
  await page.keyboard.press('Backspace');
  await expect(help).toContainText('4 so far');
  await expect(page.getByTestId('tooltip')).toHaveCount(0);
  await page.waitForTimeout(300);
  await page.screenshot({ path: info.outputPath('drawing.png') });
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('area-drawing')).toContainText('Area drawn (4 corners)');

  await page.getByLabel('Square grid').check();
  await page.getByLabel('Cell size (metres)').fill('400');
  await expect(count).toHaveText(/^[\d,]+ cells of 16 ha$/);
  const cells = Number((await count.textContent())?.split(' ')[0].replace(/,/g, ''));
  expect(cells).toBeGreaterThan(50);
  await page.screenshot({ path: info.outputPath('area-drawn.png') });
  await page.getByLabel('City name').fill('Drawn grid');
  await page.getByRole('button', { name: 'Create the city' }).click();
  await waitForMap(page, 'Drawn grid');
  await expect(page.getByTestId('region-count')).toHaveText(`${cells} regions`);
  // Saved like dropped files: a reload brings the new city back.
  await page.reload();
  await waitForMap(page, 'Drawn grid');
  await expect(page.getByTestId('region-count')).toHaveText(`${cells} regions`);
  await expect(page.getByTestId('no-views')).toBeVisible();

  await page.getByTestId('file-input').setInputFiles(POI_POINTS);
  await waitForMap(page, 'Drawn grid (imported layers)');
  await expect(page.getByTestId('import-report')).toContainText(`categories of ${cells} regions`);
  await expect(page.getByTestId('value-select')).toHaveValue('poi-total');
  await waitForMap(page);
  await expectColouredMap(page, info.outputPath('grid-poi.png'), 3);
});
