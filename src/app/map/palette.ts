/**
 * Colour-blind-safe sequential palettes (matplotlib's viridis and cividis), a diverging one
 * centred on 0 for signed values (ColorBrewer's RdBu), categories with fixed colours (the LISA
 * cluster map's, as GeoDa draws it), and class breaks (quantiles, equal intervals or natural
 * breaks) for the region map and its legend.
 */
import { ckmeans } from 'simple-statistics';
import { formatNumber } from '../region/regionStats';

export type Rgba = [number, number, number, number];
export type PaletteId = 'viridis' | 'cividis';
/**
 * Class breaks as QGIS and GeoDa offer them. 'natural': Jenks's natural breaks, computed
 * exactly as the optimal 1-D k-means (Wang and Song's Ckmeans.1d.dp, simple-statistics).
 */
export type ClassMethod = 'quantile' | 'equal' | 'natural';

export const CLASS_METHODS: Record<ClassMethod, string> = {
  quantile: 'Quantiles (equal counts)',
  equal: 'Equal intervals',
  natural: 'Natural breaks (Jenks)',
};

/** How a value is coloured: dark to light, two hues either side of 0, or fixed categories. */
export type ValueScale =
  | { kind: 'sequential' }
  | { kind: 'diverging'; negative: string; positive: string }
  | { kind: 'categorical'; categories: { label: string; color: Rgba }[] };

/** ColorBrewer RdBu, blue (below 0) through white to red (above 0). */
export const DIVERGING_STOPS = [
  '#053061',
  '#2166ac',
  '#4393c3',
  '#92c5de',
  '#d1e5f0',
  '#f7f7f7',
  '#fddbc7',
  '#f4a582',
  '#d6604d',
  '#b2182b',
  '#67001f',
];

export const PALETTES: Record<PaletteId, { name: string; stops: string[] }> = {
  viridis: {
    name: 'Viridis',
    stops: [
      '#440154',
      '#472d7b',
      '#3b528b',
      '#2c728e',
      '#21918c',
      '#28ae80',
      '#5ec962',
      '#addc30',
      '#fde725',
    ],
  },
  cividis: {
    name: 'Cividis',
    stops: [
      '#00224e',
      '#123570',
      '#3b496c',
      '#575d6d',
      '#707173',
      '#8a8678',
      '#a59c74',
      '#c3b369',
      '#e1cc55',
      '#fee838',
    ],
  },
};

/**
 * Regions without a value (e.g. a missing label): white, lighter than any class of viridis or
 * cividis (the grey before was close to viridis greens), and drawn with a dark outline of their
 * own (regionLayers; the legend's swatch the same) so colour alone does not tell them apart.
 * Region rows share this array: regionLayers knows them by identity.
 */
export const NO_VALUE_COLOR: Rgba = [255, 255, 255, 255];

