import { describe, expect, it } from 'vitest';
import type { RegionFeature } from '../region/geo';
import { OutlineLayer } from './outlineLayer';
import { regionLayers } from './regionLayers';

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
});
