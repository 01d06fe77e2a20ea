/** UI state: the cities on offer, the loaded city, selection, colour-by, load problems, settings. */
import type { TaskTemplate } from '../../core/tasks/types';
import { create } from 'zustand';
import type { CategoryMapping } from '../../core/city/layers/categoryMapping';
import type { PropertyRole, PropertySummary } from '../../core/city/geojson';
import type { CategoryChoice } from '../../core/city/layers/pointsCsv';
import type { City, LoadProblem } from '../../core/city/types';
import type { BackendName } from '../../core/backend/names';
import type { SavedSrel } from '../../core/srel/serialize';
import type { EpochReport } from '../../core/srel/train';
import { DEFAULT_TRAIN_SETTINGS, type TrainSettings } from '../../core/pipeline/settings';
import type { BackendTiming, TrainedResult } from '../../core/pipeline/types';
import type { CityEntry } from '../city/catalog';
import type { CitySource, InterruptedRun } from '../session/persistence';
import { regionFeatures, type RegionFeature } from '../region/geo';
import type { ClassMethod, PaletteId } from '../map/palette';
import {
  cityStats,
  defaultValueId,
  valueOptions,
  type CityStats,
  type ValueOption,
} from '../region/regionStats';

export interface LoadedCity {
  /** Unique per load (a city loaded twice gets two keys). */
  key: string;
  /** Where it came from, e.g. "Sample cities", "Benchmark cities", "Your files". */
  origin: string;
  /** Catalog key when picked from the list; null for dropped files. */
  entryKey: string | null;
  /** Where it came from, to load it again after a reload (null: not saved). */
  source: CitySource | null;
  city: City;
  stats: CityStats;
  features: RegionFeature[];
  options: ValueOption[];
  /** Values computed in the app (predictions, residuals), by value-option id. */
  derived: Record<string, Float64Array>;
}

export interface DraftTask {
  cityKey: string;
  id: string;
  name: string;
  description: string;
  /** N values; NaN = no label. */
  values: Float64Array;
  /** Earlier states of `values`, for undo. */
  history: Float64Array[];
  /** A template written by the in-browser LLM (and perhaps edited); else the generic one. */
  template?: TaskTemplate;
}

export type TrainingStatus =
  'probing' | 'training' | 'paused' | 'evaluating' | 'done' | 'cancelled' | 'failed';

export interface TrainingState {
  /** LoadedCity.key the run belongs to. */
  cityKey: string;
  status: TrainingStatus;
  /** Backend being probed (auto pick) or trained on. */
  probing: BackendName | null;
  backend: BackendName | null;
  backendReason: string;
  timings: BackendTiming[];
  /** Fallbacks and other things the user should know. */
  notices: string[];
  history: EpochReport[];
  epochs: number;
  /** The settings this run was started with. */
  settings: TrainSettings;
  /** How the model started: from scratch or from which saved model. */
  startedFrom: string;
  /** The finished run is stored in this browser (a reload brings it back). */
  saved: boolean;
  error: string | null;
  result: TrainedResult | null;
  /** While the tasks are cross-validated after training: how far, and since when. */
  evaluation?: EvaluationProgress;
}

export type PaintTool = 'brush' | 'polygon';

/** The outline of a study area for a new city: drawn corner by corner, or a typed box. */
export interface StudyAreaOutline {
  /** [lon, lat] corners, not closed. */
  corners: [number, number][];
  /** While true, clicks on the map add corners. */
  drawing: boolean;
}

export interface TaskEvaluation {
  taskId: string;
  name: string;
  /** Work units done of `total` (taskReport's onProgress). */
  done: number;
  total: number;
  /** By the rate so far; null until some work is done. */
  secondsLeft: number | null;
  error: string | null;
}

export interface EvaluationProgress {
  task: string;
  taskIndex: number;
  tasks: number;
  /** Work units of the current task done, of `total`. */
  done: number;
  total: number;
  /** Date.now() when evaluation began. */
  startedAt: number;
}

export { DEFAULT_TRAIN_SETTINGS, type TrainSettings };

export interface LoadReport {
  /** What was being loaded, e.g. a file name or a city name. */
  subject: string;
  /** failed: nothing changed; loaded: the city loaded with warnings. */
  outcome: 'failed' | 'loaded';
  problems: LoadProblem[];
  /** What an import read and dropped (raw layers), one line each. */
  notes?: string[];
}

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