function hexToRgb(hex: string): [number, number, number] {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** Colour at t in [0, 1], interpolated between the stops. */
function stopsColor(hexStops: string[], t: number): Rgba {
  const stops = hexStops.map(hexToRgb);
  const x = Math.min(1, Math.max(0, t)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  const [a, b] = [stops[i], stops[i + 1]];
  return [0, 1, 2].map((k) => Math.round(a[k] + (b[k] - a[k]) * f)).concat(255) as Rgba;
}

/** Colour at t in [0, 1], interpolated between the palette's stops. */
export const paletteColor = (id: PaletteId, t: number): Rgba => stopsColor(PALETTES[id].stops, t);

/** Diverging colour at t in [-1, 1]: -1 darkest blue, 0 white, 1 darkest red. */
export const divergingColor = (t: number): Rgba => stopsColor(DIVERGING_STOPS, (1 + t) / 2);

/** k evenly spaced colours, dark to light. */
export function paletteColors(id: PaletteId, k: number): Rgba[] {
  return Array.from({ length: k }, (_, j) => paletteColor(id, k === 1 ? 0.5 : j / (k - 1)));
}

export const toCss = ([r, g, b]: Rgba): string => `rgb(${r}, ${g}, ${b})`;

export interface ValueClass {
  /** Smallest and largest value in the class (actual data values). */
  min: number;
  max: number;
  count: number;
  color: Rgba;
  /** A category's name (categorical scales), shown instead of the range. */
  label?: string;
}

export interface Classification {
  classes: ValueClass[];
  /** Class index per region; -1 = no value. */
  classOf: Int16Array;
  missing: number;
  /**
   * Every value is the same as far as the legend can show (formatNumber of the smallest and
   * largest agree): one class, and the legend says so instead of "0.706 – 0.706".
   */
  uniform?: boolean;
}

/** Finite values, sorted. */
function sortedFinite(values: ArrayLike<number>): number[] {
  const finite: number[] = [];
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) finite.push(values[i]);
  return finite.sort((a, b) => a - b);
}

/**
 * Thresholds (lower bounds of classes 1..) splitting sorted values into at most k classes;
 * tied values never straddle a break.
 */
export function classBreaks(sorted: number[], k: number, method: ClassMethod): number[] {
  if (sorted.length === 0 || k <= 1) return [];
  const lo = sorted[0];
  const hi = sorted[sorted.length - 1];
  let breaks: number[];
  if (method === 'natural') {
    let unique = 1;
    for (let i = 1; i < sorted.length; i++) if (sorted[i] !== sorted[i - 1]) unique++;
    breaks = ckmeans(sorted, Math.min(k, unique))
      .slice(1)
      .filter((c) => c.length > 0)
      .map((c) => c[0]);
  } else
    breaks = Array.from({ length: k - 1 }, (_, i) =>
      method === 'equal'
        ? lo + ((hi - lo) * (i + 1)) / k
        : sorted[Math.min(sorted.length - 1, Math.ceil((sorted.length * (i + 1)) / k))],
    );
  return [...new Set(breaks)].filter((t) => t > lo && t <= hi).sort((a, b) => a - b);
}

/** Put each value in its class (the last whose threshold is <= v) and count; empty classes dropped. */
function assign(values: ArrayLike<number>, thresholds: number[], colors: Rgba[]): Classification {
  const n = values.length;
  const classOf = new Int16Array(n).fill(-1);
  const classes: ValueClass[] = colors.map((color) => ({ min: Infinity, max: -Infinity, count: 0, color }));
  let missing = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) {
      missing++;
      continue;
    }
    let c = 0;
    while (c < thresholds.length && v >= thresholds[c]) c++;
    classOf[i] = c;
    const cls = classes[c];
    cls.count++;
    if (v < cls.min) cls.min = v;
    if (v > cls.max) cls.max = v;
  }
  return { classes: classes.filter((c) => c.count > 0), classOf: remapEmpty(classOf, classes), missing };
}

/** The values' smallest and largest agree as the legend prints them. */
const looksUniform = (sorted: number[]): boolean =>
  formatNumber(sorted[0]) === formatNumber(sorted[sorted.length - 1]);

/**
 * Split values into at most k classes of a sequential palette. Thresholds are lower bounds of
 * classes 1..m-1 (a value v is in the last class whose threshold is <= v); tied values never
 * straddle a break, so heavily tied data (many zeros) yields fewer, non-empty classes.
 */
export function classify(
  values: ArrayLike<number>,
  k: number,
  method: ClassMethod,
  palette: PaletteId,
): Classification {
  const sorted = sortedFinite(values);
  if (sorted.length === 0)
    return { classes: [], classOf: new Int16Array(values.length).fill(-1), missing: values.length };
  if (looksUniform(sorted)) return { ...assign(values, [], [paletteColor(palette, 0.5)]), uniform: true };
  const thresholds = classBreaks(sorted, k, method);
  return assign(values, thresholds, paletteColors(palette, thresholds.length + 1));
}

/**
 * Signed values (residuals) in classes either side of 0: the values below 0 and those from 0 up
 * each split into k/2 classes (at least 1) by `method`, blue below and red above, lighter
 * nearer 0, so 0 is always a break and a class never holds both signs. With equal intervals
 * both sides share the widest side's extent, so a colour means the same size either way.
 */
