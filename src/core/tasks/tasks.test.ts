import { describe, expect, it } from 'vitest';
import { makeLabels } from '../city/city';
import { BUILTIN_TASK_TEXTS, builtinTask } from './builtin';
import { customTask, customTaskId, labelledCount, taskFromLabels, taskLabelsOf, withTemplate } from './tasks';

describe('the built-in tasks', () => {
  it('are the three benchmark tasks with persona, focus and output structure', () => {
    expect(BUILTIN_TASK_TEXTS.map((t) => t.id)).toEqual(['crime', 'checkIn', 'serviceCall']);
    for (const t of BUILTIN_TASK_TEXTS) {
      expect(t.builtin).toBe(true);
      expect(t.template.persona).toMatch(/^You are /);
      expect(t.template.focus.length).toBeGreaterThanOrEqual(3);
      expect(t.template.outputStructure).toMatch(/low, average or high/);
    }
    expect(builtinTask('crime')?.template.persona).toMatch(/criminologist/);
    expect(builtinTask('serviceCall')?.template.persona).toMatch(/infrastructure engineer/);
    expect(builtinTask('nope')).toBeNull();
  });
});

describe('custom tasks', () => {
  it('are made from a name and a sentence, with the generic template filled with the sentence', () => {
    const t = customTask('Bike thefts', 'Bicycles reported stolen per year.', 'thefts');
    expect(t.id).toBe('custom-bike-thefts');
    expect(t.unit).toBe('thefts');
    expect(t.builtin).toBe(false);
    expect(t.template.focus[0]).toContain('Bicycles reported stolen per year.');
    expect(customTaskId('  Café visits! ')).toBe('custom-cafe-visits');
    expect(() => customTask('', 'x')).toThrow(/name/);
    expect(() => customTask('x', ' ')).toThrow(/sentence/);
  });

  it('take a template written by the LLM in place of the generic one', () => {
    const template = { persona: 'You are a cyclist.', focus: ['racks'], outputStructure: 'One line.' };
    expect(withTemplate(customTask('Bike thefts', 'Stolen bikes.'), template).template).toBe(template);
    const t = customTask('Bike thefts', 'Stolen bikes.');
    expect(withTemplate(t, undefined)).toBe(t);
  });
});

describe('tasks from a city’s label columns', () => {
  const values = new Float64Array([1, NaN, 3]);

  it('give a built-in task its own words whatever the city calls it', () => {
    const task = taskFromLabels(makeLabels('crime', 'Crime', 'crimes per year', values));
    expect(task).toEqual({ ...builtinTask('crime'), labels: values });
    expect(labelledCount(task)).toBe(2);
  });

  it('keep a user’s sentence in the label note, so a bundle round trip keeps the task', () => {
    const task = { ...customTask('Bike thefts', 'Bicycles reported stolen.'), labels: values };
    const labels = taskLabelsOf(task);
    expect(labels).toEqual({
      id: 'custom-bike-thefts',
      name: 'Bike thefts',
      unit: '',
      values,
      missing: 1,
      note: 'Bicycles reported stolen.',
    });
    expect(taskFromLabels(labels)).toEqual(task);
  });

  it('describe an unknown label column without a note by its name', () => {
    const task = taskFromLabels(makeLabels('noise', 'Noise', 'complaints', values));
    expect(task.id).toBe('noise');
    expect(task.description).toBe('Noise in each region.');
    expect(task.unit).toBe('complaints');
  });
});
