/**
 * Owns one MapLibre map (offline style) with the regions drawn by deck.gl through
 * MapboxOverlay. Overlaid (deck's own canvas above the map), not interleaved: with
 * maplibre-gl 5.24 + deck.gl 9.4 interleaved mode draws but picking finds nothing
 * (no hover, no click). deck.gl's render loop gets frames only for a while after a change or
 * the pointer on the map (see frameGate.ts).
 */
import type { Layer, PickingInfo } from '@deck.gl/core';
import { MapboxOverlay, type MapboxOverlayProps } from '@deck.gl/mapbox';
import type { AnimationFrameProvider } from '@luma.gl/engine';
import maplibregl from 'maplibre-gl';
import type { Bounds, RegionFeature } from '../region/geo';
import { FrameGate } from './frameGate';
import type { Hover } from '../state/city';
import type { Camera, MapView } from '../state/view';
import { OSM_SOURCE, offlineStyle, setOnlineBasemap } from './mapStyle';

export interface MapEvents {
  onHover: (hover: Hover | null) => void;
  onClick: (index: number | null) => void;
  /** Brush mode: the pointer clicked or dragged over a region. */
  onPaint: (index: number) => void;
  /** Polygon mode: a click at [lon, lat]; `closes` when it hit the first corner. */
  onPolygonCorner: (corner: [number, number], closes: boolean) => void;
  /** Online basemap tiles failed to load (e.g. offline). */
  onBasemapError: (message: string) => void;
  /** The map stopped moving: its centre and zoom. */
  onMoved: (camera: Camera) => void;
}

/** A click this close (CSS pixels) to the polygon's first corner closes the polygon. */
const CLOSE_PIXELS = 10;

/**
 * deck.gl's loop gets frames this long after each wake. One frame after a wake is all it needs
 * (nothing of ours animates); the rest is a margin for a busy page.
 */
const AWAKE_MS = 1000;

/** Events on the map that deck.gl answers in its next frame (hover picking, the cursor). */
const WAKING_EVENTS = ['pointermove', 'pointerdown', 'pointerup', 'pointerleave', 'wheel', 'keydown'];

export class MapController implements MapView {
  readonly map: maplibregl.Map;
  private readonly overlay: MapboxOverlay;
  private readonly container: HTMLElement;
  private readonly frames = new FrameGate(
    { request: (f) => window.requestAnimationFrame(f), cancel: (id) => window.cancelAnimationFrame(id) },
    () => performance.now(),
  );
  private readonly wake = (): void => this.frames.wake(AWAKE_MS);
  /**
   * Bumped on every change; the map is ready once MapLibre and deck.gl have each drawn a
   * frame after the latest one and nothing is loading or moving. (MapLibre's 'idle' event is
   * not used: after a raster layer fades in it may never fire.)
   */
  private version = 0;
  private renderedVersion = -1;
  private drawnVersion = -1;
  private deckLoaded = false;
  /** Brush mode: dragging paints instead of panning; polygon mode: clicks add corners. */
  private brush = false;
  private polygonMode = false;
  private firstCorner: [number, number] | null = null;
  private pointerDown = false;

  constructor(container: HTMLElement, events: MapEvents) {
    this.container = container;
    const map = new maplibregl.Map({
      container,
      style: offlineStyle(),
      center: [0, 0],
      zoom: 1,
      attributionControl: { compact: true },
      dragRotate: false,
      pitchWithRotate: false,
      renderWorldCopies: false,
      fadeDuration: 0,
    });
    map.touchZoomRotate.disableRotation();
    map.keyboard.disableRotation();
    map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
    this.wake();
    const props: MapboxOverlayProps & { animationFrameProvider: AnimationFrameProvider } = {
      interleaved: false,
      // Not among deck.gl's typed props: Deck hands all of its props to its AnimationLoop, whose
      // frame source this is (luma.gl 9.4). The e2e idle test fails if deck.gl stops using it.
      animationFrameProvider: this.frames,
      layers: [],
      onLoad: () => {
        this.quietOverlay();
        this.deckLoaded = true;
        this.wake();
        map.triggerRepaint();
      },
      onAfterRender: () => {
        if (this.deckLoaded) this.drawnVersion = this.version;
      },
      onHover: (info: PickingInfo<RegionFeature>) => {
        const f = info.object;
        const { width, height } = info.viewport ?? { width: 0, height: 0 };
        events.onHover(f ? { index: f.properties.index, x: info.x, y: info.y, width, height } : null);
        if (this.brush && this.pointerDown && f) events.onPaint(f.properties.index);
        map.getCanvas().style.cursor = this.brush || this.polygonMode ? 'crosshair' : f ? 'pointer' : '';
      },
      onClick: (info: PickingInfo<RegionFeature>) => {
        const index = info.object?.properties.index ?? null;
        if (this.polygonMode) {
          if (info.coordinate)
            events.onPolygonCorner([info.coordinate[0], info.coordinate[1]], this.nearFirstCorner(info));
        } else if (this.brush) {
          if (index !== null) events.onPaint(index);
        } else events.onClick(index);
      },
    };
    this.overlay = new MapboxOverlay(props);
    map.addControl(this.overlay);
    // With a listener MapLibre no longer logs errors itself: report basemap tile failures
    // to the UI once, and log anything else.
    map.on('error', (e: { error?: Error; sourceId?: string }) => {
      if (e.sourceId === OSM_SOURCE) events.onBasemapError(e.error?.message ?? 'tiles could not be loaded');
      else console.error(e.error ?? e);
    });
    map.on('render', () => {
      this.wake();
      if (this.deckLoaded) this.renderedVersion = this.version;
    });
    for (const type of WAKING_EVENTS)
      container.addEventListener(type, this.wake, { capture: true, passive: true });
    map.on('moveend', () => {
      const c = map.getCenter();
      events.onMoved({ lon: c.lng, lat: c.lat, zoom: map.getZoom() });
    });
    map.on('mousedown', () => (this.pointerDown = true));
    map.on('mouseup', () => (this.pointerDown = false));
    map.on('mouseout', () => (this.pointerDown = false));
    this.map = map;
    this.quietOverlay();
  }