export function classifyDiverging(values: ArrayLike<number>, k: number, method: ClassMethod): Classification {
  const sorted = sortedFinite(values);
  if (sorted.length === 0)
    return { classes: [], classOf: new Int16Array(values.length).fill(-1), missing: values.length };
  if (looksUniform(sorted)) return { ...assign(values, [], [divergingColor(0)]), uniform: true };
  const half = Math.max(1, Math.floor(k / 2));
  const below = sorted.filter((v) => v < 0);
  const above = sorted.filter((v) => v >= 0);
  const extent = Math.max(-sorted[0], sorted[sorted.length - 1]);
  // Breaks of each side, on magnitudes for the side below 0 (so its classes count outward).
  const side = (mags: number[]): number[] =>
    method === 'equal'
      ? Array.from({ length: half - 1 }, (_, j) => (extent * (j + 1)) / half).filter(
          (t) => t > mags[0] && t <= mags[mags.length - 1],
        )
      : classBreaks(mags, half, method);
  const belowMags = below.map((v) => -v).reverse();
  // Below 0 a magnitude threshold t becomes the class boundary -t (values <= -t are further out).
  const belowBreaks = below.length ? side(belowMags).map((t) => -t) : [];
  const aboveBreaks = above.length ? side(above) : [];
  // Thresholds are lower bounds: for the side below 0, the next class starts just above -t.
  const lower = belowBreaks.map((b) => nextUp(b)).sort((a, b) => a - b);
  const thresholds = [...lower, ...(below.length && above.length ? [0] : []), ...aboveBreaks];
  const placeholder: Rgba = [0, 0, 0, 255];
  const result = assign(values, thresholds, new Array<Rgba>(thresholds.length + 1).fill(placeholder));
  // A class's colour says how far its outer edge is from 0, on the same scale both sides; the
  // innermost classes keep a tint (0.2) so that no class is the map's white.
  const classes = result.classes.map((c) => {
    const outer = c.max < 0 ? c.min : c.max;
    return { ...c, color: divergingColor(Math.sign(outer) * (0.2 + (0.8 * Math.abs(outer)) / extent)) };
  });
  return { ...result, classes };
}

/** The smallest double above x: a threshold that puts x itself in the class below. */
function nextUp(x: number): number {
  if (x === 0) return Number.MIN_VALUE;
  const buf = new Float64Array([x]);
  const bits = new BigInt64Array(buf.buffer);
  bits[0] += x > 0 ? 1n : -1n;
  return buf[0];
}

/**
 * Category codes (0, 1, ...; NaN or a negative code: no value) in the categories' own colours
 * and names; categories no region has are left out of the legend.
 */
export function classifyCategories(
  codes: ArrayLike<number>,
  categories: { label: string; color: Rgba }[],
): Classification {
  const n = codes.length;
  const classOf = new Int16Array(n).fill(-1);
  const classes: ValueClass[] = categories.map((c, k) => ({
    min: k,
    max: k,
    count: 0,
    color: c.color,
    label: c.label,
  }));
  let missing = 0;
  for (let i = 0; i < n; i++) {
    const c = codes[i];
    if (!Number.isInteger(c) || c < 0 || c >= categories.length) {
      missing++;
      continue;
    }
    classOf[i] = c;
    classes[c].count++;
  }
  return { classes: classes.filter((c) => c.count > 0), classOf: remapEmpty(classOf, classes), missing };
}

/** Drop empty classes (possible with equal intervals) and renumber. */
function remapEmpty(classOf: Int16Array, classes: ValueClass[]): Int16Array {
  // A kept class's new number is how many kept classes come before it.
  const map = classes.map((c, i) =>
    c.count > 0 ? classes.slice(0, i).filter((b) => b.count > 0).length : -1,
  );
  return classOf.map((c) => (c < 0 ? -1 : map[c]));
}

/** Fill colour per region. */
export function regionColors(cls: Classification): Rgba[] {
  return Array.from(cls.classOf, (c) => (c < 0 ? NO_VALUE_COLOR : cls.classes[c].color));
}
