import type { Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import {
  antimeridianEdge,
  geometryAreaM2,
  geometryCentroid,
  polygonSelfIntersections,
  ringEdges,
  ringIsDegenerate,
  ringSignedArea,
} from './geometry';

const R = 6_371_008.8;
/** Area on the sphere between two meridians and two parallels (degrees). */
const sphereBoxM2 = (w: number, s: number, e: number, n: number): number =>
  ((R * R * ((e - w) * Math.PI)) / 180) * (Math.sin((n * Math.PI) / 180) - Math.sin((s * Math.PI) / 180));

const box = (w: number, s: number, e: number, n: number): Position[] => [
  [w, s],
  [e, s],
  [e, n],
  [w, n],
  [w, s],
];

describe('geometryAreaM2', () => {
  it('gives the spherical area of a box between meridians and parallels', () => {
    const got = geometryAreaM2({ type: 'Polygon', coordinates: [box(8.8, 47.5, 9, 47.6)] });
    expect(got / sphereBoxM2(8.8, 47.5, 9, 47.6)).toBeCloseTo(1, 12);
    // About 15.0 km x 11.1 km.
    expect(Math.round(got / 1e4) / 100).toBe(166.91);
  });

  it('subtracts holes and sums the parts of a MultiPolygon, whatever their winding', () => {
    const outer = box(0, 0, 0.02, 0.02);
    const hole = box(0.005, 0.005, 0.01, 0.01).reverse();
    const withHole = geometryAreaM2({ type: 'Polygon', coordinates: [outer, hole] });
    expect(withHole / (sphereBoxM2(0, 0, 0.02, 0.02) - sphereBoxM2(0.005, 0.005, 0.01, 0.01))).toBeCloseTo(
      1,
      9,
    );
    const two = geometryAreaM2({
      type: 'MultiPolygon',
      coordinates: [[outer.slice().reverse()], [box(1, 0, 1.01, 0.01)]],
    });
    expect(two / (sphereBoxM2(0, 0, 0.02, 0.02) + sphereBoxM2(1, 0, 1.01, 0.01))).toBeCloseTo(1, 9);
  });

  it('closes a ring that does not repeat its first position', () => {
    const closed = box(8.8, 47.5, 9, 47.6);
    expect(geometryAreaM2({ type: 'Polygon', coordinates: [closed.slice(0, -1)] })).toBe(
      geometryAreaM2({ type: 'Polygon', coordinates: [closed] }),
    );
  });
});

describe('ringSignedArea', () => {
  it('is the planar shoelace area, positive counter-clockwise, open or closed', () => {
    const square: Position[] = [
      [0, 0],
      [2, 0],
      [2, 3],
      [0, 3],
    ];
    expect(ringSignedArea(square)).toBe(6);
    expect(ringSignedArea([...square, square[0]])).toBe(6);
    expect(ringSignedArea(square.slice().reverse())).toBe(-6);
  });
});

describe('geometryCentroid', () => {
  it('puts the centroid of a MultiPolygon split at the antimeridian next to it, not on the other side of the Earth', () => {
    // 2 square degrees east of 180° and 1 west of it: the centroid is at 179.5° (it was 59.5°).
    const c = geometryCentroid({
      type: 'MultiPolygon',
      coordinates: [[box(178, 0, 180, 1)], [box(-180, 0, -179, 1)]],
    });
    expect(c?.map((v) => Math.round(v * 1e9) / 1e9)).toEqual([179.5, 0.5]);
    // West of it on balance: the centroid is given in [-180, 180].
    const west = geometryCentroid({
      type: 'MultiPolygon',
      coordinates: [[box(179, 0, 180, 1)], [box(-180, 0, -178, 1)]],
    });
    expect(west?.map((v) => Math.round(v * 1e9) / 1e9)).toEqual([-179.5, 0.5]);
  });

  it('gives no centroid for a ring without area (it gave the mean of the vertices, far from anything drawn)', () => {
    const sliver = [
      [8.5, 47.4],
      [8.6, 47.4],
      [24.5, 47.4],
      [8.5, 47.4],
    ];
    expect(geometryCentroid({ type: 'Polygon', coordinates: [sliver] })).toBeNull();
  });

  it('leaves the centroid of an ordinary polygon as it was', () => {
    const c = geometryCentroid({ type: 'Polygon', coordinates: [box(8, 47, 8.2, 47.1)] });
    expect(c?.map((v) => Math.round(v * 1e9) / 1e9)).toEqual([8.1, 47.05]);
  });
});

describe('ringIsDegenerate and antimeridianEdge', () => {
  it('tells rings without area: collinear, one point, loops that cancel', () => {
    expect(ringIsDegenerate(box(0, 0, 1, 1))).toBe(false);
    expect(
      ringIsDegenerate([
        [0, 0],
        [1, 1],
        [2, 2],
        [0, 0],
      ]),
    ).toBe(true);
    expect(
      ringIsDegenerate([
        [3, 3],
        [3, 3],
        [3, 3],
        [3, 3],
      ]),
    ).toBe(true);
    const bowTie = [
      [0, 0],
      [1, 1],
      [1, 0],
      [0, 1],
      [0, 0],
    ];
    expect(ringIsDegenerate(bowTie)).toBe(true);
    // A tiny but real region (1 m across) is not degenerate.
    expect(ringIsDegenerate(box(8.5, 47.4, 8.50001, 47.40001))).toBe(false);
  });

  it('finds the edge that spans more than 180° of longitude', () => {
    expect(antimeridianEdge(box(179.5, -17, -179.5, -16))).toBe(0);
    expect(antimeridianEdge(box(178, -17, 179.5, -16))).toBe(-1);
  });
});

describe('polygonSelfIntersections', () => {
  it('finds where a bow tie crosses itself, once, and nothing in a square', () => {
    const bowTie = [
      [0, 0],
      [2, 2],
      [2, 0],
      [0, 2],
      [0, 0],
    ];
    expect(polygonSelfIntersections([bowTie])).toEqual([[1, 1]]);
    expect(polygonSelfIntersections([box(0, 0, 1, 1)])).toEqual([]);
  });

  it('finds a hole crossing its outer ring', () => {
    expect(polygonSelfIntersections([box(0, 0, 2, 2), box(1, 0.5, 3, 1.5)])).toEqual([
      [2, 0.5],
      [2, 1.5],
    ]);
  });

  it('checks a ring of 20,000 positions through its edge index: none on a circle, the one crossing put in', () => {
    // Comparing every pair of edges took 13 s at this size; the index makes it a fraction of
    // a second (a figure for the import benchmark, not asserted here).
    const ring: Position[] = [];
    for (let i = 0; i < 20_000; i++) {
      const a = (2 * Math.PI * i) / 20_000;
      ring.push([8.5 + 0.05 * Math.cos(a), 47.4 + 0.05 * Math.sin(a)]);
    }
    ring.push(ring[0]);
    expect(polygonSelfIntersections([ring])).toEqual([]);
    // Swapping two neighbouring positions far along the ring makes edges 9,999 and 10,001 cross.
    const crossed = ring.map((p) => [...p] as Position);
    [crossed[10_000], crossed[10_001]] = [crossed[10_001], crossed[10_000]];
    expect(polygonSelfIntersections([crossed]).length).toBeGreaterThan(0);
  });
});

describe('ringEdges', () => {
  it('lists each edge of a closed ring once, the repeated last position adding no edge of length zero', () => {
    const g = {
      type: 'Polygon' as const,
      coordinates: [
        [
          [0, 0],
          [1, 0],
          [1, 1],
          [0, 0],
        ],
      ],
    };
    expect([...ringEdges([g])]).toEqual([0, 0, 1, 0, 1, 0, 1, 1, 1, 1, 0, 0]);
  });

  it('closes a ring that does not repeat its first position', () => {
    const g = {
      type: 'Polygon' as const,
      coordinates: [
        [
          [0, 0],
          [2, 0],
          [2, 3],
        ],
      ],
    };
    expect([...ringEdges([g])]).toEqual([0, 0, 2, 0, 2, 0, 2, 3, 2, 3, 0, 0]);
  });

  it('takes holes and the polygons of a MultiPolygon in order and skips regions without geometry', () => {
    const outer = [
      [0, 0],
      [4, 0],
      [4, 4],
      [0, 0],
    ];
    const hole = [
      [1, 1],
      [2, 1],
      [2, 2],
      [1, 1],
    ];
    const far = [
      [10, 10],
      [11, 10],
      [11, 11],
      [10, 10],
    ];
    const a = { type: 'Polygon' as const, coordinates: [outer, hole] };
    const b = { type: 'MultiPolygon' as const, coordinates: [[far]] };
    const edges = ringEdges([a, null, b]);
    expect(edges.length).toBe(9 * 4);
    expect([...edges.slice(12, 16)]).toEqual([1, 1, 2, 1]);
    expect([...edges.slice(24, 28)]).toEqual([10, 10, 11, 10]);
    expect([...edges.slice(32)]).toEqual([11, 11, 10, 10]);
  });
});
