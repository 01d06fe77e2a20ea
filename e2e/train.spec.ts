/**
 * The training journey on the sample city: train SREL in a Web Worker with the backend picked
 * automatically, watch progress and the loss chart, keep the map responsive, pause and resume,
 * then see held-out accuracy, the prediction map, and download the embeddings.
 */
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import {
  legendColors,
  openApp,
  regionNearCentre,
  setEpochs,
  showValue,
  trainOnWasm,
  waitForMap,
} from './helpers';

type HookWindow = Window & { __topt?: { trainingStatus(): string | null; trainingEpochs(): number } };

const status = (page: Page): Promise<string | null> =>
  page.evaluate(() => (window as HookWindow).__topt?.trainingStatus() ?? null);
const epochsDone = (page: Page): Promise<number> =>
  page.evaluate(() => (window as HookWindow).__topt?.trainingEpochs() ?? 0);

test('train SREL: automatic backend, progress, pause and resume, held-out accuracy, prediction map, export', async ({
  page,
}, info) => {
  test.setTimeout(240_000);
  // 40 epochs (about 11 s on WebAssembly here, 273 ms each): time enough after epoch 3 for the
  // progress line, a click and Pause while it trains; 60 only trained longer.
  const epochs = 40;
  await openApp(page);
  await setEpochs(page, epochs);
  await page.getByRole('button', { name: 'Train', exact: true }).click();

  // The backend is chosen automatically (measured, or the only one worth measuring), and the
  // user is told which and why.
  await expect(page.getByTestId('train-backend')).toContainText(
    /Backend: .+ \((fastest of \d working backends?|the only backend worth measuring here)/,
    {
      timeout: 150_000,
    },
  );
  await expect.poll(() => epochsDone(page), { timeout: 60_000 }).toBeGreaterThanOrEqual(3);
  await expect(page.getByTestId('train-progress')).toContainText(
    new RegExp(`Epoch \\d+ of ${epochs} · \\d+:\\d\\d elapsed · about \\d+:\\d\\d left`),
  );
  await expect(page.getByRole('img', { name: /Training loss/ })).toBeVisible();

  // The page stays responsive while the worker trains: a click on the zoom button is handled.
  const before = await page.evaluate(() => performance.now());
  await page.getByRole('button', { name: 'Zoom in' }).click();
  const clickMs = (await page.evaluate(() => performance.now())) - before;
  // Not a speed target: training on the main thread would hold a click for the whole run
  // (tens of seconds); 5 s leaves room for a loaded machine (1.1 s was seen beside two benchmarks).
  expect(clickMs, 'a click during training is handled within 5 s').toBeLessThan(5000);

  // Pause holds training between epochs; resume goes on.
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect.poll(() => status(page)).toBe('paused');
  const atPause = await epochsDone(page);
  await page.waitForTimeout(1500);
  expect(await epochsDone(page)).toBe(atPause);
  await page.getByRole('button', { name: 'Resume' }).click();
  await expect.poll(() => status(page), { timeout: 120_000 }).toBe('done');
  expect(await epochsDone(page)).toBe(epochs);

  // Held-out accuracy for every task, beside the raw-feature baseline.
  const results = page.getByTestId('train-results');
  await expect(page.getByTestId('results-notes')).toContainText('10-fold cross-validation');
  await expect(results.locator('tbody tr')).toHaveCount(3);
  const r2 = await results.locator('tbody tr td:nth-child(2)').allTextContents();
  // Each cell: the R², then its bootstrap spread ("0.451±0.052"), and " (best)" for screen readers
  // where it is the task's best R².
  for (const v of r2) expect(v).toMatch(/^-?\d\.\d{3}±\d\.\d{3}( \(best\))?$/);
  for (const v of r2) expect(parseFloat(v)).toBeGreaterThan(-1);
  // Beside them, what the task's prompt adds (the semantic ridge head on the task-attended composition).
  await expect(results.locator('thead')).toContainText('R² + prompt');
  const withPrompt = await results.locator('tbody tr td:nth-child(5)').allTextContents();
  for (const v of withPrompt) expect(parseFloat(v)).toBeGreaterThan(-1);
  // The second column is the combined predictor's, and each task says what it combines.
  await expect(results.locator('thead th').nth(1)).toHaveText('R² combined');
  const combines = page.getByTestId('combines');
  await expect(combines).toHaveCount(3);
  for (const v of await combines.allTextContents())
    expect(v).toMatch(
      /^(Crime|Check-ins|Service calls): (the mean|(raw counts|raw counts, log1p, log target|raw log1p with neighbours' mean, log target|SREL|SREL \+ task prompt) ×\d\.\d\d( · .+)?)$/,
    );
  await page.getByTestId('train-results').screenshot({ path: info.outputPath('results-table.png') });

  // The map now shows the first task's predictions, with a legend.
  await expect(page.getByTestId('value-select')).toHaveValue(/^predicted:/);
  await expect(page.getByTestId('legend')).toContainText(/predicted/);
  await page.waitForTimeout(500);
  await page.screenshot({ path: info.outputPath('trained.png') });

  // Residuals break at 0, blue under and red over; the LISA map says where the errors cluster.
  await showValue(page, 'residual:crime');
  await expect(page.getByTestId('legend')).toContainText('Centred on 0');
  const residualColours = await legendColors(page);
  expect(residualColours.some(([r, , b]) => b > r + 40)).toBe(true);
  expect(residualColours.some(([r, , b]) => r > b + 40)).toBe(true);
  await showValue(page, 'lisa:crime');
  await expect(page.getByTestId('legend')).toContainText('not significant');
  await expect(page.getByTestId('legend')).toContainText(
    /Global Moran’s I -?\d\.\d{3} \(pseudo p \d\.\d{3}\)/,
  );
  await page.waitForTimeout(500);
  await page.screenshot({ path: info.outputPath('lisa.png') });
  await showValue(page, 'predicted:crime');
  await page.getByText('Training settings', { exact: true }).click(); // fold the settings away
  await page.locator('section.train').screenshot({ path: info.outputPath('train-panel.png') });

  // Embeddings download as an N x 144 float32 .npy named after the city and date.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Embeddings (.npy)' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^riverton[a-z-]*_embeddings_\d{4}-\d\d-\d\d\.npy$/);
  const bytes = readFileSync(await download.path());
  const header = bytes.subarray(10, 10 + bytes.readUInt16LE(8)).toString('latin1');
  expect(header).toContain("'descr': '<f4'");
  expect(header).toContain("'shape': (150, 144)");
  expect(bytes.length).toBeGreaterThanOrEqual(150 * 144 * 4);

  // The report has the metrics table; the region inspector shows each task's prediction.
  const [report] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Report (.md)' }).click(),
  ]);
  const markdown = readFileSync(await report.path(), 'utf8');
  expect(markdown).toMatch(/\| Crime \| 10 \| 150 \| -?[\d.]+ ± [\d.]+ \|/);
  expect(markdown).toMatch(/\| Crime \|( [^|]+ \|){6} -?[\d.]+ ± [\d.]+ \| \d+ of 10 \|/);
  expect(markdown).toContain(`- epochs: ${epochs}`);
  expect(markdown).toContain('## Do the errors cluster in space?');
  await page.getByTestId('region-select').selectOption('3');
  await expect(page.getByTestId('region-predictions')).toContainText(
    /Crime[\d.,]+ \(actual [\d.,]+; held-out error [+−][\d.,]+\)/,
  );
  // ...and where the region looks in SREL's region fusion, as a list and as lines on the map.
  const attention = page.getByTestId('region-attention');
  await expect(attention).toContainText(/Looks at more than other regions do/);
  await expect(attention.locator('dd')).toHaveCount(6);
  await expect(attention.locator('dd').first()).toHaveText(/^[\d.]+% · [\d.]+× usual$/);
  await expect(attention).toContainText(/itself[\d.]+%/);
  await page.waitForTimeout(500);
  await page.screenshot({ path: info.outputPath('attention.png') });
});

test('cancel stops training and keeps nothing', async ({ page }) => {
  test.setTimeout(180_000);
  await openApp(page);
  await trainOnWasm(page, 2000);
  await expect(page.getByTestId('train-backend')).toContainText('WebAssembly (chosen in the settings)', {
    timeout: 60_000,
  });
  await expect.poll(() => epochsDone(page), { timeout: 60_000 }).toBeGreaterThanOrEqual(2);
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect.poll(() => status(page)).toBe('cancelled');
  await expect(page.getByText('Training cancelled; nothing was kept.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Train', exact: true })).toBeVisible();
  expect(await page.getByTestId('value-select').inputValue()).not.toMatch(/^predicted:/);
});

