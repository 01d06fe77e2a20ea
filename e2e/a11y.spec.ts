/**
 * Accessibility of the main page states (issue 18, "Accessibility and small screens"): axe-core
 * finds no violation on the first view, with Settings open, with a region selected, with a new
 * task's draft started, at 320 px wide and after a short training; and the page reflows on a
 * phone (WCAG 1.4.10): no sideways scroll at 320 px, Settings within reach.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { clickRegion, openApp, regionNearCentre, trainOnWasm } from './helpers';

type HookWindow = Window & { __topt?: { trainingStatus(): string | null } };

const status = (page: Page): Promise<string | null> =>
  page.evaluate(() => (window as HookWindow).__topt?.trainingStatus() ?? null);

/** The axe-core violations of the page as it is now, as "rule: target" lines (readable on failure). */
async function violations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page })
    // The map's canvases are pictures drawn by WebGL: axe cannot read colours in them, and the
    // regions they show are reachable as a list (the region select) and described by the legend.
    .exclude('.maplibregl-canvas-container')
    .analyze();
  return results.violations.flatMap((v) =>
    v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.join(' ')} — ${n.failureSummary ?? ''}`),
  );
}

test('axe-core finds no violation: first view, Settings open, a region selected, a new-task draft', async ({
  page,
}, info) => {
  await openApp(page);
  expect(await violations(page), 'first view').toEqual([]);

  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByTestId('settings')).toBeVisible();
  expect(await violations(page), 'Settings open').toEqual([]);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('settings')).toBeHidden();

  await clickRegion(page, () => regionNearCentre(page));
  await expect(page.getByTestId('region-details')).toBeVisible();
  expect(await violations(page), 'a region selected').toEqual([]);

  await page.getByRole('region', { name: 'New task' }).getByLabel('Name', { exact: true }).fill('Noise');
  await page.getByLabel('What it measures (one sentence)').fill('Noise complaints per year');
  await page.getByRole('button', { name: 'Start labelling' }).click();
  await expect(page.getByTestId('draft-count')).toBeVisible();
  expect(await violations(page), 'a new-task draft started').toEqual([]);

  // Regions without a value (none labelled yet) are white with a dark outline on the map, and
  // the legend's swatch says so the same way: not a grey close to viridis greens.
  const noValue = page.getByTestId('legend').locator('li', { hasText: 'no value' }).locator('.swatch');
  await expect(noValue).toHaveCSS('background-color', 'rgb(255, 255, 255)');
  await expect(noValue).toHaveCSS('border-top-color', 'rgb(64, 64, 64)');
  await page.getByTestId('map').screenshot({ path: info.outputPath('no-value.png') });
});

test('axe-core finds no violation after a short training', async ({ page }, info) => {
  test.setTimeout(240_000);
  await openApp(page);
  await trainOnWasm(page, 3);
  await expect.poll(() => status(page), { timeout: 150_000 }).toBe('done');
  await expect(page.getByTestId('train-results')).toBeVisible();
  expect(await violations(page), 'after training').toEqual([]);

  // A region selected after training: its attention lines (cased, see regionLayers) and details.
  await clickRegion(page, () => regionNearCentre(page));
  await expect(page.getByTestId('attention-hint')).toBeVisible();
  await page.waitForTimeout(500);
  await page.getByTestId('map').screenshot({ path: info.outputPath('attention-lines.png') });
  expect(await violations(page), 'a region selected after training').toEqual([]);
});

for (const width of [390, 320]) {
  test(`at ${width} px wide the page reflows: no sideways scroll, Settings reachable and on screen, no axe violation`, async ({
    page,
  }, info) => {
    await page.setViewportSize({ width, height: 740 });
    await openApp(page);
    await page.screenshot({ path: info.outputPath(`first-view-${width}.png`) });

    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    const settings = page.getByRole('button', { name: 'Settings' });
    const button = await settings.boundingBox();
    expect(button).not.toBeNull();
    if (button) {
      expect(button.x).toBeGreaterThanOrEqual(0);
      expect(button.x + button.width).toBeLessThanOrEqual(width);
    }
    const open = page.getByRole('button', { name: /Open files/ });
    const openBox = await open.boundingBox();
    if (openBox) expect(openBox.x + openBox.width).toBeLessThanOrEqual(width);
    expect(await violations(page), `${width} px`).toEqual([]);

    // The legend leaves most of the small map free.
    const map = await page.getByTestId('map').boundingBox();
    const share = async (): Promise<number> => {
      const legend = await page.getByTestId('legend').boundingBox();
      return map && legend ? (legend.width * legend.height) / (map.width * map.height) : 1;
    };
    expect(await share()).toBeLessThan(0.12);
    // ... and can be hidden: its caption and a Show button stay.
    await page.getByRole('button', { name: 'Hide legend' }).click();
    await expect(page.getByTestId('legend').locator('.swatch').first()).toBeHidden();
    expect(await share()).toBeLessThan(0.03);
    await page.screenshot({ path: info.outputPath(`legend-hidden-${width}.png`) });
    await page.getByRole('button', { name: 'Show legend' }).click();
    await expect(page.getByTestId('legend').locator('.swatch').first()).toBeVisible();

    // The Settings popover fits the viewport.
    await settings.click();
    const panel = await page.getByTestId('settings').boundingBox();
    expect(panel).not.toBeNull();
    if (panel) {
      expect(panel.x).toBeGreaterThanOrEqual(0);
      expect(panel.x + panel.width).toBeLessThanOrEqual(width);
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    await page.screenshot({ path: info.outputPath(`settings-${width}.png`) });
    expect(await violations(page), `${width} px, Settings open`).toEqual([]);
  });
}

test('the map is one tab stop with a visible focus ring; deck.gl’s overlay is not a tab stop', async ({
  page,
}, info) => {
  await openApp(page);
  // Only MapLibre's canvas ("Map") takes focus inside the map besides its buttons.
  const stops = page.getByTestId('map').locator('[tabindex]:not([tabindex="-1"])');
  await expect(stops).toHaveCount(1);
  await expect(stops).toHaveAttribute('aria-label', 'Map');

  // From Settings, Tab reaches the map canvas, and the ring (drawn by the map element, above
  // MapLibre's clipping and deck's canvas) is the focus blue.
  await page.getByRole('button', { name: 'Settings' }).focus();
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Map');
  const ring = await page
    .getByTestId('map')
    .evaluate((el) => getComputedStyle(el, '::after').getPropertyValue('border-top-color'));
  expect(ring).toBe('rgb(11, 61, 145)');
  await page.screenshot({ path: info.outputPath('map-focused.png') });

  // The next stops are the zoom buttons and on: never deck's canvas or anything it hides.
  for (let i = 0; i < 4; i++) {
    await page.keyboard.press('Tab');
    const inOverlay = await page.evaluate(() => {
      const el = document.activeElement;
      return (
        !!el &&
        (el.closest('[aria-hidden="true"]') !== null ||
          (el.tagName === 'CANVAS' && !el.classList.contains('maplibregl-canvas')))
      );
    });
    expect(inOverlay).toBe(false);
  }
});