/** How far the import of raw layers is (the worker's progress messages). */
export interface ImportProgress {
  file: string;
  /** Files done before this one, of `files`. */
  fileIndex: number;
  files: number;
  within?: { phase: 'reading' | 'locating'; done: number; total: number };
  /** Date.now() when the import began. */
  startedAt: number;
}

export interface Settings {
  palette: PaletteId;
  classes: number;
  method: ClassMethod;
  /** Online OpenStreetMap raster tiles under the regions (off: no network request at all). */
  basemap: boolean;
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

export interface AppState {
  entries: CityEntry[];
  current: LoadedCity | null;
  /** Label of the load in progress. */
  loading: string | null;
  report: LoadReport | null;
  selected: number | null;
  hover: Hover | null;
  valueId: string;
  settings: Settings;
  settingsOpen: boolean;
  /** Why the online basemap failed, if it did. */
  basemapError: string | null;
  pendingMapping: PendingMapping | null;
  /** Raw POI layers whose categories the user is mapping before they are imported. */
  pendingCategories: PendingCategories | null;
  /** POI category choices made this session (source -> city category or "drop"), used again. */
  categoryMapping: CategoryMapping;
  importProgress: ImportProgress | null;
  training: TrainingState | null;
  trainSettings: TrainSettings;
  /** A run of the current city that a reload interrupted (offered for restart). */
  interrupted: InterruptedRun | null;
  /** A custom task being labelled (painted or read from a CSV), before it is added. */
  draftTask: DraftTask | null;
  /** A custom task being cross-validated in a worker after it was added (or why that failed). */
  taskEvaluation: TaskEvaluation | null;
  /** Templates of custom tasks written by the in-browser LLM, by task id (used for their prompts). */
  taskTemplates: Record<string, TaskTemplate>;
  /** While set, clicks and drags on the map paint this value onto regions of the draft. */
  brush: number | null;
  /** How the value is painted: region by region, or every region inside a drawn polygon. */
  paintTool: PaintTool;
  /** Corners [lon, lat] of the polygon being drawn (polygon tool). */
  polygon: [number, number][];
  /** The study area of a new city being drawn or previewed on the map. */
  studyArea: StudyAreaOutline | null;
  /** A model the user imported (manifest + weights), to fine-tune from. */
  importedModel: { name: string; model: SavedSrel } | null;

