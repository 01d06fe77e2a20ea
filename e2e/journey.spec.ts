/**
 * The journey without surprises (issue 18): what a shared link keeps (the map's view), what
 * it says when the layer it names needs a run this browser does not have, and the side panel
 * bringing what the user asked for into view.
 */
import { expect, test } from '@playwright/test';
import { clickRegion, openApp, regionNearCentre, waitForMap } from './helpers';

test('a link keeps the map view and says plainly that its predicted layer appears after training', async ({
  page,
}, info) => {
  await page.goto('/?city=sample:riverton&value=predicted:crime&map=14.00/47.59000/8.81000');
  await waitForMap(page, 'Riverton');
  const notice = page.getByTestId('waiting-notice');
  await expect(notice).toContainText('predicted” appears after training');
  await expect(notice).toContainText('no trained run of Riverton');
  await expect(notice).toContainText('Showing Total POIs until then');
  await expect(page.getByTestId('value-select')).toHaveValue('poi-total');
  // The view of the link is the view shown, and the address keeps it.
  await expect.poll(() => new URL(page.url()).searchParams.get('map')).toBe('14.00/47.59000/8.81000');
  await page.screenshot({ path: info.outputPath('waiting-notice.png') });
  // Zooming out rewrites the view in the address.
  await page.getByRole('button', { name: 'Zoom out' }).click();
  await expect.poll(() => new URL(page.url()).searchParams.get('map')?.split('/')[0]).toBe('13.00');
  // Another value picked: the notice has nothing left to say.
  await page.getByTestId('value-select').selectOption('area');
  await expect(notice).toBeHidden();
});

test('epochs set on one city are told as carried over on the next, with the defaults a click away', async ({
  page,
}, info) => {
  await openApp(page);
  await page.getByText('Training settings', { exact: true }).click();
  await page.getByLabel('Epochs').fill('100');
  await expect(page.getByTestId('train-estimate')).toContainText('100 epochs');
  await expect(page.getByTestId('settings-carried-over')).toBeHidden();
  await page.getByTestId('city-select').selectOption({ label: 'Metropolis (2000 regions)' });
  await waitForMap(page, 'Metropolis');
  const carried = page.getByTestId('settings-carried-over');
  await expect(carried).toContainText('Set on Riverton: 100 epochs (default 300 epochs).');
  await carried.screenshot({ path: info.outputPath('carried-over.png') });
  await carried.getByRole('button', { name: 'Use the defaults' }).click();
  await expect(carried).toBeHidden();
  await expect(page.getByLabel('Epochs')).toHaveValue('300');
});

