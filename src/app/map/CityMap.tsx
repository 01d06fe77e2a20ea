import { useEffect, useRef } from 'react';
import { cityBounds } from '../geo';
import type { Rgba } from '../palette';
import { useApp, type LoadedCity } from '../store';
import { setMapProbe } from '../testHook';
import { MapController } from './mapController';
import { regionLayers } from './regionLayers';

export interface CityMapProps {
  loaded: LoadedCity;
  colors: Rgba[];
}

/** The region map; layers are recomputed from (city, colours, selection, basemap). */
export function CityMap({ loaded, colors }: CityMapProps) {
  const container = useRef<HTMLDivElement>(null);
  const controller = useRef<MapController | null>(null);
  const selected = useApp((s) => s.selected);
  const basemap = useApp((s) => s.settings.basemap);

  useEffect(() => {
    if (!container.current) return;
    const { select, setHover, setBasemapError } = useApp.getState();
    const c = new MapController(container.current, {
      onHover: setHover,
      onClick: select,
      onBasemapError: (message) => {
        if (useApp.getState().settings.basemap) setBasemapError(message);
      },
    });
    controller.current = c;
    setMapProbe(c);
    return () => {
      setMapProbe(null);
      controller.current = null;
      c.destroy();
    };
  }, []);

  useEffect(() => {
    const bounds = cityBounds(loaded.city);
    if (bounds) controller.current?.fitBounds(bounds);
  }, [loaded]);

  useEffect(() => {
    controller.current?.setLayers(
      regionLayers({
        cityKey: loaded.key,
        features: loaded.features,
        colors,
        selected,
        translucent: basemap,
      }),
    );
  }, [loaded, colors, selected, basemap]);

  useEffect(() => {
    controller.current?.setBasemap(basemap);
  }, [basemap]);

  return <div ref={container} className="map-canvas" data-testid="map" />;
}
