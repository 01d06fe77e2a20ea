/// <reference lib="webworker" />
/**
 * Tessellates a study area off the main thread: 20,000 H3 cells take about 150 ms to build
 * (and their bundle as long again to write), too long for a keystroke of the live count. In
 * headless Chromium 18,000 grid squares took 0.2 s here, and opening the city 0.4 s on the main
 * thread (drawing them through SwiftShader's software WebGL took seconds more).
 */
import { writeCityBundle } from '../core/city/bundle';
import { cellAreaKm2, checkStudyArea, countCells, tessellate } from '../core/city/tessellate';
import type { TessellateMessage, TessellateRequest } from './protocol';

const post = (m: TessellateMessage, transfer: Transferable[] = []): void =>
  (self as DedicatedWorkerGlobalScope).postMessage(m, transfer);

self.onmessage = (e: MessageEvent<TessellateRequest>): void => {
  const r = e.data;
  try {
    if (r.type === 'count') {
      const c = countCells(r.area, r.tessellation);
      const checked = checkStudyArea(r.area);
      const areaKm2 = 'error' in checked ? NaN : checked.areaM2 / 1e6;
      post(
        'error' in c
          ? { type: 'failed', id: r.id, message: c.error }
          : { type: 'count', id: r.id, ...c, cellKm2: cellAreaKm2(r.tessellation), areaKm2 },
      );
      return;
    }
    const result = tessellate(r.area, r.tessellation, { name: r.name });
    if ('error' in result) {
      post({ type: 'failed', id: r.id, message: result.error });
      return;
    }
    const bundle = Object.entries(writeCityBundle(result.city)).map(([name, bytes]) => ({ name, bytes }));
    // The bundle's bytes move to the app rather than being copied.
    post({ type: 'city', id: r.id, city: result.city, bundle }, [
      ...new Set(bundle.map((f) => f.bytes.buffer as ArrayBuffer)),
    ]);
  } catch (error) {
    post({ type: 'failed', id: r.id, message: error instanceof Error ? error.message : String(error) });
  }
};
