import { useEffect, useMemo, useRef } from 'react';
import type { RegionAttention } from '../../core/srel/train';
import { cityBounds, interiorPoint } from '../region/geo';
import type { Rgba } from './palette';
import type { LoadedCity } from '../state/city';
import { useApp } from '../state/store';
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
    const weight = attention.weights[selected * attention.k + r];
    // Lines say how much this region looks at j beyond what the average region does (lift);
    // runs saved before lifts: the share itself.
    const lift = attention.received ? weight / attention.received[j] : weight;
    if (to) links.push({ from, to, weight: lift, rank: r });
  }
  return links;
}

const NO_LINKS: AttentionLink[] = [];

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
    const { select, setHover, setBasemapError, paintRegion, setMapView, cameraMoved } = useApp.getState();
    const c = new MapController(container.current, {
      onHover: setHover,
      onClick: select,
      onPaint: paintRegion,
      // A click while a new city's study area is drawn adds its corner, else the label polygon's.
      onPolygonCorner: (corner, closes) => {
        const s = useApp.getState();
        if (s.studyArea?.drawing) s.addAreaCorner(corner, closes);
        else s.polygonClicked(corner, closes);
      },
      onBasemapError: (message) => {
        if (useApp.getState().settings.basemap) setBasemapError(message);
      },
      onMoved: cameraMoved,
    });
    controller.current = c;
    setMapView(c);
    return () => {
      if (useApp.getState().mapView === c) setMapView(null);
      controller.current = null;
      c.destroy();
    };
  }, []);

  // Fit the view when the city changes, not when values are added to it (e.g. predictions).
  useEffect(() => {
    const bounds = cityBounds(loaded.city);
    if (bounds) controller.current?.fitBounds(bounds);
  }, [loaded.city]);

  // A view asked for (a link's), after the city's fit: carried out once.
  const cameraRequest = useApp((s) => s.cameraRequest);
  useEffect(() => {
    if (!cameraRequest || !controller.current) return;
    controller.current.jumpTo(cameraRequest);
    useApp.getState().requestCamera(null);
  }, [cameraRequest]);

  // `?? null`: a run without a result yet must not count as a change (every new layer list
  // redraws 2,000 polygons, over a second in a software renderer).
  const attention = useApp((s) =>
    s.training?.loadId === loaded.loadId ? (s.training.result?.attention ?? null) : null,
  );
  const links = useMemo(
    () => (attention && selected !== null ? attentionLinks(loaded, attention, selected) : NO_LINKS),
    [loaded, attention, selected],
  );

  useEffect(() => {
    controller.current?.setLayers(
      regionLayers({
        loadId: loaded.loadId,
        features: loaded.features,
        outlines: loaded.outlines,
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
