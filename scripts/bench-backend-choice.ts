/**
 * `npm run bench:backends [-- --epochs 30 --port 5302 --dev]`: how long from the click on
 * Train to the first epoch, and how fast WebAssembly trains with and without threads, on the
 * sample city Riverton in Debian's Chromium. Serves the production build in dist/ (npm run
 * build first; --dev: the Vite dev server), which sends the cross-origin isolation headers.
 *
 * 1. 'auto', fresh browser profile: the first Train (the choice is measured) and a second
 *    Train (the remembered choice), each from click to first epoch.
 * 2. WebAssembly chosen, `--epochs` epochs: cross-origin isolated (threads) and with the
 *    isolation headers stripped from every response (one thread), seconds per epoch (the
 *    median, the first epoch left out).
 * 3. Cancel while a run trains: from the click to the Train button being back.
 *
 * Prints figures, the CPU count and the load average; asserts nothing (the machines these run
 * on are shared and noisy).
 */
import type { Browser, Page } from 'playwright-core';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';

const { values } = (() => {
  try {
    return parseArgs({
      options: {
        epochs: { type: 'string', default: '30' },
        port: { type: 'string', default: process.env.E2E_PORT ?? '5199' },
        dev: { type: 'boolean', default: false },
        'auto-only': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (e) {
    // An unknown flag or a missing value: say which, with the usage, before any server starts.
    console.error(
      `${e instanceof Error ? e.message : String(e)}\n${'usage: npm run bench:backends [-- --epochs 30 --port 5199 --dev --auto-only]'}`,
    );
    process.exit(2);
  }
})();
if (values.help) {
  console.log('usage: npm run bench:backends [-- --epochs 30 --port 5199 --dev --auto-only]');
  process.exit(0);
}
const port = Number(values.port);
const epochs = Number(values.epochs);
// Loaded only once the flags are read: --help and a bad flag answer without loading them.
const { chromium } = await import('playwright-core');
const { createServer, preview } = await import('vite');
const origin = `http://127.0.0.1:${port}`;

type Hook = {
  regionCount(): number;
  mapReady(): boolean;
  trainingStatus(): string | null;
  trainingEpochs(): number;
  trainingEpochSeconds?(): number[];
};
type HookWindow = Window & { __topt?: Hook };

const server = values.dev
  ? await createServer({ server: { port, strictPort: true }, logLevel: 'error' })
  : await preview({ preview: { port, strictPort: true }, logLevel: 'error' });
if ('listen' in server) await server.listen();

async function openRiverton(browser: Browser, isolated: boolean): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  if (!isolated)
    await context.route('**/*', async (route) => {
      const response = await route.fetch();
      const headers = { ...response.headers() };
      delete headers['cross-origin-opener-policy'];
      delete headers['cross-origin-embedder-policy'];
      await route.fulfill({ response, headers });
    });
  const page = await context.newPage();
  await page.goto(`${origin}/?city=sample:riverton`);
  await page.waitForFunction(
    () => {
      const hook = (window as HookWindow).__topt;
      return !!hook && hook.regionCount() > 0 && hook.mapReady();
    },
    undefined,
    { timeout: 120_000 },
  );
  await page.getByText('Training settings').click();
  return page;
}

const status = (page: Page) => page.evaluate(() => (window as HookWindow).__topt?.trainingStatus() ?? null);

/** Click Train; seconds until the backend is announced (initialised) and until the first epoch. */
async function clickToFirstEpoch(page: Page): Promise<number> {
  const t0 = Date.now();
  await page.getByRole('button', { name: /^Train( again)?$/ }).click();
  await page.getByTestId('train-backend').waitFor({ timeout: 300_000 });
  const ready = (Date.now() - t0) / 1000;
  await page.waitForFunction(() => ((window as HookWindow).__topt?.trainingEpochs() ?? 0) >= 1, undefined, {
    timeout: 300_000,
    polling: 20,
  });
  const first = (Date.now() - t0) / 1000;
  const seconds = await page.evaluate(
    () => (window as HookWindow).__topt?.trainingEpochSeconds?.()[0] ?? NaN,
  );
  console.log(
    `  (backend initialised after ${ready.toFixed(2)} s; the first epoch itself took ${seconds.toFixed(2)} s)`,
  );
  return first;
}

async function cancelRun(page: Page): Promise<number> {
  const t0 = Date.now();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await page.waitForFunction(
    () => (window as HookWindow).__topt?.trainingStatus() === 'cancelled',
    undefined,
    {
      polling: 20,
    },
  );
  return (Date.now() - t0) / 1000;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2 : NaN;
};

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--enable-unsafe-webgpu', '--disable-background-networking'],
});
try {
  console.log(
    `CPUs: ${cpus().length}; load average before: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );

  // 1. 'auto' in a fresh profile, twice.
  const auto = await openRiverton(browser, true);
  await auto.getByLabel(/^Epochs/).fill('300');
  const first = await clickToFirstEpoch(auto);
  const backend = await auto.getByTestId('train-backend').textContent();
  const notes = await auto.getByTestId('train-backend-note').allTextContents();
  const cancel = await cancelRun(auto);
  const second = await clickToFirstEpoch(auto);
  const backend2 = await auto.getByTestId('train-backend').textContent();
  await cancelRun(auto);
  console.log(`auto, first Train (measures): ${first.toFixed(2)} s from click to first epoch`);
  console.log(`  ${backend}`);
  for (const n of notes) console.log(`  ${n}`);
  console.log(`auto, second Train (remembered): ${second.toFixed(2)} s from click to first epoch`);
  console.log(`  ${backend2}`);
  console.log(`cancel while training: ${cancel.toFixed(2)} s from click to cancelled`);
  await auto.context().close();

  // 2. WebAssembly with and without cross-origin isolation.
  for (const isolated of values['auto-only'] ? [] : [true, false]) {
    const page = await openRiverton(browser, isolated);
    const pageIsolated = await page.evaluate(() => self.crossOriginIsolated);
    await page.getByLabel(/^Epochs/).fill(String(epochs));
    await page.getByLabel('Backend').selectOption('wasm');
    await clickToFirstEpoch(page);
    await page.waitForFunction((n) => ((window as HookWindow).__topt?.trainingEpochs() ?? 0) >= n, epochs, {
      timeout: 600_000,
    });
    const seconds = await page.evaluate(() => (window as HookWindow).__topt?.trainingEpochSeconds?.() ?? []);
    const line = await page.getByTestId('train-backend').textContent();
    console.log(
      `WebAssembly, page crossOriginIsolated=${pageIsolated}: ${median(seconds.slice(1)).toFixed(3)} s per epoch ` +
        `(median of ${seconds.length - 1}; first ${seconds[0]?.toFixed(3)} s) · ${line}`,
    );
    if ((await status(page)) !== 'done') await page.getByRole('button', { name: 'Cancel' }).click();
    await page.context().close();
  }
  console.log(
    `load average after: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
} finally {
  await browser.close();
  await server.close();
}
