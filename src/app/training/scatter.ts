/**
 * The geometry of the predicted-against-actual plot (PredictedScatter.tsx): which regions it
 * shows, round ticks, scales from values to SVG pixels. Pure, so the component only draws.
 */
import type { City } from '../../core/city/types';
import type { TaskReport } from '../../core/eval/taskReport';

/** One held-out labelled region: its row, its label (x) and its held-out prediction (y). */
export interface ScatterPoint {
  index: number;
  actual: number;
  predicted: number;
  /** "R012 Riverside": how the plot names the region on hover. */
  label: string;
}

/** How a region is named in the plot: its id, then its name when that says more. */
export function regionLabel(region: { id: string; name: string } | undefined, index: number): string {
  if (!region) return `row ${index}`;
  return region.name && region.name !== region.id ? `${region.id} ${region.name}` : region.id;
}

/**
 * The regions the plot shows for a task: held out (`report.heldOut`) with a finite label and a
 * finite prediction, each with the report's prediction (the combined predictor's, as the map).
 */
export function scatterPoints(city: Pick<City, 'labels' | 'regions'>, report: TaskReport): ScatterPoint[] {
  const labels = city.labels.find((l) => l.id === report.task);
  if (!labels) return [];
  const points: ScatterPoint[] = [];
  for (let i = 0; i < report.heldOut.length; i++) {
    const actual = labels.values[i];
    const predicted = report.predicted[i];
    if (!report.heldOut[i] || !Number.isFinite(actual) || !Number.isFinite(predicted)) continue;
    points.push({ index: i, actual, predicted, label: regionLabel(city.regions[i], i) });
  }
  return points;
}

/** A step of 1, 2 or 5 times a power of ten that cuts `span` into about `count` parts. */
export function niceStep(span: number, count: number): number {
  if (!(span > 0) || !Number.isFinite(span)) return 1;
  const raw = span / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const unit = raw / power;
  const factor = unit < 1.5 ? 1 : unit < 3 ? 2 : unit < 7 ? 5 : 10;
  return factor * power;
}

/**
 * Round ticks covering [min, max]: the multiples of a nice step from the one at or below min
 * to the one at or above max (so the ends are ticks too). A single value gets the ticks around it.
 */
export function niceTicks(min: number, max: number, count = 4): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  if (min > max) [min, max] = [max, min];
  if (min === max) {
    const pad = min === 0 ? 1 : Math.abs(min) / 2;
    return niceTicks(min - pad, max + pad, count);
  }
  const step = niceStep(max - min, count);
  const first = Math.floor(min / step + 1e-9);
  const last = Math.ceil(max / step - 1e-9);
  const ticks: number[] = [];
  // Rounded to the step's decimals, so 0.1 * 3 reads 0.3.
  const decimals = Math.max(0, -Math.floor(Math.log10(step)));
  for (let k = first; k <= last; k++) ticks.push(Number((k * step).toFixed(decimals)));
  return ticks;
}

/** "1.5k", "20", "0.25": a tick's text, short enough for the plot's narrow axes. */
export function tickText(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e6) return `${Number((v / 1e6).toPrecision(3))}M`;
  if (a >= 1e4) return `${Number((v / 1e3).toPrecision(3))}k`;
  return String(Number(v.toPrecision(4)));
}

/** A linear map from `domain` to `range` (a flat domain maps to the middle of the range). */
export function linearScale(domain: [number, number], range: [number, number]): (v: number) => number {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  if (d1 === d0) return () => (r0 + r1) / 2;
  return (v) => r0 + ((v - d0) / (d1 - d0)) * (r1 - r0);
}

/** Pixel size of the plot and its margins (room for the tick texts and axis names). */
export interface ScatterFrame {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export const SCATTER_FRAME: ScatterFrame = {
  width: 300,
  height: 260,
  left: 44,
  right: 10,
  top: 8,
  bottom: 38,
};

export interface ScatterLayout {
  /** Shared by both axes, so the 1:1 line is the diagonal. */
  ticks: { value: number; text: string; x: number; y: number }[];
  points: (ScatterPoint & { x: number; y: number })[];
  /** The 1:1 line (predicted = actual), from the domain's low corner to its high corner. */
  diagonal: { x1: number; y1: number; x2: number; y2: number };
  /** The plotting area, in pixels. */
  area: { x: number; y: number; width: number; height: number };
}

/**
 * Where everything goes: one domain for both axes (the nice ticks around every label and
 * prediction), x = actual left to right, y = predicted bottom to top.
 */
export function scatterLayout(points: ScatterPoint[], frame: ScatterFrame = SCATTER_FRAME): ScatterLayout {
  const values = points.flatMap((p) => [p.actual, p.predicted]);
  const lo = values.length ? Math.min(...values) : 0;
  const hi = values.length ? Math.max(...values) : 1;
  const tickValues = niceTicks(lo, hi, 4);
  const domain: [number, number] = [tickValues[0], tickValues[tickValues.length - 1]];
  const x0 = frame.left;
  const x1 = frame.width - frame.right;
  const y0 = frame.height - frame.bottom;
  const y1 = frame.top;
  const x = linearScale(domain, [x0, x1]);
  const y = linearScale(domain, [y0, y1]);
  return {
    ticks: tickValues.map((value) => ({ value, text: tickText(value), x: x(value), y: y(value) })),
    points: points.map((p) => ({ ...p, x: x(p.actual), y: y(p.predicted) })),
    diagonal: { x1: x(domain[0]), y1: y(domain[0]), x2: x(domain[1]), y2: y(domain[1]) },
    area: { x: x0, y: y1, width: x1 - x0, height: y0 - y1 },
  };
}

/** The R² of what the plot shows: the combined predictor's, or (older runs) ridge on SREL. */
export const shownR2 = (report: Pick<TaskReport, 'combined' | 'embedding'>): number =>
  report.combined?.metrics.r2 ?? report.embedding.r2;

/** "Crime: predicted against actual, held-out R² 0.651". */
export function scatterTitle(name: string, report: Pick<TaskReport, 'combined' | 'embedding'>): string {
  const r2 = shownR2(report);
  return `${name}: predicted against actual, held-out R² ${Number.isFinite(r2) ? r2.toFixed(3) : '–'}`;
}

/** "R012 Riverside: actual 129, predicted 112.4": what hovering a point says. */
export function pointText(p: ScatterPoint): string {
  return `${p.label}: actual ${tickText(p.actual)}, predicted ${tickText(p.predicted)}`;
}
