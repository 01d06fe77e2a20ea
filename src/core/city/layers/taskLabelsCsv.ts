/**
 * Labels for a custom task from a CSV of region id and value: two columns (a header row
 * naming them, e.g. `region_id,value`), comma, semicolon or tab separated. Every row that
 * cannot be used is reported with its line and the reason; regions without a row stay
 * unlabelled (they are predicted, not trained on).
 */
import { parseCsv } from '../../io/csv';
import { describeNotDecimal, parseDecimal } from '../../io/number';
import { makeLabels, taskNameOfColumn } from '../city';
import type { City } from '../types';

export interface CsvLabels {
  /** N values; NaN where the CSV gave none. */
  values: Float64Array;
  labelled: number;
  problems: string[];
}

export function taskLabelsFromCsv(text: string, regionIds: string[], fileName = 'labels.csv'): CsvLabels {
  const values = new Float64Array(regionIds.length).fill(NaN);
  const problems: string[] = [];
  if (text.trim() === '') return { values, labelled: 0, problems: [`${fileName} is empty`] };
  const table = parseCsv(text);
  if (table.header.length < 2)
    return {
      values,
      labelled: 0,
      problems: [
        `${fileName}: needs two columns, a region id and a value (found ${table.header.length}: "${table.header.join(table.delimiter)}")`,
      ],
    };
  const index = new Map(regionIds.map((id, i) => [id, i]));
  const seen = new Set<string>();
  for (const { line, cells } of table.rows) {
    const id = (cells[0] ?? '').trim();
    const raw = (cells[1] ?? '').trim();
    if (id === '' && raw === '') continue;
    const row = index.get(id);
    if (row === undefined) {
      problems.push(`${fileName} line ${line}: region "${id}" is not in this city`);
      continue;
    }
    if (seen.has(id)) {
      problems.push(`${fileName} line ${line}: region "${id}" appears again (the first value is kept)`);
      continue;
    }
    const v = parseDecimal(raw);
    if (v === null) {
      problems.push(`${fileName} line ${line}: value for region "${id}": ${describeNotDecimal(raw)}`);
      continue;
    }
    seen.add(id);
    values[row] = v;
  }
  return { values, labelled: seen.size, problems };
}

/** A region id column of a labels CSV. */
export const REGION_ID_COLUMN = /^(region_?id|region|id|geoid|zone_?id|zone|area_?id|area)$/i;
const LISTED = 20;

/**
 * Task labels for the import path: a CSV of region id (the first column, or the one named
 * region_id, id, ...) and one or more value columns, each a task named by its header. A task
 * the city already has keeps its name, unit and note and gets the new values: all of them, the
 * file's column replaces the task's labels whole (not merged), so a region without a row or
 * with an empty cell loses the label it had, and the report says how many did. A new task is
 * added. Regions without a row, and empty cells, are unlabelled (NaN). Rows naming a region
 * the city lacks, repeated regions and non-numeric values are reported by line and left out.
 * All or nothing: a file no row of which names a region of the city fails as a whole.
 */
export function importTaskLabelsCsv(
  city: City,
  text: string,
  fileName: string,
): { city: City; report: string[] } | { error: string } {
  if (text.trim() === '') return { error: `${fileName} is empty` };
  const { header, rows } = parseCsv(text);
  if (header.length < 2)
    return {
      error: `${fileName} needs a region id column and at least one value column (its columns are ${header.map((h) => `"${h}"`).join(', ')})`,
    };
  if (rows.length === 0) return { error: `${fileName} has a header but no rows` };
  const named = header.findIndex((h) => REGION_ID_COLUMN.test(h));
  const idCol = named >= 0 ? named : 0;
  const valueCols = header.map((_, c) => c).filter((c) => c !== idCol);
  const twice = valueCols.find((c, k) => valueCols.findIndex((d) => header[d] === header[c]) !== k);
  if (twice !== undefined)
    return { error: `${fileName} has two columns named "${header[twice]}": name each task once` };
  const n = city.regions.length;
  const rowOf = new Map(city.regions.map((r, i) => [r.id, i]));
  const values = valueCols.map(() => new Float64Array(n).fill(NaN));
  const problems: string[] = [];
  let unknownIds = 0;
  let bad = 0;
  const problem = (line: number, why: string): void => {
    if (problems.length < LISTED) problems.push(`${fileName} line ${line}: ${why}`);
  };
  const seen = new Set<string>();
  for (const { line, cells } of rows) {
    const id = (cells[idCol] ?? '').trim();
    const row = rowOf.get(id);
    if (row === undefined) {
      unknownIds++;
      problem(line, id === '' ? 'the region id is empty' : `region "${id}" is not in this city`);
      continue;
    }
    if (seen.has(id)) {
      bad++;
      problem(line, `region "${id}" appears again (the first row is kept)`);
      continue;
    }
    seen.add(id);
    valueCols.forEach((c, k) => {
      const raw = (cells[c] ?? '').trim();
      if (raw === '') return;
      const v = parseDecimal(raw);
      if (v === null) {
        bad++;
        problem(line, `${header[c]} for region "${id}": ${describeNotDecimal(raw)}`);
      } else values[k][row] = v;
    });
  }
  const listedAll = unknownIds + bad;
  if (listedAll > LISTED) problems.push(`… and ${listedAll - LISTED} more problems`);
  if (seen.size === 0)
    return {
      error: `${fileName}: no row names a region of this city (region ids in column "${header[idCol]}"; ${problems[0] ?? ''})`,
    };
  const labels = [...city.labels];
  const tasks: string[] = [];
  const replaced: string[] = [];
  valueCols.forEach((c, k) => {
    const task = header[c];
    const existing = labels.findIndex((l) => l.id === task);
    const v = values[k];
    const labelled = v.filter((x) => !Number.isNaN(x)).length;
    tasks.push(`${task} (${labelled} regions labelled)`);
    if (existing >= 0) {
      const had = labels[existing].values;
      let lost = 0;
      for (let i = 0; i < n; i++) if (!Number.isNaN(had[i]) && Number.isNaN(v[i])) lost++;
      const before = had.length - labels[existing].missing;
      replaced.push(
        `${task} replaces the city's labels of that task whole (${before} regions labelled before, ${labelled} now)${lost ? `: ${lost} regions that had a label have none in ${fileName} and are now unlabelled` : ''}`,
      );
    }
    if (existing >= 0)
      labels[existing] = makeLabels(
        task,
        labels[existing].name,
        labels[existing].unit,
        v,
        labels[existing].note,
      );
    else {
      // A new task is named from its column: humanised, a bracketed unit its unit.
      const { name, unit } = taskNameOfColumn(task);
      labels.push(makeLabels(task, name, unit, v));
    }
  });
  const report = [
    `${fileName}: ${rows.length} rows; region ids in "${header[idCol]}"; ${valueCols.length} tasks: ${tasks.join(', ')}`,
    `${unknownIds} rows name regions not in this city`,
    `${bad} values unusable (not numbers, or a region repeated)`,
    ...problems.map((p) => `  ${p}`),
    `${n - seen.size} regions without a row (unlabelled)`,
    ...replaced,
  ];
  return { city: { ...city, labels }, report };
}
