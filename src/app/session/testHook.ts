/**
 * A small read-only hook for the browser tests (window.__topt): what city is shown, whether the
 * map has finished drawing it, and where a region lies on screen so a test can hover it.
 */
import { interiorPoint } from '../region/geo';
import type { AppStore } from '../state/store';

export interface ToptTestHook {
  cityName(): string | null;
  regionCount(): number;
  regionName(index: number): string | null;
  regionId(index: number): string | null;
  mapReady(): boolean;
  /** Viewport pixels of a point inside the region's polygon; null without a map or geometry. */
  regionPoint(index: number): { x: number; y: number } | null;
  /** Status of the current training run, or null. */
  trainingStatus(): string | null;
  /** Epochs finished in the current training run. */
  trainingEpochs(): number;
  /** Seconds each finished epoch of the current run took (benchmarks read them). */
  trainingEpochSeconds(): number[];
}

declare global {
  interface Window {
    __topt?: ToptTestHook;
  }
}

export function installTestHook(store: AppStore): void {
  const city = () => store.getState().current?.city ?? null;
  const map = () => store.getState().mapView;
  window.__topt = {
    cityName: () => city()?.metadata.name ?? null,
    regionCount: () => city()?.regions.length ?? 0,
    regionName: (i) => city()?.regions[i]?.name ?? null,
    regionId: (i) => city()?.regions[i]?.id ?? null,
    mapReady: () => map()?.ready() ?? false,
    trainingStatus: () => store.getState().training?.status ?? null,
    trainingEpochs: () => store.getState().training?.history.length ?? 0,
    trainingEpochSeconds: () => store.getState().training?.history.map((e) => e.seconds) ?? [],
    regionPoint: (i) => {
      const g = city()?.regions[i]?.geometry;
      const p = g ? interiorPoint(g) : null;
      const view = map();
      return p && view ? view.project(p) : null;
    },
  };
}