  /**
   * deck.gl's overlay (its canvas and the element its event manager listens on, tabindex 0)
   * leaves the tab order and the accessibility tree: it only draws the regions and picks
   * them under the pointer, and ignores keys. The map's own canvas stays the one tab stop,
   * named "Map", with MapLibre's keys (arrows pan, + and - zoom); regions are reached by
   * keyboard through the Region list in the side panel.
   */
  private quietOverlay(): void {
    const mapCanvas = this.map.getCanvas();
    for (const canvas of this.container.querySelectorAll('canvas')) {
      if (canvas === mapCanvas) continue;
      for (const el of [canvas, canvas.parentElement]) {
        if (!el || el === this.container) continue;
        el.tabIndex = -1;
        el.setAttribute('aria-hidden', 'true');
      }
    }
  }

  /**
   * Painting on: with the brush, clicks and drags paint regions and the map does not pan (the
   * wheel still zooms); with the polygon tool, clicks add corners, the map still pans, and a
   * double click does not zoom.
   */
  setPainting(tool: 'brush' | 'polygon' | null): void {
    this.brush = tool === 'brush';
    this.polygonMode = tool === 'polygon';
    if (this.brush) this.map.dragPan.disable();
    else this.map.dragPan.enable();
    if (this.polygonMode) this.map.doubleClickZoom.disable();
    else this.map.doubleClickZoom.enable();
    this.map.getCanvas().style.cursor = tool ? 'crosshair' : '';
  }

  /** The first corner of the polygon being drawn (a click near it closes the polygon). */
  setFirstCorner(corner: [number, number] | null): void {
    this.firstCorner = corner;
  }

  private nearFirstCorner(info: PickingInfo): boolean {
    if (!this.firstCorner) return false;
    const p = this.map.project(this.firstCorner);
    return Math.hypot(p.x - info.x, p.y - info.y) <= CLOSE_PIXELS;
  }

  setLayers(layers: Layer[]): void {
    this.version++;
    this.wake();
    this.overlay.setProps({ layers });
    this.map.triggerRepaint();
  }

  fitBounds(bounds: Bounds): void {
    this.version++;
    this.map.fitBounds(bounds, { padding: 36, animate: false });
  }

  jumpTo(camera: Camera): void {
    this.version++;
    this.map.jumpTo({ center: [camera.lon, camera.lat], zoom: camera.zoom });
  }

  setBasemap(on: boolean): void {
    const apply = (): void => {
      this.version++;
      setOnlineBasemap(this.map, on);
      this.map.triggerRepaint();
    };
    if (this.map.isStyleLoaded()) apply();
    else this.map.once('load', apply);
  }

  ready(): boolean {
    return (
      this.deckLoaded &&
      this.renderedVersion === this.version &&
      this.drawnVersion === this.version &&
      this.map.loaded() &&
      this.map.areTilesLoaded() &&
      !this.map.isMoving()
    );
  }

  visibleBounds(): Bounds {
    const b = this.map.getBounds();
    // Zoomed far out, the view reaches past the world's edges (and Web Mercator stops at ±85°).
    const lon = (x: number): number => Math.max(-180, Math.min(180, x));
    const lat = (y: number): number => Math.max(-85, Math.min(85, y));
    return [lon(b.getWest()), lat(b.getSouth()), lon(b.getEast()), lat(b.getNorth())];
  }

  project([lon, lat]: [number, number]): { x: number; y: number } {
    const p = this.map.project([lon, lat]);
    const r = this.container.getBoundingClientRect();
    return { x: r.left + p.x, y: r.top + p.y };
  }

  destroy(): void {
    for (const type of WAKING_EVENTS) this.container.removeEventListener(type, this.wake, { capture: true });
    this.map.remove();
  }
}
