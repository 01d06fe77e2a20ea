import { describe, expect, it } from 'vitest';
import {
  classBreaks,
  classify,
  classifyCategories,
  classifyDiverging,
  divergingColor,
  paletteColor,
  type Rgba,
} from './palette';

const ranges = (_values: number[], c: ReturnType<typeof classify>) =>
  c.classes.map((k) => [k.min, k.max, k.count]);

describe('class breaks', () => {
  it('puts each of three clear groups in its own class with natural breaks', () => {
    const v = [1, 1, 2, 10, 11, 12, 50, 51];
    expect(
      classBreaks(
        [...v].sort((a, b) => a - b),
        3,
        'natural',
      ),
    ).toEqual([10, 50]);
    expect(ranges(v, classify(v, 3, 'natural', 'viridis'))).toEqual([
      [1, 2, 3],
      [10, 12, 3],
      [50, 51, 2],
    ]);
    // Quantiles split by count instead: one outlier does not get a class of its own.
    const outlier = [1, 2, 3, 4, 5, 6, 100];
    expect(classBreaks(outlier, 2, 'natural')).toEqual([100]);
    expect(classBreaks(outlier, 2, 'quantile')).toEqual([5]);
  });

  it('asks natural breaks for no more classes than there are distinct values', () => {
    expect(ranges([0, 0, 0, 5, 5], classify([0, 0, 0, 5, 5], 5, 'natural', 'viridis'))).toEqual([
      [0, 0, 3],
      [5, 5, 2],
    ]);
  });

  it('gives equal intervals of the range', () => {
    expect(classBreaks([0, 1, 2, 3, 4, 10], 5, 'equal')).toEqual([2, 4, 6, 8]);
  });

  it('shows values the legend cannot tell apart as one class, and says they are uniform', () => {
    const c = classify([0.70601, 0.7062, 0.70649], 5, 'quantile', 'viridis');
    expect(c.uniform).toBe(true);
    expect(c.classes).toHaveLength(1);
    expect(c.classes[0].color).toEqual(paletteColor('viridis', 0.5));
    expect(classify([0.7, 0.8], 5, 'quantile', 'viridis').uniform).toBeUndefined();
  });
});

describe('signed values on a diverging palette', () => {
  const isBlue = ([r, , b]: Rgba) => b > r;
  const isRed = ([r, , b]: Rgba) => r > b;

  it('always breaks at 0: no class holds both signs, blue below and red above', () => {
    const v = [-10, -5, -1, 0.5, 2, 8, NaN];
    for (const method of ['quantile', 'equal', 'natural'] as const) {
      const c = classifyDiverging(v, 4, method);
      expect(c.missing).toBe(1);
      for (const k of c.classes) {
        expect(k.min < 0 && k.max > 0).toBe(false);
        expect(k.max < 0 ? isBlue(k.color) : isRed(k.color)).toBe(true);
      }
      expect(c.classes.reduce((a, k) => a + k.count, 0)).toBe(6);
    }
  });

  it('gives the same shade to the same distance from 0 on either side', () => {
    const c = classifyDiverging([-3, -1, 1, 3], 4, 'equal');
    expect(c.classes.map((k) => [k.min, k.max])).toEqual([
      [-3, -3],
      [-1, -1],
      [1, 1],
      [3, 3],
    ]);
    expect(c.classes[0].color).toEqual(divergingColor(-1));
    expect(c.classes[3].color).toEqual(divergingColor(1));
    expect(c.classes[1].color).toEqual(divergingColor(-(0.2 + 0.8 / 3)));
    expect(c.classes[2].color).toEqual(divergingColor(0.2 + 0.8 / 3));
    // Lighter nearer 0.
    const light = (x: Rgba) => x[0] + x[1] + x[2];
    expect(light(c.classes[1].color)).toBeGreaterThan(light(c.classes[0].color));
  });

  it('keeps a value on a break in the class nearer 0 below 0, as a threshold is a lower bound', () => {
    const c = classifyDiverging([-4, -3, -2, -1, 1, 2, 3, 4], 4, 'equal');
    // Equal intervals of the extent 4: magnitudes 0 to 2 and 2 to 4 on each side.
    expect(c.classes.map((k) => [k.min, k.max])).toEqual([
      [-4, -2],
      [-1, -1],
      [1, 1],
      [2, 4],
    ]);
  });
});

describe('categories', () => {
  it('colours each code by its category, leaves out categories no region has, and counts the rest as missing', () => {
    const categories = [
      { label: 'high-high', color: [255, 0, 0, 255] as Rgba },
      { label: 'low-low', color: [0, 0, 255, 255] as Rgba },
      { label: 'not significant', color: [238, 238, 238, 255] as Rgba },
    ];
    const c = classifyCategories([0, 2, 2, NaN, -1, 0], categories);
    expect(c.classes.map((k) => [k.label, k.count])).toEqual([
      ['high-high', 2],
      ['not significant', 2],
    ]);
    expect(Array.from(c.classOf)).toEqual([0, 1, 1, -1, -1, 0]);
    expect(c.missing).toBe(2);
  });
});
