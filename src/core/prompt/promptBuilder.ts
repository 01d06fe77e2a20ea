/**
 * Region prompts: a task's template filled with one region's facts (name or address,
 * centroid, POI composition, land-use mix, trips in and out, neighbours). Deterministic:
 * the same city and task give byte-identical text.
 */
import type { City } from '../city/types';
import { sparseGet, sparseTranspose, type SparseMatrix } from '../math/sparse';
import { haversineKm } from '../spatial/distance';
import type { TaskText } from '../tasks/types';

export interface CountShare {
  label: string;
  count: number;
  share: number; // 0..1
}

export interface RegionFacts {
  id: string;
  name: string;
  address: string | null;
  centroid: [number, number] | null;
  poiTotal: number;
  poi: CountShare[];
  landUseTotal: number;
  landUse: CountShare[];
  tripsOut: number;
  tripsIn: number;
  /** Names of the regions most trips leaving this one go to (excluding itself). */
  topDestinations: string[];
  /** Adjacent regions, else the nearest by centroid, else the strongest trip partners. */
  neighbours: string[];
  neighbourKind: 'adjacent' | 'nearest' | 'trip partners' | 'none';
}

export interface PromptOptions {
  /** Categories listed per view (the rest are summed as "other"). */
  topCategories?: number;
  /** Neighbours and destinations listed. */
  topRegions?: number;
}

/** "food_and_drink" -> "food and drink". */
export function humanise(label: string): string {
  return label.replace(/[_-]+/g, ' ').trim();
}

/** The "Address:" line of a region description (the benchmark's Chicago descriptions), if any. */
export function addressOf(description: string | undefined): string | null {
  const m = /Address:\s*([^\n]+)/.exec(description ?? '');
  return m ? m[1].trim() : null;
}

function composition(row: ArrayLike<number>, labels: string[]): { total: number; parts: CountShare[] } {
  let total = 0;
  for (let k = 0; k < row.length; k++) total += row[k];
  const parts = labels
    .map((label, k) => ({ label: humanise(label), count: row[k], share: total > 0 ? row[k] / total : 0 }))
    .filter((p) => p.count > 0)
    .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
  return { total, parts };
}

/** Indices among `candidates` of the k largest positive values of `score` (ties by index), skipping `exclude`. */
function topIndices(
  score: (j: number) => number,
  candidates: number[],
  k: number,
  exclude: number,
): number[] {
  return candidates
    .filter((j) => j !== exclude && score(j) > 0)
    .sort((a, b) => score(b) - score(a) || a - b)
    .slice(0, k);
}

/** Columns of row i's stored entries (the regions with trips from i, for a trip matrix). */
const storedColumns = (m: SparseMatrix, i: number): number[] =>
  Array.from(m.colIndex.subarray(m.rowStart[i], m.rowStart[i + 1]));

/**
 * One region's facts. `incoming` is the trips transposed (row i = trips into region i);
 * buildPrompts makes it once for every region.
 */
export function regionFacts(
  city: City,
  i: number,
  adjacency: number[][] | null,
  options: PromptOptions = {},
  incoming: SparseMatrix | null = city.views.trips && sparseTranspose(city.views.trips),
): RegionFacts {
  const n = city.regions.length;
  const k = options.topRegions ?? 4;
  const region = city.regions[i];
  const { poi, landUse, trips } = city.views;
  const poiComp = poi
    ? composition(poi.data.subarray(i * poi.cols, (i + 1) * poi.cols), city.views.poiCategories)
    : null;
  const landComp = landUse
    ? composition(landUse.data.subarray(i * landUse.cols, (i + 1) * landUse.cols), city.views.landUseClasses)
    : null;
  let tripsOut = 0;
  let tripsIn = 0;
  let partners: number[] = [];
  if (trips && incoming) {
    // Stored entries in column order: the sums the dense row and column gave.
    for (let e = trips.rowStart[i]; e < trips.rowStart[i + 1]; e++) tripsOut += trips.values[e];
    for (let e = incoming.rowStart[i]; e < incoming.rowStart[i + 1]; e++) tripsIn += incoming.values[e];
    partners = [...new Set([...storedColumns(trips, i), ...storedColumns(incoming, i)])].sort(
      (a, b) => a - b,
    );
  }
  const name = (j: number): string => city.regions[j].name;
  const topDestinations = trips
    ? topIndices((j) => sparseGet(trips, i, j), storedColumns(trips, i), k, i).map(name)
    : [];

  let neighbours: string[] = [];
  let neighbourKind: RegionFacts['neighbourKind'] = 'none';
  const adjacent = adjacency?.[i] ?? city.adjacency?.[i];
  if (adjacent && adjacent.length > 0) {
    neighbours = adjacent.slice(0, k).map(name);
    neighbourKind = 'adjacent';
  } else if (region.centroid && city.spatial.centroids) {
    const c = region.centroid;
    neighbours = topIndices(
      (j) => 1 / (1e-9 + haversineKm(c, city.regions[j].centroid as [number, number])),
      Array.from({ length: n }, (_, j) => j),
      k,
      i,
    ).map(name);
    neighbourKind = 'nearest';
  } else if (trips) {
    neighbours = topIndices((j) => sparseGet(trips, i, j) + sparseGet(trips, j, i), partners, k, i).map(name);
    neighbourKind = 'trip partners';
  }
  return {
    id: region.id,
    name: region.name,
    address: addressOf(region.description),
    centroid: region.centroid,
    poiTotal: poiComp?.total ?? 0,
    poi: poiComp?.parts ?? [],
    landUseTotal: landComp?.total ?? 0,
    landUse: landComp?.parts ?? [],
    tripsOut,
    tripsIn,
    topDestinations,
    neighbours,
    neighbourKind,
  };
}

