/**
 * The tasks slice: a custom task being labelled (the draft, with its undo history), the paint
 * tools (brush value, brush or polygon, the polygon's corners), the templates the in-browser
 * LLM wrote for tasks, and a task being scored in a worker after it was added.
 */
import type { City, TaskLabels } from '../../core/city/types';
import type { TaskTemplate } from '../../core/tasks/types';
import { regionsInPolygon } from '../region/geo';
import type { ValueOption } from '../region/regionStats';
import { addDerivedValues, removeDerivedValues, replaceCity, type CityState } from './city';
import { apply, type SetState } from './slice';

export interface DraftTask {
  /** The load of the city (LoadedCity.loadId) being labelled. */
  loadId: string;
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

export type PaintTool = 'brush' | 'polygon';

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

export interface TasksState {
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
}

/** A task joining a city: its label column and, if the LLM wrote one, its template. */
export interface AddedTask {
  labels: TaskLabels;
  template?: TaskTemplate;
}

export interface TasksActions {
  startDraft: (draft: DraftTask) => void;
  /** Paint the brush's value onto a region. */
  paintRegion: (index: number) => void;
  /** Give one region a typed value (keyboard labelling); one undo step like a painted region. */
  labelRegion: (index: number, value: number) => void;
  /** A click with the polygon tool: add a corner, or (on the first corner) fill the polygon. */
  polygonClicked: (corner: [number, number], closesPolygon: boolean) => void;
  fillPolygon: () => void;
  removePolygonCorner: () => void;
  setPolygon: (corners: [number, number][]) => void;
  eraseDraftLabels: () => void;
  undoPaint: () => void;
  /** Labels read from a CSV merge into the draft's: painted labels the file lacks stay (one undo step). */
  setDraftLabels: (values: Float64Array) => void;
  cancelDraft: () => void;
  setBrush: (value: number | null) => void;
  setPaintTool: (tool: PaintTool) => void;
  /** Tasks join the city shown (if it is still `loadId`), with their templates. */
  addTasks: (loadId: string, tasks: AddedTask[]) => void;
  setTaskEvaluation: (evaluation: TaskEvaluation | null) => void;
}

export type TasksSlice = TasksState & TasksActions;

export const initialTasks: TasksState = {
  draftTask: null,
  taskEvaluation: null,
  taskTemplates: {},
  brush: null,
  paintTool: 'brush',
  polygon: [],
};

/** The map value that shows the draft's labels while it is painted. */
export const DRAFT_OPTION = 'draft:labels';
/** Undo goes back this many steps. */
export const UNDO_DEPTH = 100;

type DraftState = Pick<TasksState, 'draftTask'> & Pick<CityState, 'current' | 'valueId'>;

/** The draft, and its labels as the value the map shows. */
export const showDraft = (s: DraftState, draft: DraftTask): Partial<TasksState & CityState> => ({
  draftTask: draft,
  ...addDerivedValues(
    s,
    draft.loadId,
    [{ id: DRAFT_OPTION, label: `${draft.name}: your labels`, group: 'Custom task (draft)' }],
    { [DRAFT_OPTION]: draft.values },
    DRAFT_OPTION,
  ),
});

/**
 * Change the draft's labels (`change` edits a copy and says whether it changed anything); the
 * labels before join the undo history, which keeps the last UNDO_DEPTH states.
 */
export function editDraft(
  s: DraftState,
  change: (values: Float64Array) => boolean,
): Partial<TasksState & CityState> {
  const draft = s.draftTask;
  if (!draft) return {};
  const values = Float64Array.from(draft.values);
  if (!change(values)) return {};
  return showDraft(s, { ...draft, values, history: [...draft.history.slice(-UNDO_DEPTH + 1), draft.values] });
}

/** Give `regions` the value; no undo step when they all had it. */
const setValue = (s: DraftState, regions: number[], value: number) =>
  editDraft(s, (values) => {
    const changed = regions.filter((i) => values[i] !== value);
    for (const i of changed) values[i] = value;
    return changed.length > 0;
  });

export const paintRegion = (s: DraftState & Pick<TasksState, 'brush'>, index: number) =>
  s.brush === null ? {} : setValue(s, [index], s.brush);

/**
 * Give one region a typed value (the keyboard's way to label, without the brush): the same edit
 * as painting it, so Undo takes it back. A value that is not a finite number changes nothing.
 */
export const labelRegion = (s: DraftState, index: number, value: number) =>
  !Number.isFinite(value) || !s.draftTask || index < 0 || index >= s.draftTask.values.length
    ? {}
    : setValue(s, [index], value);

/** Polygon tool: every region inside the drawn polygon gets the brush's value (one undo step). */
export function fillPolygon(
  s: DraftState & Pick<TasksState, 'brush' | 'polygon'>,
): Partial<TasksState & CityState> {
  if (s.brush === null || !s.current || s.polygon.length < 3) return { polygon: [] };
  return { ...setValue(s, regionsInPolygon(s.current.city, s.polygon), s.brush), polygon: [] };
}

export function polygonClicked(
  s: DraftState & Pick<TasksState, 'brush' | 'polygon' | 'paintTool'>,
  corner: [number, number],
  closesPolygon: boolean,
): Partial<TasksState & CityState> {
  if (s.brush === null || s.paintTool !== 'polygon') return {};
  if (closesPolygon && s.polygon.length >= 3) return fillPolygon(s);
  return { polygon: [...s.polygon, corner] };
}

export const eraseDraftLabels = (s: DraftState) =>
  editDraft(s, (values) => {
    if (values.every(Number.isNaN)) return false;
    values.fill(NaN);
    return true;
  });

/** What a labels file does to the draft's labels. */
export interface LabelsMerge {
  /** The draft's labels after: the file's where it gives one, the painted ones elsewhere. */
  values: Float64Array;
  /** Regions the file labels. */
  read: number;
  /** Painted labels kept: regions the file does not mention. */
  kept: number;
  /** Painted labels the file gives another value (Undo brings them back). */
  replaced: number;
}

/**
 * A labels file merges into the painted labels: the file's value where it has one, the painted
 * value where it does not (a partial file never erases painting).
 */
export function mergeLabels(painted: Float64Array, file: Float64Array): LabelsMerge {
  const values = Float64Array.from(painted);
  let read = 0;
  let kept = 0;
  let replaced = 0;
  for (let i = 0; i < values.length; i++) {
    const f = file[i];
    const p = painted[i];
    if (Number.isNaN(f)) {
      if (!Number.isNaN(p)) kept++;
      continue;
    }
    read++;
    if (!Number.isNaN(p) && p !== f) replaced++;
    values[i] = f;
  }
  return { values, read, kept, replaced };
}

/** The merge in words, e.g. "Read 40 labels from crime.csv; kept 27 painted labels the file does not mention." */
export function labelsMergeText(m: Omit<LabelsMerge, 'values'>, fileName: string): string {
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  const parts = [`Read ${plural(m.read, 'label')} from ${fileName}`];
  if (m.kept) parts.push(`kept ${plural(m.kept, 'painted label')} for regions the file does not mention`);
  if (m.replaced)
    parts.push(`the file changed ${plural(m.replaced, 'painted value')} (Undo brings them back)`);
  return `${parts.join('; ')}.`;
}

/** Labels read from a file merge into the draft's (mergeLabels; one undo step). */
export const setDraftLabels = (s: DraftState, labels: Float64Array) =>
  editDraft(s, (values) => {
    const merged = mergeLabels(values, labels).values;
    const changed = merged.some((v, i) => !Object.is(v, values[i]));
    values.set(merged);
    return changed;
  });

export function undoPaint(s: DraftState): Partial<TasksState & CityState> {
  const draft = s.draftTask;
  const previous = draft?.history.at(-1);
  if (!draft || !previous) return {};
  return showDraft(s, { ...draft, values: previous, history: draft.history.slice(0, -1) });
}

/** The draft goes, with its labels on the map and the brush. */
export const cancelDraft = (s: DraftState): Partial<TasksState & CityState> => ({
  ...(s.draftTask ? removeDerivedValues(s, s.draftTask.loadId, [DRAFT_OPTION]) : {}),
  brush: null,
  polygon: [],
  draftTask: null,
});

/** Putting the brush down ends the polygon being drawn. */
export const setBrush = (brush: number | null): Partial<TasksState> =>
  brush === null ? { brush, polygon: [] } : { brush };

export const setPaintTool = (paintTool: PaintTool): Partial<TasksState> => ({ paintTool, polygon: [] });

/** The city with the task's labels (replacing a task of the same id). */
export const withTaskLabels = (city: City, labels: TaskLabels): City => ({
  ...city,
  labels: [...city.labels.filter((l) => l.id !== labels.id), labels],
});

/** The value option of a task's labels. */
export const taskOption = (labels: TaskLabels): ValueOption => ({
  id: `label:${labels.id}`,
  label: labels.name,
  group: 'Task labels',
});

/** A custom task's label column: its sentence is the note (how a city bundle keeps it). */
export function customLabels(task: {
  id: string;
  name: string;
  description: string;
  values: Float64Array;
}): TaskLabels {
  const labelled = task.values.filter((v) => !Number.isNaN(v)).length;
  return {
    id: task.id,
    name: task.name,
    unit: '',
    values: task.values,
    missing: task.values.length - labelled,
    ...(task.description ? { note: task.description } : {}),
  };
}

/** Tasks join the city shown (if it is still `loadId`): their labels become map values. */
export function addTasks(
  s: Pick<CityState, 'current'> & Pick<TasksState, 'taskTemplates'>,
  loadId: string,
  tasks: AddedTask[],
): Partial<TasksState & CityState> {
  if (tasks.length === 0 || s.current?.loadId !== loadId) return {};
  const city = tasks.reduce((c, t) => withTaskLabels(c, t.labels), s.current.city);
  const templates = tasks.flatMap((t) => (t.template ? [[t.labels.id, t.template] as const] : []));
  return {
    ...replaceCity(
      s,
      loadId,
      city,
      tasks.map((t) => taskOption(t.labels)),
    ),
    ...(templates.length ? { taskTemplates: { ...s.taskTemplates, ...Object.fromEntries(templates) } } : {}),
  };
}

type TasksStore = TasksSlice & Pick<CityState, 'current' | 'valueId'>;

export function tasksSlice(set: SetState<TasksStore>): TasksSlice {
  return {
    ...initialTasks,
    startDraft: (draft) => apply(set, (s) => showDraft(s, draft)),
    paintRegion: (index) => apply(set, (s) => paintRegion(s, index)),
    labelRegion: (index, value) => apply(set, (s) => labelRegion(s, index, value)),
    polygonClicked: (corner, closes) => apply(set, (s) => polygonClicked(s, corner, closes)),
    fillPolygon: () => apply(set, fillPolygon),
    removePolygonCorner: () => apply(set, (s) => ({ polygon: s.polygon.slice(0, -1) })),
    setPolygon: (polygon) => apply(set, () => ({ polygon })),
    eraseDraftLabels: () => apply(set, eraseDraftLabels),
    undoPaint: () => apply(set, undoPaint),
    setDraftLabels: (values) => apply(set, (s) => setDraftLabels(s, values)),
    cancelDraft: () => apply(set, cancelDraft),
    setBrush: (brush) => apply(set, () => setBrush(brush)),
    setPaintTool: (tool) => apply(set, () => setPaintTool(tool)),
    addTasks: (loadId, tasks) => apply(set, (s) => addTasks(s, loadId, tasks)),
    setTaskEvaluation: (taskEvaluation) => apply(set, () => ({ taskEvaluation })),
  };
}
