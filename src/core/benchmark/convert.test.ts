import type { FeatureCollection, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { objectArrayNpy } from '../../cli/fixtures/benchmarkMirror';
import { writeNpy } from '../io/npy';
import {
  ConversionError,
  adjacencyLists,
  chicagoRegionsFromCommunityAreas,
  descriptionsFromPrompts,
  normaliseGeometry,
  nycRegionsFromShapefile,
  ringSignedArea2,
  roundTo,
  titleCase,
} from './convert';
import { readNeighborNpy } from './neighbors';

const clockwiseSquare = [
  [0, 0],
  [0, 1],
  [1, 1],
  [1, 0],
  [0, 0],
];
const square = (x: number, ccw: boolean) => {
  const ring = clockwiseSquare.map(([a, b]) => [a + x, b]);
  return ccw ? ring.reverse() : ring;
};

describe('geometry', () => {
  it('rounds to 6 decimals as a decimal number, from the exact binary value', () => {
    expect(roundTo(-73.9808874999, 6)).toBe(-73.980887);
    expect(roundTo(-73.9808875001, 6)).toBe(-73.980888);
    expect(roundTo(40.7534810000001, 6)).toBe(40.753481);
  });

  it('a clockwise exterior is turned counter-clockwise and a counter-clockwise hole clockwise', () => {
    const hole = [
      [0.25, 0.25],
      [0.75, 0.25],
      [0.75, 0.75],
      [0.25, 0.75],
      [0.25, 0.25],
    ];
    expect(ringSignedArea2(clockwiseSquare)).toBe(-2);
    expect(ringSignedArea2(hole)).toBe(0.5);
    const g = normaliseGeometry(
      { type: 'Polygon', coordinates: [clockwiseSquare, hole] },
      { decimals: 6, rewind: true },
    );
    expect(g).toEqual({
      type: 'Polygon',
      coordinates: [[...clockwiseSquare].reverse(), [...hole].reverse()],
    });
    const kept = normaliseGeometry(
      { type: 'Polygon', coordinates: [clockwiseSquare] },
      { decimals: 6, rewind: false },
    );
    expect(kept.coordinates).toEqual([clockwiseSquare]);
  });

  it('anything but a polygon is refused', () => {
    expect(() =>
      normaliseGeometry({ type: 'Point', coordinates: [0, 0] }, { decimals: 6, rewind: true }),
    ).toThrow('expected a Polygon or MultiPolygon, found Point');
  });
});

describe('NYC regions from the shapefile', () => {
  const shapes: FeatureCollection = {
    type: 'FeatureCollection',
    features: [
      { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [square(0, false)] } },
      {
        type: 'Feature',
        properties: {},
        geometry: { type: 'MultiPolygon', coordinates: [[square(2, false)], [square(4, false)]] },
      },
    ],
  };

  it('numbers the records in file order, takes each community district and rewinds rings counter-clockwise', () => {
    const fc = nycRegionsFromShapefile(shapes, { '0': 2, '1': 8 });
    expect(fc.features.map((f) => f.properties)).toEqual([
      { index: 0, region_id: 0, cd_label: 2 },
      { index: 1, region_id: 1, cd_label: 8 },
    ]);
    expect((fc.features[0].geometry as Polygon).coordinates).toEqual([square(0, true)]);
    expect(fc.features[1].geometry).toEqual({
      type: 'MultiPolygon',
      coordinates: [[square(2, true)], [square(4, true)]],
    });
    expect(
      JSON.stringify(fc).startsWith(
        '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"index":0,',
      ),
    ).toBe(true);
  });

  it('a record without a community district is named', () => {
    expect(() => nycRegionsFromShapefile(shapes, { '0': 2 })).toThrow(
      'mh_cd.json: record 1 has no community district',
    );
  });
});

describe('Chicago regions from the community areas', () => {
  const area = (number: string, community: string) => ({
    type: 'Feature' as const,
    properties: { area_numbe: number, community, shape_area: '1' },
    geometry: { type: 'MultiPolygon' as const, coordinates: [[square(Number(number), false)]] },
  });

  it('orders the areas by number, title-cases their names and keeps the rings as given', () => {
    const fc = chicagoRegionsFromCommunityAreas({
      type: 'FeatureCollection',
      features: [area('2', 'WEST RIDGE'), area('3', 'MCKINLEY PARK'), area('1', ' OHARE ')],
    });
    expect(fc.features.map((f) => f.properties)).toEqual([
      { area_number: 1, name: 'Ohare', index: 0 },
      { area_number: 2, name: 'West Ridge', index: 1 },
      { area_number: 3, name: 'Mckinley Park', index: 2 },
    ]);
    expect(fc.features[0].geometry).toEqual({ type: 'MultiPolygon', coordinates: [[square(1, false)]] });
  });

  it('a missing or repeated area is refused', () => {
    expect(() =>
      chicagoRegionsFromCommunityAreas({
        type: 'FeatureCollection',
        features: [area('1', 'A'), area('3', 'C')],
      }),
    ).toThrow('community areas: expected area 2, found 3');
  });

  it('title case lowers every letter but each word’s first', () => {
    expect(titleCase('GREATER GRAND  CROSSING')).toBe('Greater Grand Crossing');
  });
});

describe('NYC adjacency from HREP’s neighbor.npy', () => {
  it('reads a pickled object array of lists, then sorts each list and drops itself and repeats', () => {
    const lists = readNeighborNpy(
      objectArrayNpy([
        [2, 1, 1],
        [0, 2],
        [1, 0, 2],
      ]),
    );
    expect(lists).toEqual([
      [2, 1, 1],
      [0, 2],
      [1, 0, 2],
    ]);
    expect(adjacencyLists(lists)).toEqual([
      [1, 2],
      [0, 2],
      [0, 1],
    ]);
  });

  it('reads a 0/1 matrix as well', () => {
    const m = writeNpy({
      dtype: 'float64',
      shape: [3, 3],
      data: new Float64Array([1, 1, 0, 1, 1, 1, 0, 1, 1]),
    });
    expect(readNeighborNpy(m)).toEqual([[1], [0, 2], [1]]);
  });

  it('an index outside the regions is refused, and so is a file that is not .npy', () => {
    expect(() => adjacencyLists([[1], [7]])).toThrow('neighbor.npy: region 1 lists 7, not a region of 0..1');
    expect(() => readNeighborNpy(new TextEncoder().encode('not a numpy file at all'))).toThrow(
      ConversionError,
    );
  });
});

describe('Chicago region descriptions from the prompts', () => {
  it('takes the text part of each message, in order', () => {
    const prompts = [
      {
        role: 'user',
        content: [
          { type: 'image', image: 'a.png' },
          { type: 'text', text: 'first' },
        ],
      },
      { role: 'user', content: [{ type: 'text', text: 'second' }] },
    ];
    expect(descriptionsFromPrompts(prompts)).toEqual([
      { index: 0, text: 'first' },
      { index: 1, text: 'second' },
    ]);
  });

  it('a message without text is named', () => {
    expect(() => descriptionsFromPrompts([{ role: 'user', content: [{ type: 'image' }] }])).toThrow(
      'prompt_data.json: message 0 has no text part',
    );
  });
});
