/**
 * The automatic backend choice on the sample city: a software WebGPU adapter (headless
 * Chromium's SwiftShader) is not probed as if it were a GPU, and the page says why; the choice
 * is remembered in this browser (a second Train, and a reload, use it without measuring) until
 * "Re-measure backends"; the page is cross-origin isolated, so WebAssembly trains on threads;
 * Cancel ends a run at once, even in the middle of a long WebGPU epoch. Times are printed,
 * never asserted (these machines are shared).
 */
import { expect, test, type Page } from '@playwright/test';
import { openApp } from './helpers';

type HookWindow = Window & {
  __topt?: { trainingStatus(): string | null; trainingEpochs(): number };
  __progressLines?: string[];
};

const epochsDone = (page: Page): Promise<number> =>
  page.evaluate(() => (window as HookWindow).__topt?.trainingEpochs() ?? 0);

/** From now on, every text the progress line shows (a probe would say "trying …"). */
async function recordProgressLines(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as HookWindow;
    w.__progressLines = [];
    const seen = (): void => {
      const text = document.querySelector('[data-testid="train-progress"]')?.textContent;
      if (text && w.__progressLines?.at(-1) !== text) w.__progressLines?.push(text);
    };
    new MutationObserver(seen).observe(document.body, {
      subtree: true,
      childList: true,
      characterData: true,
    });
    seen();
  });
}

const progressLines = (page: Page): Promise<string[]> =>
  page.evaluate(() => (window as HookWindow).__progressLines ?? []);

/** Click Train and wait for the first epoch; the seconds it took. */
async function trainToFirstEpoch(page: Page): Promise<number> {
  await recordProgressLines(page);
  const started = Date.now();
  await page.getByRole('button', { name: /^Train( again)?$/ }).click();
  await expect.poll(() => epochsDone(page), { timeout: 120_000, intervals: [50] }).toBeGreaterThanOrEqual(1);
  return (Date.now() - started) / 1000;
}

/** Click Cancel and wait until the card is idle again; the seconds it took. */
async function cancel(page: Page): Promise<number> {
  const started = Date.now();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('button', { name: /^Train( again)?$/ })).toBeVisible({ timeout: 30_000 });
  const seconds = (Date.now() - started) / 1000;
  await expect(page.getByText('Training cancelled; nothing was kept.')).toBeVisible();
  return seconds;
}

test('auto skips the software WebGPU adapter, remembers its choice, trains WebAssembly on threads; Cancel is prompt', async ({
  page,
}, info) => {
  test.setTimeout(240_000);
  await openApp(page);
  await page.getByText('Training settings', { exact: true }).click();
  await expect(page.getByLabel('Backend')).toHaveValue('auto');
  const choice = page.getByTestId('backend-choice');
  await expect(choice).toContainText('not measured in this browser yet');

  // First Train: the software adapter is named and skipped; nothing is probed here.
  const first = await trainToFirstEpoch(page);
  console.log(`auto, first Train: ${first.toFixed(2)} s from the click to the first epoch`);
  const backend = page.getByTestId('train-backend');
  await expect(backend).toContainText(/^Backend: WebAssembly \(.+\) · \d+ threads?, cross-origin isolated$/);
  const notes = page.getByTestId('train-backend-note');
  await expect(notes.filter({ hasText: /^WebGPU not measured: .*software.*no GPU/ })).toHaveCount(1);
  console.log(`  ${await backend.textContent()}\n  ${(await notes.allTextContents()).join('\n  ')}`);
  expect((await progressLines(page)).filter((l) => l.includes('trying'))).toEqual([]);
  await expect(choice).toContainText('Automatic choice in this browser: WebAssembly');
  await page.screenshot({ path: info.outputPath('auto-first-train.png') });

  const cancelled = await cancel(page);
  console.log(`Cancel during training: ${cancelled.toFixed(2)} s from the click to idle`);

  // Second Train: the remembered choice, without measuring.
  const second = await trainToFirstEpoch(page);
  console.log(`auto, second Train: ${second.toFixed(2)} s from the click to the first epoch`);
  await expect(backend).toContainText(/^Backend: WebAssembly \(remembered from \d{4}-\d\d-\d\d: /);
  expect((await progressLines(page)).filter((l) => l.startsWith('Choosing a backend'))).toEqual([]);
  await cancel(page);

  // The choice survives a reload (saved with the session) until "Re-measure backends".
  await page.reload();
  await openApp(page);
  await page.getByText('Training settings', { exact: true }).click();
  await expect(choice).toContainText('Automatic choice in this browser: WebAssembly');
  await page.getByTestId('remeasure-backends').click();
  await expect(choice).toContainText('not measured in this browser yet');
  await page.screenshot({ path: info.outputPath('after-remeasure.png') });
});

test('WebGPU chosen explicitly still trains on the software adapter, and Cancel ends its slow first epoch at once', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await openApp(page);
  await page.getByText('Training settings', { exact: true }).click();
  await page.getByLabel('Backend').selectOption('webgpu');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  // Its first epoch compiles shaders in software: tens of seconds, which Cancel must not wait for.
  await expect(page.getByTestId('train-backend')).toContainText('Backend: WebGPU (chosen in the settings)', {
    timeout: 120_000,
  });
  const during = await epochsDone(page);
  const seconds = await cancel(page);
  console.log(`Cancel during WebGPU epoch ${during + 1}: ${seconds.toFixed(2)} s from the click to idle`);
});
