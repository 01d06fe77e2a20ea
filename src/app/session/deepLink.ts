/**
 * Deep links: the URL's query holds the city (catalog key), the value the map is coloured by,
 * the selected region's id and the map's view (`map=zoom/lat/lon`), so a shared link opens the
 * same view. Kept up to date with history.replaceState (no history entry per click). A linked
 * value that needs a run this browser does not have is told, not silently replaced.
 */
import type { CityState } from '../state/city';
import type { SessionState } from '../state/session';
import type { AppStore } from '../state/store';
import type { Camera, ViewState } from '../state/view';

export interface DeepLink {
  city: string | null;
  value: string | null;
  region: string | null;
  /** The map's centre and zoom; null: fit the city. */
  camera: Camera | null;
}

/** `zoom/lat/lon` (as OpenStreetMap's `map=`), or null when it is not three finite numbers in range. */
export function parseCamera(text: string | null): Camera | null {
  const parts = text?.split('/') ?? [];
  if (parts.length !== 3 || parts.some((p) => p.trim() === '')) return null;
  const [zoom, lat, lon] = parts.map(Number);
  const ok = Number.isFinite(zoom) && zoom >= 0 && zoom <= 24 && Math.abs(lat) <= 90 && Math.abs(lon) <= 180;
  return ok ? { zoom, lat, lon } : null;
}

export const cameraText = (c: Camera): string =>
  `${c.zoom.toFixed(2)}/${c.lat.toFixed(5)}/${c.lon.toFixed(5)}`;

export function parseLink(search: string): DeepLink {
  const q = new URLSearchParams(search);
  return {
    city: q.get('city'),
    value: q.get('value'),
    region: q.get('region'),
    camera: parseCamera(q.get('map')),
  };
}

/** The query string for the state's view ('' for a city from the user's own files). */
export function linkFor(
  s: Pick<CityState, 'current' | 'valueId' | 'selected'> & Partial<Pick<ViewState, 'camera'>>,
): string {
  const entryKey = s.current?.entryKey;
  if (!s.current || !entryKey) return '';
  const q = new URLSearchParams({ city: entryKey });
  if (s.valueId) q.set('value', s.valueId);
  if (s.selected !== null) {
    const id = s.current.city.regions[s.selected]?.id;
    if (id !== undefined) q.set('region', id);
  }
  if (s.camera) q.set('map', cameraText(s.camera));
  return `?${q.toString()}`;
}

/**
 * Apply the link's value, region and view to the city just opened (what does not exist is
 * ignored; a value that needs a run waits for it, see `waitingNotice`).
 */
export function applyLink(store: AppStore, link: DeepLink): void {
  const s = store.getState();
  if (!s.current) return;
  if (link.value && s.current.options.some((o) => o.id === link.value)) s.setValueId(link.value);
  if (link.region) {
    const index = s.current.city.regions.findIndex((r) => r.id === link.region);
    if (index >= 0) s.select(index);
  }
  if (link.camera) s.requestCamera(link.camera);
}

/** Value ids a run adds to the map, with how predictions.ts words each after the task's name. */
const RUN_VALUES: [prefix: string, words: string][] = [
  ['predicted:', 'predicted'],
  ['residual:', 'residual (predicted − actual)'],
  ['prompt:', 'predicted with the task prompt'],
  ['prompt-residual:', 'residual with the task prompt'],
  ['lisa:', 'where the errors cluster (LISA)'],
];

/**
 * What the map says while a value asked for (by a link or the saved session) waits: which
 * layer, that it appears after training, and what is shown instead; null when nothing waits
 * (no such value, it exists now, or the user has since picked another value).
 */
export function waitingNotice(
  s: Pick<CityState, 'current' | 'valueId'> & Pick<SessionState, 'waitingValue'>,
): string | null {
  const w = s.waitingValue;
  if (!w || !s.current || s.valueId !== w.instead) return null;
  const { options, city } = s.current;
  if (options.some((o) => o.id === w.id)) return null;
  const instead = options.find((o) => o.id === w.instead)?.label ?? w.instead;
  const run = RUN_VALUES.find(([prefix]) => w.id.startsWith(prefix));
  if (!run) return `The layer “${w.id}” is not in ${city.metadata.name}; showing ${instead}.`;
  const task = w.id.slice(run[0].length);
  const name = city.labels.find((l) => l.id === task)?.name ?? task;
  return (
    `“${name}: ${run[1]}” appears after training: this browser has no trained run of ` +
    `${city.metadata.name}. Showing ${instead} until then.`
  );
}

/** Keep the address bar in step with the view. */
export function syncLinkToUrl(store: AppStore): () => void {
  return store.subscribe((s, previous) => {
    if (
      s.current === previous.current &&
      s.valueId === previous.valueId &&
      s.selected === previous.selected &&
      s.camera === previous.camera
    )
      return;
    const search = linkFor(s);
    if (!s.current || search === window.location.search) return;
    // A city from the user's files cannot be linked to: drop the query rather than keep a stale one.
    window.history.replaceState(null, '', `${window.location.pathname}${search}${window.location.hash}`);
  });
}
