/**
 * The in-browser LLM offline: the real web-llm loading code runs (in its worker) against a
 * model host that cannot be reached (requests to it are aborted as a disconnected network
 * would), the app says specifically what happened, and the custom task goes on with the
 * generic template and the offline encoder.
 */
import { expect, test, type Page } from '@playwright/test';
import { openApp, trainOnWasm } from './helpers';

/** Requests to the model hosts fail as on a disconnected network (these machines have none). */
async function disconnectModelHosts(page: Page): Promise<void> {
  await page.route(/huggingface\.co|hf\.co|raw\.githubusercontent\.com/, (route) =>
    route.abort('internetdisconnected'),
  );
}

test('offline, the LLM template writer says why it cannot load a model and the task flow goes on', async ({
  page,
}, info) => {
  test.setTimeout(120_000);
  await disconnectModelHosts(page);
  await openApp(page);
  await page
    .getByRole('region', { name: 'New task' })
    .getByLabel('Name', { exact: true })
    .fill('Noise complaints');
  await page
    .getByLabel('What it measures (one sentence)')
    .fill('Noise complaints per year reported by residents');
  await page.getByText('Write the template with an in-browser LLM (optional)').click();
  await page.getByRole('button', { name: 'Find models for this device' }).click();
  const message = page.getByTestId('llm-message');
  const picker = page.getByLabel('Chat model');
  await expect(picker.or(message)).toBeVisible({ timeout: 60_000 });
  if (await picker.isVisible()) {
    // The smallest f32 chat model first; the small ones only, sizes shown and ascending.
    await expect(picker).toHaveValue('SmolLM2-360M-Instruct-q4f32_1-MLC');
    const sizes = (await picker.locator('option').allTextContents()).map((t) => {
      const [, n, unit] = /^([\d.]+) (MB|GB) · /.exec(t) ?? [];
      return Number(n) * (unit === 'GB' ? 1000 : 1);
    });
    expect(sizes.every((s, i) => s <= 1500 && (i === 0 || s >= sizes[i - 1]))).toBe(true);
    await page.getByRole('button', { name: /write template/ }).click();
    await expect(message).toContainText('The model could not be downloaded', { timeout: 60_000 });
  } else await expect(message).toContainText('No model fits this device');
  await expect(message).toContainText('the built-in offline encoder and template; nothing is lost');
  await page.getByTestId('llm-template').screenshot({ path: info.outputPath('llm-offline.png') });

  // Nothing is lost: the task is labelled with the generic template as before.
  await page.getByRole('button', { name: 'Start labelling' }).click();
  await expect(page.getByTestId('draft-count')).toHaveText('0 of 150 regions labelled');
});

test('offline, a web-llm embedding model for task prompts fails to load with a specific message; the offline encoder stays', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await disconnectModelHosts(page);
  await openApp(page);
  await page.getByRole('button', { name: 'Settings' }).click();
  const box = page.getByTestId('prompt-encoder');
  await expect(box).toContainText('Task prompts use the built-in offline encoder');
  await box.getByRole('button', { name: 'Find embedding models for this device' }).click();
  const message = page.getByTestId('prompt-encoder-message');
  const picker = box.getByLabel('Embedding model');
  await expect(picker.or(message)).toBeVisible({ timeout: 60_000 });
  if (await picker.isVisible()) {
    await expect(picker).toHaveValue('snowflake-arctic-embed-s-q0f32-MLC-b4');
    await box.getByRole('button', { name: 'Load and use' }).click();
    await expect(message).toContainText('The model could not be downloaded', { timeout: 60_000 });
  } else await expect(message).toContainText('No embedding model fits this device');
  await expect(box).toContainText('Task prompts use the built-in offline encoder');
  // Nothing was downloaded, so nothing is cached.
  const cache = page.getByTestId('cached-models');
  await cache.getByRole('button', { name: 'Show cached models' }).click();
  await expect(cache).toContainText('No web-llm model is cached in this browser.');
});

