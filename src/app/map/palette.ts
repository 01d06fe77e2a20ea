/**
 * Colour-blind-safe sequential palettes (matplotlib's viridis and cividis) and class breaks
 * (quantiles or equal intervals) for the region map and its legend.
 */

export type Rgba = [number, number, number, number];
export type PaletteId = 'viridis' | 'cividis';
export type ClassMethod = 'quantile' | 'equal';

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

/** Regions without a value (e.g. a missing label). */
export const NO_VALUE_COLOR: Rgba = [190, 190, 196, 255];

function hexToRgb(hex: string): [number, number, number] {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** Colour at t in [0, 1], interpolated between the palette's stops. */
export function paletteColor(id: PaletteId, t: number): Rgba {
  const stops = PALETTES[id].stops.map(hexToRgb);
  const x = Math.min(1, Math.max(0, t)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  const [a, b] = [stops[i], stops[i + 1]];
  return [0, 1, 2].map((k) => Math.round(a[k] + (b[k] - a[k]) * f)).concat(255) as Rgba;
}

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
}

export interface Classification {
  classes: ValueClass[];
  /** Class index per region; -1 = no value. */
  classOf: Int16Array;
  missing: number;
}

/**
 * Split values into at most k classes. Thresholds are lower bounds of classes 1..m-1
 * (a value v is in the last class whose threshold is <= v); tied values never straddle a
 * break, so heavily tied data (many zeros) yields fewer, non-empty classes.
 */
export function classify(
  values: ArrayLike<number>,
  k: number,
  method: ClassMethod,
  palette: PaletteId,
): Classification {
  const n = values.length;
  const finite: number[] = [];
  for (let i = 0; i < n; i++) if (Number.isFinite(values[i])) finite.push(values[i]);
  finite.sort((a, b) => a - b);
  const classOf = new Int16Array(n).fill(-1);
  if (finite.length === 0) return { classes: [], classOf, missing: n };
  const lo = finite[0];
  const hi = finite[finite.length - 1];
  const breaks = Array.from({ length: Math.max(0, k - 1) }, (_, i) =>
    method === 'equal'
      ? lo + ((hi - lo) * (i + 1)) / k
      : finite[Math.min(finite.length - 1, Math.ceil((finite.length * (i + 1)) / k))],
  );
  const thresholds = [...new Set(breaks)].filter((t) => t > lo && t <= hi).sort((a, b) => a - b);
  const m = thresholds.length + 1;
  const colors = paletteColors(palette, m);
  const classes: ValueClass[] = colors.map((color) => ({ min: Infinity, max: -Infinity, count: 0, color }));
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    let c = 0;
    while (c < thresholds.length && v >= thresholds[c]) c++;
    classOf[i] = c;
    const cls = classes[c];
    cls.count++;
    if (v < cls.min) cls.min = v;
    if (v > cls.max) cls.max = v;
  }
  return {
    classes: classes.filter((c) => c.count > 0),
    classOf: remapEmpty(classOf, classes),
    missing: n - finite.length,
  };
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
