/**
 * The city slice: the cities on offer, the city shown (one load of it, with the values the
 * app computed for it: predictions, residuals, a draft's labels), what is loading, the last
 * load's report, the selected and hovered region, and the value the map is coloured by.
 *
 * Two ids name a city: `loadId`, one load of it (a city opened twice gets two; runs, drafts and
 * map layers belong to one load), and `savedId`, the same in every session (the catalog key,
 * or the files' names and sizes), under which its saved data is kept (IndexedDB keys).
 */
import type { PropertyRole } from '../../core/city/geojson';
import type { City, LoadProblem, LoadResult } from '../../core/city/types';
import type { CityEntry } from '../city/catalog';
import { ringEdges } from '../../core/city/geometry';
import { regionFeatures, type RegionFeature } from '../region/geo';
import {
  cityStats,
  defaultValueId,
  valueOptions,
  type CityStats,
  type ValueOption,
} from '../region/regionStats';
import type { SessionState } from './session';
import { apply, type GetState, type SetState } from './slice';
import { stoppedBy, type TrainingState } from './training';

/** Where a city came from, enough to load it again. */
export type CitySource =
  | { kind: 'entry'; key: string }
  | { kind: 'files'; files: { name: string; bytes: Uint8Array }[] }
  | { kind: 'mapped'; fileName: string; bytes: Uint8Array; roles: Record<string, PropertyRole> };

export interface LoadedCity {
  /** This load of the city: unique per load (a city loaded twice gets two). */
  loadId: string;
  /** Where it came from, e.g. "Sample cities", "Benchmark cities", "Your files". */
  origin: string;
  /** Catalog key when picked from the list; null for dropped files. */
  entryKey: string | null;
  /** Where it came from, to load it again after a reload (null: not saved). */
  source: CitySource | null;
  city: City;
  stats: CityStats;
  features: RegionFeature[];
  /** Every ring's edges as one line list for the map's outlines (core/city/geometry's ringEdges). */
  outlines: Float64Array;
  options: ValueOption[];
  /** Values computed in the app (predictions, residuals), by value-option id. */
  derived: Record<string, Float64Array>;
}

export interface LoadReport {
  /** What was being loaded, e.g. a file name or a city name. */
  subject: string;
  /** failed: nothing changed; loaded: the city loaded with warnings. */
  outcome: 'failed' | 'loaded';
  problems: LoadProblem[];
  /** What an import read and dropped (raw layers), one line each. */
  notes?: string[];
}

export interface Hover {
  index: number;
  /** Pointer position relative to the map container, in CSS pixels. */
  x: number;
  y: number;
  /** Size of the map container, to keep the tooltip on screen. */
  width: number;
  height: number;
}

/** What a load gives: the city or its problems, and what an import read (notes, its bundle). */
export interface Loaded extends LoadResult {
  notes?: string[];
  /** Where the city came from, when only the load knew (e.g. an import's bundle). */
  source?: CitySource;
}

export interface CityState {
  entries: CityEntry[];
  current: LoadedCity | null;
  /** Label of the load in progress. */
  loading: string | null;
  report: LoadReport | null;
  selected: number | null;
  hover: Hover | null;
  valueId: string;
  /** Cities shown so far (numbers the loadIds). */
  loads: number;
}

export interface CityActions {
  setEntries: (entries: CityEntry[]) => void;
  setLoading: (label: string | null) => void;
  /** A load begins: returns its ticket (see `loadFinished`). */
  beginLoad: (subject: string) => number;
  /** A load ended; dropped (false) when a newer load began meanwhile; true when a city opened. */
  loadFinished: (ticket: number, subject: string, loaded: Loaded, from: CityOrigin) => boolean;
  showCity: (city: City, origin: string, entryKey: string | null, source?: CitySource | null) => void;
  setReport: (report: LoadReport | null) => void;
  select: (index: number | null) => void;
  setHover: (hover: Hover | null) => void;
  setValueId: (id: string) => void;
  /** Add computed values (e.g. predictions) to the city shown, if it is still `loadId`. */
  addDerivedValues: (
    loadId: string,
    options: ValueOption[],
    values: Record<string, Float64Array>,
    show?: string,
  ) => void;
  removeDerivedValues: (loadId: string, ids: string[]) => void;
  /** Replace the city's data (e.g. with a custom task added); the view stays. */
  replaceCity: (loadId: string, city: City, options: ValueOption[]) => void;
}

export type CitySlice = CityState & CityActions;

/** Where a city shown comes from: the picker's group or "Your files", its catalog key, its source. */
export interface CityOrigin {
  origin: string;
  entryKey: string | null;
  source: CitySource | null;
}

export const initialCity: CityState = {
  entries: [],
  current: null,
  loading: null,
  report: null,
  selected: null,
  hover: null,
  valueId: '',
  loads: 0,
};

/** A city's savedId: the catalog key, or the files' names and sizes. */
export function savedIdOf(source: CitySource): string {
  if (source.kind === 'entry') return source.key;
  if (source.kind === 'mapped') return `mapped:${source.fileName}:${source.bytes.length}`;
  return `files:${source.files.map((f) => `${f.name}:${f.bytes.length}`).join('|')}`;
}

/** The loaded city's savedId; null when it has no source (it is not saved). */
export const savedIdOfLoaded = (loaded: LoadedCity): string | null =>
  loaded.source ? savedIdOf(loaded.source) : null;

