/**
 * The journey without surprises (issue 18): what a shared link keeps (the map's view), what
 * it says when the layer it names needs a run this browser does not have, and the side panel
 * bringing what the user asked for into view.
 */
import { expect, test } from '@playwright/test';
import { openApp, waitForMap } from './helpers';

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
