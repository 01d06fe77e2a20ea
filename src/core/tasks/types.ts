/**
 * The Task: what is predicted for every region of a city, in words and in labels. One noun
 * for the app, its workers, the pipeline, the benchmark and the exports: a built-in task of
 * the benchmark, or a user's own (a name, one sentence and painted or imported labels), with
 * the template a language model writes prompts from (an expert one, the generic one of a
 * user's task, or one the in-browser LLM wrote).
 */

/** How the language model is asked to think about a region for one task. */
export interface TaskTemplate {
  /** Who the model should be, e.g. "an experienced criminologist ...". */
  persona: string;
  /** What in a region's data bears on the task. */
  focus: string[];
  /** The shape of the answer we want back. */
  outputStructure: string;
}

export interface Task {
  /** e.g. "crime", "checkIn", "custom-bike-thefts". */
  id: string;
  /** Human name, e.g. "Crime". */
  name: string;
  unit: string;
  /** One sentence saying what is predicted. */
  description: string;
  template: TaskTemplate;
  /** One of the benchmark's tasks (its expert template), not a user's own. */
  builtin: boolean;
  /** N values in region order; NaN = no label. */
  labels: Float64Array;
}

/** A task's words without its labels: all that prompts and templates need. */
export type TaskText = Omit<Task, 'labels'>;
