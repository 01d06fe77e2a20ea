import type { Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { geometryAreaM2, ringSignedArea } from './geometry';

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
