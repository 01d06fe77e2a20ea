/**
 * The view slice: how the map looks (palette, classes, the optional online basemap), whether
 * the settings are open, why the basemap failed, and the map on screen (for "use the map's
 * view" and the browser tests' hook).
 */
import type { Bounds } from '../region/geo';
import type { ClassMethod, PaletteId } from '../map/palette';
import type { CityState } from './city';
import { apply, type SetState } from './slice';

export interface Settings {
  palette: PaletteId;
  classes: number;
  method: ClassMethod;
  /** Online OpenStreetMap raster tiles under the regions (off: no network request at all). */
  basemap: boolean;
}

/** The map on screen, as others may ask it (there is one at a time). */
export interface MapView {
  /** The map is idle and deck.gl has drawn the current layers. */
  ready(): boolean;
  /** [lon, lat] to viewport (client) pixels. */
  project(lngLat: [number, number]): { x: number; y: number };
  /** [west, south, east, north] of what the map shows now. */
  visibleBounds(): Bounds;
}

/** Where the map looks: its centre and zoom (MapLibre's). */
export interface Camera {
  lon: number;
  lat: number;
  zoom: number;
}

export interface ViewState {
  settings: Settings;
  /** What the map shows now (reported when it stops moving); in the link. */
  camera: Camera | null;
  /** Where the map should move to (e.g. a link's view), until it has. */
  cameraRequest: Camera | null;
  settingsOpen: boolean;
  /** Why the online basemap failed, if it did. */
  basemapError: string | null;
  mapView: MapView | null;
}

export interface ViewActions {
  updateSettings: (patch: Partial<Settings>) => void;
  setSettingsOpen: (open: boolean) => void;
  setBasemapError: (message: string | null) => void;
  setMapView: (view: MapView | null) => void;
  /** The map stopped moving here. */
  cameraMoved: (camera: Camera) => void;
  /** Ask the map to move (null: the request was carried out). */
  requestCamera: (camera: Camera | null) => void;
  /** Escape closes the settings, else clears the selection. */
  pressEscape: () => void;
}

export type ViewSlice = ViewState & ViewActions;

export const initialView: ViewState = {
  settings: { palette: 'viridis', classes: 5, method: 'quantile', basemap: false },
  settingsOpen: false,
  basemapError: null,
  mapView: null,
  camera: null,
  cameraRequest: null,
};

/** New settings; switching the basemap on or off forgets why it failed. */
export const updateSettings = (
  s: Pick<ViewState, 'settings'>,
  patch: Partial<Settings>,
): Partial<ViewState> => ({
  settings: { ...s.settings, ...patch },
  ...(patch.basemap === undefined ? {} : { basemapError: null }),
});

/** Keep the first failure: every missing tile reports its own message. */
export const basemapFailed = (
  s: Pick<ViewState, 'basemapError'>,
  message: string | null,
): Partial<ViewState> => (message !== null && s.basemapError !== null ? {} : { basemapError: message });

/** The map's new view; the same view again (rounded as in the link) changes nothing. */
export const cameraMoved = (s: Pick<ViewState, 'camera'>, camera: Camera): Partial<ViewState> => {
  const before = s.camera;
  const same =
    before !== null &&
    before.zoom.toFixed(2) === camera.zoom.toFixed(2) &&
    before.lat.toFixed(5) === camera.lat.toFixed(5) &&
    before.lon.toFixed(5) === camera.lon.toFixed(5);
  return same ? {} : { camera };
};

export const pressEscape = (s: Pick<ViewState, 'settingsOpen'>): Partial<ViewState & CityState> =>
  s.settingsOpen ? { settingsOpen: false } : { selected: null };

export function viewSlice(set: SetState<ViewSlice & Pick<CityState, 'selected'>>): ViewSlice {
  return {
    ...initialView,
    updateSettings: (patch) => apply(set, (s) => updateSettings(s, patch)),
    setSettingsOpen: (settingsOpen) => apply(set, () => ({ settingsOpen })),
    setBasemapError: (message) => apply(set, (s) => basemapFailed(s, message)),
    setMapView: (mapView) => apply(set, () => ({ mapView })),
    cameraMoved: (camera) => apply(set, (s) => cameraMoved(s, camera)),
    requestCamera: (cameraRequest) => apply(set, () => ({ cameraRequest })),
    pressEscape: () => apply(set, pressEscape),
  };
}
