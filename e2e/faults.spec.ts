/**
 * Faults and storage (issue 16): a storage failure is told at once, with what was not saved
 * and a download; switching city mid-run asks first and tells what was stopped; "Train again"
 * then Cancel shows the previous results; a reload says how many epochs the interrupted run
 * had done and resumes it from its last checkpoint. Each test also checks the open city is
 * untouched.
 */
import { expect, test, type Page } from '@playwright/test';
import { cityName, openApp, trainOnWasm, waitForMap } from './helpers';

type HookWindow = Window & {
  __topt?: { trainingStatus(): string | null; trainingEpochs(): number; regionCount(): number };
};

const status = (page: Page): Promise<string | null> =>
  page.evaluate(() => (window as HookWindow).__topt?.trainingStatus() ?? null);
const epochsDone = (page: Page): Promise<number> =>
  page.evaluate(() => (window as HookWindow).__topt?.trainingEpochs() ?? 0);
const regionCount = (page: Page): Promise<number> =>
  page.evaluate(() => (window as HookWindow).__topt?.regionCount() ?? 0);

/** The open city is the sample Riverton, whole, with its map drawn. */
async function rivertonUntouched(page: Page): Promise<void> {
  expect(await cityName(page)).toMatch(/^Riverton/);
  expect(await regionCount(page)).toBe(150);
  await waitForMap(page, 'Riverton');
}

test('a storage failure (quota) is told at once with what was not saved and a download; the Train card does not say "Saving…" for ever', async ({
  page,
}, info) => {
  test.setTimeout(180_000);
  await page.addInitScript(() => {
    IDBObjectStore.prototype.put = function put(): IDBRequest {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
  });
  await openApp(page);
  const alert = page.getByTestId('storage-failure');
  await expect(alert).toContainText('Not saved in this browser: the session (that Riverton is open');
  await expect(alert).toContainText("the browser's storage for this site is full (QuotaExceededError)");

  await trainOnWasm(page, 3);
  await expect.poll(() => status(page), { timeout: 120_000 }).toBe('done');
  await expect(page.getByTestId('train-saved')).toHaveText(
    /^Not saved: this browser refused to store this run/,
  );
  await expect(alert).toContainText('the trained run of Riverton');
  await expect(alert).toContainText('The trained run’s files are under Train SREL.');
  const downloading = page.waitForEvent('download');
  await alert.getByRole('button', { name: 'Download the city (.zip)' }).click();
  expect((await downloading).suggestedFilename()).toBe('riverton.zip');
  await rivertonUntouched(page);
  await page.screenshot({ path: info.outputPath('storage-failure.png') });
});

test('switching city during training asks first; declined, the run goes on; accepted, the stopped run is told', async ({
  page,
}, info) => {
  test.setTimeout(180_000);
  await openApp(page);
  await trainOnWasm(page, 2000);
  await expect.poll(() => epochsDone(page), { timeout: 60_000 }).toBeGreaterThanOrEqual(2);

  let asked = '';
  page.once('dialog', (d) => {
    asked = d.message();
    void d.dismiss();
  });
  await page.getByTestId('city-select').selectOption('sample:metropolis');
  await expect.poll(() => asked).toMatch(/^Training on Riverton is in progress \(\d+ of 2000 epochs\)/);
  expect(asked).toContain('Opening Metropolis stops it, and nothing of it is kept.');
  await expect(page.getByTestId('city-select')).toHaveValue('sample:riverton');
  await rivertonUntouched(page);
  const before = await epochsDone(page);
  await expect.poll(() => epochsDone(page), { timeout: 60_000 }).toBeGreaterThan(before);

  page.once('dialog', (d) => void d.accept());
  await page.getByTestId('city-select').selectOption('sample:metropolis');
  await waitForMap(page, 'Metropolis');
  await expect(page.getByTestId('stopped-run')).toContainText(
    /Training on Riverton \(\d+ of 2000 epochs\) was stopped when Metropolis was opened/,
  );
  await page.screenshot({ path: info.outputPath('city-switched.png') });
});

test('"Train again" then Cancel keeps showing the previous results, still saved', async ({ page }, info) => {
  test.setTimeout(240_000);
  await openApp(page);
  await trainOnWasm(page, 3);
  await expect.poll(() => status(page), { timeout: 120_000 }).toBe('done');
  await expect(page.getByTestId('train-saved')).toHaveText(/^Saved in this browser/, { timeout: 60_000 });
  const results = page.getByTestId('train-results').locator('tbody tr td:nth-child(2)');
  const r2Before = await results.allTextContents();

  await page.getByLabel(/^Epochs/).fill('2000');
  await page.getByRole('button', { name: 'Train again' }).click();
  await expect.poll(() => epochsDone(page), { timeout: 60_000 }).toBeGreaterThanOrEqual(1);
  await expect.poll(() => status(page)).toBe('training');
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('train-kept')).toHaveText(
    'Training cancelled; the results below are from the previous run, still saved in this browser.',
  );
  await expect(page.getByText('Training cancelled; nothing was kept.')).toHaveCount(0);
  expect(await results.allTextContents()).toEqual(r2Before);
  await expect(page.getByRole('button', { name: 'Train again' })).toBeVisible();
  await rivertonUntouched(page);
  await page.screenshot({ path: info.outputPath('train-again-cancelled.png') });
});