test('a partial labels CSV dropped on painted labels keeps the painted regions it does not mention', async ({
  page,
}, info) => {
  await openApp(page);
  await page.getByRole('region', { name: 'New task' }).getByLabel('Name', { exact: true }).fill('Noise');
  await page.getByLabel('What it measures (one sentence)').fill('Noise complaints per year');
  await page.getByRole('button', { name: 'Start labelling' }).click();
  const count = page.getByTestId('draft-count');
  await page.getByLabel('Value to paint').fill('40');
  const painted = new Set<string>();
  for (const [dx, dy] of [
    [0, 0],
    [-120, -60],
    [120, 60],
  ]) {
    const r = await regionNearCentre(page, { dx, dy });
    painted.add(r.id);
    await page.mouse.click(r.x, r.y);
  }
  await expect(count).toHaveText(`${painted.size} of 150 regions labelled`);
  // A file naming two other regions and one painted region (with another value).
  const ids = await page.evaluate(() =>
    Array.from({ length: 150 }, (_, i) =>
      (window as Window & { __topt?: { regionId(i: number): string | null } }).__topt?.regionId(i),
    ),
  );
  const others = ids.filter((id): id is string => !!id && !painted.has(id)).slice(0, 2);
  const first = [...painted][0];
  const csv = ['region_id,value', `${others[0]},1`, `${others[1]},2`, `${first},3`].join('\n');
  await page
    .getByTestId('task-csv')
    .setInputFiles({ name: 'partial.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  const summary = page.getByTestId('task-csv-summary');
  await expect(summary).toHaveText(
    `Read 3 labels from partial.csv; kept ${painted.size - 1} painted label${painted.size - 1 === 1 ? '' : 's'} for regions the file does not mention; the file changed 1 painted value (Undo brings them back).`,
  );
  await expect(count).toHaveText(`${painted.size + 2} of 150 regions labelled`);
  await page.getByTestId('task-csv').scrollIntoViewIfNeeded();
  await page.screenshot({ path: info.outputPath('csv-merge.png') });
  // One undo step takes the whole file back, painting intact.
  await page.keyboard.press('Control+z');
  await expect(count).toHaveText(`${painted.size} of 150 regions labelled`);
});

test("a region clicked while the side panel is scrolled down brings the region's details into view", async ({
  page,
}, info) => {
  await openApp(page);
  const panel = page.getByRole('complementary', { name: 'City and region details' });
  const details = page.getByTestId('region-details');
  for (const offset of [
    { dx: 0, dy: 0 },
    { dx: -120, dy: -60 },
  ]) {
    // As after training: the panel is scrolled down to the results, the inspector above the fold.
    await panel.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    await expect(page.getByRole('heading', { name: 'Train SREL' })).not.toBeInViewport();
    const region = await clickRegion(page, () => regionNearCentre(page, offset));
    await expect(page.getByTestId('selected-region-id')).toHaveText(region.id);
    await expect(details.getByRole('heading', { level: 2 })).toBeInViewport();
  }
  await page.waitForTimeout(400);
  await page.screenshot({ path: info.outputPath('inspector.png') });
});

test('the LLM template writer says why Find models waits for a Name, shows model sizes, and warns of a software GPU', async ({
  page,
}, info) => {
  test.setTimeout(120_000);
  await page.route(/huggingface\.co|hf\.co|raw\.githubusercontent\.com/, (route) =>
    route.abort('internetdisconnected'),
  );
  await openApp(page);
  await page.getByText('Write the template with an in-browser LLM (optional)').click();
  const find = page.getByRole('button', { name: 'Find models for this device' });
  await expect(find).toBeDisabled();
  await expect(page.getByTestId('llm-needs-name')).toHaveText(
    "Type the task's Name first: the model writes the template from it.",
  );
  await page.getByRole('region', { name: 'New task' }).getByLabel('Name', { exact: true }).fill('Noise');
  await expect(page.getByTestId('llm-needs-name')).toBeHidden();
  await find.click();
  const picker = page.getByLabel('Chat model');
  const message = page.getByTestId('llm-message');
  await expect(picker.or(message)).toBeVisible({ timeout: 60_000 });
  if (await picker.isVisible()) {
    for (const option of await picker.locator('option').allTextContents())
      expect(option).toMatch(/^(\d+ MB|\d+\.\d GB) · /);
    await page.getByLabel(/Show all \d+ models that fit/).check();
    // This machine's WebGPU (headless Chromium, no GPU) is SwiftShader: the picker says so.
    await expect(page.getByTestId('llm-software-gpu')).toContainText('would run at a crawl');
  } else await expect(message).toContainText('No model fits this device');
  await page.getByTestId('llm-template').screenshot({ path: info.outputPath('llm-picker.png') });
});

test('a dropped labels file names its new task humanly, its bracketed unit the unit', async ({ page }) => {
  await openApp(page);
  const ids = await page.evaluate(() =>
    Array.from({ length: 20 }, (_, i) =>
      (window as Window & { __topt?: { regionId(i: number): string | null } }).__topt?.regionId(i),
    ),
  );
  const csv = ['region_id,noise_complaints (per year)', ...ids.map((id, i) => `${id},${i}`)].join('\n');
  const dataTransfer = await page.evaluateHandle((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], 'labels.csv'));
    return dt;
  }, csv);
  await page.dispatchEvent('body', 'dragenter', { dataTransfer });
  await page.dispatchEvent('body', 'dragover', { dataTransfer });
  await page.dispatchEvent('body', 'drop', { dataTransfer });
  // The new task's labels are among the task labels (the picker's second step).
  await expect(page.getByTestId('layer-kind-select').locator('option[value="labels"]')).toHaveCount(1);
  await page.getByTestId('layer-kind-select').selectOption('labels');
  await expect(
    page.getByTestId('value-select').locator('option', { hasText: 'Noise complaints (per year)' }),
  ).toHaveCount(1);
});
