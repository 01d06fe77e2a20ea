import { describe, expect, it } from 'vitest';
import type { TaskReport } from '../../core/eval/taskReport';
import {
  SCATTER_FRAME,
  linearScale,
  niceStep,
  niceTicks,
  pointText,
  regionLabel,
  scatterLayout,
  scatterPoints,
  scatterTitle,
  tickText,
} from './scatter';

const metrics = (r2: number) => ({ r2, mae: 1, rmse: 1, n: 5 });

const report = (over: Partial<TaskReport> = {}): TaskReport => ({
  task: 'crime',
  embedding: metrics(0.4),
  raw: metrics(0.3),
  predicted: Float64Array.from([10, 20, 30, 40, 50]),
  heldOut: Uint8Array.from([1, 1, 0, 1, 1]),
  folds: 5,
  ...over,
});

const city = {
  regions: [
    { id: 'R1', name: 'Riverside', geometry: null, centroid: null },
    { id: 'R2', name: 'R2', geometry: null, centroid: null },
    { id: 'R3', name: 'Hill', geometry: null, centroid: null },
    { id: 'R4', name: 'Dock', geometry: null, centroid: null },
    { id: 'R5', name: 'Mill', geometry: null, centroid: null },
  ],
  labels: [
    {
      id: 'crime',
      name: 'Crime',
      unit: 'crimes',
      values: Float64Array.from([12, 18, 33, NaN, 45]),
      missing: 1,
    },
  ],
};

describe('scatterPoints', () => {
  it('keeps the held-out regions with a finite label, each with its prediction and its name', () => {
    expect(scatterPoints(city, report())).toEqual([
      { index: 0, actual: 12, predicted: 10, label: 'R1 Riverside' },
      { index: 1, actual: 18, predicted: 20, label: 'R2' },
      { index: 4, actual: 45, predicted: 50, label: 'R5 Mill' },
    ]);
  });

  it('gives no points for a task the city has no labels for', () => {
    expect(scatterPoints(city, report({ task: 'other' }))).toEqual([]);
  });
});

describe('regionLabel', () => {
  it('names a region by id and name, by id alone when they agree, by row when it is missing', () => {
    expect(regionLabel({ id: 'R1', name: 'Riverside' }, 0)).toBe('R1 Riverside');
    expect(regionLabel({ id: 'R1', name: '' }, 0)).toBe('R1');
    expect(regionLabel(undefined, 7)).toBe('row 7');
  });
});

describe('niceTicks', () => {
  it('gives round steps of 1, 2 or 5 times a power of ten that cover the values', () => {
    expect(niceTicks(12, 45)).toEqual([10, 20, 30, 40, 50]);
    expect(niceTicks(0, 291)).toEqual([0, 100, 200, 300]);
    expect(niceTicks(0.03, 0.97)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(-3, 7)).toEqual([-4, -2, 0, 2, 4, 6, 8]);
  });

  it('starts and ends on ticks, and keeps a value on a tick as the end', () => {
    expect(niceTicks(0, 100)).toEqual([0, 20, 40, 60, 80, 100]);
  });

  it('spreads ticks around a single value and falls back to 0..1 without finite values', () => {
    const around = niceTicks(5, 5);
    expect(around[0]).toBeLessThan(5);
    expect(around[around.length - 1]).toBeGreaterThan(5);
    expect(niceTicks(NaN, 3)).toEqual([0, 1]);
  });

  it('reads steps of a tenth without floating-point noise', () => {
    expect(niceTicks(0.1, 0.35, 3)).toEqual([0.1, 0.2, 0.3, 0.4]);
  });
});

describe('niceStep', () => {
  it('rounds the step to 1, 2, 5 or 10 times a power of ten', () => {
    expect([niceStep(10, 4), niceStep(33, 4), niceStep(291, 4), niceStep(0.9, 4)]).toEqual([2, 10, 100, 0.2]);
  });
});

describe('tickText', () => {
  it('writes thousands and millions short, and small numbers as they are', () => {
    expect([0, 0.25, 250, 1500, 20000, 2_500_000].map(tickText)).toEqual([
      '0',
      '0.25',
      '250',
      '1500',
      '20k',
      '2.5M',
    ]);
  });
});

describe('linearScale', () => {
  it('maps the domain onto the range, reversed ranges too, and a flat domain to the middle', () => {
    expect(linearScale([0, 10], [0, 100])(2.5)).toBe(25);
    expect(linearScale([0, 10], [100, 0])(2.5)).toBe(75);
    expect(linearScale([3, 3], [0, 100])(3)).toBe(50);
  });
});

describe('scatterLayout', () => {
  const layout = scatterLayout(scatterPoints(city, report()));
  const f = SCATTER_FRAME;

  it('uses one domain for both axes, so the 1:1 line runs corner to corner of the plotting area', () => {
    expect(layout.diagonal).toEqual({
      x1: f.left,
      y1: f.height - f.bottom,
      x2: f.width - f.right,
      y2: f.top,
    });
    expect(layout.ticks.map((t) => t.value)).toEqual([10, 20, 30, 40, 50]);
  });

  it('puts actual on x (left to right) and predicted on y (bottom to top)', () => {
    const [a, , c] = layout.points;
    expect(a.x).toBeCloseTo(f.left + (2 / 40) * (f.width - f.left - f.right));
    expect(a.y).toBe(f.height - f.bottom);
    expect(c.x).toBeGreaterThan(a.x);
    expect(c.y).toBe(f.top);
  });

  it('keeps every point inside the plotting area', () => {
    const { area } = layout;
    for (const p of layout.points) {
      expect(p.x).toBeGreaterThanOrEqual(area.x);
      expect(p.x).toBeLessThanOrEqual(area.x + area.width);
      expect(p.y).toBeGreaterThanOrEqual(area.y);
      expect(p.y).toBeLessThanOrEqual(area.y + area.height);
    }
  });

  it('still draws axes without points', () => {
    expect(scatterLayout([]).ticks.length).toBeGreaterThan(1);
  });
});

describe('scatterTitle and pointText', () => {
  it("titles the plot with the combined predictor's R², or ridge on SREL's in older runs", () => {
    expect(scatterTitle('Crime', report())).toBe('Crime: predicted against actual, held-out R² 0.400');
    expect(scatterTitle('Crime', report({ combined: { metrics: metrics(0.6512), parts: [] } }))).toBe(
      'Crime: predicted against actual, held-out R² 0.651',
    );
  });

  it('says the region and both values on hover', () => {
    expect(pointText({ index: 0, actual: 129, predicted: 112.43, label: 'R1 Riverside' })).toBe(
      'R1 Riverside: actual 129, predicted 112.4',
    );
  });
});
