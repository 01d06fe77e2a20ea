/**
 * `npm run bench:import:browser [-- --points 1000000]`: the import benchmark in headless
 * Chromium (the target: 1 million POIs into 2,000 regions in under 10 s). Starts a
 * Vite dev server, opens a blank page of it in Debian's Chromium, and runs RegionLocator from
 * src/core there on Metropolis's regions. Prints figures; asserts nothing.
 */
import { cliArgs } from '../src/cli/args';

const argv = process.argv.slice(2);
cliArgs(
  argv,
  `Usage: npm run bench:import:browser -- [--points 1000000] [--port 5199]

The import benchmark in headless Chromium: a Vite dev server on 127.0.0.1, RegionLocator on
Metropolis's regions in the page. Prints figures; writes nothing.

  --points 1000000   random points to assign (default 1000000)
  --port 5199        the dev server's port (default $E2E_PORT, else 5199)
  --help, -h         this text`,
  { points: 'string', port: 'string' },
);
const points = Number(argv.includes('--points') ? argv[argv.indexOf('--points') + 1] : 1_000_000);
const port = Number(
  argv.includes('--port') ? argv[argv.indexOf('--port') + 1] : (process.env.E2E_PORT ?? 5199),
);

// Loaded only once the flags are read: --help and a bad flag answer without loading them.
const { chromium } = await import('playwright-core');
const { createServer } = await import('vite');
const server = await createServer({
  server: { host: '127.0.0.1', port, strictPort: true },
  logLevel: 'error',
});
await server.listen();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});
try {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${port}/`);
  const result = await page.evaluate(async (count: number) => {
    // Served by Vite as modules (a non-literal path: TS types them from the same files below).
    // No named helper functions in here: tsx would wrap them in a __name() the page lacks.
    const core = '/src/core/';
    const { RegionLocator, countPointsPerRegion } = (await import(
      /* @vite-ignore */ core + 'city/aggregate.ts'
    )) as typeof import('../src/core/city/aggregate');
    const { regionsBounds } = (await import(
      /* @vite-ignore */ core + 'city/geometry.ts'
    )) as typeof import('../src/core/city/geometry');
    const { Rng } = (await import(
      /* @vite-ignore */ core + 'random.ts'
    )) as typeof import('../src/core/random');
    const fc = await (await fetch('/sample-cities/metropolis/regions.geojson')).json();
    const regions = fc.features.map((f: { geometry: unknown }, i: number) => ({
      id: String(i),
      name: String(i),
      centroid: null,
      geometry: f.geometry,
    }));
    const bounds = regionsBounds(regions);
    if (!bounds) throw new Error('Metropolis has no boundaries');
    const [w, s, e, n] = bounds;
    const rng = new Rng(7);
    const lon = Float64Array.from({ length: count }, () => rng.uniform(w, e));
    const lat = Float64Array.from({ length: count }, () => rng.uniform(s, n));
    const category = Int32Array.from({ length: count }, () => rng.int(26));
    const t0 = performance.now();
    const locator = new RegionLocator(regions);
    const r = countPointsPerRegion(locator, regions.length, 26, lon, lat, category);
    const seconds = (performance.now() - t0) / 1000;
    // The whole path a dropped file takes in the import worker: CSV text in, POI view out.
    const { importPoiPoints } = (await import(
      /* @vite-ignore */ core + 'city/layers/pointsCsv.ts'
    )) as typeof import('../src/core/city/layers/pointsCsv');
    const { BENCHMARK_POI_CATEGORIES } = (await import(
      /* @vite-ignore */ core + 'city/benchmark.ts'
    )) as typeof import('../src/core/city/benchmark');
    const names = [...BENCHMARK_POI_CATEGORIES];
    const lines = ['lon,lat,category'];
    for (let i = 0; i < count; i++)
      lines.push(`${lon[i].toFixed(7)},${lat[i].toFixed(7)},${names[category[i] % names.length]}`);
    const text = lines.join('\n');
    const city = {
      metadata: { name: 'Metropolis' },
      regions,
      views: { poi: null, poiCategories: names, landUse: null, landUseClasses: [], trips: null },
      labels: [],
      adjacency: null,
    } as unknown as Parameters<typeof importPoiPoints>[0];
    const t1 = performance.now();
    const imported = importPoiPoints(city, text, 'bench.csv');
    const csvSeconds = (performance.now() - t1) / 1000;
    if ('error' in imported) throw new Error(imported.error);
    return {
      regions: regions.length,
      seconds,
      outside: r.outside,
      csvSeconds,
      csvMB: text.length / 2 ** 20,
    };
  }, points);
  console.log(
    `headless Chromium (${browser.version()}): ${points.toLocaleString('en')} points into ${result.regions} regions in ${result.seconds.toFixed(2)} s (${Math.round(points / result.seconds).toLocaleString('en')} points/s; ${result.outside.toLocaleString('en')} outside every region); target: under 10 s`,
  );
  console.log(
    `the whole POI import from a ${result.csvMB.toFixed(0)} MB CSV of ${points.toLocaleString('en')} rows (parse, check, place, count): ${result.csvSeconds.toFixed(2)} s`,
  );
} finally {
  await browser.close();
  await server.close();
}