test('after a reload, the interrupted run says how many epochs it had done', async ({ page }, info) => {
  test.setTimeout(180_000);
  await openApp(page);
  await trainOnWasm(page, 200);
  await expect.poll(() => epochsDone(page), { timeout: 60_000 }).toBeGreaterThanOrEqual(3);
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect.poll(() => status(page)).toBe('paused');
  const done = await epochsDone(page);
  await page.reload();
  await waitForMap(page, 'Riverton');
  // An epoch under way when Pause was pressed may still end (and be counted).
  await expect(page.getByTestId('interrupted-run')).toContainText(
    new RegExp(`A training run \\((${done}|${done + 1}) of 200 epochs\\) was interrupted by a reload`),
  );
  await rivertonUntouched(page);
  await page.screenshot({ path: info.outputPath('interrupted.png') });
});

/** The epoch of the last checkpoint the page stored with the interrupted run (IndexedDB, idb-keyval's store). */
const storedCheckpointEpoch = (page: Page): Promise<number | null> =>
  page.evaluate(
    () =>
      new Promise<number | null>((resolve) => {
        const open = indexedDB.open('keyval-store');
        open.onerror = () => resolve(null);
        open.onsuccess = () => {
          const get = open.result.transaction('keyval').objectStore('keyval').get('interrupted');
          get.onerror = () => resolve(null);
          get.onsuccess = () =>
            resolve((get.result as { checkpointEpoch?: number } | undefined)?.checkpointEpoch ?? null);
        };
      }),
  );

test('a run a reload interrupted resumes from its last checkpoint, keeping its loss history, and finishes', async ({
  page,
}, info) => {
  test.setTimeout(240_000);
  await openApp(page);
  await trainOnWasm(page, 30);
  // A checkpoint is kept once 10 epochs and 5 seconds have passed.
  await expect.poll(() => storedCheckpointEpoch(page), { timeout: 120_000 }).not.toBeNull();
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect.poll(() => status(page)).toBe('paused');
  const checkpoint = (await storedCheckpointEpoch(page)) as number;
  expect(checkpoint).toBeGreaterThanOrEqual(10);
  expect(checkpoint).toBeLessThan(30);

  await page.reload();
  await waitForMap(page, 'Riverton');
  const offer = page.getByTestId('interrupted-run');
  await expect(offer).toContainText(`Its checkpoint after epoch ${checkpoint} is kept in this browser.`);
  await rivertonUntouched(page);
  await offer.getByRole('button', { name: `Resume from epoch ${checkpoint + 1}` }).click();
  await expect(offer).toBeHidden();
  await expect(page.getByTestId('train-start')).toHaveText(
    `Started from scratch; resumed at epoch ${checkpoint + 1} from the checkpoint kept after epoch ${checkpoint}.`,
  );
  // Training goes on from the checkpoint: never back to epoch 0, the loss history kept.
  await expect.poll(() => epochsDone(page), { timeout: 60_000 }).toBeGreaterThan(checkpoint);
  await page.screenshot({ path: info.outputPath('resumed.png') });
  await expect.poll(() => status(page), { timeout: 180_000 }).toBe('done');
  await expect(page.getByRole('img', { name: /Training loss, 30 of 30 epochs/ })).toBeVisible();
  await expect(page.getByTestId('train-saved')).toHaveText(/^Saved in this browser/, { timeout: 60_000 });
  await expect(page.getByTestId('train-results')).toBeVisible();
  // The finished run is saved whole; the interrupted run and its checkpoint are forgotten.
  expect(await storedCheckpointEpoch(page)).toBeNull();
  await rivertonUntouched(page);
  await page.screenshot({ path: info.outputPath('resumed-done.png') });
});
