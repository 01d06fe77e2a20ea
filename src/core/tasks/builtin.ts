/**
 * The built-in tasks: the benchmark's three (ids as its label files: crime, checkIn,
 * serviceCall), each with an expert template written for ToPT Studio.
 */
import { BUILTIN_TASKS } from '../city/city';
import type { TaskTemplate, TaskText } from './types';

const BUILTIN: Record<string, { description: string; template: TaskTemplate }> = {
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

/** The built-in tasks' words, in the benchmark's order. */
export const BUILTIN_TASK_TEXTS: TaskText[] = Object.entries(BUILTIN).map(([id, t]) => ({
  id,
  name: BUILTIN_TASKS[id].name,
  unit: BUILTIN_TASKS[id].unit,
  description: t.description,
  template: t.template,
  builtin: true,
}));

/** The built-in task with this id, or null. */
export function builtinTask(id: string): TaskText | null {
  return BUILTIN_TASK_TEXTS.find((t) => t.id === id) ?? null;
}