test('offline, region analyses by a chat model fail to start with a specific message; the task keeps its composition', async ({
  page,
}, info) => {
  test.setTimeout(120_000);
  await disconnectModelHosts(page);
  await openApp(page);
  await page.getByRole('button', { name: 'Settings' }).click();
  const box = page.getByTestId('region-analyses');
  await expect(box.getByTestId('task-vectors-status')).toHaveText(
    'Crime uses the task-attended composition.',
  );
  // Encoding needs an embedding model: without one the button says so and stays off.
  await expect(box.getByRole('button', { name: 'Encode the region prompts' })).toBeDisabled();
  await box.getByRole('button', { name: 'Find chat models for region analyses' }).click();
  const message = box.getByTestId('region-analyses-message');
  const picker = box.getByLabel('Chat model');
  await expect(picker.or(message)).toBeVisible({ timeout: 60_000 });
  if (await picker.isVisible()) {
    await expect(picker).toHaveValue('SmolLM2-360M-Instruct-q4f32_1-MLC');
    await box.getByRole('button', { name: 'Write 150 region analyses' }).click();
    await expect(message).toContainText('The model could not be downloaded', { timeout: 60_000 });
    await expect(message).toContainText('The analyses written so far are kept');
  } else await expect(message).toContainText('No chat model fits this device');
  await box.scrollIntoViewIfNeeded();
  await page.screenshot({ path: info.outputPath('region-analyses-offline.png') });
  await expect(box.getByTestId('task-vectors-status')).toHaveText(
    'Crime uses the task-attended composition.',
  );
});

test('LLM vectors saved for a task are its prompt features: named in the settings, used by the "R² + prompt" column, and can be dropped', async ({
  page,
}, info) => {
  test.setTimeout(180_000);
  await openApp(page);
  // Vectors as the LLM panel saves them (IndexedDB, idb-keyval's store), written here by the
  // test: random ones, so only the plumbing is checked, not what they are worth.
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('keyval-store');
        open.onupgradeneeded = () => open.result.createObjectStore('keyval');
        open.onsuccess = () => {
          const n = 150;
          const dimension = 16;
          const data = Float32Array.from(
            { length: n * dimension },
            (_, i) => (Math.sin(i * 12.9898) * 43758.5453) % 1,
          );
          const tx = open.result.transaction('keyval', 'readwrite');
          tx.objectStore('keyval').put(
            {
              vectors: { n, dimension, data, encoder: 'test' },
              name: 'test vectors (random, written by the E2E test)',
            },
            'vectors:sample:riverton:crime',
          );
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error);
        };
        open.onerror = () => reject(open.error);
      }),
  );
  await page.getByRole('button', { name: 'Settings' }).click();
  const box = page.getByTestId('region-analyses');
  await expect(box.getByTestId('task-vectors-status')).toHaveText(
    'Crime uses LLM vectors: test vectors (random, written by the E2E test).',
  );
  await page.getByRole('button', { name: 'Settings' }).click();

  await trainOnWasm(page, 3);
  const results = page.getByTestId('train-results');
  await expect(results.locator('tbody tr')).toHaveCount(3, { timeout: 120_000 });
  await expect(page.getByTestId('results-notes')).toContainText(
    'Crime: beside LLM vectors of its regions instead',
  );
  await results.screenshot({ path: info.outputPath('llm-vectors-results.png') });
  const crimeRow = results.locator('tbody tr').filter({ hasText: 'Crime' });
  // The task's name is the row header (th), so the R² + prompt cell is the fourth td.
  await expect(crimeRow.locator('td').nth(3)).toHaveAttribute(
    'title',
    /^test vectors \(random, written by the E2E test\): the combiner weighted it in \d+ of 10 folds$/,
  );

  await page.getByRole('button', { name: 'Settings' }).click();
  await box.getByRole('button', { name: 'Stop using them' }).click();
  await expect(box.getByTestId('task-vectors-status')).toHaveText(
    'Crime uses the task-attended composition.',
  );
});