test('a reload brings back the city, the finished run and its prediction map; an interrupted run is offered again; clear removes it all', async ({
  page,
}, info) => {
  test.setTimeout(240_000);
  await openApp(page);
  await showValue(page, 'label:crime');
  await setEpochs(page, 4);
  // Scored on spatial blocks (each test fold a district), which the saved run remembers.
  await page.getByTestId('scoring').selectOption('spatial');
  await page.getByLabel('Backend').selectOption('wasm');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect.poll(() => status(page), { timeout: 120_000 }).toBe('done');
  const spatialCaption = 'cross-validation on 5 spatial blocks (k-means of centroids, seed 1)';
  await expect(page.getByTestId('results-notes')).toContainText(spatialCaption);
  const r2Before = await page
    .getByTestId('train-results')
    .locator('tbody tr td:nth-child(2)')
    .allTextContents();
  await showValue(page, 'predicted:crime');
  await expect(page.getByTestId('train-saved')).toHaveText(/^Saved in this browser/, { timeout: 60_000 });

  await page.reload();
  await expect.poll(() => status(page), { timeout: 60_000 }).toBe('done');
  await expect(page.getByTestId('train-backend')).toContainText('restored from your last session');
  expect(
    await page.getByTestId('train-results').locator('tbody tr td:nth-child(2)').allTextContents(),
  ).toEqual(r2Before);
  await expect(page.getByTestId('results-notes')).toContainText(spatialCaption);
  await expect(page.getByTestId('value-select')).toHaveValue('predicted:crime');
  await expect(page.getByRole('img', { name: /Training loss, 4 of 4 epochs/ })).toBeVisible();

  // A long run interrupted by a reload is offered again; the finished run stays.
  await setEpochs(page, 3000);
  await page.getByRole('button', { name: 'Train again' }).click();
  await expect.poll(() => epochsDone(page), { timeout: 60_000 }).toBeGreaterThanOrEqual(12);
  await page.reload();
  const offer = page.getByTestId('interrupted-run');
  await expect(offer).toContainText(/A training run \(\d+ of 3000 epochs\) was interrupted by a reload/);
  await expect.poll(() => status(page)).toBe('done');
  await page.screenshot({ path: info.outputPath('restored.png') });
  await offer.getByRole('button', { name: 'Dismiss' }).click();
  await expect(offer).toBeHidden();

  // Clear saved data: after a reload the app starts fresh.
  await page.getByRole('button', { name: 'Settings' }).click();
  page.once('dialog', (d) => void d.accept());
  await page.getByRole('button', { name: 'Clear saved data' }).click();
  await expect(page.getByText('Saved data cleared.')).toBeVisible();
  await page.reload();
  await waitForMap(page, 'Riverton');
  await page.waitForTimeout(1000);
  expect(await status(page)).toBeNull();
  await expect(page.getByTestId('interrupted-run')).toHaveCount(0);
});

