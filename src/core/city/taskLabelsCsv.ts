/**
 * Labels for a custom task from a CSV of region id and value: two columns (a header row
 * naming them, e.g. `region_id,value`), comma, semicolon or tab separated. Every row that
 * cannot be used is reported with its line and the reason; regions without a row stay
 * unlabelled (they are predicted, not trained on).
 */
import { parseCsv } from '../io/csv';

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
    const v = Number(raw);
    if (raw === '' || !Number.isFinite(v)) {
      problems.push(`${fileName} line ${line}: value "${raw}" for region "${id}" is not a number`);
      continue;
    }
    seen.add(id);
    values[row] = v;
  }
  return { values, labelled: seen.size, problems };
}
