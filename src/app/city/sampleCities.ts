/**
 * The built-in sample cities (`sample-cities/`). Vite turns every file into an asset URL
 * (`?url&no-inline`: always a separate file, never a data: URL), so dev, preview and the
 * production build all serve them without copying anything by hand.
 */
import { DEFAULT_MAX_FILE_BYTES, type FileSource } from '../../core/io/source';
import { tooLargeMessage } from '../../core/io/limits';

const assetUrls = import.meta.glob<string>('../../../sample-cities/**/*.{json,geojson,csv,npy}', {
  query: '?url&no-inline',
  import: 'default',
  eager: true,
});

const PREFIX = '../../../sample-cities/';

/** Asset URL per path relative to sample-cities/, e.g. "riverton/poi.csv". */
export const SAMPLE_FILES: ReadonlyMap<string, string> = new Map(
  Object.entries(assetUrls).map(([path, url]) => [path.slice(PREFIX.length), url]),
);

export interface SampleCityInfo {
  id: string;
  name: string;
  regions?: number;
  default?: boolean;
  description?: string;
}

/** A FileSource over a table of (relative path → URL), read with fetch. */
export function assetSource(
  label: string,
  urls: ReadonlyMap<string, string>,
  fetchImpl: typeof fetch = (input, init) => fetch(input, init),
  maxBytes = DEFAULT_MAX_FILE_BYTES,
): FileSource {
  const norm = (p: string): string => p.replace(/^\.?\//, '');
  return {
    label,
    async read(path) {
      const url = urls.get(norm(path));
      if (!url) return { ok: false, reason: 'missing', message: `${path} not found in ${label}` };
      try {
        const res = await fetchImpl(url);
        if (!res.ok) {
          return {
            ok: false,
            reason: 'unreadable',
            message: `${path}: HTTP ${res.status} ${res.statusText}`,
          };
        }
        const bytes = new Uint8Array(await res.arrayBuffer());
        if (bytes.length > maxBytes) {
          return { ok: false, reason: 'too-large', message: tooLargeMessage(path, bytes.length, maxBytes) };
        }
        return { ok: true, bytes };
      } catch (e) {
        return {
          ok: false,
          reason: 'unreadable',
          message: `${path} could not be fetched (${e instanceof Error ? e.message : String(e)})`,
        };
      }
    },
    async exists(path) {
      return urls.has(norm(path));
    },
  };
}

/** The files of one sample city, as a FileSource. */
export function sampleCitySource(id: string): FileSource {
  const prefix = `${id}/`;
  const urls = new Map<string, string>();
  for (const [path, url] of SAMPLE_FILES)
    if (path.startsWith(prefix)) urls.set(path.slice(prefix.length), url);
  return assetSource(`sample-cities/${id}`, urls);
}

function isInfo(v: unknown): v is SampleCityInfo {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return typeof o.id === 'string' && typeof o.name === 'string';
}

/** sample-cities/index.json, or the city folders found when it is missing or unreadable. */
export async function listSampleCities(): Promise<SampleCityInfo[]> {
  const folders = [
    ...new Set([...SAMPLE_FILES.keys()].filter((p) => p.includes('/')).map((p) => p.split('/')[0])),
  ];
  const withManifest = folders.filter((id) => SAMPLE_FILES.has(`${id}/city.json`));
  const indexUrl = SAMPLE_FILES.get('index.json');
  if (indexUrl) {
    try {
      const json: unknown = await (await fetch(indexUrl)).json();
      const list = (json as { cities?: unknown }).cities;
      if (Array.isArray(list)) {
        const cities = list.filter(isInfo).filter((c) => withManifest.includes(c.id));
        if (cities.length > 0) return cities;
      }
    } catch {
      // fall through to the folder list
    }
  }
  return withManifest.map((id, i) => ({ id, name: id, default: i === 0 }));
}
