/**
 * Custom tasks in the app: a name and a sentence, labels painted on the map (or read from a
 * CSV of region id and value), then added to the city like a built-in task and saved with it.
 * When the city already has a trained model, the new task is scored at once on its embeddings,
 * in a worker, with the city's own protocol; so is a task predicted again.
 */
import { taskLabelsFromCsv } from '../../core/city/layers/taskLabelsCsv';
import type { City } from '../../core/city/types';
import type { TaskReport } from '../../core/eval/taskReport';
import type { TrainedResult } from '../../core/pipeline/types';
import { customTask, customTaskId, taskFromLabels, withTemplate } from '../../core/tasks/tasks';
import type { Task, TaskTemplate } from '../../core/tasks/types';
import { vectorsIdOf, type LlmController } from '../llm/controller';
import { loadTasks, saveRun, saveTasks } from '../session/persistence';
import { savedIdOfLoaded, type LoadedCity } from '../state/city';
import type { AppStore } from '../state/store';
import { customLabels, labelsMergeText, mergeLabels, withTaskLabels, type DraftTask } from '../state/tasks';
import { savedRunOf } from '../state/training';
import { runInWords, showPredictions } from '../training/controller';
import { secondsSince, timeLeft } from '../ui/timeLeft';
import type { EvaluateTask } from './evaluationWorker';

export interface TasksController {
  /** Start labelling a new task; returns an error message instead when the name is unusable. */
  startDraft(name: string, description: string, template?: TaskTemplate): string | null;
  /**
   * Labels from a CSV (region id, value) merge into the draft's painted labels; returns the
   * problems found (the draft keeps the rest) and what the merge did, in words.
   */
  loadDraftCsv(file: File): Promise<{ problems: string[]; summary: string | null }>;
  /** Add the draft to the city as a task and save it; score it if the city has a trained model. */
  addDraftTask(): string | null;
  /**
   * Cross-validate one task of the trained city again, with its prompt features as they are
   * now (e.g. after LLM vectors were made for it), replacing its report in the run. Returns an
   * error message instead when there is nothing to evaluate.
   */
  evaluateTaskAgain(taskId: string): string | null;
  /** Put the city's saved custom tasks back (after a reload or when the city is opened again). */
  restoreCustomTasks(loaded: LoadedCity): Promise<void>;
}

/** The draft as a Task: its own template where the LLM wrote one. */
function draftTaskOf(draft: DraftTask): Task {
  const text = customTask(draft.name, draft.description || `${draft.name} in each region.`);
  return { ...withTemplate(text, draft.template), id: draft.id, labels: draft.values };
}

