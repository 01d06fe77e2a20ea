/**
 * Custom tasks in the app: a name and a sentence, labels painted on the map (or read from a
 * CSV of region id and value), then added to the city like a built-in task. When the city
 * already has a trained model, the new task is predicted at once from its embeddings.
 */
import type { City, TaskLabels } from '../../core/city/types';
import { taskLabelsFromCsv } from '../../core/city/layers/taskLabelsCsv';
import type { TaskReport } from '../../core/eval/taskReport';
import type { TrainedResult } from '../../core/pipeline/types';
import { customTask, customTaskId, taskFromLabels, withTemplate } from '../../core/tasks/tasks';
import type { Task, TaskTemplate } from '../../core/tasks/types';
import { evaluateTaskInWorker } from './evaluationWorker';
import { promptFeaturesFor } from '../llm/webllm';
import { cityIdOf, loadTasks, saveRun, saveTasks, type SavedTask } from '../session/persistence';
import type { ValueOption } from '../region/regionStats';
import { useApp, type DraftTask, type LoadedCity } from '../state/store';
import { regionsInPolygon } from '../region/geo';
import { showPredictions } from '../training/controller';

const DRAFT_OPTION = 'draft:labels';
const UNDO_DEPTH = 100;

function showDraft(draft: DraftTask): void {
  const s = useApp.getState();
  s.setDraftTask(draft);
  s.addDerivedValues(
    draft.cityKey,
    [{ id: DRAFT_OPTION, label: `${draft.name}: your labels`, group: 'Custom task (draft)' }],
    { [DRAFT_OPTION]: draft.values },
    DRAFT_OPTION,
  );
}

/** Start labelling a new task; returns an error message instead when the name is unusable. */
export function startDraft(name: string, description: string, template?: TaskTemplate): string | null {
  const { current } = useApp.getState();
  if (!current) return 'open a city first';
  const trimmed = name.trim();
  if (!trimmed) return 'give the task a name';
  const id = customTaskId(trimmed);
  if (current.city.labels.some((l) => l.id === id || l.name.toLowerCase() === trimmed.toLowerCase()))
    return `this city already has a task called "${trimmed}"`;
  showDraft({
    cityKey: current.key,
    id,
    name: trimmed,
    description: description.trim(),
    values: new Float64Array(current.city.regions.length).fill(NaN),
    history: [],
    ...(template ? { template } : {}),
  });
  return null;
}

function edit(change: (values: Float64Array) => boolean): void {
  const draft = useApp.getState().draftTask;
  if (!draft) return;
  const values = Float64Array.from(draft.values);
  if (!change(values)) return;
  showDraft({ ...draft, values, history: [...draft.history.slice(-UNDO_DEPTH + 1), draft.values] });
}

/** Paint the brush's value onto a region (a no-op when it already has that value). */
export function paintRegion(index: number): void {
  const value = useApp.getState().brush;
  if (value === null) return;
  edit((values) => {
    if (values[index] === value) return false;
    values[index] = value;
    return true;
  });
}

/** Polygon tool: add a corner, or (a click on the first corner) close the polygon and fill it. */
export function addPolygonCorner(corner: [number, number], closesPolygon: boolean): void {
  const s = useApp.getState();
  if (s.brush === null || s.paintTool !== 'polygon') return;
  if (closesPolygon && s.polygon.length >= 3) fillPolygon();
  else s.setPolygon([...s.polygon, corner]);
}

/** Polygon tool: give every region inside the drawn polygon the brush's value (one undo step). */
export function fillPolygon(): number {
  const s = useApp.getState();
  const value = s.brush;
  const current = s.current;
  const corners = s.polygon;
  s.setPolygon([]);
  if (value === null || !current || corners.length < 3) return 0;
  const inside = regionsInPolygon(current.city, corners);
  edit((values) => {
    let changed = false;
    for (const i of inside)
      if (values[i] !== value) {
        values[i] = value;
        changed = true;
      }
    return changed;
  });
  return inside.length;
}

/** Polygon tool: take back the last corner. */
export function removePolygonCorner(): void {
  const s = useApp.getState();
  s.setPolygon(s.polygon.slice(0, -1));
}

export function eraseDraftLabels(): void {
  edit((values) => {
    if (values.every(Number.isNaN)) return false;
    values.fill(NaN);
    return true;
  });
}

export function undoPaint(): void {
  const draft = useApp.getState().draftTask;
  const previous = draft?.history[draft.history.length - 1];
  if (!draft || !previous) return;
  showDraft({ ...draft, values: previous, history: draft.history.slice(0, -1) });
}

/** Labels from a CSV (region id, value); returns the problems found (the draft keeps the rest). */
export async function loadDraftCsv(file: File): Promise<string[]> {
  const { current } = useApp.getState();
  if (!current) return ['open a city first'];
  const { values, problems } = taskLabelsFromCsv(
    await file.text(),
    current.city.regions.map((r) => r.id),
    file.name,
  );
  edit((draft) => {
    draft.set(values);
    return true;
  });
  return problems;
}

export function cancelDraft(): void {
  const s = useApp.getState();
  if (s.draftTask) s.removeDerivedValues(s.draftTask.cityKey, [DRAFT_OPTION]);
  s.setBrush(null);
  s.setDraftTask(null);
}

const withTask = (city: City, labels: TaskLabels): City => ({
  ...city,
  labels: [...city.labels.filter((l) => l.id !== labels.id), labels],
});

const taskOption = (labels: TaskLabels): ValueOption => ({
  id: `label:${labels.id}`,
  label: labels.name,
  group: 'Task labels',
});

