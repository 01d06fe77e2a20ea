/** What a key pressed on the city select means for opening a city. */
export type CityKeyIntent = 'browse' | 'open' | 'revert' | null;

/** Keys that move a closed select's choice without opening its list. */
const BROWSE_KEYS = new Set([
  'ArrowUp',
  'ArrowDown',
  'ArrowLeft',
  'ArrowRight',
  'Home',
  'End',
  'PageUp',
  'PageDown',
]);

/**
 * A key on the city select: arrows, Home/End, Page Up/Down and typed letters browse the list
 * (the city shown changes, nothing loads yet), Enter opens the city browsed to, Escape goes back
 * to the open city. Keys with Ctrl, Alt or Meta (Alt+ArrowDown opens the list) mean nothing here.
 */
export function cityKeyIntent(e: {
  key: string;
  ctrlKey?: boolean;
  altKey?: boolean;
  metaKey?: boolean;
}): CityKeyIntent {
  if (e.ctrlKey || e.altKey || e.metaKey) return null;
  if (BROWSE_KEYS.has(e.key)) return 'browse';
  if (e.key === 'Enter') return 'open';
  if (e.key === 'Escape') return 'revert';
  // One printable character: type-ahead jumps to the option starting with it.
  if ([...e.key].length === 1 && e.key !== ' ') return 'browse';
  return null;
}
