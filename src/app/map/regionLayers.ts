/**
 * The deck.gl layers of the region map: a pure function of the city's features, the fill
 * colour per region (from the value shown and the palette) and the selection.
 */
import type { Layer } from '@deck.gl/core';
import { GeoJsonLayer, LineLayer, PathLayer, ScatterplotLayer } from '@deck.gl/layers';
import type { RegionFeature, RegionProps } from '../region/geo';
import { OutlineLayer } from './outlineLayer';
import { NO_VALUE_COLOR, type Rgba } from './palette';

export interface RegionLayerInput {
  /** The load of the city (layer ids change with it, so deck rebuilds rather than diffs). */
  loadId: string;
  features: RegionFeature[];
  /** The regions' ring edges as a line list (LoadedCity.outlines). */
  outlines: Float64Array;
  /** Fill colour per region row. */
  colors: Rgba[];
  selected: number | null;
  /** Lighter fills over an online basemap. */
  translucent: boolean;
  /** Where the selected region attends most (SREL's region-fusion attention). */
  links?: AttentionLink[];
  /** Corners of a polygon being drawn to label regions. */
  polygon?: [number, number][];
  /** The study area of a new city: corners, and whether it is still being drawn. */
  area?: { corners: [number, number][]; drawing: boolean } | null;
}

export interface AttentionLink {
  from: [number, number];
  to: [number, number];
  /** How strongly the line is drawn: the link's lift (share over what the average region gives). */
  weight: number;
  /** 0 = strongest. */
  rank: number;
}

const LINK_COLOR: Rgba = [213, 94, 0, 230]; // Okabe-Ito vermillion: visible on viridis and cividis
const AREA_COLOR: Rgba = [0, 114, 178, 255]; // Okabe-Ito blue: the study area of a new city

/**
 * Attention lines are cased (a dark line, and a white one wider still, beneath): vermillion alone
 * is 1.01:1 in luminance over a teal class; each fill contrasts with one of the three.
 */
const LINK_CASINGS: [string, Rgba, number][] = [
  ['halo', [255, 255, 255, 230], 5],
  ['casing', [17, 17, 17, 230], 2.5],
];
/** The outline of regions without a value (NO_VALUE_COLOR), matched by the legend's swatch. */
export const NO_VALUE_OUTLINE: Rgba = [64, 64, 64, 255];

const OUTLINE: Rgba = [255, 255, 255, 230];
const SELECTED_OUTLINE: Rgba = [17, 17, 17, 255];
const SELECTED_HALO: Rgba = [255, 255, 255, 255];
const HIGHLIGHT: Rgba = [255, 255, 255, 110];

export function regionLayers({
  loadId,
  features,
  outlines,
  colors,
  selected,
  translucent,
  links = [],
  polygon = [],
  area = null,
}: RegionLayerInput): Layer[] {
  const alpha = translucent ? 170 : 255;
  const layers: Layer[] = [
    new GeoJsonLayer<RegionProps>({
      id: `regions-${loadId}`,
      data: features,
      filled: true,
      // Outlines are the OutlineLayer's: one draw, not one instance per edge.
      stroked: false,
      pickable: true,
      autoHighlight: true,
      highlightColor: HIGHLIGHT,
      getFillColor: (f) => {
        const [r, g, b] = colors[f.properties.index];
        return [r, g, b, alpha];
      },
      updateTriggers: { getFillColor: [colors, alpha] },
    }),
    new OutlineLayer({ id: `outlines-${loadId}`, edges: outlines, color: OUTLINE, pickable: false }),
  ];
  // Regions without a value: a dark outline besides their white fill (colour alone is not enough).
  const missing = features.filter((f) => colors[f.properties.index] === NO_VALUE_COLOR);
  if (missing.length > 0)
    layers.push(
      new GeoJsonLayer<RegionProps>({
        id: `no-value-${loadId}`,
        data: missing,
        filled: false,
        stroked: true,
        pickable: false,
        getLineColor: NO_VALUE_OUTLINE,
        getLineWidth: 1.5,
        lineWidthUnits: 'pixels',
      }),
    );
  const feature = selected === null ? undefined : features.find((f) => f.properties.index === selected);
  if (feature) {
    for (const [suffix, color, width] of [
      ['halo', SELECTED_HALO, 5],
      ['outline', SELECTED_OUTLINE, 2.5],
    ] as const) {
      layers.push(
        new GeoJsonLayer<RegionProps>({
          id: `selection-${suffix}-${loadId}`,
          data: [feature],
          filled: false,
          stroked: true,
          pickable: false,
          getLineColor: color,
          getLineWidth: width,
          lineWidthUnits: 'pixels',
        }),
      );
    }
  }
  if (links.length > 0) {
    const top = Math.max(...links.map((l) => l.weight));
    const width = (l: AttentionLink): number => 1.5 + 5 * (l.weight / (top || 1));
    for (const [suffix, color, extra] of [...LINK_CASINGS, ['line', LINK_COLOR, 0] as const])
      layers.push(
        new LineLayer<AttentionLink>({
          id: `attention-${suffix}-${loadId}`,
          data: links,
          pickable: false,
          getSourcePosition: (l) => l.from,
          getTargetPosition: (l) => l.to,
          getColor: color,
          getWidth: (l) => width(l) + extra,
          widthUnits: 'pixels',
        }),
      );
  }
  if (polygon.length > 0)
    layers.push(
      new PathLayer<[number, number][]>({
        id: `${loadId}-polygon-edges`,
        data: [polygon.length >= 3 ? [...polygon, polygon[0]] : polygon],
        getPath: (p) => p,
        getColor: LINK_COLOR,
        getWidth: 2,
        widthUnits: 'pixels',
      }),
      new ScatterplotLayer<{ at: [number, number]; first: boolean }>({
        id: `${loadId}-polygon-corners`,
        data: polygon.map((at, i) => ({ at, first: i === 0 })),
        getPosition: (c) => c.at,
        getRadius: (c) => (c.first ? 7 : 4),
        radiusUnits: 'pixels',
        getFillColor: (c) => (c.first ? OUTLINE : LINK_COLOR),
        getLineColor: LINK_COLOR,
        stroked: true,
        lineWidthMinPixels: 2,
        updateTriggers: { getRadius: polygon.length, getFillColor: polygon.length },
      }),
    );
  if (area && area.corners.length > 0) {
    const closed = !area.drawing && area.corners.length >= 3;
    layers.push(
      new PathLayer<[number, number][]>({
        id: `${loadId}-study-area`,
        data: [closed ? [...area.corners, area.corners[0]] : area.corners],
        getPath: (p) => p,
        getColor: AREA_COLOR,
        getWidth: closed ? 3 : 2,
        widthUnits: 'pixels',
      }),
    );
    if (area.drawing)
      layers.push(
        new ScatterplotLayer<{ at: [number, number]; first: boolean }>({
          id: `${loadId}-study-area-corners`,
          data: area.corners.map((at, i) => ({ at, first: i === 0 })),
          getPosition: (c) => c.at,
          getRadius: (c) => (c.first ? 7 : 4),
          radiusUnits: 'pixels',
          getFillColor: (c) => (c.first ? OUTLINE : AREA_COLOR),
          getLineColor: AREA_COLOR,
          stroked: true,
          lineWidthMinPixels: 2,
          updateTriggers: { getRadius: area.corners.length, getFillColor: area.corners.length },
        }),
      );
  }
  return layers;
}