test('fine-tune: from the shipped pretrained model, then from a model exported and imported again', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await openApp(page);
  await setEpochs(page, 3);
  await page.getByLabel('Backend').selectOption('wasm');
  await page.getByTestId('start-from').selectOption('pretrained');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect.poll(() => status(page), { timeout: 120_000 }).toBe('done');
  // Riverton has the widths the model was pretrained with: every weight is copied.
  await expect(page.getByTestId('train-start')).toContainText(
    /Started from the pretrained model \(sample cities\): (\d+) of \1 weight tensors copied\./,
  );
  await expect(page.getByTestId('train-results').locator('tbody tr')).toHaveCount(3);

  // Export the fine-tuned model and import it again.
  const files: string[] = [];
  for (const name of ['Model config (.json)', 'Model weights (.bin)']) {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name }).click(),
    ]);
    files.push(await download.path());
  }
  const manifest = JSON.parse(readFileSync(files[0], 'utf8')) as { epochsTrained: number };
  expect(manifest.epochsTrained).toBeGreaterThan(3); // pretraining epochs + 3
  await page.getByTestId('start-from').selectOption('imported');
  // A wrong pair of files is refused with a specific message.
  await page.getByTestId('model-files').setInputFiles([files[0]]);
  await expect(page.getByText(/pick both files of an exported model/)).toBeVisible();
  await page.getByTestId('model-files').setInputFiles([
    { name: 'model.json', mimeType: 'application/json', buffer: readFileSync(files[0]) },
    { name: 'model.bin', mimeType: 'application/octet-stream', buffer: readFileSync(files[1]) },
  ]);
  await expect(page.getByText('Loaded model.json.')).toBeVisible();
  await page.getByRole('button', { name: 'Train again' }).click();
  await expect.poll(() => status(page), { timeout: 120_000 }).toBe('done');
  await expect(page.getByTestId('train-start')).toContainText(
    /Started from model\.json: (\d+) of \1 weight tensors copied/,
  );
});

