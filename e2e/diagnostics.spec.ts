import { expect, test } from '@playwright/test';
import { legendColors, openApp, showValue, waitForMap } from './helpers';

test("any layer can be tested for spatial clustering: Moran's I in words and its LISA map, computed in a worker", async ({
  page,
}, info) => {
  await openApp(page);
  await showValue(page, 'label:crime');
  await page.getByRole('button', { name: /Is this layer clustered\?/ }).click();
  const result = page.getByTestId('layer-test-result');
  await expect(result).toContainText(
    /^Crime.*: The values cluster in space \(Moran's I 0\.\d{3}, pseudo p = 0\.00\d/,
  );
  await expect(result).toContainText('Spatial weights: 6 nearest regions by centroid.');
  // The map now shows where crime clusters, in GeoDa's colours, and says how it was tested.
  await expect(page.getByTestId('layer-kind-select')).toHaveValue('diagnostics');
  await expect(page.getByTestId('value-select')).toHaveValue('lisa-of:label:crime');
  const legend = page.getByTestId('legend');
  await expect(legend).toContainText('high-high: high among high');
  await expect(legend).toContainText('Global Moran’s I');
  expect(await legendColors(page)).toContainEqual([255, 0, 0]);
  await waitForMap(page);
  await page.screenshot({ path: info.outputPath('lisa-of-crime.png') });
  // Back to data: the test is offered again, and a value on the map gets its classes back.
  await showValue(page, 'poi-total');
  await expect(page.getByRole('button', { name: /Is this layer clustered\?/ })).toBeEnabled();
  // With shared borders instead of the nearest regions, as GeoDa's contiguity weights.
  await page.getByTestId('layer-test-weights').selectOption('contiguity');
  await page.getByRole('button', { name: /Is this layer clustered\?/ }).click();
  await expect(result).toContainText(/^Total POIs: The values/);
  await expect(result).toContainText(
    "Spatial weights: regions sharing a boundary (the city's own adjacency list).",
  );
  await expect(page.getByTestId('value-select')).toHaveValue('lisa-of:poi-total');
});