export function tasksController(
  store: AppStore,
  evaluate: EvaluateTask,
  llm: Pick<LlmController, 'promptFeaturesFor'>,
): TasksController {
  /**
   * Score a task in a worker (with progress), with the city's own protocol, then add it to the
   * run's results and save the run (once the task itself is saved).
   */
  async function scoreTask(
    loaded: LoadedCity,
    task: Task,
    city: City,
    result: TrainedResult,
    tasksSaved: Promise<unknown>,
  ): Promise<void> {
    const startedAt = Date.now();
    const progress = (done: number, total: number, error: string | null = null): void => {
      const secondsLeft = total > 0 ? timeLeft(done / total, secondsSince(startedAt, Date.now())) : null;
      store
        .getState()
        .setTaskEvaluation({ taskId: task.id, name: task.name, done, total, secondsLeft, error });
    };
    progress(0, 1);
    const scored: { report: TaskReport } | { error: string } = await llm
      .promptFeaturesFor(city, task, vectorsIdOf(loaded))
      .then((prompt) =>
        evaluate(
          {
            city,
            task,
            embedding: result.embedding,
            d: result.d,
            ...(result.snapshots ? { snapshots: result.snapshots } : {}),
            ...(prompt ? { prompt } : {}),
          },
          progress,
        ),
      )
      .then(
        (report) => ({ report }),
        (e: unknown) => ({ error: e instanceof Error ? e.message : String(e) }),
      );
    if ('error' in scored) {
      progress(0, 1, `could not predict "${task.name}": ${scored.error}`);
      store.getState().setValueId(`label:${task.id}`);
      return;
    }
    store.getState().setTaskEvaluation(null);
    // The run as it is now (another task may have joined it meanwhile), if it is still this one.
    store.getState().taskReported(loaded.loadId, result.model, scored.report);
    const { current, training: run } = store.getState();
    if (
      current?.loadId !== loaded.loadId ||
      run?.loadId !== loaded.loadId ||
      run.result?.model !== result.model
    )
      return;
    showPredictions(store, current, { reports: [scored.report] });
    const savedId = savedIdOfLoaded(loaded);
    const withTask = run.result;
    if (savedId)
      void tasksSaved
        .then(() => saveRun(savedId, savedRunOf(run, withTask, new Date()), runInWords(loaded)))
        .then((saved) => store.getState().runSaved(withTask, saved));
  }

  return {
    startDraft(name, description, template) {
      const { current } = store.getState();
      if (!current) return 'open a city first';
      const trimmed = name.trim();
      if (!trimmed) return 'give the task a name';
      const id = customTaskId(trimmed);
      if (current.city.labels.some((l) => l.id === id || l.name.toLowerCase() === trimmed.toLowerCase()))
        return `this city already has a task called "${trimmed}"`;
      store.getState().startDraft({
        loadId: current.loadId,
        id,
        name: trimmed,
        description: description.trim(),
        values: new Float64Array(current.city.regions.length).fill(NaN),
        history: [],
        ...(template ? { template } : {}),
      });
      return null;
    },

    async loadDraftCsv(file) {
      const { current } = store.getState();
      if (!current) return { problems: ['open a city first'], summary: null };
      const { values, problems } = taskLabelsFromCsv(
        await file.text(),
        current.city.regions.map((r) => r.id),
        file.name,
      );
      const painted = store.getState().draftTask?.values;
      const merge = painted ? mergeLabels(painted, values) : null;
      store.getState().setDraftLabels(values);
      return { problems, summary: merge ? labelsMergeText(merge, file.name) : null };
    },

    addDraftTask() {
      const s = store.getState();
      const draft = s.draftTask;
      const loaded = s.current;
      if (!draft || !loaded || loaded.loadId !== draft.loadId) return 'no task is being labelled';
      const labelled = draft.values.filter((v) => !Number.isNaN(v)).length;
      if (labelled < 3) return `label at least 3 regions (${labelled} so far)`;
      const labels = customLabels(draft);
      s.addTasks(loaded.loadId, [{ labels, ...(draft.template ? { template: draft.template } : {}) }]);
      const savedId = savedIdOfLoaded(loaded);
      const { id, name, description, values, template } = draft;
      const tasksSaved = savedId
        ? loadTasks(savedId).then((saved) =>
            saveTasks(savedId, [
              ...saved.filter((t) => t.id !== id),
              { id, name, description, values, ...(template ? { template } : {}) },
            ]),
          )
        : Promise.resolve();
      store.getState().cancelDraft();
      const run = store.getState().training;
      const result = run?.loadId === loaded.loadId ? run.result : null;
      if (result)
        void scoreTask(loaded, draftTaskOf(draft), withTaskLabels(loaded.city, labels), result, tasksSaved);
      else store.getState().setValueId(`label:${id}`);
      return null;
    },

    evaluateTaskAgain(taskId) {
      const { current: loaded, training: run, taskTemplates } = store.getState();
      const result = loaded && run?.loadId === loaded.loadId ? run.result : null;
      if (!loaded || !result) return 'train SREL on this city first';
      const labels = loaded.city.labels.find((l) => l.id === taskId);
      if (!labels) return `this city has no task "${taskId}"`;
      const task = withTemplate(taskFromLabels(labels), taskTemplates[taskId]);
      void scoreTask(loaded, task, loaded.city, result, Promise.resolve());
      return null;
    },

    async restoreCustomTasks(loaded) {
      const savedId = savedIdOfLoaded(loaded);
      if (!savedId) return;
      const tasks = (await loadTasks(savedId)).filter((t) => t.values.length === loaded.city.regions.length);
      store.getState().addTasks(
        loaded.loadId,
        tasks.map((t) => ({ labels: customLabels(t), ...(t.template ? { template: t.template } : {}) })),
      );
    },
  };
}