  setEntries: (entries: CityEntry[]) => void;
  setLoading: (label: string | null) => void;
  showCity: (city: City, origin: string, entryKey: string | null, source?: CitySource | null) => void;
  setReport: (report: LoadReport | null) => void;
  select: (index: number | null) => void;
  setHover: (hover: Hover | null) => void;
  setValueId: (id: string) => void;
  updateSettings: (patch: Partial<Settings>) => void;
  setSettingsOpen: (open: boolean) => void;
  setBasemapError: (message: string | null) => void;
  setPendingMapping: (pending: PendingMapping | null) => void;
  setPendingCategories: (pending: PendingCategories | null) => void;
  rememberCategoryMapping: (mapping: CategoryMapping) => void;
  setImportProgress: (progress: ImportProgress | null) => void;
  setTraining: (update: (t: TrainingState | null) => TrainingState | null) => void;
  updateTrainSettings: (patch: Partial<TrainSettings>) => void;
  setInterrupted: (run: InterruptedRun | null) => void;
  setImportedModel: (m: { name: string; model: SavedSrel } | null) => void;
  setDraftTask: (draft: DraftTask | null) => void;
  setTaskEvaluation: (evaluation: TaskEvaluation | null) => void;
  setBrush: (value: number | null) => void;
  setPaintTool: (tool: PaintTool) => void;
  setTaskTemplate: (taskId: string, template: TaskTemplate) => void;
  setPolygon: (corners: [number, number][]) => void;
  setStudyArea: (area: StudyAreaOutline | null) => void;
  removeDerivedValues: (cityKey: string, ids: string[]) => void;
  /** Replace the current city's data (e.g. with a custom task added); the view stays. */
  replaceCity: (cityKey: string, city: City, options: ValueOption[]) => void;
  /** Add computed values (e.g. predictions) to the current city, if it is still `cityKey`. */
  addDerivedValues: (
    cityKey: string,
    options: ValueOption[],
    values: Record<string, Float64Array>,
    show?: string,
  ) => void;
}

let loads = 0;

export const useApp = create<AppState>()((set) => ({
  entries: [],
  current: null,
  loading: null,
  report: null,
  selected: null,
  hover: null,
  valueId: '',
  settings: { palette: 'viridis', classes: 5, method: 'quantile', basemap: false },
  settingsOpen: false,
  basemapError: null,
  pendingMapping: null,
  pendingCategories: null,
  categoryMapping: {},
  importProgress: null,
  training: null,
  trainSettings: DEFAULT_TRAIN_SETTINGS,
  interrupted: null,
  importedModel: null,
  draftTask: null,
  taskEvaluation: null,
  brush: null,
  paintTool: 'brush',
  taskTemplates: {},
  polygon: [],
  studyArea: null,

  setEntries: (entries) => set({ entries }),
  setLoading: (loading) => set({ loading }),
  showCity: (city, origin, entryKey, source = null) =>
    set((s) => {
      const stats = cityStats(city);
      const options = valueOptions(city, stats);
      const current: LoadedCity = {
        key: `city-${++loads}`,
        origin,
        entryKey,
        source,
        city,
        stats,
        features: regionFeatures(city),
        options,
        derived: {},
      };
      return {
        current,
        selected: null,
        hover: null,
        valueId: defaultValueId(options, s.valueId),
        training: null,
      };
    }),
  setReport: (report) => set({ report }),
  select: (selected) => set({ selected }),
  setHover: (hover) => set({ hover }),
  setValueId: (valueId) => set({ valueId }),
  updateSettings: (patch) =>
    set((s) => ({
      settings: { ...s.settings, ...patch },
      basemapError: patch.basemap === undefined ? s.basemapError : null,
    })),
  setSettingsOpen: (settingsOpen) => set({ settingsOpen }),
  // Keep the first failure: every missing tile reports its own message.
  setPendingMapping: (pendingMapping) => set({ pendingMapping }),
  setPendingCategories: (pendingCategories) => set({ pendingCategories }),
  rememberCategoryMapping: (mapping) =>
    set((s) => ({ categoryMapping: { ...s.categoryMapping, ...mapping } })),
  setImportProgress: (importProgress) => set({ importProgress }),
  setTraining: (update) => set((s) => ({ training: update(s.training) })),
  setInterrupted: (interrupted) => set({ interrupted }),
  setImportedModel: (importedModel) => set({ importedModel }),
  setDraftTask: (draftTask) => set({ draftTask }),
  setTaskEvaluation: (taskEvaluation) => set({ taskEvaluation }),
  setBrush: (brush) => set(brush === null ? { brush, polygon: [] } : { brush }),
  setPaintTool: (paintTool) => set({ paintTool, polygon: [] }),
  setTaskTemplate: (taskId, template) =>
    set((s) => ({ taskTemplates: { ...s.taskTemplates, [taskId]: template } })),
  setPolygon: (polygon) => set({ polygon }),
  setStudyArea: (studyArea) => set({ studyArea }),
  removeDerivedValues: (cityKey, ids) =>
    set((s) => {
      if (!s.current || s.current.key !== cityKey) return s;
      const derived = { ...s.current.derived };
      for (const id of ids) delete derived[id];
      const options = s.current.options.filter((o) => !ids.includes(o.id));
      return {
        current: { ...s.current, options, derived },
        valueId: ids.includes(s.valueId) ? defaultValueId(options) : s.valueId,
      };
    }),
  replaceCity: (cityKey, city, options) =>
    set((s) =>
      s.current?.key === cityKey
        ? {
            current: {
              ...s.current,
              city,
              options: [...s.current.options.filter((o) => !options.some((n) => n.id === o.id)), ...options],
            },
          }
        : s,
    ),
  updateTrainSettings: (patch) => set((s) => ({ trainSettings: { ...s.trainSettings, ...patch } })),
  addDerivedValues: (cityKey, options, values, show) =>
    set((s) => {
      if (!s.current || s.current.key !== cityKey) return s;
      const ids = new Set(options.map((o) => o.id));
      const current: LoadedCity = {
        ...s.current,
        options: [...s.current.options.filter((o) => !ids.has(o.id)), ...options],
        derived: { ...s.current.derived, ...values },
      };
      return { current, valueId: show ?? s.valueId };
    }),
  setBasemapError: (message) =>
    set((s) => (message !== null && s.basemapError !== null ? s : { basemapError: message })),
}));