function labelsOf(task: SavedTask): TaskLabels {
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

/** Put the city's saved custom tasks back (after a reload or when the city is opened again). */
export async function restoreCustomTasks(loaded: LoadedCity): Promise<void> {
  if (!loaded.source) return;
  const tasks = (await loadTasks(cityIdOf(loaded.source))).filter(
    (t) => t.values.length === loaded.city.regions.length,
  );
  const s = useApp.getState();
  if (tasks.length === 0 || s.current?.key !== loaded.key) return;
  let city = s.current.city;
  for (const t of tasks) {
    city = withTask(city, labelsOf(t));
    if (t.template) s.setTaskTemplate(t.id, t.template);
  }
  s.replaceCity(
    loaded.key,
    city,
    tasks.map((t) => taskOption(labelsOf(t))),
  );
}

/** Add the draft to the city as a task; predict it if the city has a trained model. */
export function addDraftTask(): string | null {
  const s = useApp.getState();
  const draft = s.draftTask;
  const loaded = s.current;
  if (!draft || !loaded || loaded.key !== draft.cityKey) return 'no task is being labelled';
  const labelled = draft.values.filter((v) => !Number.isNaN(v)).length;
  if (labelled < 3) return `label at least 3 regions (${labelled} so far)`;
  const labels = labelsOf(draft);
  const city = withTask(loaded.city, labels);
  s.replaceCity(loaded.key, city, [taskOption(labels)]);
  if (draft.template) s.setTaskTemplate(draft.id, draft.template);
  const id = loaded.source ? cityIdOf(loaded.source) : null;
  const tasksSaved = id
    ? loadTasks(id).then((saved) =>
        saveTasks(id, [
          ...saved.filter((t) => t.id !== draft.id),
          {
            id: draft.id,
            name: draft.name,
            description: draft.description,
            values: draft.values,
            ...(draft.template ? { template: draft.template } : {}),
          },
        ]),
      )
    : Promise.resolve();
  cancelDraft();
  const result = s.training?.cityKey === loaded.key ? s.training.result : null;
  if (result) void predictTask(loaded.key, draftTaskOf(draft), city, result, id, tasksSaved);
  else s.setValueId(`label:${draft.id}`);
  return null;
}

/** The draft as a Task: its own template where the LLM wrote one. */
function draftTaskOf(draft: DraftTask): Task {
  const text = customTask(draft.name, draft.description || `${draft.name} in each region.`);
  return { ...withTemplate(text, draft.template), id: draft.id, labels: draft.values };
}

/**
 * Cross-validate one task of the trained city again, with its prompt features as they are now
 * (e.g. after LLM vectors were made for it), replacing its report in the run. Returns an error
 * message instead when there is nothing to evaluate.
 */
export function evaluateTaskAgain(taskId: string): string | null {
  const s = useApp.getState();
  const loaded = s.current;
  const result = loaded && s.training?.cityKey === loaded.key ? s.training.result : null;
  if (!loaded || !result) return 'train SREL on this city first';
  const labels = loaded.city.labels.find((l) => l.id === taskId);
  if (!labels) return `this city has no task "${taskId}"`;
  const task = withTemplate(taskFromLabels(labels), s.taskTemplates[taskId]);
  const id = loaded.source ? cityIdOf(loaded.source) : null;
  void predictTask(loaded.key, task, loaded.city, result, id, Promise.resolve());
  return null;
}

/**
 * Score a task in a worker (with progress), with the city's own protocol, then add it to the
 * run's results.
 */
async function predictTask(
  cityKey: string,
  task: Task,
  city: City,
  result: TrainedResult,
  id: string | null,
  tasksSaved: Promise<unknown>,
): Promise<void> {
  const s = useApp.getState();
  const startedAt = Date.now();
  const progress = (done: number, total: number, error: string | null = null): void => {
    const elapsed = (Date.now() - startedAt) / 1000;
    const secondsLeft = done > 0 && total > 0 ? (elapsed * (total - done)) / done : null;
    useApp
      .getState()
      .setTaskEvaluation({ taskId: task.id, name: task.name, done, total, secondsLeft, error });
  };
  progress(0, 1);
  let report: TaskReport;
  try {
    const prompt = await promptFeaturesFor(city, task, () => {}, id ?? cityKey);
    report = await evaluateTaskInWorker(
      {
        city,
        task,
        embedding: result.embedding,
        d: result.d,
        ...(result.snapshots ? { snapshots: result.snapshots } : {}),
        ...(prompt ? { prompt } : {}),
      },
      (done, total) => progress(done, total),
    );
  } catch (e) {
    progress(0, 1, `could not predict "${task.name}": ${e instanceof Error ? e.message : String(e)}`);
    s.setValueId(`label:${task.id}`);
    return;
  }
  useApp.getState().setTaskEvaluation(null);
  const updated = useApp.getState().current;
  // The run as it is now (another task may have joined it meanwhile), if it is still this one.
  const now = useApp.getState().training;
  const latest = now?.cityKey === cityKey && now.result?.model === result.model ? now.result : null;
  if (!updated || updated.key !== cityKey || !latest) return;
  {
    const withTask = {
      ...latest,
      reports: [...latest.reports.filter((r) => r.task !== report.task), report],
    };
    s.setTraining((t) => (t && t.cityKey === cityKey ? { ...t, result: withTask, saved: false } : t));
    const t = useApp.getState().training;
    if (id && t)
      void tasksSaved
        .then(() =>
          saveRun(id, {
            result: withTask,
            history: t.history,
            settings: t.settings,
            startedFrom: t.startedFrom,
            finishedAt: new Date().toISOString(),
          }),
        )
        .then((saved) =>
          useApp.getState().setTraining((now) => (now?.result === withTask ? { ...now, saved } : now)),
        );
    showPredictions(updated, { ...latest, reports: [report] });
  }
}
