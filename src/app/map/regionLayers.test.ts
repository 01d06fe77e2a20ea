import { describe, expect, it } from 'vitest';
import type { RegionFeature } from '../region/geo';
import { OutlineLayer } from './outlineLayer';
import { NO_VALUE_COLOR } from './palette';
import { NO_VALUE_OUTLINE, regionLayers } from './regionLayers';

const feature: RegionFeature = {
  type: 'Feature',
  properties: { index: 0 },
  geometry: {
    type: 'Polygon',
    coordinates: [
      [
        [0, 0],
        [1, 0],
        [1, 1],
        [0, 0],
      ],
    ],
  },
};

describe('regionLayers', () => {
  it('fills the regions without a stroke and draws every outline as the one line list it is given', () => {
    const outlines = new Float64Array([0, 0, 1, 0, 1, 0, 1, 1, 1, 1, 0, 0]);
    const [fill, lines] = regionLayers({
      loadId: 'city-1',
      features: [feature],
      outlines,
      colors: [[1, 2, 3, 255]],
      selected: null,
      translucent: false,
    });
    expect(fill.props).toMatchObject({ filled: true, stroked: false, pickable: true });
    expect(lines).toBeInstanceOf(OutlineLayer);
    expect(lines.props).toMatchObject({ edges: outlines, pickable: false });
  });

  it('outlines the regions without a value in dark grey, and only those', () => {
    const other: RegionFeature = { ...feature, properties: { index: 1 } };
    const layers = regionLayers({
      loadId: 'city-1',
      features: [feature, other],
      outlines: new Float64Array(),
      colors: [[1, 2, 3, 255], NO_VALUE_COLOR],
      selected: null,
      translucent: false,
    });
    const noValue = layers.find((l) => l.id === 'no-value-city-1');
    expect(noValue?.props).toMatchObject({ data: [other], stroked: true, filled: false });
    expect(noValue?.props).toMatchObject({ getLineColor: NO_VALUE_OUTLINE });
  });

  it('adds no outline layer when every region has a value, even one the colour of no value', () => {
    const layers = regionLayers({
      loadId: 'city-1',
      features: [feature],
      outlines: new Float64Array(),
      colors: [[...NO_VALUE_COLOR]],
      selected: null,
      translucent: false,
    });
    expect(layers.map((l) => l.id)).not.toContain('no-value-city-1');
  });

  it('draws each attention line over a dark casing over a wider white one', () => {
    const links = [
      { from: [0, 0] as [number, number], to: [1, 1] as [number, number], weight: 2, rank: 0 },
      { from: [0, 0] as [number, number], to: [1, 0] as [number, number], weight: 1, rank: 1 },
    ];
    const layers = regionLayers({
      loadId: 'city-1',
      features: [feature],
      outlines: new Float64Array(),
      colors: [[1, 2, 3, 255]],
      selected: null,
      translucent: false,
      links,
    });
    const ids = layers.map((l) => l.id);
    const [halo, casing, line] = ['halo', 'casing', 'line'].map(
      (s) => layers[ids.indexOf(`attention-${s}-city-1`)],
    );
    expect(ids.indexOf(halo.id)).toBeLessThan(ids.indexOf(casing.id));
    expect(ids.indexOf(casing.id)).toBeLessThan(ids.indexOf(line.id));
    const width = (l: typeof line, i: number): number =>
      (l.props as unknown as { getWidth: (x: unknown) => number }).getWidth(links[i]);
    const color = (l: typeof line): number[] => (l.props as unknown as { getColor: number[] }).getColor;
    for (const i of [0, 1]) {
      expect(width(halo, i)).toBeGreaterThan(width(casing, i));
      expect(width(casing, i)).toBeGreaterThan(width(line, i));
    }
    expect(color(halo).slice(0, 3)).toEqual([255, 255, 255]);
    expect(color(casing).slice(0, 3)).toEqual([17, 17, 17]);
    expect(color(line).slice(0, 3)).toEqual([213, 94, 0]);
  });
});
