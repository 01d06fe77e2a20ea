/**
 * `npm run bench:scale:browser [-- --regions 5000,20000 --epochs 2 --port 4293 --preview --out f.json]`:
 * SREL at city scale in the browser (issue 15: 20,000 regions, the tessellation cap, train in
 * headless Chromium on WebAssembly). For each size: generates a city in memory
 * (`generateLargeCity`, fixed seed), zips it as a bundle, opens the app in Debian's Chromium
 * (Vite dev server, or with --preview the production build in dist/; both send the
 * cross-origin isolation headers), drops the bundle as the E2E does, chooses WebAssembly and
 * the epochs, clicks Train and waits for the epochs, not for the task report (cross-validation
 * is slow at this size and measured elsewhere); then closes the browser.
 *
 * Per size: loadSeconds (drop to map drawn), firstEpochSeconds (click on Train to epoch 1
 * done, wall: starting the worker and building SREL's inputs in it are inside; epoch1Seconds is
 * the worker's own time for that epoch),
 * secondsPerEpoch (the worker's own epoch times after the first, mean), wasmHeapBytes (the
 * training worker's WebAssembly memory once the epochs are done: tfjs's engine global in the
 * worker, read through the DevTools protocol; the app reports nothing of it), rendererPeakRssBytes
 * (VmHWM of the page's renderer process, where the worker and WebAssembly's threads run;
 * Linux only), threads and isolated (as the Train card says them, and whether the page is
 * cross-origin isolated). One JSON record per size, then a markdown table. Prints figures;
 * asserts nothing. A size that fails is recorded with its error and the page's alerts.
 */
import type { Browser, Page, Worker } from 'playwright-core';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const USAGE = `usage: npm run bench:scale:browser [-- --regions 5000,20000 --epochs 2 --seed 15 --port 4293 --preview --out f.json]
  --regions  sizes to run, comma-separated (default 20000)
  --epochs   epochs to train at each size (default 2)
  --seed     generateLargeCity's seed (default 15, the E2E's)
  --port     the server's port (default E2E_PORT or 4293)
  --preview  serve the production build in dist/ (npm run build first) instead of the Vite dev server
  --out      also write the records to this JSON file
Prints one JSON record per size and a markdown table; asserts nothing.`;

