/**
 * What the app shows about regions: per-region totals (POIs, trips out/in, area), the values
 * a map can be coloured by, and the short summary used by the tooltip and the side panel.
 * Plain descriptive statistics of the loaded data; no model math.
 */
import { geometryAreaM2 } from '../../core/city/geometry';
import type { City, Matrix } from '../../core/city/types';
import { sparseColumnSums, sparseRowSums } from '../../core/math/sparse';

export interface CityStats {
  poiTotal: Float64Array | null;
  landUseTotal: Float64Array | null;
  tripsOut: Float64Array | null;
  tripsIn: Float64Array | null;
  areaKm2: Float64Array | null;
}

function rowSums(m: Matrix): Float64Array {
  const out = new Float64Array(m.rows);
  for (let r = 0; r < m.rows; r++) {
    let s = 0;
    for (let c = 0; c < m.cols; c++) s += m.data[r * m.cols + c];
    out[r] = s;
  }
  return out;
}

function column(m: Matrix, c: number): Float64Array {
  const out = new Float64Array(m.rows);
  for (let r = 0; r < m.rows; r++) out[r] = m.data[r * m.cols + c];
  return out;
}

export function cityStats(city: City): CityStats {
  const { poi, landUse, trips } = city.views;
  const anyGeometry = city.regions.some((r) => r.geometry !== null);
  return {
    poiTotal: poi ? rowSums(poi) : null,
    landUseTotal: landUse ? rowSums(landUse) : null,
    tripsOut: trips ? sparseRowSums(trips) : null,
    tripsIn: trips ? sparseColumnSums(trips) : null,
    areaKm2: anyGeometry
      ? Float64Array.from(city.regions, (r) => (r.geometry ? geometryAreaM2(r.geometry) / 1e6 : NaN))
      : null,
  };
}

export interface ValueOption {
  /** e.g. "poi-total", "label:crime", "poi:food_and_drink". */
  id: string;
  label: string;
  group: string;
  /** Shown under the legend (e.g. how missing labels are treated). */
  note?: string;
}

const humanize = (s: string): string => {
  const t = s.replace(/[_-]+/g, ' ').trim();
  return t.charAt(0).toUpperCase() + t.slice(1);
};

/** The values this city can be coloured by, in picker order. */
export function valueOptions(city: City, stats: CityStats): ValueOption[] {
  const out: ValueOption[] = [];
  if (stats.poiTotal) out.push({ id: 'poi-total', label: 'Total POIs', group: 'Counts' });
  if (stats.tripsOut) out.push({ id: 'trips-out', label: 'Trips out', group: 'Counts' });
  if (stats.tripsIn) out.push({ id: 'trips-in', label: 'Trips in', group: 'Counts' });
  if (stats.landUseTotal) out.push({ id: 'landuse-total', label: 'Land use (total)', group: 'Counts' });
  if (stats.areaKm2) out.push({ id: 'area', label: 'Area (km²)', group: 'Counts' });
  for (const l of city.labels) {
    out.push({
      id: `label:${l.id}`,
      label: `${l.name}${l.unit ? ` (${l.unit})` : ''}`,
      group: 'Task labels',
      ...(l.note ? { note: l.note } : {}),
    });
  }
  city.views.poiCategories.forEach((c, i) => {
    if (city.views.poi) out.push({ id: `poi:${i}`, label: humanize(c), group: 'POI categories' });
  });
  city.views.landUseClasses.forEach((c, i) => {
    if (city.views.landUse) out.push({ id: `landuse:${i}`, label: humanize(c), group: 'Land use' });
  });
  return out;
}

export function defaultValueId(options: ValueOption[], previous?: string): string {
  if (previous && options.some((o) => o.id === previous)) return previous;
  return options[0]?.id ?? '';
}

/** One number per region for a value option (NaN = no value); null when unknown. */
export function valuesFor(city: City, stats: CityStats, id: string): Float64Array | null {
  const { poi, landUse } = city.views;
  if (id === 'poi-total') return stats.poiTotal;
  if (id === 'trips-out') return stats.tripsOut;
  if (id === 'trips-in') return stats.tripsIn;
  if (id === 'landuse-total') return stats.landUseTotal;
  if (id === 'area') return stats.areaKm2;
  if (id.startsWith('label:')) return city.labels.find((l) => l.id === id.slice(6))?.values ?? null;
  const [kind, index] = id.split(':');
  const c = Number(index);
  if (kind === 'poi' && poi && c >= 0 && c < poi.cols) return column(poi, c);
  if (kind === 'landuse' && landUse && c >= 0 && c < landUse.cols) return column(landUse, c);
  return null;
}

export function formatNumber(v: number): string {
  if (Number.isNaN(v)) return 'no value';
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v)) return v.toLocaleString('en-US');
  const abs = Math.abs(v);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return v.toLocaleString('en-US', { maximumFractionDigits: digits });
}

export interface SummaryRow {
  label: string;
  value: string;
}

/** The top entries of one row of a view, largest first. */
export function topEntries(m: Matrix, names: string[], row: number, count: number): SummaryRow[] {
  const items: { name: string; v: number }[] = [];
  for (let c = 0; c < m.cols; c++)
    items.push({ name: names[c] ?? `column ${c}`, v: m.data[row * m.cols + c] });
  return items
    .filter((x) => x.v > 0)
    .sort((a, b) => b.v - a.v)
    .slice(0, count)
    .map((x) => ({ label: humanize(x.name), value: formatNumber(x.v) }));
}

/** Main counts of one region (tooltip and side panel). */
export function regionSummary(city: City, stats: CityStats, i: number): SummaryRow[] {
  const rows: SummaryRow[] = [];
  const { poi, poiCategories } = city.views;
  if (stats.poiTotal) rows.push({ label: 'Total POIs', value: formatNumber(stats.poiTotal[i]) });
  if (poi) {
    const [top] = topEntries(poi, poiCategories, i, 1);
    rows.push({ label: 'Top POI category', value: top ? `${top.label} (${top.value})` : 'none' });
  }
  if (stats.tripsOut && stats.tripsIn) {
    rows.push({ label: 'Trips out', value: formatNumber(stats.tripsOut[i]) });
    rows.push({ label: 'Trips in', value: formatNumber(stats.tripsIn[i]) });
  }
  for (const l of city.labels) {
    const v = l.values[i];
    rows.push({ label: l.name, value: Number.isNaN(v) ? 'no label' : formatNumber(v) });
  }
  return rows;
}
