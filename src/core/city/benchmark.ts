/**
 * The benchmark layout of ../shared/benchmark/<city>/ (HAFusion's arrays):
 * poi_dist.npy (N x 26), landUse_dist.npy (N x L), mob_dist.npy and mob-adj.npy (N x N),
 * {crime,check,serviceCall}_counts.npy (N), and where present regions.geojson,
 * region_descriptions.json and adjacency.json. Row i is region i.
 */
import { readNpyHeader } from '../io/npy';
import type { FileSource } from '../io/source';
import { BUILTIN_TASKS, adjacencyProblem, assembleCity, makeLabels } from './city';
import { BENCHMARK_PROTOCOLS } from './protocol';
import { ProblemList, decodeText, parseJson } from './problems';
import { parseRegionsGeoJson } from './regionsGeoJson';
import type { CityViews, LoadResult, Region, TaskLabels } from './types';
import { readLabelValues, readTripMatrix, readViewMatrix } from './views';

/** The 26 POI categories of the benchmark, in column order (HAFusion). */
export const BENCHMARK_POI_CATEGORIES = [
  'food_and_drink', 'shopping', 'retail_services', 'education', 'healthcare', 'finance',
  'accommodation', 'entertainment', 'arts_and_culture', 'sports_and_fitness', 'parks_and_outdoors',
  'religious', 'government', 'community_services', 'transport', 'parking', 'automotive',
  'professional_services', 'business_and_industry', 'nightlife', 'beauty_and_personal_care',
  'real_estate', 'tourism', 'utilities', 'emergency_services', 'other',
]; // prettier-ignore

const LABEL_FILES: Record<string, string> = {
  crime: 'crime_counts.npy',
  checkIn: 'check_counts.npy',
  serviceCall: 'serviceCall_counts.npy',
};

const KNOWN_CITIES: Record<string, { name: string; source: string }> = {
  chicago: {
    name: 'Chicago (77 community areas)',
    source: 'HAFusion benchmark (MiRuacle24/HAFusion, data_Chi); boundaries: City of Chicago community areas',
  },
  nyc: {
    name: 'New York City (Manhattan, 180 regions)',
    source: 'HAFusion benchmark (data_NY); boundaries: MGFN mh-180; adjacency: HREP',
  },
  sf: { name: 'San Francisco (175 regions, no boundaries)', source: 'HAFusion benchmark (data_SF)' },
};

/**
 * The published region descriptions state each region's centroid as "(lat, lon)", computed
 * by the authors from the full-resolution boundaries. We prefer it to the centroid of our
 * simplified polygons: it is the centroid the method's spatial prior was built from.
 */
export function describedCentroid(text: string): [number, number] | null {
  const m = /Centroid Coordinates:\s*\(\s*([-+\d.eE]+)\s*,\s*([-+\d.eE]+)\s*\)/.exec(text);
  if (!m) return null;
  const lat = Number(m[1]);
  const lon = Number(m[2]);
  return Number.isFinite(lat) && Number.isFinite(lon) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180
    ? [lon, lat]
    : null;
}

function npyShape(bytes: Uint8Array, file: string, problems: ProblemList): number[] | null {
  try {
    return readNpyHeader(bytes).shape;
  } catch (e) {
    problems.error(file, e instanceof Error ? e.message : String(e));
    return null;
  }
}

export async function isBenchmarkLayout(source: FileSource): Promise<boolean> {
  return source.exists('poi_dist.npy');
}

/** Guess the city key ("chicago") from a path or URL. */
export function benchmarkKey(label: string): string {
  const parts = label.replace(/\/+$/, '').split(/[\\/]/);
  return parts[parts.length - 1].toLowerCase();
}

