import { useEffect, useMemo, useRef } from 'react';
import type { RegionAttention } from '../../core/srel/train';
import { cityBounds, interiorPoint } from '../geo';
import type { Rgba } from '../palette';
import { useApp, type LoadedCity } from '../store';
import { setMapProbe } from '../testHook';
import { addPolygonCorner, paintRegion } from '../customTask';
import { addAreaCorner } from '../newCity';
import { MapController } from './mapController';
import { regionLayers, type AttentionLink } from './regionLayers';

/** Lines from the selected region to the regions it attends to most (both need geometry). */
function attentionLinks(loaded: LoadedCity, attention: RegionAttention, selected: number): AttentionLink[] {
  const regions = loaded.city.regions;
  const from = regions[selected]?.geometry ? interiorPoint(regions[selected].geometry) : null;
  if (!from) return [];
  const links: AttentionLink[] = [];
  for (let r = 0; r < attention.k; r++) {
    const j = attention.indices[selected * attention.k + r];
    const g = regions[j]?.geometry;
    const to = g ? interiorPoint(g) : null;
    if (to) links.push({ from, to, weight: attention.weights[selected * attention.k + r], rank: r });
  }
  return links;
}

const NO_LINKS: AttentionLink[] = [];

/** The map on screen (there is one at a time), for "use the map's view". */
let shown: MapController | null = null;

/** [west, south, east, north] of what the map shows now; null without a map. */
export function visibleBounds(): [number, number, number, number] | null {
  const b = shown?.map.getBounds();
  if (!b) return null;
  // Zoomed far out, the view reaches past the world's edges (and Web Mercator stops at ±85°).
  const lon = (x: number): number => Math.max(-180, Math.min(180, x));
  const lat = (y: number): number => Math.max(-85, Math.min(85, y));
  return [lon(b.getWest()), lat(b.getSouth()), lon(b.getEast()), lat(b.getNorth())];
}

export interface CityMapProps {
  loaded: LoadedCity;
  colors: Rgba[];
}

/** The region map; layers are recomputed from (city, colours, selection, basemap). */
export function CityMap({ loaded, colors }: CityMapProps) {
  const container = useRef<HTMLDivElement>(null);
  const controller = useRef<MapController | null>(null);
  const selected = useApp((s) => s.selected);
  const polygon = useApp((s) => s.polygon);
  const area = useApp((s) => s.studyArea);
  const basemap = useApp((s) => s.settings.basemap);

  useEffect(() => {
    if (!container.current) return;
    const { select, setHover, setBasemapError } = useApp.getState();
    const c = new MapController(container.current, {
      onHover: setHover,
      onClick: select,
      onPaint: paintRegion,
      onPolygonCorner: (corner, closes) =>
        useApp.getState().studyArea?.drawing
          ? addAreaCorner(corner, closes)
          : addPolygonCorner(corner, closes),
      onBasemapError: (message) => {
        if (useApp.getState().settings.basemap) setBasemapError(message);
      },
    });
    controller.current = c;
    shown = c;
    setMapProbe(c);
    return () => {
      if (shown === c) shown = null;
      setMapProbe(null);
      controller.current = null;
      c.destroy();
    };
  }, []);

  // Fit the view when the city changes, not when values are added to it (e.g. predictions).
  useEffect(() => {
    const bounds = cityBounds(loaded.city);
    if (bounds) controller.current?.fitBounds(bounds);
  }, [loaded.city]);

  // `?? null`: a run without a result yet must not count as a change (every new layer list
  // redraws 2,000 polygons, over a second in a software renderer).
  const attention = useApp((s) =>
    s.training?.cityKey === loaded.key ? (s.training.result?.attention ?? null) : null,
  );
  const links = useMemo(
    () => (attention && selected !== null ? attentionLinks(loaded, attention, selected) : NO_LINKS),
    [loaded, attention, selected],
  );

  useEffect(() => {
    controller.current?.setLayers(
      regionLayers({
        cityKey: loaded.key,
        features: loaded.features,
        colors,
        selected,
        translucent: basemap,
        links,
        polygon,
        area,
      }),
    );
    controller.current?.setFirstCorner((area?.drawing ? area.corners[0] : polygon[0]) ?? null);
  }, [loaded, colors, selected, basemap, links, polygon, area]);

  useEffect(() => {
    controller.current?.setBasemap(basemap);
  }, [basemap]);

  const painting = useApp((s) => (s.studyArea?.drawing ? 'polygon' : s.brush === null ? null : s.paintTool));
  useEffect(() => {
    controller.current?.setPainting(painting);
  }, [painting]);

  return <div ref={container} className="map-canvas" data-testid="map" />;
}
