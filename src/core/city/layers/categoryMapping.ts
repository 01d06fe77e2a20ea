/**
 * POI category mapping: which of the city's POI categories each category of a points file
 * counts as, or DROP to leave its points out. Written by the user (the app's mapping panel, a
 * JSON file for the CLI) or suggested: the same name first (case, spaces, underscores and
 * hyphens ignored), then the OpenStreetMap table (osmCategories.ts) when the city has the
 * table's category.
 */
import { osmCategoryOf } from './osmCategories';

/** The target that leaves a category's points out of the counts. */
export const DROP = 'drop';

/**
 * Source category (as written in the file) -> one of the city's categories, or DROP. Its keys
 * are the user's (a category may be called "__proto__", "constructor" or "toString"), so a
 * mapping is made with newMapping (no prototype) and read with mappedTarget (own keys only).
 */
export type CategoryMapping = Record<string, string>;

/** An empty mapping without a prototype (its keys can be any text), with `entries` copied in. */
export function newMapping(...sources: (CategoryMapping | undefined)[]): CategoryMapping {
  const m = Object.create(null) as CategoryMapping;
  for (const source of sources)
    if (source) for (const [k, v] of Object.entries(source)) if (typeof v === 'string') m[k] = v;
  return m;
}

/** The target `mapping` gives `source` itself (never an inherited name such as "toString"), or undefined. */
export function mappedTarget(mapping: CategoryMapping, source: string): string | undefined {
  return Object.hasOwn(mapping, source) ? mapping[source] : undefined;
}

/** Category names compared without case, spaces, underscores or hyphens mattering. */
export const categoryKey = (c: string): string =>
  c
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, ' ');

/** A point category and how many points carry it. */
export interface CategoryCount {
  name: string;
  count: number;
}

/** The categories of the points, most frequent first (ties by name); '' (no category) left out. */
export function categoryCounts(categories: readonly string[]): CategoryCount[] {
  const counts = new Map<string, number>();
  for (const c of categories) if (c !== '') counts.set(c, (counts.get(c) ?? 0) + 1);
  return [...counts]
    .map(([name, count]) => ({ name, count }))
    .sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The target an exact-name match gives `source` among `targets`, or null. */
export function sameNameTarget(source: string, targets: readonly string[]): string | null {
  const k = categoryKey(source);
  return targets.find((t) => categoryKey(t) === k) ?? null;
}

/**
 * The suggested target of each source category: the same name among `targets`, else (with
 * `osm`) the OSM table's category when `targets` has it. Categories with neither are left
 * out of the mapping (they are reported as unmapped).
 */
export function suggestCategoryMapping(
  sources: readonly string[],
  targets: readonly string[],
  options: { osm?: boolean } = {},
): CategoryMapping {
  const mapping = newMapping();
  for (const s of sources) {
    const same = sameNameTarget(s, targets);
    const osm = options.osm ? osmCategoryOf(s) : null;
    const target = same ?? (osm !== null ? sameNameTarget(osm, targets) : null);
    if (target !== null) mapping[s] = target;
  }
  return mapping;
}

/** Why a mapping cannot be used: a target that is neither one of `targets` nor DROP. */
export function mappingProblems(mapping: CategoryMapping, targets: readonly string[]): string[] {
  const known = new Set(targets);
  return Object.entries(mapping)
    .filter(([, t]) => t !== DROP && !known.has(t))
    .map(([s, t]) => `"${s}" is mapped to "${t}", which is not one of the city's POI categories`);
}

/**
 * A mapping read from JSON text (an object of source category -> target name), or why not.
 * Targets are checked against `targets` (DROP allowed).
 */
export function parseCategoryMapping(
  text: string,
  fileName: string,
  targets: readonly string[],
): { mapping: CategoryMapping } | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { error: `${fileName} is not valid JSON (${e instanceof Error ? e.message : String(e)})` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { error: `${fileName} must be a JSON object of category -> target category (or "${DROP}")` };
  const mapping = newMapping();
  for (const [s, t] of Object.entries(value)) {
    if (typeof t !== 'string') return { error: `${fileName}: the target of "${s}" is not a string` };
    mapping[s] = t;
  }
  const problems = mappingProblems(mapping, targets);
  if (problems.length)
    return {
      error: `${fileName}: ${problems.slice(0, 3).join('; ')}${problems.length > 3 ? ` (and ${problems.length - 3} more)` : ''}`,
    };
  return { mapping };
}

/**
 * Where each point goes under `mapping` (falling back to the same name for categories the
 * mapping does not list): the target column in `targets`, or -1 (dropped by the mapping) or
 * -2 (unmapped). Also the points dropped and unmapped per source category.
 */
export function applyCategoryMapping(
  categories: readonly string[],
  targets: readonly string[],
  mapping: CategoryMapping = {},
): { column: Int32Array; dropped: Map<string, number>; unmapped: Map<string, number> } {
  const columnOf = new Map(targets.map((t, k) => [t, k]));
  const bySource = new Map<string, number>();
  const dropped = new Map<string, number>();
  const unmapped = new Map<string, number>();
  const column = new Int32Array(categories.length);
  categories.forEach((c, i) => {
    let k = bySource.get(c);
    if (k === undefined) {
      const target = mappedTarget(mapping, c) ?? sameNameTarget(c, targets);
      k = target === DROP ? -1 : target === null ? -2 : (columnOf.get(target) ?? -2);
      bySource.set(c, k);
    }
    column[i] = k;
    if (k === -1) dropped.set(c, (dropped.get(c) ?? 0) + 1);
    else if (k === -2) unmapped.set(c, (unmapped.get(c) ?? 0) + 1);
  });
  return { column, dropped, unmapped };
}

/** `"a" (12), "b" (3)` for the report, the most frequent first, at most `limit` named. */
export function namedCounts(counts: Map<string, number>, limit = 10): string {
  const sorted = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const listed = sorted
    .slice(0, limit)
    .map(([c, k]) => `"${c === '' ? '(none)' : c}" (${k})`)
    .join(', ');
  return sorted.length > limit ? `${listed} and ${sorted.length - limit} more` : listed;
}
