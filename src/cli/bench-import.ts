/**
 * `npm run bench:import [-- --city sample-cities/metropolis --points 1000000]`: how fast raw
 * points are assigned to regions (RegionLocator: flatbush + point-in-polygon) on a large city.
 * The target is 1 million POIs into 2,000 regions in under 10 s in headless Chromium;
 * this prints the Node figure (same code, V8 in both). Figures only; no test asserts timings.
 */
import { join } from 'node:path';
import { cliArgs } from './args';

const USAGE = `Usage: npm run bench:import -- [--city <folder>] [--points 1000000]

Times assigning random points to regions (RegionLocator: flatbush + point-in-polygon) on a city
with boundaries; prints the figures, writes nothing.

  --city <folder>      city bundle folder (default sample-cities/metropolis)
  --points 1000000     random points in the city's bounding box (default 1000000)
  --help, -h           this text`;

const argv = process.argv.slice(2);
cliArgs(argv, USAGE, { city: 'string', points: 'string' });
const arg = (flag: string, fallback: string): string => {
  const i = argv.indexOf(flag);
  return i >= 0 ? argv[i + 1] : fallback;
};
const { countPointsPerRegion, RegionLocator } = await import('../core/city/aggregate');
const { loadCity } = await import('../core/city/load');
const { Rng } = await import('../core/random');
const { regionsBounds } = await import('../core/city/geometry');
const { directorySource } = await import('./fsSource');
const path = arg('--city', join(import.meta.dirname, '../../sample-cities/metropolis'));
const count = Number(arg('--points', '1000000'));

const { city, problems } = await loadCity(directorySource(path));
if (!city) throw new Error(problems.map((p) => p.message).join('; '));
const bounds = regionsBounds(city.regions);
if (!bounds) throw new Error(`${city.metadata.name} has no boundaries`);
const [w, s, e, n] = bounds;
const rng = new Rng(7);
const lon = Float64Array.from({ length: count }, () => rng.uniform(w, e));
const lat = Float64Array.from({ length: count }, () => rng.uniform(s, n));
const category = Int32Array.from({ length: count }, () => rng.int(26));

let t = performance.now();
const locator = new RegionLocator(city.regions);
const indexSeconds = (performance.now() - t) / 1000;
t = performance.now();
const result = countPointsPerRegion(locator, city.regions.length, 26, lon, lat, category);
const seconds = (performance.now() - t) / 1000;
console.log(
  `${city.metadata.name}: ${city.regions.length} regions; index built in ${indexSeconds.toFixed(3)} s`,
);
console.log(
  `${count.toLocaleString('en')} random points in the city's bounding box: ${seconds.toFixed(2)} s (${Math.round(count / seconds).toLocaleString('en')} points/s); ${result.outside.toLocaleString('en')} outside every region`,
);
