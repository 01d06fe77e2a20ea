/**
 * The task registry: the three benchmark tasks with expert templates written for ToPT
 * Studio, and custom tasks a user defines with a name and one sentence.
 */
import { BUILTIN_TASKS } from '../city/city';
import { slug } from '../slug';

/** How the language model is asked to think about a region for one task. */
export interface TaskTemplate {
  /** Who the model should be, e.g. "an experienced criminologist ...". */
  persona: string;
  /** What in a region's data bears on the task. */
  focus: string[];
  /** The shape of the answer we want back. */
  outputStructure: string;
}

export interface TaskDefinition {
  id: string;
  name: string;
  /** One sentence saying what is predicted. */
  description: string;
  unit: string;
  /** Where the labels come from, for reports. */
  labelSource: string;
  template: TaskTemplate;
  builtin: boolean;
}

const TEMPLATES: Record<string, { description: string; template: TaskTemplate }> = {
  crime: {
    description: 'How many crimes are recorded in the region over the study period.',
    template: {
      persona:
        'You are an experienced criminologist who advises a city on where public-safety resources are needed.',
      focus: [
        'nightlife, bars and entertainment, which bring crowds late at night',
        'retail and transport hubs, where many strangers meet',
        'the residential share and how mixed the land use is',
        'how many people travel into and out of the region',
        'the character of the neighbouring regions, since crime spills over boundaries',
      ],
      outputStructure:
        'Summarise in three short parts: the main risk factors, the protective factors, and an overall judgement of crime relative to the rest of the city (low, average or high).',
    },
  },
  checkIn: {
    description: 'How many social-media check-ins are made in the region.',
    template: {
      persona:
        'You are an urban planner and social-media analyst who studies where people go out, shop and meet.',
      focus: [
        'food and drink, shopping, arts, tourism and entertainment venues',
        'how many trips arrive in the region and from how far',
        'whether the region is a destination or mostly residential',
        'nearby attractions in neighbouring regions',
      ],
      outputStructure:
        'Summarise in three short parts: what draws visitors, what keeps them away, and an overall judgement of check-in activity relative to the rest of the city (low, average or high).',
    },
  },
  serviceCall: {
    description: 'How many non-emergency service requests (311 calls) come from the region.',
    template: {
      persona:
        'You are an infrastructure engineer who plans municipal maintenance and responds to residents’ service requests.',
      focus: [
        'how many people live in the region (residential land use and community services)',
        'the age and density of the built environment suggested by its land use',
        'traffic: trips in and out, parking and transport facilities',
        'public spaces, parks and utilities that need upkeep',
      ],
      outputStructure:
        'Summarise in three short parts: sources of service requests, factors that reduce them, and an overall judgement of request volume relative to the rest of the city (low, average or high).',
    },
  },
};

/** The built-in tasks (ids as the benchmark labels: crime, checkIn, serviceCall). */
export const BUILTIN_TASK_DEFINITIONS: TaskDefinition[] = Object.entries(TEMPLATES).map(([id, t]) => ({
  id,
  name: BUILTIN_TASKS[id].name,
  unit: BUILTIN_TASKS[id].unit,
  description: t.description,
  labelSource: `the city's "${id}" labels`,
  template: t.template,
  builtin: true,
}));

/** A stable id for a custom task from its name ("Bike thefts" -> "custom-bike-thefts"). */
export function customTaskId(name: string): string {
  return `custom-${slug(name) || 'task'}`;
}

/**
 * A user's task from a name and one sentence. Until a language model writes a better
 * template (the LLM issue), a generic analyst template is filled with the description.
 */
export function customTask(
  name: string,
  description: string,
  unit = '',
  labelSource = 'user labels',
): TaskDefinition {
  const trimmedName = name.trim();
  const sentence = description.trim();
  if (!trimmedName) throw new Error('a task needs a name');
  if (!sentence) throw new Error('a task needs a one-sentence description');
  return {
    id: customTaskId(trimmedName),
    name: trimmedName,
    description: sentence,
    unit,
    labelSource,
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

/** The built-in definition for a task id, or null. */
export function builtinTask(id: string): TaskDefinition | null {
  return BUILTIN_TASK_DEFINITIONS.find((t) => t.id === id) ?? null;
}

/**
 * The definition behind a city's task labels: the built-in template for the benchmark tasks,
 * else a custom task from the labels' name and their sentence (`note`, where the app keeps a
 * custom task's description).
 */
export function taskDefinitionFor(labels: { id: string; name: string; note?: string }): TaskDefinition {
  return (
    builtinTask(labels.id) ??
    customTask(labels.name || labels.id, labels.note || `${labels.name || labels.id} in each region.`)
  );
}
