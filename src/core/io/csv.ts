/**
 * Minimal RFC 4180 CSV reading and writing (quoted fields, "" escapes, CRLF or LF).
 * Detects the delimiter among comma, semicolon and tab from the header line.
 *
 * Written text cells that a spreadsheet would run as a formula (CSV injection) are neutralised
 * with a leading single quote, and read back without it: see `neutraliseCell`.
 */
import { isDecimalText } from './number';

export interface CsvTable {
  delimiter: string;
  header: string[];
  /** Data rows (without the header); `line` is the 1-based line number in the file. */
  rows: { line: number; cells: string[] }[];
}

export function detectDelimiter(headerLine: string): string {
  const counts = [',', ';', '\t'].map((d) => ({ d, n: headerLine.split(d).length - 1 }));
  counts.sort((a, b) => b.n - a.n);
  return counts[0].n > 0 ? counts[0].d : ',';
}

/**
 * `onProgress(charactersRead, characters)` is called about every million characters (long
 * files are read in a worker that reports how far it is).
 */
export function parseCsv(text: string, onProgress?: (done: number, total: number) => void): CsvTable {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const firstLineEnd = body.search(/\r?\n/);
  const delimiter = detectDelimiter(firstLineEnd < 0 ? body : body.slice(0, firstLineEnd));
  const records: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  const step = 1 << 20;
  let nextReport = onProgress ? step : Infinity;
  for (let i = 0; i < body.length; i++) {
    if (i >= nextReport) {
      onProgress?.(i, body.length);
      nextReport += step;
    }
    const c = body[i];
    if (quoted) {
      if (c === '"') {
        if (body[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === '"' && field.length === 0) {
      quoted = true;
    } else if (c === delimiter) {
      cells.push(restoreCell(field));
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && body[i + 1] === '\n') i++;
      cells.push(restoreCell(field));
      records.push({ line: recordLine, cells });
      cells = [];
      field = '';
      line++;
      recordLine = line;
    } else {
      field += c;
    }
  }
  if (field.length > 0 || cells.length > 0) {
    cells.push(restoreCell(field));
    records.push({ line: recordLine, cells });
  }
  onProgress?.(body.length, body.length);
  const nonEmpty = records.filter((r) => !(r.cells.length === 1 && r.cells[0].trim() === ''));
  const [head, ...rows] = nonEmpty;
  return { delimiter, header: head ? head.cells.map((h) => h.trim()) : [], rows };
}

/** Single quotes (any number) before a character that starts a formula in a spreadsheet. */
const FORMULA_START = /^'*[=+\-@\t\r]/;

/**
 * The CSV-injection rule (OWASP): a text cell starting with `=`, `+`, `-`, `@`, tab or
 * carriage return gets a leading single quote, so a spreadsheet shows it as text instead of
 * running it (`=HYPERLINK(...)` -> `'=HYPERLINK(...)`). Plain numbers such as `-1.5` are kept
 * as they are. A cell that already starts with quotes before such a character gets one more,
 * so `restoreCell` gives every cell back exactly.
 */
export function neutraliseCell(cell: string): string {
  // A plain decimal number, such as -1.5 or -2e-7, is data, never a formula.
  return FORMULA_START.test(cell) && !isDecimalText(cell) ? `'${cell}` : cell;
}

/** The inverse of `neutraliseCell`: one leading quote dropped before a formula start. */
export function restoreCell(cell: string): string {
  return cell.startsWith("'") && FORMULA_START.test(cell) ? cell.slice(1) : cell;
}

function quote(cell: string): string {
  const safe = neutraliseCell(cell);
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Format numbers compactly and exactly (integers without a decimal point). */
export function formatNumber(v: number): string {
  if (Number.isNaN(v)) return '';
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(10)));
}

export function writeCsv(header: string[], rows: (string | number)[][]): string {
  const lines = [header.map(quote).join(',')];
  for (const row of rows) {
    lines.push(row.map((c) => (typeof c === 'number' ? formatNumber(c) : quote(c))).join(','));
  }
  return lines.join('\n') + '\n';
}
