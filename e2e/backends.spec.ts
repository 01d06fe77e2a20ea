/**
 * SREL runs unchanged in the browser: a small model trains for a few epochs on the sample
 * city with each TensorFlow.js backend, in a Web Worker. Headless Chromium here has WebGL
 * and WASM, and WebGPU through SwiftShader (--enable-unsafe-webgpu).
 */
import { expect, test } from '@playwright/test';
import { openApp } from './helpers';

test('SREL trains in the browser on WebGPU, WebGL, WASM and CPU', async ({ page }, info) => {
  test.setTimeout(240_000);
  await openApp(page);
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Check backends' }).click();
  const table = page.getByTestId('backend-results');
  for (const backend of ['webgpu', 'webgl', 'wasm', 'cpu']) {
    const row = table.locator(`tr[data-backend="${backend}"]`);
    await expect(row).toHaveAttribute('data-status', /ok|unavailable|failed/, { timeout: 200_000 });
  }
  await page.screenshot({ path: info.outputPath('backends.png') });
  const statuses = await table
    .locator('tr')
    .evaluateAll((rows) =>
      rows.map(
        (r) => `${r.getAttribute('data-backend')}: ${r.getAttribute('data-status')}: ${r.textContent}`,
      ),
    );
  console.log(statuses.join('\n'));
  // WASM, WebGL and plain JS must work here; WebGPU too, given the flags the tests launch with.
  for (const backend of ['webgpu', 'webgl', 'wasm', 'cpu']) {
    await expect(table.locator(`tr[data-backend="${backend}"]`)).toHaveAttribute('data-status', 'ok');
    await expect(table.locator(`tr[data-backend="${backend}"] td`)).toContainText(
      /works: [\d.]+ m?s per epoch/,
    );
  }
  // Same seed, same data: every backend ends at the same loss (0.5% for float differences).
  // This caught tf.addN giving wrong sums on WebGPU.
  const losses = await table
    .locator('tr')
    .evaluateAll((rows) => rows.map((r) => Number(/loss ([\d.]+)/.exec(r.textContent ?? '')?.[1])));
  expect(losses).toHaveLength(4);
  for (const loss of losses) expect(loss).toBeGreaterThan(0);
  for (const loss of losses) expect(Math.abs(loss - losses[2]) / losses[2]).toBeLessThan(0.005);
  // The page stayed responsive while the worker trained: the map still answers.
  await expect(page.getByRole('heading', { name: 'ToPT Studio' })).toBeVisible();
});