/**
 * Show a city: a new load of it, nothing selected, the value shown kept if the city has it,
 * and the run of the previous load dropped (told, if it was still running: `stoppedRun`).
 */
export function showCity(
  s: Pick<CityState, 'valueId' | 'loads'> &
    Partial<Pick<CityState, 'current'> & Pick<TrainingState, 'training'>>,
  city: City,
  { origin, entryKey, source }: CityOrigin,
): Partial<CityState & TrainingState> {
  const loads = s.loads + 1;
  const stats = cityStats(city);
  const options = valueOptions(city, stats);
  return {
    loads,
    current: {
      loadId: `city-${loads}`,
      origin,
      entryKey,
      source,
      city,
      stats,
      features: regionFeatures(city),
      outlines: ringEdges(city.regions.map((r) => r.geometry)),
      options,
      derived: {},
    },
    selected: null,
    hover: null,
    valueId: defaultValueId(options, s.valueId),
    training: null,
    stoppedRun: stoppedBy(s.training ?? null, s.current?.city.metadata.name ?? '', city.metadata.name),
  };
}

export const loadBegun = (
  s: Pick<SessionState, 'loadTicket'>,
  subject: string,
): Partial<CityState & SessionState> => ({ loadTicket: s.loadTicket + 1, loading: subject });

/**
 * A load ended: a load overtaken by a newer one changes nothing; a failed one keeps the city
 * shown and reports why; one that opened a city shows it, with its warnings and notes if any.
 */
export function loadFinished(
  s: Pick<CityState, 'valueId' | 'loads'> &
    Pick<SessionState, 'loadTicket'> &
    Partial<Pick<CityState, 'current'> & Pick<TrainingState, 'training'>>,
  ticket: number,
  subject: string,
  loaded: Loaded,
  from: CityOrigin,
): Partial<CityState & TrainingState> {
  if (ticket !== s.loadTicket) return {};
  if (!loaded.city)
    return { loading: null, report: { subject, outcome: 'failed', problems: loaded.problems } };
  const notes = loaded.notes ?? [];
  return {
    ...showCity(s, loaded.city, { ...from, source: loaded.source ?? from.source }),
    loading: null,
    report:
      loaded.problems.length > 0 || notes.length > 0
        ? { subject, outcome: 'loaded', problems: loaded.problems, notes }
        : null,
  };
}

/** Computed values join the city shown (if it is still `loadId`); `show` is then coloured by. */
export function addDerivedValues(
  s: Pick<CityState, 'current' | 'valueId'>,
  loadId: string,
  options: ValueOption[],
  values: Record<string, Float64Array>,
  show?: string,
): Partial<CityState> {
  if (s.current?.loadId !== loadId) return {};
  const ids = new Set(options.map((o) => o.id));
  return {
    current: {
      ...s.current,
      options: [...s.current.options.filter((o) => !ids.has(o.id)), ...options],
      derived: { ...s.current.derived, ...values },
    },
    valueId: show ?? s.valueId,
  };
}

/** Computed values leave the city shown; if one of them was shown, the first value is. */
export function removeDerivedValues(
  s: Pick<CityState, 'current' | 'valueId'>,
  loadId: string,
  ids: string[],
): Partial<CityState> {
  if (s.current?.loadId !== loadId) return {};
  const derived = { ...s.current.derived };
  for (const id of ids) delete derived[id];
  const options = s.current.options.filter((o) => !ids.includes(o.id));
  return {
    current: { ...s.current, options, derived },
    valueId: ids.includes(s.valueId) ? defaultValueId(options) : s.valueId,
  };
}

/** The city's data changes (e.g. a task added) but it stays the same load: the map does not refit. */
export function replaceCity(
  s: Pick<CityState, 'current'>,
  loadId: string,
  city: City,
  options: ValueOption[],
): Partial<CityState> {
  if (s.current?.loadId !== loadId) return {};
  return {
    current: {
      ...s.current,
      city,
      options: [...s.current.options.filter((o) => !options.some((n) => n.id === o.id)), ...options],
    },
  };
}

type CityStore = CitySlice & Pick<SessionState, 'loadTicket'> & Pick<TrainingState, 'training'>;

export function citySlice(set: SetState<CityStore>, get: GetState<CityStore>): CitySlice {
  return {
    ...initialCity,
    setEntries: (entries) => apply(set, () => ({ entries })),
    setLoading: (loading) => apply(set, () => ({ loading })),
    beginLoad: (subject) => {
      apply(set, (s) => loadBegun(s, subject));
      return get().loadTicket;
    },
    loadFinished: (ticket, subject, loaded, from) => {
      const opened = ticket === get().loadTicket && loaded.city !== null;
      apply(set, (s) => loadFinished(s, ticket, subject, loaded, from));
      return opened;
    },
    showCity: (city, origin, entryKey, source = null) =>
      apply(set, (s) => showCity(s, city, { origin, entryKey, source })),
    setReport: (report) => apply(set, () => ({ report })),
    select: (selected) => apply(set, () => ({ selected })),
    setHover: (hover) => apply(set, () => ({ hover })),
    setValueId: (valueId) => apply(set, () => ({ valueId })),
    addDerivedValues: (loadId, options, values, show) =>
      apply(set, (s) => addDerivedValues(s, loadId, options, values, show)),
    removeDerivedValues: (loadId, ids) => apply(set, (s) => removeDerivedValues(s, loadId, ids)),
    replaceCity: (loadId, city, options) => apply(set, (s) => replaceCity(s, loadId, city, options)),
  };
}
