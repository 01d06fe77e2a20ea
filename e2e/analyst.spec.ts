/**
 * The analyst's view of a finished run (issue 18): the results table fits the side panel and
 * marks the best R², the predicted-against-actual plot has one point per held-out labelled
 * region and is brushed both ways with the map's selection, and each task says whether its
 * errors cluster in space.
 */
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { clickRegion, openApp, regionNearCentre, trainOnWasm } from './helpers';

type HookWindow = Window & {
  __topt?: { trainingStatus(): string | null; regionId(index: number): string | null };
};

const status = (page: Page): Promise<string | null> =>
  page.evaluate(() => (window as HookWindow).__topt?.trainingStatus() ?? null);

/** Riverton's regions with a finite Crime label: all of them are held out once in 10-fold CV. */
function labelledCrimeRegions(): number {
  const [head, ...rows] = readFileSync(
    join(import.meta.dirname, '../sample-cities/riverton/labels.csv'),
    'utf8',
  )
    .trim()
    .split('\n');
  const column = head.split(',').indexOf('crime');
  return rows.filter((r) => Number.isFinite(parseFloat(r.split(',')[column]))).length;
}

test("the analyst's view: a table that fits, predicted against actual brushed with the map, the errors' spatial pattern", async ({
  page,
}, info) => {
  test.setTimeout(240_000);
  await openApp(page);
  await trainOnWasm(page, 3);
  await expect.poll(() => status(page), { timeout: 150_000 }).toBe('done');

  // The page itself never scrolls, however long the side panel grows: only the panel does (its
  // visually hidden texts once made the page 2,300 px tall, so selecting a region scrolled the
  // header and the map away).
  const pageScroll = () =>
    page.evaluate(() => document.documentElement.scrollHeight - document.documentElement.clientHeight);
  expect(await pageScroll(), 'the page is no taller than the window').toBeLessThanOrEqual(0);
  const mapTop = async () => (await page.getByTestId('map').boundingBox())?.y;
  const mapTopBefore = await mapTop();

  // The table: a plain-language line above it, "counts only" for the raw counts, one best R²
  // per task, and nothing wider than the side panel.
  const results = page.getByTestId('train-results');
  await expect(page.getByTestId('results-lead')).toContainText('regions it never saw in training');
  await expect(results.locator('thead')).toContainText('R² counts only');
  await expect(results.locator('thead')).not.toContainText('raw');
  await expect(results.locator('tbody tr')).toHaveCount(3);
  for (const row of await results.locator('tbody tr').all()) {
    await expect(row.locator('td.best')).toHaveCount(1);
    await expect(row.locator('td.best strong')).toHaveCount(1);
    await expect(row.locator('td.best')).toContainText('(best)');
  }
  const panel = page.getByRole('complementary', { name: 'City and region details' });
  const fits = await results.evaluate((table) => {
    const aside = table.closest('aside')!;
    const card = table.closest('.card')!;
    return {
      table: table.getBoundingClientRect().right,
      card: card.getBoundingClientRect().right,
      asideScroll: aside.scrollWidth - aside.clientWidth,
    };
  });
  expect(fits.table, 'the table ends inside its card').toBeLessThanOrEqual(fits.card);
  expect(fits.asideScroll, 'the side panel does not scroll sideways').toBeLessThanOrEqual(0);

  // The plot: one point per held-out labelled region of the first task (Crime), with the R².
  const scatter = page.getByTestId('predicted-scatter');
  await scatter.scrollIntoViewIfNeeded();
  await expect(page.getByTestId('scatter-title')).toHaveText(
    /^Crime: predicted against actual, held-out R² -?\d\.\d{3}$/,
  );
  const crimeR2 = (await results.locator('tbody tr').first().locator('td').nth(0).textContent())!.slice(0, 5);
  await expect(page.getByTestId('scatter-title')).toContainText(crimeR2.replace(/^-/, ''));
  const points = page.getByTestId('scatter-point');
  await expect(points).toHaveCount(labelledCrimeRegions());
  await expect(scatter.locator('text', { hasText: 'actual (crimes per year)' })).toHaveCount(1);

  // A point not covered by another: hover names its region, a click selects it as a map click does.
  const target = await points.evaluateAll((els) => {
    for (const el of els) {
      const b = el.getBoundingClientRect();
      const x = b.x + b.width / 2;
      const y = b.y + b.height / 2;
      if (document.elementFromPoint(x, y) === el)
        return { index: Number(el.getAttribute('data-region')), x, y };
    }
    return null;
  });
  expect(target, 'some point is not covered by another').not.toBeNull();
  const id = await page.evaluate((i) => (window as HookWindow).__topt?.regionId(i) ?? null, target!.index);
  await page.mouse.move(target!.x, target!.y);
  await expect(page.getByTestId('scatter-hover')).toContainText(`${id}`);
  await page.mouse.click(target!.x, target!.y);
  await expect(page.getByTestId('selected-region-id')).toHaveText(id!);
  await expect(page.getByTestId('scatter-selected')).toHaveAttribute('data-region', String(target!.index));
  // The region's details come into view by scrolling the panel, not the page: the map stays put.
  await page.waitForTimeout(600);
  expect(await mapTop(), 'the map does not move').toBe(mapTopBefore);
  expect(await pageScroll()).toBeLessThanOrEqual(0);

  // The other way: a region clicked on the map is the one highlighted in the plot.
  const onMap = await clickRegion(page, () => regionNearCentre(page));
  await expect(page.getByTestId('selected-region-id')).toHaveText(onMap.id);
  await expect(page.getByTestId('scatter-selected')).toHaveAttribute('data-region', String(onMap.index));
  await expect(page.getByTestId('scatter-hover')).toContainText(`Selected: ${onMap.id}`);

  // Another task from the picker: its own points and title.
  await page.getByTestId('scatter-task').selectOption('serviceCall');
  await expect(page.getByTestId('scatter-title')).toHaveText(/^Service calls: predicted against actual/);

  // The spatial pattern of each task's errors, in words, with the weights used.
  const patterns = page.getByTestId('residual-pattern');
  await expect(patterns).toHaveCount(3);
  for (const text of await patterns.allTextContents()) {
    expect(text).toMatch(/Moran's I -?\d\.\d{3}, pseudo p = \d\.\d{3} with \d+ permutations/);
    expect(text).toMatch(/Spatial weights: .+; over \d+ held-out labelled regions\./);
  }

  await page.getByTestId('scatter-task').selectOption('crime');
  await scatter.scrollIntoViewIfNeeded();
  await panel.screenshot({ path: info.outputPath('side-panel-scatter.png') });
  await results.scrollIntoViewIfNeeded();
  await panel.screenshot({ path: info.outputPath('side-panel-table.png') });
  await page.getByTestId('residual-pattern').last().scrollIntoViewIfNeeded();
  await panel.screenshot({ path: info.outputPath('side-panel-patterns.png') });
});
