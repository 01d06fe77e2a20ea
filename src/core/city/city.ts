/** Helpers shared by all loaders to assemble a City. */
import type { City, CityMetadata, CityViews, Region, SpatialInfo, TaskLabels } from './types';

export function spatialInfoOf(
  regions: Region[],
  views: CityViews,
  adjacency: number[][] | null,
): SpatialInfo {
  const boundaries = regions.length > 0 && regions.every((r) => r.geometry !== null);
  return {
    boundaries,
    centroids: regions.length > 0 && regions.every((r) => r.centroid !== null),
    adjacency: adjacency !== null || boundaries,
    trips: views.trips !== null,
  };
}

export function makeLabels(
  id: string,
  name: string,
  unit: string,
  values: Float64Array,
  note?: string,
): TaskLabels {
  let missing = 0;
  for (const v of values) if (Number.isNaN(v)) missing++;
  return { id, name, unit, values, missing, ...(note ? { note } : {}) };
}

/**
 * A task's name and unit from a column id, when nothing names the task: a trailing unit in
 * brackets is its unit ("crime (incidents)" -> Crime, incidents), and underscores, hyphens
 * and camelCase become words, capitalised ("service_calls" -> Service calls, "checkIn" ->
 * Check in). Acronyms stay ("NYC_311_calls" -> NYC 311 calls).
 */
export function taskNameOfColumn(column: string): { name: string; unit: string } {
  const bracketed = /^(.*?)\s*[([]\s*([^()[\]]*?)\s*[)\]]\s*$/.exec(column);
  const base = bracketed && bracketed[1].trim() !== '' ? bracketed[1] : column;
  const unit = bracketed && bracketed[1].trim() !== '' ? bracketed[2] : '';
  const words = base
    .replace(/([a-z\d])([A-Z])(?=[a-z])/g, (_, a: string, b: string) => `${a} ${b.toLowerCase()}`)
    .replace(/[_-]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (words === '') return { name: column, unit: '' };
  return { name: words.charAt(0).toUpperCase() + words.slice(1), unit };
}

export function assembleCity(
  metadata: CityMetadata,
  regions: Region[],
  views: CityViews,
  labels: TaskLabels[],
  adjacency: number[][] | null,
): City {
  return { metadata, regions, views, labels, adjacency, spatial: spatialInfoOf(regions, views, adjacency) };
}

/** Names and units of the three benchmark tasks. */
export const BUILTIN_TASKS: Record<string, { name: string; unit: string; note?: string }> = {
  crime: { name: 'Crime', unit: 'crimes' },
  checkIn: {
    name: 'Check-ins',
    unit: 'check-ins',
    note: '0 means missing: drop those regions for this task',
  },
  serviceCall: { name: 'Service calls', unit: '311 calls' },
};

/** Validate an adjacency list (symmetric, in range, no self loops) and report the first problem. */
export function adjacencyProblem(adjacency: unknown, n: number): string | null {
  if (!Array.isArray(adjacency)) return 'adjacency is not an array of neighbour lists';
  if (adjacency.length !== n) return `adjacency has ${adjacency.length} lists but the city has ${n} regions`;
  const sets = adjacency.map((list) => (Array.isArray(list) ? new Set(list) : null));
  for (let i = 0; i < n; i++) {
    const s = sets[i];
    if (!s) return `entry ${i} is not a list`;
    for (const j of s) {
      if (typeof j !== 'number' || !Number.isInteger(j) || j < 0 || j >= n)
        return `entry ${i} lists ${JSON.stringify(j)}, not a region row 0..${n - 1}`;
      if (j === i) return `region ${i} lists itself as a neighbour`;
      if (!sets[j]?.has(i)) return `not symmetric: ${i} lists ${j} but ${j} does not list ${i}`;
    }
  }
  return null;
}
