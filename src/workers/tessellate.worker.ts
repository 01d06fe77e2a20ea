/// <reference lib="webworker" />
/**
 * Tessellates a study area off the main thread: 20,000 H3 cells take about 150 ms to build
 * (and their bundle as long again to write), too long for a keystroke of the live count. In
 * headless Chromium 18,000 grid squares took 0.2 s here, and opening the city 0.4 s on the main
 * thread (drawing them through SwiftShader's software WebGL took seconds more). The bundle's
 * bytes move to the page rather than being copied (serveJobs transfers a result's buffers).
 */
import { writeCityBundle } from '../core/city/bundle';
import { cellAreaKm2, checkStudyArea, countCells, tessellate } from '../core/city/tessellate';
import type { TessellateJobs } from './protocol';
import { serveJobs } from './serve';

serveJobs<TessellateJobs>((r) => {
  if (r.type === 'count') {
    const c = countCells(r.area, r.tessellation);
    if ('error' in c) throw new Error(c.error);
    const checked = checkStudyArea(r.area);
    const areaKm2 = 'error' in checked ? NaN : checked.areaM2 / 1e6;
    return { type: 'count', ...c, cellKm2: cellAreaKm2(r.tessellation), areaKm2 };
  }
  const result = tessellate(r.area, r.tessellation, { name: r.name });
  if ('error' in result) throw new Error(result.error);
  const bundle = Object.entries(writeCityBundle(result.city)).map(([name, bytes]) => ({ name, bytes }));
  return { type: 'city', city: result.city, bundle };
});
