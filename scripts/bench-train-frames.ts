/**
 * `npm run bench:train:frames [-- --city sample:metropolis --epochs 2 --port 5198 --preview]`:
 * does the page stay responsive when Train is clicked? Starts a Vite dev server (or, with
 * --preview, serves the production build in dist/), opens the app on the
 * city in Debian's Chromium, counts animation frames from the click on Train to the first
 * epoch reported, and prints the longest gap between two frames (a gap over 200 ms is a
 * visible freeze), the main thread's busy time (Chromium's TaskDuration) and the wall time.
 * Prints figures; asserts nothing.
 */
import { parseArgs } from 'node:util';

const { values } = (() => {
  try {
    return parseArgs({
      options: {
        city: { type: 'string', default: 'sample:metropolis' },
        epochs: { type: 'string', default: '2' },
        port: { type: 'string', default: process.env.E2E_PORT ?? '5198' },
        preview: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (e) {
    // An unknown flag or a missing value: say which, with the usage, before any server starts.
    console.error(
      `${e instanceof Error ? e.message : String(e)}\n${'usage: npm run bench:train:frames [-- --city sample:metropolis --epochs 2 --port 5198 --preview]'}`,
    );
    process.exit(2);
  }
})();
if (values.help) {
  console.log(
    'usage: npm run bench:train:frames [-- --city sample:metropolis --epochs 2 --port 5198]\n' +
      'Prints the longest frame gap on the page from the click on Train to the first epoch.',
  );
  process.exit(0);
}
const port = Number(values.port);
// Loaded only once the flags are read: --help and a bad flag answer without loading them.
const { chromium } = await import('playwright-core');
const { createServer, preview } = await import('vite');

// The dev server by default; --preview serves the production build in dist/ (npm run build first).
const server = values.preview
  ? await preview({ preview: { port, strictPort: true }, logLevel: 'error' })
  : await createServer({ server: { port, strictPort: true }, logLevel: 'error' });
if ('listen' in server) await server.listen();
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
  // Frame times from now on, in the page (a string: tsx would wrap a function's inner named
  // functions in a __name() the page lacks).
  // Long animation frames say how much of a slow frame was the page's script and how much
  // rendering (in a software renderer, drawing the map's WebGL canvas can take a second).
  await page.evaluate(`(() => {
    window.__frames = [];
    const tick = (t) => { window.__frames.push(t); requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
    window.__slow = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries())
        window.__slow.push({
          start: e.startTime,
          duration: e.duration,
          script: e.scripts.reduce((s, x) => s + x.duration, 0),
          by: e.scripts.map((x) => x.invoker).join(', '),
        });
    }).observe({ type: 'long-animation-frame' });
  })()`);
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
  const slow = (await page.evaluate('window.__slow')) as {
    start: number;
    duration: number;
    script: number;
    by: string;
  }[];
  for (const f of slow.filter((x) => x.start >= clickedAt && x.start <= firstEpochAt && x.duration > 200))
    console.log(
      `  frame of ${f.duration.toFixed(0)} ms at +${((f.start - clickedAt) / 1000).toFixed(1)} s: script ${f.script.toFixed(0)} ms${f.by ? ` (${f.by})` : ''}, rendering ${(f.duration - f.script).toFixed(0)} ms`,
    );
} finally {
  await browser.close();
  await server.close();
}