let values;
try {
  ({ values } = parseArgs({
    strict: true,
    allowPositionals: false,
    options: {
      regions: { type: 'string', default: '20000' },
      epochs: { type: 'string', default: '2' },
      seed: { type: 'string', default: '15' },
      port: { type: 'string', default: process.env.E2E_PORT ?? '4293' },
      preview: { type: 'boolean', default: false },
      out: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  }));
} catch (e) {
  console.error(`${(e as Error).message}\n${USAGE}`);
  process.exit(2);
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const sizes = values.regions.split(',').map((s) => Number(s.trim()));
const epochs = Number(values.epochs);
const seed = Number(values.seed);
const port = Number(values.port);
if (sizes.some((n) => !Number.isInteger(n) || n < 1) || !(epochs >= 1) || !Number.isInteger(seed)) {
  console.error(`--regions takes whole numbers, --epochs 1 or more, --seed a whole number\n${USAGE}`);
  process.exit(2);
}
// Loaded only once the flags are read: --help and a bad flag answer without loading them.
const { chromium } = await import('playwright-core');
const { createServer, preview } = await import('vite');
const { zipCityBundle } = await import('../src/core/city/bundle');
const { generateLargeCity } = await import('../src/core/samples/largeCity');

interface ScaleRecord {
  regions: number;
  epochs: number;
  ok: boolean;
  error: string | null;
  zipMB: number | null;
  /** Drop of the bundle until the map is drawn. */
  loadSeconds: number | null;
  /** Click on Train until epoch 1 is done (wall; the worker builds SREL's inputs in it). */
  firstEpochSeconds: number | null;
  /** The worker's own time for epoch 1 (the rest of firstEpochSeconds is the worker's start and inputs). */
  epoch1Seconds: number | null;
  /** The worker's epoch times after the first, mean. */
  secondsPerEpoch: number | null;
  /** The training worker's WebAssembly memory (bytes) once the epochs are done. */
  wasmHeapBytes: number | null;
  /** Peak resident memory (VmHWM) of the page's renderer process, bytes (Linux). */
  rendererPeakRssBytes: number | null;
  /** WebAssembly's threads, as the Train card says them. */
  threads: number | null;
  /** Whether the page is cross-origin isolated (what threads need). */
  isolated: boolean | null;
}

type Hook = {
  cityName(): string | null;
  regionCount(): number;
  mapReady(): boolean;
  trainingStatus(): string | null;
  trainingEpochs(): number;
  trainingEpochSeconds(): number[];
};
type HookWindow = Window & { __topt?: Hook };

const origin = `http://127.0.0.1:${port}`;
const server = values.preview
  ? await preview({ preview: { port, strictPort: true }, logLevel: 'error' })
  : await createServer({ server: { port, strictPort: true }, logLevel: 'error' });
if ('listen' in server) await server.listen();

/** Peak RSS of the browser's renderer processes (the largest), from /proc; null elsewhere. */
async function rendererPeakRss(browser: Browser): Promise<number | null> {
  try {
    const cdp = await browser.newBrowserCDPSession();
    const { processInfo } = (await cdp.send('SystemInfo.getProcessInfo')) as {
      processInfo: { type: string; id: number }[];
    };
    let peak: number | null = null;
    for (const p of processInfo.filter((x) => x.type === 'renderer')) {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${p.id}/status`, 'utf8'));
      if (m) peak = Math.max(peak ?? 0, Number(m[1]) * 1024);
    }
    return peak;
  } catch {
    return null;
  }
}

/** The training worker's WebAssembly memory: tfjs's engine (a global in the worker) holds the backend. */
async function workerWasmHeap(workers: Worker[]): Promise<number | null> {
  // The training worker (WebAssembly's own thread workers have no engine).
  const training = workers.filter((w) => w.url().includes('training'));
  for (const w of training.length ? training : workers) {
    const bytes = await Promise.race([
      w
        .evaluate(() => {
          const engine = (globalThis as { _tfengine?: { registry?: Record<string, unknown> } })._tfengine;
          const wasm = (
            engine?.registry?.wasm as
              { wasm?: { wasmMemory?: WebAssembly.Memory; HEAPU8?: Uint8Array } } | undefined
          )?.wasm;
          return wasm?.wasmMemory?.buffer.byteLength ?? wasm?.HEAPU8?.buffer.byteLength ?? null;
        })
        .catch(() => null),
      new Promise<null>((r) => setTimeout(() => r(null), 60_000)),
    ]);
    if (bytes !== null) return bytes;
  }
  return null;
}

/** What the page says went wrong: alerts and the training error, if any. */
async function pageAlerts(page: Page): Promise<string> {
  try {
    const texts = await page.getByRole('alert').allTextContents();
    return texts
      .map((t) => t.trim())
      .filter(Boolean)
      .join(' | ');
  } catch {
    return '';
  }
}

async function runSize(regions: number): Promise<ScaleRecord> {
  const record: ScaleRecord = {
    regions,
    epochs,
    ok: false,
    error: null,
    zipMB: null,
    loadSeconds: null,
    firstEpochSeconds: null,
    epoch1Seconds: null,
    secondsPerEpoch: null,
    wasmHeapBytes: null,
    rendererPeakRssBytes: null,
    threads: null,
    isolated: null,
  };
  const dir = mkdtempSync(join(tmpdir(), 'topt-scale-'));
  let browser: Browser | null = null;
  let page: Page | null = null;
  const problems: string[] = [];
  const workers: Worker[] = [];
  let stage = 'generate the city';
  try {
    const { city } = generateLargeCity({ seed, regions });
    const zip = zipCityBundle(city, { viewsFormat: 'npy' });
    record.zipMB = Math.round((zip.length / 2 ** 20) * 10) / 10;
    // A file, not a buffer: Playwright refuses buffers over 50 MB.
    const file = join(dir, `large-${regions}.zip`);
    writeFileSync(file, zip);

    stage = 'open the app';
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
      ],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('crash', () => problems.push('the page crashed'));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text().slice(0, 300)}`);
    });
    page.on('worker', (w) => {
      workers.push(w);
      w.on('close', () => workers.splice(workers.indexOf(w), 1));
    });
    await page.goto(`${origin}/`);
    await page.waitForFunction(
      () => {
        const hook = (window as HookWindow).__topt;
        return !!hook && hook.regionCount() > 0 && hook.mapReady();
      },
      undefined,
      { timeout: 300_000 },
    );
    record.isolated = await page.evaluate(() => globalThis.crossOriginIsolated);

    stage = 'drop the bundle and draw the map';
    let t = Date.now();
    await page.getByTestId('file-input').setInputFiles(file);
    await page.waitForFunction(
      ({ name, n }) => {
        const hook = (window as HookWindow).__topt;
        return (
          !!hook && (hook.cityName() ?? '').startsWith(name) && hook.regionCount() === n && hook.mapReady()
        );
      },
      { name: city.metadata.name, n: regions },
      { timeout: 900_000, polling: 500 },
    );
    record.loadSeconds = (Date.now() - t) / 1000;

    stage = 'start training';
    await page.getByText('Training settings', { exact: true }).click();
    await page.getByLabel(/^Epochs/).fill(String(epochs));
    await page.getByLabel('Backend').selectOption('wasm');
    t = Date.now();
    await page.getByRole('button', { name: 'Train', exact: true }).click();

    /** Waits for `n` epochs; fails at once if the run fails or the page crashes. */
    const waitEpochs = async (n: number): Promise<void> => {
      const handle = await page!.waitForFunction(
        (n) => {
          const hook = (window as HookWindow).__topt;
          const status = hook?.trainingStatus();
          if (status === 'failed' || status === 'cancelled') return status;
          return (hook?.trainingEpochs() ?? 0) >= n ? 'ok' : false;
        },
        n,
        { timeout: 1_800_000, polling: 500 },
      );
      const outcome = await handle.jsonValue();
      if (outcome !== 'ok') throw new Error(`training ${outcome}`);
    };
    // Pause during the last epoch: the worker then holds after it instead of going on to the
    // task report, so it is free to answer when its WebAssembly memory is read.
    const pause = page.getByRole('button', { name: 'Pause', exact: true });
    stage = 'train the first epoch (worker start, inputs, epoch 1)';
    if (epochs === 1) await pause.click({ timeout: 1_800_000 });
    await waitEpochs(1);
    record.firstEpochSeconds = (Date.now() - t) / 1000;
    const backendText = (await page.getByTestId('train-backend').textContent()) ?? '';
    const threads = /(\d+) threads?/.exec(backendText);
    record.threads = threads ? Number(threads[1]) : null;

    stage = `train epochs 2 to ${epochs}`;
    if (epochs > 1) {
      await waitEpochs(epochs - 1);
      await pause.click();
      await waitEpochs(epochs);
    }
    await page
      .waitForFunction(() => (window as HookWindow).__topt?.trainingStatus() === 'paused', undefined, {
        timeout: 60_000,
      })
      .catch(() => problems.push('the run did not pause after the last epoch'));
    const seconds = await page.evaluate(() => (window as HookWindow).__topt?.trainingEpochSeconds() ?? []);
    record.epoch1Seconds = seconds[0] ?? null;
    const later = seconds.slice(1);
    record.secondsPerEpoch = later.length ? later.reduce((a, b) => a + b, 0) / later.length : null;

    stage = 'read memory';
    record.wasmHeapBytes = await workerWasmHeap([...workers]);
    record.rendererPeakRssBytes = await rendererPeakRss(browser);
    record.ok = true;
  } catch (e) {
    const alerts = page ? await pageAlerts(page).catch(() => '') : '';
    if (browser && record.rendererPeakRssBytes === null)
      record.rendererPeakRssBytes = await rendererPeakRss(browser);
    record.error = [
      `${stage}: ${(e as Error).message.split('\n')[0]}`,
      alerts && `page: ${alerts}`,
      ...problems.slice(-5),
    ]
      .filter(Boolean)
      .join('; ');
  } finally {
    // The epochs are done: closing the browser ends the worker (the task report is not waited for).
    await browser?.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
  return record;
}

const records: ScaleRecord[] = [];
try {
  for (const regions of sizes) {
    const record = await runSize(regions);
    records.push(record);
    console.log(JSON.stringify(record));
  }
} finally {
  await server.close();
}

const num = (x: number | null, digits = 1): string => (x === null ? '' : x.toFixed(digits));
const gb = (x: number | null): string => (x === null ? '' : `${(x / 1e9).toFixed(2)} GB`);
console.log(
  `\nheadless Chromium, ${values.preview ? 'production build' : 'Vite dev server'}, WebAssembly, ${epochs} epochs, seed ${seed}; ${cpus().length} CPUs, load average ${loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')} at the end:\n`,
);
console.log(
  '| regions | ok | load s | first epoch s (epoch 1 itself) | s/epoch after | WASM heap | renderer peak RSS | threads | isolated | error |',
);
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const r of records)
  console.log(
    `| ${r.regions} | ${r.ok ? 'yes' : 'no'} | ${num(r.loadSeconds)} | ${num(r.firstEpochSeconds)}${r.epoch1Seconds === null ? '' : ` (${num(r.epoch1Seconds)})`} | ${num(r.secondsPerEpoch, 2)} | ${gb(r.wasmHeapBytes)} | ${gb(r.rendererPeakRssBytes)} | ${r.threads ?? ''} | ${r.isolated ?? ''} | ${r.error ?? ''} |`,
  );
if (values.out) writeFileSync(values.out, JSON.stringify(records, null, 2) + '\n');