/** 12345.6 -> "12,346" (no Intl: identical in every runtime). */
const integer = (v: number): string => String(Math.round(v)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
const percent = (share: number): string => `${(100 * share).toFixed(1)}%`;

function listParts(parts: CountShare[], top: number): string {
  const shown = parts.slice(0, top).map((p) => `${p.label} ${integer(p.count)} (${percent(p.share)})`);
  const rest = parts.slice(top);
  if (rest.length > 0) {
    const count = rest.reduce((a, p) => a + p.count, 0);
    shown.push(
      `${rest.length} other categories ${integer(count)} (${percent(rest.reduce((a, p) => a + p.share, 0))})`,
    );
  }
  return shown.join(', ');
}

function coordinates([lon, lat]: [number, number]): string {
  return `${Math.abs(lat).toFixed(4)}° ${lat >= 0 ? 'N' : 'S'}, ${Math.abs(lon).toFixed(4)}° ${lon >= 0 ? 'E' : 'W'}`;
}

/** One region's prompt for one task. */
export function buildPrompt(task: TaskText, facts: RegionFacts, options: PromptOptions = {}): string {
  const top = options.topCategories ?? 8;
  const t = task.template;
  const lines = [
    t.persona,
    `Task: ${task.name}. ${task.description}${task.unit ? ` (unit: ${task.unit})` : ''}`,
    'Look at:',
    ...t.focus.map((f) => `- ${f}`),
    '',
    `Region: ${facts.name} (id ${facts.id})`,
  ];
  if (facts.address) lines.push(`Address: ${facts.address}`);
  if (facts.centroid) lines.push(`Centroid: ${coordinates(facts.centroid)}`);
  lines.push(
    facts.poi.length
      ? `Points of interest (${integer(facts.poiTotal)}): ${listParts(facts.poi, top)}`
      : 'Points of interest: none recorded',
  );
  lines.push(
    facts.landUse.length
      ? `Land use (${integer(facts.landUseTotal)}): ${listParts(facts.landUse, top)}`
      : 'Land use: none recorded',
  );
  lines.push(`Trips: ${integer(facts.tripsOut)} leaving, ${integer(facts.tripsIn)} arriving`);
  if (facts.topDestinations.length) lines.push(`Most trips go to: ${facts.topDestinations.join(', ')}`);
  if (facts.neighbours.length) {
    const label = {
      adjacent: 'Adjacent regions',
      nearest: 'Nearest regions',
      'trip partners': 'Strongest trip partners',
      none: '',
    }[facts.neighbourKind];
    lines.push(`${label}: ${facts.neighbours.join(', ')}`);
  }
  lines.push('', t.outputStructure);
  return lines.join('\n');
}

/** Every region's prompt for a task, in region order. */
export function buildPrompts(
  city: City,
  task: TaskText,
  adjacency: number[][] | null = null,
  options: PromptOptions = {},
): string[] {
  const incoming = city.views.trips && sparseTranspose(city.views.trips);
  return city.regions.map((_, i) =>
    buildPrompt(task, regionFacts(city, i, adjacency, options, incoming), options),
  );
}
