/** The cities the picker offers: the built-in samples and, when the server has them, the benchmark. */
import { urlSource, type FileSource } from '../../core/io/source';
import { listSampleCities, sampleCitySource } from './sampleCities';

export type CityGroup = 'Sample cities' | 'Benchmark cities';

export interface CityEntry {
  /** Unique key, e.g. "sample:riverton" or "benchmark:chicago". */
  key: string;
  name: string;
  group: CityGroup;
  regions?: number;
  isDefault?: boolean;
  source: () => FileSource;
}

const BENCHMARK_NAMES: Record<string, string> = {
  chicago: 'Chicago',
  nyc: 'New York City',
  sf: 'San Francisco',
};

const baseUrl = (): string => new URL(import.meta.env.BASE_URL, window.location.href).toString();

export async function listSampleEntries(): Promise<CityEntry[]> {
  const cities = await listSampleCities();
  return cities.map((c) => ({
    key: `sample:${c.id}`,
    name: c.name,
    group: 'Sample cities',
    ...(c.regions !== undefined ? { regions: c.regions } : {}),
    ...(c.default ? { isDefault: true } : {}),
    source: () => sampleCitySource(c.id),
  }));
}

/** Benchmark cities served under /benchmark/ (dev and preview only); [] when absent. */
export async function listBenchmarkEntries(): Promise<CityEntry[]> {
  try {
    const res = await fetch(new URL('benchmark/index.json', baseUrl()));
    const type = res.headers.get('content-type') ?? '';
    if (!res.ok || !type.includes('json')) return [];
    const json: unknown = await res.json();
    const ids = (json as { cities?: unknown }).cities;
    if (!Array.isArray(ids)) return [];
    return ids
      .filter((id): id is string => typeof id === 'string' && /^[\w-]+$/.test(id))
      .map((id) => ({
        key: `benchmark:${id}`,
        name: BENCHMARK_NAMES[id] ?? id.charAt(0).toUpperCase() + id.slice(1),
        group: 'Benchmark cities',
        source: () => urlSource(new URL(`benchmark/${id}/`, baseUrl()).toString()),
      }));
  } catch {
    return [];
  }
}
