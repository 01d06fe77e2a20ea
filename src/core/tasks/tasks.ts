/**
 * Tasks from a city's label columns and from a user's words, and back to label columns for
 * the city bundle (where a user's task keeps its sentence in the label's `note`).
 */
import type { City, TaskLabels } from '../city/types';
import { slug } from '../slug';
import { builtinTask } from './builtin';
import type { Task, TaskTemplate, TaskText } from './types';

/** A stable id for a custom task from its name ("Bike thefts" -> "custom-bike-thefts"). */
export function customTaskId(name: string): string {
  return `custom-${slug(name) || 'task'}`;
}

/**
 * A user's task from a name and one sentence, with a generic analyst template filled with the
 * sentence (until the in-browser LLM writes a better one: `withTemplate`).
 */
export function customTask(name: string, description: string, unit = ''): TaskText {
  const trimmedName = name.trim();
  const sentence = description.trim();
  if (!trimmedName) throw new Error('a task needs a name');
  if (!sentence) throw new Error('a task needs a one-sentence description');
  return {
    id: customTaskId(trimmedName),
    name: trimmedName,
    description: sentence,
    unit,
    builtin: false,
    template: {
      persona: `You are an urban analyst who studies ${trimmedName.toLowerCase()} across the regions of a city.`,
      focus: [
        `everything in the region's points of interest and land use that bears on this: ${sentence}`,
        'how many people travel into and out of the region',
        'the neighbouring regions, since urban phenomena spill over boundaries',
      ],
      outputStructure: `Summarise in three short parts: factors that raise ${trimmedName.toLowerCase()}, factors that lower it, and an overall judgement relative to the rest of the city (low, average or high).`,
    },
  };
}

/** The task with a template written by the in-browser LLM (or edited); unchanged without one. */
export function withTemplate<T extends TaskText>(task: T, template: TaskTemplate | undefined): T {
  return template ? { ...task, template } : task;
}

/**
 * The task behind one of a city's label columns: a built-in task's own words (its prompts are
 * the same in every city), else a user's task whose sentence is the label's `note` (how a
 * bundle keeps it) or, without one, "<name> in each region.".
 */
export function taskFromLabels(labels: TaskLabels): Task {
  const name = labels.name || labels.id;
  const text = builtinTask(labels.id) ?? {
    ...customTask(name, labels.note || `${name} in each region.`, labels.unit),
    id: labels.id,
  };
  return { ...text, labels: labels.values };
}

/** Every task a city's labels give, in their order. */
export function tasksOfCity(city: Pick<City, 'labels'>): Task[] {
  return city.labels.map(taskFromLabels);
}

/** A task as a city's label column; a user's task keeps its sentence in `note`. */
export function taskLabelsOf(task: Task): TaskLabels {
  let missing = 0;
  for (const v of task.labels) if (Number.isNaN(v)) missing++;
  return {
    id: task.id,
    name: task.name,
    unit: task.unit,
    values: task.labels,
    missing,
    ...(!task.builtin && task.description ? { note: task.description } : {}),
  };
}

/** How many regions have a label. */
export function labelledCount(task: Pick<Task, 'labels'>): number {
  let n = 0;
  for (const v of task.labels) if (!Number.isNaN(v)) n++;
  return n;
}
