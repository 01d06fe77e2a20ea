/** Shared steps of the browser tests: open the app, wait for the map, read screenshot pixels. */
import { expect, type Page } from '@playwright/test';

/** Mirrors src/app/session/testHook.ts (window.__topt); kept separate so the tests stay black-box. */
interface ToptHook {
  cityName(): string | null;
  regionCount(): number;
  regionName(index: number): string | null;
  regionId(index: number): string | null;
  mapReady(): boolean;
  regionPoint(index: number): { x: number; y: number } | null;
}

type HookWindow = Window & { __topt?: ToptHook };

/** Requests that leave the app's own origin (data: and blob: URLs are local). */
export function watchExternalRequests(page: Page, origin: string): string[] {
  const external: string[] = [];
  page.on('request', (req) => {
    const url = req.url();
    if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:')) external.push(url);
  });
  return external;
}

/** Waits until the map is drawn (and, given a name, the city's name starts with it). */
export async function waitForMap(page: Page, cityName?: string): Promise<void> {
  await page.waitForFunction(
    (name) => {
      const hook = (window as HookWindow).__topt;
      return (
        !!hook &&
        hook.regionCount() > 0 &&
        (!name || (hook.cityName() ?? '').startsWith(name)) &&
        hook.mapReady()
      );
    },
    cityName,
    { timeout: 45_000 },
  );
}

/** Opens the app and waits until the default sample city is drawn. */
export async function openApp(page: Page): Promise<void> {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'ToPT Studio' })).toBeVisible();
  await waitForMap(page);
}

export async function cityName(page: Page): Promise<string | null> {
  return page.evaluate(() => (window as HookWindow).__topt?.cityName() ?? null);
}

/**
 * A region near the middle of the map whose interior point is on the map and clear of the
 * legend and the zoom buttons: its index, name and viewport coordinates.
 */
export async function regionNearCentre(
  page: Page,
  offset = { dx: 0, dy: 0 },
): Promise<{ index: number; id: string; name: string; x: number; y: number }> {
  const map = await page.getByTestId('map').boundingBox();
  const legend = await page.getByTestId('legend').boundingBox();
  if (!map) throw new Error('map element has no size');
  const target = { x: map.x + map.width / 2 + offset.dx, y: map.y + map.height / 2 + offset.dy };
  const found = await page.evaluate(
    ({ map, legend, target }) => {
      const hook = (window as HookWindow).__topt;
      if (!hook) return null;
      let best: { index: number; id: string; name: string; x: number; y: number; d: number } | null = null;
      for (let i = 0; i < hook.regionCount(); i++) {
        const p = hook.regionPoint(i);
        if (!p) continue;
        const inMap =
          p.x > map.x + 20 &&
          p.x < map.x + map.width - 60 &&
          p.y > map.y + 20 &&
          p.y < map.y + map.height - 30;
        const onLegend =
          legend !== null &&
          p.x > legend.x - 10 &&
          p.x < legend.x + legend.width + 10 &&
          p.y > legend.y - 10 &&
          p.y < legend.y + legend.height + 10;
        if (!inMap || onLegend) continue;
        const d = Math.hypot(p.x - target.x, p.y - target.y);
        if (!best || d < best.d)
          best = { index: i, id: hook.regionId(i) ?? '', name: hook.regionName(i) ?? '', x: p.x, y: p.y, d };
      }
      return best;
    },
    { map, legend, target },
  );
  if (!found) throw new Error('no region point on the visible map');
  return found;
}

/** A region near the middle of the map, as regionNearCentre finds it. */
export type RegionOnMap = Awaited<ReturnType<typeof regionNearCentre>>;

/**
 * Clicks a region as a user would: once the map has drawn its latest change, the pointer goes
 * to the region `find` gives and the tooltip must name it (so the map picks that region
 * there), then the button goes down and up. Found again until the tooltip agrees: a point
 * projected just before the map's view changed (a resize) lands on a neighbour. Returns the
 * region clicked.
 */