export async function loadBenchmarkCity(
  source: FileSource,
  key = benchmarkKey(source.label),
): Promise<LoadResult> {
  const problems = new ProblemList();
  const read = async (file: string, required: boolean): Promise<Uint8Array | null> => {
    const res = await source.read(file);
    if (res.ok) return res.bytes;
    if (required || res.reason !== 'missing') problems.error(file, res.message);
    return null;
  };

  const poiBytes = await read('poi_dist.npy', true);
  if (!poiBytes) return { city: null, problems: problems.items };
  // The region count comes from the POI view; ids are row numbers (as strings).
  const poiShape = npyShape(poiBytes, 'poi_dist.npy', problems);
  if (!poiShape) return { city: null, problems: problems.items };
  const n = poiShape[0];
  let ids = Array.from({ length: n }, (_, i) => String(i));

  let regions: Region[] = ids.map((id) => ({ id, name: `Region ${id}`, geometry: null, centroid: null }));
  const geo = await read('regions.geojson', false);
  if (geo) {
    const parsed = parseRegionsGeoJson(geo, 'regions.geojson', problems, { idProperty: 'index' });
    if (parsed) {
      if (parsed.regions.length !== n) {
        problems.error(
          'regions.geojson',
          `has ${parsed.regions.length} features but poi_dist.npy has ${n} rows`,
        );
      } else {
        // Row i of every array is the feature whose "index" property is i.
        const byIndex = new Map(parsed.regions.map((r) => [r.id, r]));
        const ordered = ids.map((id) => byIndex.get(id));
        const missing = ordered.findIndex((r) => r === undefined);
        if (missing >= 0)
          problems.error('regions.geojson', `no feature has index ${missing}`, undefined, 'index');
        else regions = ordered as Region[];
      }
    }
  }
  ids = regions.map((r) => r.id);

  const descriptions = await read('region_descriptions.json', false);
  if (descriptions) {
    const json = parseJson(
      decodeText(descriptions, 'region_descriptions.json', problems),
      'region_descriptions.json',
      problems,
    );
    if (Array.isArray(json)) {
      for (const entry of json) {
        const idx = typeof entry?.index === 'number' ? entry.index : -1;
        if (idx >= 0 && idx < n && typeof entry.text === 'string') {
          regions[idx] = {
            ...regions[idx],
            description: entry.text,
            centroid: describedCentroid(entry.text) ?? regions[idx].centroid,
          };
        }
      }
    } else if (json !== undefined)
      problems.warn('region_descriptions.json', 'expected an array of {index, text}: ignored');
  }

  const views: CityViews = {
    poi: null,
    poiCategories: [],
    landUse: null,
    landUseClasses: [],
    trips: null,
    mobilityTarget: null,
  };
  const poi = readViewMatrix(poiBytes, 'poi_dist.npy', ids, problems, {
    columns:
      poiShape[1] === BENCHMARK_POI_CATEGORIES.length
        ? BENCHMARK_POI_CATEGORIES
        : Array.from({ length: poiShape[1] ?? 1 }, (_, i) => `poi_${i}`),
  });
  if (poi) {
    views.poi = poi.matrix;
    views.poiCategories = poi.columns;
  }
  const landBytes = await read('landUse_dist.npy', false);
  if (landBytes) {
    const cols = npyShape(landBytes, 'landUse_dist.npy', problems)?.[1] ?? 1;
    const land = readViewMatrix(landBytes, 'landUse_dist.npy', ids, problems, {
      columns: Array.from({ length: cols }, (_, i) => `land_use_${i}`),
    });
    if (land) {
      views.landUse = land.matrix;
      views.landUseClasses = land.columns;
    }
  }
  const mobBytes = await read('mob_dist.npy', false);
  if (mobBytes) views.trips = readTripMatrix(mobBytes, 'mob_dist.npy', ids, problems);
  const adjBytes = await read('mob-adj.npy', false);
  if (adjBytes) views.mobilityTarget = readTripMatrix(adjBytes, 'mob-adj.npy', ids, problems);

  const labels: TaskLabels[] = [];
  for (const [task, file] of Object.entries(LABEL_FILES)) {
    const bytes = await read(file, false);
    if (!bytes) continue;
    const values = readLabelValues(bytes, file, ids, problems);
    const meta = BUILTIN_TASKS[task];
    if (values) labels.push(makeLabels(task, meta.name, meta.unit, values, meta.note));
  }

  let adjacency: number[][] | null = null;
  const adjJson = await read('adjacency.json', false);
  if (adjJson) {
    const json = parseJson(decodeText(adjJson, 'adjacency.json', problems), 'adjacency.json', problems);
    if (json !== undefined) {
      const problem = adjacencyProblem(json, n);
      if (problem) problems.error('adjacency.json', problem);
      else adjacency = json as number[][];
    }
  }

  if (problems.hasErrors) return { city: null, problems: problems.items };
  const known = KNOWN_CITIES[key];
  const city = assembleCity(
    {
      name: known?.name ?? `${key} (benchmark layout)`,
      source: known?.source ?? source.label,
      licence:
        "Public research data from published repositories (HAFusion, Prompt4RE, HREP, MGFN); each has its own terms. Provenance: docs/benchmark.md and the folder's SOURCES.md or README.md",
      description: 'HAFusion-style benchmark arrays: row i of every array is region i.',
    },
    regions,
    views,
    labels,
    adjacency,
  );
  const protocol = BENCHMARK_PROTOCOLS[key];
  return { city: protocol ? { ...city, protocol } : city, problems: problems.items };
}
