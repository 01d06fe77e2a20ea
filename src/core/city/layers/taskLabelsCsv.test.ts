import { describe, expect, it } from 'vitest';
import { twoSquares } from '../fixtures/twoSquares';
import { makeLabels, taskNameOfColumn } from '../city';
import { importTaskLabelsCsv, taskLabelsFromCsv } from './taskLabelsCsv';

const ids = ['R1', 'R2', 'R3'];

describe('task labels from CSV', () => {
  it('reads region id and value; regions without a row stay unlabelled', () => {
    const r = taskLabelsFromCsv('region_id;value\nR3;2.5\nR1;4\n', ids);
    expect(Array.from(r.values)).toEqual([4, NaN, 2.5]);
    expect(r.labelled).toBe(2);
    expect(r.problems).toEqual([]);
  });

  it('names the line and reason of every row it cannot use', () => {
    const r = taskLabelsFromCsv('id,v\nR1,1\nR9,2\nR2,lots\nR1,3\n', ids, 'mine.csv');
    expect(Array.from(r.values)).toEqual([1, NaN, NaN]);
    expect(r.problems).toEqual([
      'mine.csv line 3: region "R9" is not in this city',
      'mine.csv line 4: value for region "R2": "lots" is not a number',
      'mine.csv line 5: region "R1" appears again (the first value is kept)',
    ]);
  });

  it('refuses hexadecimal and numbers beyond a double, which Number() would take', () => {
    const r = taskLabelsFromCsv('id,v\nR1,0x10\nR2,1e999\nR3,7\n', ids, 'mine.csv');
    expect(Array.from(r.values)).toEqual([NaN, NaN, 7]);
    expect(r.problems).toEqual([
      'mine.csv line 2: value for region "R1": "0x10" is not a decimal number (hexadecimal, octal and binary are not read)',
      'mine.csv line 3: value for region "R2": "1e999" is beyond the largest number there is (about 1.8e308), not a finite number',
    ]);
  });

  it('refuses an empty file or a single column', () => {
    expect(taskLabelsFromCsv('', ids).problems).toEqual(['labels.csv is empty']);
    expect(taskLabelsFromCsv('region_id\nR1\n', ids).problems[0]).toMatch(/needs two columns/);
  });

  it('names a task from its column id: words, capitalised, a bracketed unit its unit', () => {
    expect(taskNameOfColumn('crime (incidents)')).toEqual({ name: 'Crime', unit: 'incidents' });
    expect(taskNameOfColumn('noise_complaints [per year]')).toEqual({
      name: 'Noise complaints',
      unit: 'per year',
    });
    expect(taskNameOfColumn('service_calls')).toEqual({ name: 'Service calls', unit: '' });
    expect(taskNameOfColumn('checkIn')).toEqual({ name: 'Check in', unit: '' });
    expect(taskNameOfColumn('NYC_311-calls')).toEqual({ name: 'NYC 311 calls', unit: '' });
    expect(taskNameOfColumn('Rent')).toEqual({ name: 'Rent', unit: '' });
    // Nothing but a bracket, or nothing at all: the column as it is.
    expect(taskNameOfColumn('(x)')).toEqual({ name: '(x)', unit: '' });
    expect(taskNameOfColumn('__')).toEqual({ name: '__', unit: '' });
  });

  it('an imported labels file names its new tasks humanly; a task the city has keeps its name', () => {
    const base = twoSquares();
    const city = { ...base, labels: [makeLabels('rent', 'Monthly rent', 'EUR', Float64Array.of(1, 2))] };
    const r = importTaskLabelsCsv(
      city,
      'region_id,crime (incidents),service_calls,rent\nA,1,2,3\nB,4,5,6\n',
      'l.csv',
    );
    if ('error' in r) throw new Error(r.error);
    expect(r.city.labels.map((l) => [l.id, l.name, l.unit])).toEqual([
      ['rent', 'Monthly rent', 'EUR'],
      ['crime (incidents)', 'Crime', 'incidents'],
      ['service_calls', 'Service calls', ''],
    ]);
  });
});
