/**
 * A new city from a study area: the area typed as a box or drawn on the map (the new-city
 * slice), tessellated in a worker (live cell count, then the city), opened and saved like
 * dropped files. Its views come next, from raw layers dropped on it.
 */
import type { StudyArea, Tessellation } from '../../core/city/studyArea';
import type { AppStore } from '../state/store';
import type { CityLoader } from './loading';
import type { TessellateClient } from './tessellateWorker';

export interface CellCountReport {
  count: number;
  /** false: an estimate from the area (far too many cells to enumerate). */
  exact: boolean;
  /** Mean cell area (H3: worldwide, at the resolution) and the study area's, in km². */
  cellKm2: number;
  areaKm2: number;
}

export interface NewCityController {
  /** How many cells the tessellation gives (exact, or an estimate when far too many), or why none. */
  countAreaCells(area: StudyArea, tessellation: Tessellation): Promise<CellCountReport | { error: string }>;
  /** Tessellate the area in the worker and open the city; resolves to an error message or null. */
  createCityFromArea(area: StudyArea, tessellation: Tessellation, name: string): Promise<string | null>;
}

const UNEXPECTED = 'unexpected answer from the worker';
const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export function newCityController(
  store: AppStore,
  tessellate: TessellateClient,
  cities: Pick<CityLoader, 'openBuiltCity'>,
): NewCityController {
  return {
    countAreaCells: (area, tessellation) =>
      tessellate.run({ type: 'count', area, tessellation }).result.then(
        (r) =>
          r.type === 'count'
            ? { count: r.count, exact: r.exact, cellKm2: r.cellKm2, areaKm2: r.areaKm2 }
            : { error: UNEXPECTED },
        (e: unknown) => ({ error: messageOf(e) }),
      ),

    async createCityFromArea(area, tessellation, name) {
      store.getState().setLoading(`${name || 'New city'} (tessellating)`);
      const made = await tessellate
        .run({ type: 'tessellate', area, tessellation, name })
        .result.catch((e: unknown) => ({ type: 'failed' as const, message: messageOf(e) }));
      store.getState().setLoading(null);
      if (made.type !== 'city') return made.type === 'failed' ? made.message : UNEXPECTED;
      store.getState().setStudyArea(null);
      await cities.openBuiltCity(made.city.metadata.name, made.city, made.bundle);
      return null;
    },
  };
}
