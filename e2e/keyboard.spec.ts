/**
 * A keyboard-only journey (issue 18, "Accessibility and small screens"): with Tab, arrows,
 * Enter, Escape and typing only (no mouse), browse the city list without loading every city
 * passed, open a city, set the epochs, train, keep the focus on the buttons that replace each
 * other, close Settings with Escape, start a task and label one region through the Region list
 * and the value field, and download a file with Enter.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { cityName, waitForMap } from './helpers';

type HookWindow = Window & { __topt?: { trainingStatus(): string | null } };

const status = (page: Page): Promise<string | null> =>
  page.evaluate(() => (window as HookWindow).__topt?.trainingStatus() ?? null);

const isFocused = (target: Locator): Promise<boolean> =>
  target.evaluate((el) => el === document.activeElement).catch(() => false);

/** Presses Tab (or Shift+Tab) until `target` has the focus, as a keyboard user would. */
async function tabTo(page: Page, target: Locator, backwards = false, most = 250): Promise<void> {
  for (let i = 0; i < most; i++) {
    if (await isFocused(target)) return;
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`${String(target)} never got the focus in ${most} presses of Tab`);
}

/** What has the focus, in words (for the assertions' messages). */
const focused = (page: Page): Promise<string> =>
  page.evaluate(() => {
    const el = document.activeElement;
    return el ? `${el.tagName.toLowerCase()} "${(el.textContent ?? '').trim().slice(0, 40)}"` : 'nothing';
  });

test('keyboard only: browse and open a city, train, label a region of a new task, download a file', async ({
  page,
}, info) => {
  test.setTimeout(240_000);
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'ToPT Studio' })).toBeVisible();
  await waitForMap(page, 'Riverton');

  // The city list: ArrowDown browses to Metropolis (2,000 regions) without loading it...
  const citySelect = page.getByTestId('city-select');
  await tabTo(page, citySelect);
  await page.keyboard.press('ArrowDown');
  await expect(citySelect).toHaveValue('sample:metropolis');
  await expect(page.getByTestId('city-browsed')).toHaveText('Enter opens Metropolis');
  await page.waitForTimeout(1500);
  expect(await cityName(page), 'browsing does not load the city').toBe('Riverton');
  // ...Escape goes back to the open city, ArrowDown and Enter open the one browsed to.
  await page.keyboard.press('Escape');
  await expect(citySelect).toHaveValue('sample:riverton');
  await expect(page.getByTestId('city-browsed')).toHaveCount(0);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await waitForMap(page, 'Metropolis');
  await expect(page.getByTestId('region-count')).toHaveText('2000 regions');
  // Back to Riverton (150 regions, quick to train) with ArrowUp and Enter.
  await expect(citySelect).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Enter');
  await waitForMap(page, 'Riverton');
  await expect(page.getByTestId('region-count')).toHaveText('150 regions');

  // Escape closes Settings and gives the focus back to the Settings button.
  const settings = page.getByRole('button', { name: 'Settings', exact: true });
  await tabTo(page, settings);
  await page.keyboard.press('Enter');
  await expect(settings).toHaveAttribute('aria-expanded', 'true');
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => !!document.activeElement?.closest('#settings-panel'))).toBe(true);
  await page.keyboard.press('Escape');
  await expect(settings).toHaveAttribute('aria-expanded', 'false');
  await expect(settings, `focus after Escape: ${await focused(page)}`).toBeFocused();

  // Training settings: open them with Enter, 3 epochs, the WebAssembly backend.
  await tabTo(page, page.locator('summary', { hasText: 'Training settings' }));
  await page.keyboard.press('Enter');
  const epochs = page.getByLabel(/^Epochs/);
  await tabTo(page, epochs);
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type('3');
  await expect(epochs).toHaveValue('3');
  const backend = page.getByLabel('Backend');
  await tabTo(page, backend);
  for (let i = 0; i < 8 && (await backend.inputValue()) !== 'wasm'; i++)
    await page.keyboard.press('ArrowDown');
  await expect(backend).toHaveValue('wasm');

  // Train with Enter: the focus stays on the buttons that replace Train, then on Train again.
  const train = page.getByRole('button', { name: 'Train', exact: true });
  await tabTo(page, train);
  await page.keyboard.press('Enter');
  await expect
    .poll(() => page.evaluate(() => !!document.activeElement?.closest('.train-buttons')), {
      message: 'the focus stays among the training buttons when Train is replaced',
    })
    .toBe(true);
  // Never on Cancel: a second Enter must not stop the run it just started.
  await expect(page.getByRole('button', { name: 'Cancel' })).not.toBeFocused();
  await expect.poll(() => status(page), { timeout: 120_000 }).toBe('done');
  await expect(page.getByRole('button', { name: 'Train again' })).toBeFocused();

  // The live region told milestones, not epochs; the table has a short name and row headers.
  await expect(page.getByTestId('train-announce')).toHaveText('Training finished: the results are below.');
  await expect(page.getByTestId('train-progress')).not.toHaveAttribute('role', 'status');
  const table = page.getByRole('table', { name: 'Held-out accuracy (R²) per task' });
  await expect(table).toBeVisible();
  await expect(table.getByRole('rowheader')).toHaveCount(3);
  await expect(table.getByRole('rowheader', { name: /^Crime/ })).toHaveCount(1);

  // A new task, started with the keyboard.
  await tabTo(page, page.getByRole('textbox', { name: 'Name' }));
  await page.keyboard.type('Noise');
  await page.keyboard.press('Tab');
  await page.keyboard.type('Noise complaints per year');
  await tabTo(page, page.getByRole('button', { name: 'Start labelling' }));
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('draft-count')).toHaveText('0 of 150 regions labelled');

  // A region chosen in the Region list (above the task), then its value typed and Enter.
  const regionSelect = page.getByTestId('region-select');
  await tabTo(page, regionSelect, true);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  const region = await regionSelect.inputValue();
  expect(region).not.toBe('');
  const value = page.getByTestId('label-region-value');
  await tabTo(page, value);
  await page.keyboard.type('4');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('draft-count')).toHaveText('1 of 150 regions labelled');
  await expect(page.getByTestId('label-region-status')).toContainText('labelled 4.');
  // The same edit as painting: Undo (with Enter on its button) takes it back, and it is set again.
  await tabTo(page, page.getByRole('button', { name: /^Undo/ }), true);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('draft-count')).toHaveText('0 of 150 regions labelled');
  await tabTo(page, value);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('draft-count')).toHaveText('1 of 150 regions labelled');
  await page.screenshot({ path: info.outputPath('keyboard-labelled.png') });

  // A download with Enter on its button.
  const embeddings = page.getByRole('button', { name: 'Embeddings (.npy)' });
  await tabTo(page, embeddings, true);
  const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
  expect(download.suggestedFilename()).toMatch(/^riverton[a-z-]*_embeddings_\d{4}-\d\d-\d\d\.npy$/);
  expect(
    readFileSync(await download.path())
      .subarray(1, 6)
      .toString('latin1'),
  ).toBe('NUMPY');
  await page.screenshot({ path: info.outputPath('keyboard-journey.png') });
});
