/**
 * The base map style: one background layer, nothing fetched (no glyphs, sprites or tiles).
 * The optional OpenStreetMap raster basemap is added and removed on demand.
 */
import type { Map as MapLibreMap, StyleSpecification } from 'maplibre-gl';

export const BACKGROUND_COLOR = '#e8ecf1';

export function offlineStyle(): StyleSpecification {
  return {
    version: 8,
    sources: {},
    layers: [{ id: 'background', type: 'background', paint: { 'background-color': BACKGROUND_COLOR } }],
  };
}

export const OSM_SOURCE = 'osm';
const OSM = OSM_SOURCE;

/** Adds or removes the OSM raster layer, just above the background. Call once the style is loaded. */
export function setOnlineBasemap(map: MapLibreMap, on: boolean): void {
  const present = map.getLayer(OSM) !== undefined;
  if (on && !present) {
    if (!map.getSource(OSM)) {
      map.addSource(OSM, {
        type: 'raster',
        tiles: ['https://tile.openstreetmap.org/{z}/{x}/{y}.png'],
        tileSize: 256,
        maxzoom: 19,
        attribution:
          '© <a href="https://www.openstreetmap.org/copyright" target="_blank" rel="noreferrer">OpenStreetMap</a> contributors',
      });
    }
    const layers = map.getStyle().layers;
    const above = layers[layers.findIndex((l) => l.id === 'background') + 1]?.id;
    map.addLayer({ id: OSM, type: 'raster', source: OSM, paint: { 'raster-opacity': 0.9 } }, above);
  } else if (!on && present) {
    map.removeLayer(OSM);
    map.removeSource(OSM);
  }
}
