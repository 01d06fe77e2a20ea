/**
 * Deep links: the URL's query holds the city (catalog key), the value the map is coloured by
 * and the selected region's id, so a shared link opens the same view. Kept up to date with
 * history.replaceState (no history entry per click).
 */
import type { CityState } from '../state/city';
import type { AppStore } from '../state/store';

export interface DeepLink {
  city: string | null;
  value: string | null;
  region: string | null;
}

export function parseLink(search: string): DeepLink {
  const q = new URLSearchParams(search);
  return { city: q.get('city'), value: q.get('value'), region: q.get('region') };
}

/** The query string for the state's view ('' for a city from the user's own files). */
export function linkFor(s: Pick<CityState, 'current' | 'valueId' | 'selected'>): string {
  const entryKey = s.current?.entryKey;
  if (!s.current || !entryKey) return '';
  const q = new URLSearchParams({ city: entryKey });
  if (s.valueId) q.set('value', s.valueId);
  if (s.selected !== null) {
    const id = s.current.city.regions[s.selected]?.id;
    if (id !== undefined) q.set('region', id);
  }
  return `?${q.toString()}`;
}

/** Apply the link's value and region to the city just opened (what does not exist is ignored). */
export function applyLink(store: AppStore, link: DeepLink): void {
  const s = store.getState();
  if (!s.current) return;
  if (link.value && s.current.options.some((o) => o.id === link.value)) s.setValueId(link.value);
  if (link.region) {
    const index = s.current.city.regions.findIndex((r) => r.id === link.region);
    if (index >= 0) s.select(index);
  }
}

/** Keep the address bar in step with the view. */
export function syncLinkToUrl(store: AppStore): () => void {
  return store.subscribe((s, previous) => {
    if (s.current === previous.current && s.valueId === previous.valueId && s.selected === previous.selected)
      return;
    const search = linkFor(s);
    if (!s.current || search === window.location.search) return;
    // A city from the user's files cannot be linked to: drop the query rather than keep a stale one.
    window.history.replaceState(null, '', `${window.location.pathname}${search}${window.location.hash}`);
  });
}
