/** A plain-text report of what a city holds (used by the CLI; also handy in tests). */
import { nonZeros, sparseTotal, type SparseMatrix } from '../math/sparse';
import type { City, Matrix, TaskLabels } from './types';

function stats(values: ArrayLike<number>): { min: number; max: number; mean: number; sd: number; n: number } {
  let n = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) continue;
    n++;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const mean = n ? sum / n : NaN;
  let ss = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) ss += (values[i] - mean) ** 2;
  return { min, max, mean, sd: n > 1 ? Math.sqrt(ss / (n - 1)) : 0, n };
}

const fmt = (v: number): string => (Number.isInteger(v) ? String(v) : v.toFixed(2));

function describeMatrix(m: Matrix | null | undefined, columns?: string[]): string {
  if (!m) return 'none';
  let total = 0;
  let nonZero = 0;
  for (const v of m.data) {
    total += v;
    if (v !== 0) nonZero++;
  }
  const cols =
    columns && columns.length
      ? ` (${columns.slice(0, 4).join(', ')}${columns.length > 4 ? ', ...' : ''})`
      : '';
  return `${m.rows} x ${m.cols}${cols}; total ${fmt(total)}; ${((100 * nonZero) / m.data.length).toFixed(1)}% non-zero`;
}

/** As describeMatrix, for trips: the total and share of pairs with trips, from the stored pairs. */
function describeTrips(m: SparseMatrix | null | undefined): string {
  if (!m) return 'none';
  return `${m.rows} x ${m.cols}; total ${fmt(sparseTotal(m))}; ${((100 * nonZeros(m)) / (m.rows * m.cols)).toFixed(1)}% non-zero`;
}

function describeLabels(l: TaskLabels): string {
  const s = stats(l.values);
  let zeros = 0;
  for (const v of l.values) if (v === 0) zeros++;
  return `${l.id} (${l.name}${l.unit ? `, ${l.unit}` : ''}): n ${s.n}, missing ${l.missing}, zeros ${zeros}, min ${fmt(s.min)}, mean ${fmt(s.mean)}, sd ${fmt(s.sd)}, max ${fmt(s.max)}`;
}

export function inspectCity(city: City): string {
  const n = city.regions.length;
  const sp = city.spatial;
  const yes = (b: boolean): string => (b ? 'yes' : 'no');
  const lines = [
    `City: ${city.metadata.name}`,
    `Source: ${city.metadata.source}`,
    `Licence: ${city.metadata.licence}`,
    `Regions: ${n} (${sp.boundaries ? 'with boundaries' : 'without geometry'})`,
    `  first: ${city.regions
      .slice(0, 3)
      .map((r) => `${r.id} "${r.name}"`)
      .join(', ')}`,
    `Spatial information: boundaries ${yes(sp.boundaries)}, centroids ${yes(sp.centroids)}, adjacency ${
      city.adjacency ? 'yes (given)' : sp.adjacency ? 'yes (from boundaries)' : 'no'
    }, trips ${yes(sp.trips)}`,
    `Views:`,
    `  POI: ${describeMatrix(city.views.poi, city.views.poiCategories)}`,
    `  land use: ${describeMatrix(city.views.landUse, city.views.landUseClasses)}`,
    `  trips: ${describeTrips(city.views.trips)}`,
  ];
  if (city.views.mobilityTarget) lines.push(`  mobility target: ${describeTrips(city.views.mobilityTarget)}`);
  lines.push(`Labels:${city.labels.length ? '' : ' none'}`);
  for (const l of city.labels) lines.push(`  ${describeLabels(l)}`);
  const described = city.regions.filter((r) => r.description).length;
  if (described) lines.push(`Region descriptions: ${described} of ${n}`);
  return lines.join('\n');
}