test('custom task: paint labels on the map (with undo), add CSV labels, and see it predicted from the trained model', async ({
  page,
}, info) => {
  test.setTimeout(180_000);
  await openApp(page);
  await trainOnWasm(page, 3);
  await expect.poll(() => status(page), { timeout: 120_000 }).toBe('done');

  await page
    .getByRole('region', { name: 'New task' })
    .getByLabel('Name', { exact: true })
    .fill('Noise complaints');
  await page
    .getByLabel('What it measures (one sentence)')
    .fill('Noise complaints per year reported by residents');
  await page.getByRole('button', { name: 'Start labelling' }).click();
  const count = page.getByTestId('draft-count');
  await expect(count).toHaveText('0 of 150 regions labelled');
  await page.getByLabel('Value to paint').fill('40');
  // Click three different regions near the centre of the map.
  const clicked = new Set<string>();
  for (const [dx, dy] of [
    [0, 0],
    [-120, -60],
    [120, 60],
  ]) {
    const r = await regionNearCentre(page, { dx, dy });
    clicked.add(r.id);
    await page.mouse.click(r.x, r.y);
  }
  await expect(count).toHaveText(`${clicked.size} of 150 regions labelled`);
  await expect(page.getByTestId('value-select')).toHaveValue('draft:labels');
  // Undo (Ctrl+Z) takes the last stroke back.
  await page.keyboard.press('Control+z');
  await expect(count).toHaveText(`${clicked.size - 1} of 150 regions labelled`);
  // The polygon tool gives every region inside a drawn polygon the value: four corners
  // around the map's centre, a screenshot with the polygon drawn, then Enter fills it.
  const before = Number((await count.textContent())?.split(' ')[0]);
  await page.getByLabel('Polygon: every region inside').check();
  const box = (await page.getByTestId('map').boundingBox())!;
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  for (const [dx, dy] of [
    [-90, -70],
    [90, -70],
    [90, 70],
    [-90, 70],
  ])
    await page.mouse.click(cx + dx, cy + dy);
  await expect(page.getByTestId('polygon-help')).toContainText('4 so far');
  await page.waitForTimeout(300);
  await page.screenshot({ path: info.outputPath('polygon.png') });
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('polygon-help')).toContainText('0 so far');
  await expect
    .poll(async () => Number((await count.textContent())?.split(' ')[0]))
    .toBeGreaterThan(before + 2);
  // One undo step takes the whole polygon back.
  await page.keyboard.press('Control+z');
  await expect(count).toHaveText(`${before} of 150 regions labelled`);
  await page.getByLabel('Brush: region by region').check();
  // A CSV labels many regions at once; bad rows are reported by line.
  const ids = await page.evaluate(() =>
    Array.from({ length: 150 }, (_, i) =>
      (window as Window & { __topt?: { regionId(i: number): string | null } }).__topt?.regionId(i),
    ),
  );
  const csv = ['region_id,value', ...ids.slice(0, 60).map((id, i) => `${id},${(i % 7) * 5}`), 'R999,3'].join(
    '\n',
  );
  await page
    .getByTestId('task-csv')
    .setInputFiles({ name: 'noise.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await expect(page.getByText('noise.csv line 62: region "R999" is not in this city')).toBeVisible();
  // The file merges into the painting: the 60 regions it names, and the painted ones it does not.
  await expect(page.getByTestId('task-csv-summary')).toContainText('Read 60 labels from noise.csv');
  await expect(count).toHaveText(/^(6\d|7\d) of 150 regions labelled$/);
  await page.getByRole('button', { name: 'Add task' }).click();

  // The task joins the results, predicted from the trained embeddings, and the map shows it.
  const results = page.getByTestId('train-results');
  await expect(results.locator('tbody tr')).toHaveCount(4);
  await expect(results).toContainText('Noise complaints');
  await expect(page.getByTestId('value-select')).toHaveValue('predicted:custom-noise-complaints');
  await expect(page.getByTestId('legend')).toContainText('Noise complaints: predicted');
  await page.waitForTimeout(500);
  await page.screenshot({ path: info.outputPath('custom-task.png') });

  // After a reload the task, its labels and its predictions are still there.
  await expect(page.getByTestId('train-saved')).toHaveText(/^Saved in this browser/, { timeout: 60_000 });
  await page.reload();
  await expect.poll(() => status(page), { timeout: 60_000 }).toBe('done');
  await expect(page.getByTestId('train-results')).toContainText('Noise complaints');
  await showValue(page, 'residual:custom-noise-complaints');
  await expect(page.getByTestId('legend')).toContainText('Noise complaints: residual');
});
