/**
 * A small read-only hook for the browser tests (window.__topt): what city is shown, whether the
 * map has finished drawing it, and where a region lies on screen so a test can hover it.
 */
import { interiorPoint } from '../region/geo';
import { useApp } from '../state/store';

export interface MapProbe {
  /** The map is idle and deck.gl has drawn the current layers. */
  ready(): boolean;
  /** [lon, lat] to viewport (client) pixels. */
  project(lngLat: [number, number]): { x: number; y: number };
}

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
}

declare global {
  interface Window {
    __topt?: ToptTestHook;
  }
}

let probe: MapProbe | null = null;

export function setMapProbe(p: MapProbe | null): void {
  probe = p;
}

export function installTestHook(): void {
  const city = () => useApp.getState().current?.city ?? null;
  window.__topt = {
    cityName: () => city()?.metadata.name ?? null,
    regionCount: () => city()?.regions.length ?? 0,
    regionName: (i) => city()?.regions[i]?.name ?? null,
    regionId: (i) => city()?.regions[i]?.id ?? null,
    mapReady: () => probe?.ready() ?? false,
    trainingStatus: () => useApp.getState().training?.status ?? null,
    trainingEpochs: () => useApp.getState().training?.history.length ?? 0,
    regionPoint: (i) => {
      const g = city()?.regions[i]?.geometry;
      const p = g ? interiorPoint(g) : null;
      return p && probe ? probe.project(p) : null;
    },
  };
}
