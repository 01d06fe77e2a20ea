/**
 * `npm run bench:train:frames [-- --city sample:metropolis --epochs 2 --port 5198]`: does the
 * page stay responsive when Train is clicked? Starts a Vite dev server, opens the app on the
 * city in Debian's Chromium, counts animation frames from the click on Train to the first
 * epoch reported, and prints the longest gap between two frames (a gap over 200 ms is a
 * visible freeze), the main thread's busy time (Chromium's TaskDuration) and the wall time.
 * Prints figures; asserts nothing.
 */
import { chromium } from 'playwright-core';
import { parseArgs } from 'node:util';
import { createServer } from 'vite';

const { values } = parseArgs({
  options: {
    city: { type: 'string', default: 'sample:metropolis' },
    epochs: { type: 'string', default: '2' },
    port: { type: 'string', default: process.env.E2E_PORT ?? '5198' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(
    'usage: npm run bench:train:frames [-- --city sample:metropolis --epochs 2 --port 5198]\n' +
      'Prints the longest frame gap on the page from the click on Train to the first epoch.',
  );
  process.exit(0);
}
const port = Number(values.port);

const server = await createServer({ server: { port, strictPort: true }, logLevel: 'error' });
await server.listen();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`http://127.0.0.1:${port}/?city=${encodeURIComponent(values.city)}`);
  await page.waitForFunction(
    () => {
      const hook = (window as unknown as { __topt?: { regionCount(): number; mapReady(): boolean } }).__topt;
      return !!hook && hook.regionCount() > 0 && hook.mapReady();
    },
    undefined,
    { timeout: 300_000 },
  );
  const regions = await page.evaluate(() =>
    (window as unknown as { __topt: { regionCount(): number } }).__topt.regionCount(),
  );
  await page.getByText('Training settings').click();
  await page.getByLabel(/^Epochs/).fill(values.epochs);
  await page.getByLabel('Backend').selectOption('wasm');
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const busy = async (): Promise<number> => {
    const { metrics } = (await cdp.send('Performance.getMetrics')) as {
      metrics: { name: string; value: number }[];
    };
    return metrics.find((m) => m.name === 'TaskDuration')?.value ?? NaN;
  };
  // Frame times from now on, in the page.
  await page.evaluate(() => {
    const w = window as unknown as { __frames: number[] };
    w.__frames = [];
    const tick = (t: number): void => {
      w.__frames.push(t);
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  const busyBefore = await busy();
  const clickedAt = await page.evaluate(() => performance.now());
  const wallStart = Date.now();
  await page.getByRole('button', { name: /^Train/ }).click();
  await page.waitForFunction(
    () => (window as unknown as { __topt: { trainingEpochs(): number } }).__topt.trainingEpochs() >= 1,
    undefined,
    { timeout: 600_000, polling: 200 },
  );
  const firstEpochAt = await page.evaluate(() => performance.now());
  const busyAfter = await busy();
  const frames = await page.evaluate(() => (window as unknown as { __frames: number[] }).__frames);
  const window_ = frames.filter((t) => t >= clickedAt && t <= firstEpochAt);
  const times = [clickedAt, ...window_, firstEpochAt];
  const gaps = times.slice(1).map((t, i) => t - times[i]);
  const longest = Math.max(...gaps);
  console.log(
    `headless Chromium (${browser.version()}), ${values.city} (${regions} regions), WebAssembly, ${values.epochs} epochs:`,
  );
  console.log(
    `click on Train -> first epoch: ${((Date.now() - wallStart) / 1000).toFixed(1)} s wall; page main thread busy ${(busyAfter - busyBefore).toFixed(2)} s (CPU)`,
  );
  console.log(
    `frames in that time: ${window_.length}; longest gap between frames: ${longest.toFixed(0)} ms; gaps over 200 ms: ${gaps.filter((g) => g > 200).length} (target: none)`,
  );
} finally {
  await browser.close();
  await server.close();
}
