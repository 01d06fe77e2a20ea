/**
 * The options of the region finder. A list of every region is three DOM nodes per region made
 * and styled when a city opens (5,000 regions: 0.4 s of the page's first frame), so beyond
 * EAGER_OPTIONS regions the list holds only the selected region until it is first used.
 */
import type { Region } from '../../core/city/types';

/** Up to this many regions the finder lists them all from the start. */
export const EAGER_OPTIONS = 1000;

export interface FinderOption {
  /** Row of the region. */
  index: number;
  label: string;
}

const label = (r: Pick<Region, 'id' | 'name'>): string => (r.name === r.id ? r.id : `${r.name} (${r.id})`);

/** Every region once the list was used (or the city is small), else only the selected one. */
export function finderOptions(
  regions: readonly Pick<Region, 'id' | 'name'>[],
  selected: number | null,
  used: boolean,
): FinderOption[] {
  if (used || regions.length <= EAGER_OPTIONS) return regions.map((r, index) => ({ index, label: label(r) }));
  const r = selected === null ? undefined : regions[selected];
  return r && selected !== null ? [{ index: selected, label: label(r) }] : [];
}
