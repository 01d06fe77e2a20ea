/**
 * A chat model writes the template of a new task (persona, what to look at, output
 * structure: the shape of the built-in templates in tasks/builtin.ts) from the user's name and
 * one sentence. This module assembles the request and validates the answer; the app sends
 * the messages to web-llm and lets the user edit the result before use.
 */
import { builtinTask } from '../tasks/builtin';
import type { TaskTemplate } from '../tasks/types';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

const FOCUS_MIN = 2;
const FOCUS_MAX = 8;
const TEXT_MAX = 400;

/** The messages that ask for a template as JSON, with the crime template as the example. */
export function templateRequestMessages(name: string, description: string): ChatMessage[] {
  const example = builtinTask('crime')?.template;
  const exampleJson = JSON.stringify(
    { persona: example?.persona, focus: example?.focus, outputStructure: example?.outputStructure },
    null,
    1,
  );
  return [
    {
      role: 'system',
      content:
        'You write prompt templates for urban analysts. Answer with one JSON object and nothing else, ' +
        'with exactly these keys: "persona" (one sentence starting "You are"), "focus" (a list of ' +
        `${FOCUS_MIN} to ${FOCUS_MAX} short phrases naming what in a region's points of interest, land use, ` +
        'trips and neighbours bears on the task), and "outputStructure" (one or two sentences saying how ' +
        'to summarise a region, ending with a judgement relative to the rest of the city: low, average or high).',
    },
    { role: 'user', content: 'Task: Crime. What it measures: How many crimes are recorded in the region.' },
    { role: 'assistant', content: exampleJson },
    { role: 'user', content: `Task: ${name.trim()}. What it measures: ${description.trim()}` },
  ];
}

/** The first balanced {...} in the text (models often wrap JSON in prose or a code fence). */
function firstJsonObject(text: string): string | null {
  const start = text.indexOf('{');
  if (start < 0) return null;
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '{') depth++;
    else if (ch === '}' && --depth === 0) return text.slice(start, i + 1);
  }
  return null;
}

const isText = (v: unknown): v is string => typeof v === 'string' && v.trim().length > 0;

/** The template in a model's answer, or a specific reason why there is none. */
export function parseGeneratedTemplate(answer: string): { template: TaskTemplate } | { error: string } {
  const json = firstJsonObject(answer);
  if (!json) return { error: 'the model did not answer with a JSON object' };
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (e) {
    return { error: `the model's JSON does not parse: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { error: 'the model answered JSON that is not an object' };
  const { persona, focus, outputStructure } = value as Record<string, unknown>;
  if (!isText(persona)) return { error: 'the template has no "persona" sentence' };
  if (persona.length > TEXT_MAX) return { error: `the persona is longer than ${TEXT_MAX} characters` };
  if (!Array.isArray(focus)) return { error: 'the template has no "focus" list' };
  const phrases = focus.filter(isText).map((f) => f.trim());
  if (phrases.length !== focus.length) return { error: 'every "focus" entry must be a non-empty text' };
  if (phrases.length < FOCUS_MIN || phrases.length > FOCUS_MAX)
    return { error: `"focus" needs ${FOCUS_MIN} to ${FOCUS_MAX} phrases, got ${phrases.length}` };
  if (phrases.some((p) => p.length > TEXT_MAX))
    return { error: `a "focus" phrase is longer than ${TEXT_MAX} characters` };
  if (!isText(outputStructure)) return { error: 'the template has no "outputStructure"' };
  if (outputStructure.length > TEXT_MAX)
    return { error: `the output structure is longer than ${TEXT_MAX} characters` };
  return { template: { persona: persona.trim(), focus: phrases, outputStructure: outputStructure.trim() } };
}