export async function clickRegion(page: Page, find: () => Promise<RegionOnMap>): Promise<RegionOnMap> {
  let region: RegionOnMap | null = null;
  let tries = 0;
  await expect(async () => {
    tries++;
    await page.waitForFunction(() => (window as HookWindow).__topt?.mapReady() ?? false, null, {
      timeout: 45_000,
    });
    region = await find();
    await page.mouse.move(region.x, region.y);
    await expect(page.getByTestId('tooltip')).toContainText(`id ${region.id}`, { timeout: 5_000 });
  }).toPass({ timeout: 60_000 });
  if (tries > 1) console.log(`clickRegion: the tooltip named ${region!.id} after ${tries} tries`);
  await page.mouse.down();
  await page.mouse.up();
  return region!;
}

export interface PixelStats {
  total: number;
  /** Share of pixels that differ clearly from the map background. */
  nonBackground: number;
  /** Share of pixels matching each given colour (same order). */
  colorShares: number[];
}

/**
 * Decodes a PNG screenshot inside the page (no image library needed in Node) and counts
 * pixels: those far from the background colour and those close to each palette colour.
 */
export async function pixelStats(
  page: Page,
  png: Buffer,
  background: [number, number, number],
  colors: [number, number, number][],
): Promise<PixelStats> {
  return page.evaluate(
    async ({ b64, background, colors }) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const canvas = document.createElement('canvas');
      canvas.width = img.width;
      canvas.height = img.height;
      const ctx = canvas.getContext('2d');
      if (!ctx) throw new Error('no 2d context');
      ctx.drawImage(img, 0, 0);
      const data = ctx.getImageData(0, 0, img.width, img.height).data;
      const total = img.width * img.height;
      const near = (i: number, c: number[], tol: number): boolean =>
        Math.abs(data[i] - c[0]) <= tol &&
        Math.abs(data[i + 1] - c[1]) <= tol &&
        Math.abs(data[i + 2] - c[2]) <= tol;
      let nonBackground = 0;
      const counts = colors.map(() => 0);
      for (let i = 0; i < data.length; i += 4) {
        if (!near(i, background, 12)) nonBackground++;
        colors.forEach((c, k) => {
          if (near(i, c, 6)) counts[k]++;
        });
      }
      return { total, nonBackground: nonBackground / total, colorShares: counts.map((c) => c / total) };
    },
    { b64: png.toString('base64'), background, colors },
  );
}

/** The legend's class colours, read from the swatches' computed style. */
export async function legendColors(page: Page): Promise<[number, number, number][]> {
  const css = await page
    .getByTestId('legend')
    .locator('.swatch')
    .evaluateAll((els) => els.map((el) => getComputedStyle(el).backgroundColor));
  return css.map((c) => {
    const m = c.match(/\d+/g);
    if (!m) throw new Error(`unexpected colour ${c}`);
    return [Number(m[0]), Number(m[1]), Number(m[2])];
  });
}

export function hexToRgb(hex: string): [number, number, number] {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** Open the training settings and set the epoch count. */
export async function setEpochs(page: Page, epochs: number): Promise<void> {
  await page.getByText('Training settings', { exact: true }).click();
  await page.getByLabel(/^Epochs/).fill(String(epochs));
}

/** Train the open city for `epochs` on WebAssembly (the backend every machine has). */
export async function trainOnWasm(page: Page, epochs: number): Promise<void> {
  await setEpochs(page, epochs);
  await page.getByLabel('Backend').selectOption('wasm');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
}

/**
 * Colour the map by value option `id`: its kind of layer first (data, labels, predictions,
 * residuals, diagnostics), then the value, as a user picks them.
 */
export async function showValue(page: Page, id: string): Promise<void> {
  const kinds = page.getByTestId('layer-kind-select');
  const values = page.getByTestId('value-select');
  for (const kind of await kinds
    .locator('option')
    .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))) {
    await kinds.selectOption(kind);
    if ((await values.locator(`option[value="${id}"]`).count()) > 0) {
      await values.selectOption(id);
      return;
    }
  }
  throw new Error(`no layer ${id} to show`);
}
