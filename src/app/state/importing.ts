/**
 * The import slice: a dropped GeoJSON waiting for the user to say what its numeric properties
 * are, raw POI layers waiting for their categories, the category choices made this session,
 * and how far an import of raw layers is.
 */
import type { PropertyRole, PropertySummary } from '../../core/city/geojson';
import { newMapping, type CategoryMapping } from '../../core/city/layers/categoryMapping';
import type { CategoryChoice } from '../../core/city/layers/pointsCsv';
import type { ImportJobs } from '../../workers/protocol';
import type { CityState } from './city';
import { apply, type SetState } from './slice';

/** A dropped GeoJSON waiting for the user to say what its numeric properties are. */
export interface PendingMapping {
  fileName: string;
  bytes: Uint8Array;
  properties: PropertySummary[];
  /** Suggested role of each numeric property. */
  roles: Record<string, PropertyRole>;
}

/** Raw layers waiting for the user to map their POI categories onto the city's. */
export interface PendingCategories {
  files: { name: string; bytes: Uint8Array }[];
  layers: { file: string; choices: CategoryChoice[]; targets: string[] }[];
}

/** How far the import of raw layers, or the reading of a GeoJSON of regions, is (the worker's progress messages). */
export interface ImportProgress {
  file: string;
  /** Files done before this one, of `files`. */
  fileIndex: number;
  files: number;
  within?: ImportJobs['event']['within'];
  /** Date.now() when the import began. */
  startedAt: number;
}

export interface ImportState {
  pendingMapping: PendingMapping | null;
  /** Raw POI layers whose categories the user is mapping before they are imported. */
  pendingCategories: PendingCategories | null;
  /** POI category choices made this session (source -> city category or "drop"), used again. */
  categoryMapping: CategoryMapping;
  importProgress: ImportProgress | null;
}

export interface ImportActions {
  setPendingMapping: (pending: PendingMapping | null) => void;
  /** The GeoJSON read for the load `ticket` has numeric properties: the panel asks what they are. */
  askMapping: (ticket: number, pending: PendingMapping) => void;
  /** The import stopped to ask for POI categories (the load it began is over; nothing changed). */
  askCategories: (ticket: number, pending: PendingCategories) => void;
  /** The user answered (or cancelled: null): the panel closes; choices for the city's categories are kept. */
  answerCategories: (answer: { mapping: CategoryMapping; ownCategories: boolean } | null) => void;
  importProgressed: (progress: ImportJobs['event'], startedAt: number) => void;
  importEnded: () => void;
}

export type ImportSlice = ImportState & ImportActions;

export const initialImport: ImportState = {
  pendingMapping: null,
  pendingCategories: null,
  categoryMapping: {},
  importProgress: null,
};

/** The import asked for categories: if it is still the latest load, the panel asks the user. */
export const categoriesAsked = (
  s: { loadTicket: number },
  ticket: number,
  pending: PendingCategories,
): Partial<ImportState & CityState> =>
  ticket === s.loadTicket ? { loading: null, pendingCategories: pending } : {};

/**
 * A dropped GeoJSON was read (in the worker) and its numeric properties need a mapping: if it is
 * still the latest load, the load is over (nothing changed) and the panel asks; else nothing.
 */
export const mappingAsked = (
  s: { loadTicket: number },
  ticket: number,
  pending: PendingMapping,
): Partial<ImportState & CityState> =>
  ticket === s.loadTicket ? { loading: null, pendingMapping: pending } : {};

/** Choices that map onto the city's categories are remembered; a file's own categories are not. */
export const categoriesAnswered = (
  s: Pick<ImportState, 'categoryMapping'>,
  answer: { mapping: CategoryMapping; ownCategories: boolean } | null,
): Partial<ImportState> =>
  answer && !answer.ownCategories
    ? { pendingCategories: null, categoryMapping: newMapping(s.categoryMapping, answer.mapping) }
    : { pendingCategories: null };

/** The worker's progress: the bar's state, and the loading label "file (2 of 3)". */
export const importProgressed = (
  p: ImportJobs['event'],
  startedAt: number,
): Partial<ImportState & CityState> => ({
  loading: `${p.file} (${p.done + 1} of ${p.total})`,
  importProgress: {
    file: p.file,
    fileIndex: p.done,
    files: p.total,
    ...(p.within ? { within: p.within } : {}),
    startedAt,
  },
});

export function importSlice(
  set: SetState<ImportSlice & Pick<CityState, 'loading'> & { loadTicket: number }>,
): ImportSlice {
  return {
    ...initialImport,
    setPendingMapping: (pendingMapping) => apply(set, () => ({ pendingMapping })),
    askMapping: (ticket, pending) => apply(set, (s) => mappingAsked(s, ticket, pending)),
    askCategories: (ticket, pending) => apply(set, (s) => categoriesAsked(s, ticket, pending)),
    answerCategories: (answer) => apply(set, (s) => categoriesAnswered(s, answer)),
    importProgressed: (progress, startedAt) => apply(set, () => importProgressed(progress, startedAt)),
    importEnded: () => apply(set, () => ({ importProgress: null })),
  };
}
