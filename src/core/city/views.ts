/**
 * Reading views (POI counts, land use, trips) and labels from CSV or .npy, aligned to the
 * region order, with validation of every cell.
 */
import { parseCsv } from '../io/csv';
import { NpyError, npyToFloat64, readNpy } from '../io/npy';
import { describeNotDecimal, parseDecimal } from '../io/number';
import { sparseFromDense, sparseFromTriplets, type SparseMatrix } from '../math/sparse';
import { ProblemList, decodeText } from './problems';
import type { Matrix } from './types';

const MAX_CELL_REPORTS = 10;

export function isNpy(file: string): boolean {
  return file.toLowerCase().endsWith('.npy');
}

/**
 * Parse a numeric cell strictly (parseDecimal): "", "NaN", "1e", "12abc", "0x10" and "1e999"
 * (beyond the largest double) are not numbers.
 */
export function parseNumberCell(cell: string): number | null {
  return parseDecimal(cell);
}

/** Counts must be finite and non-negative; report the first offending cells by row/column. */
export function checkCounts(
  m: Matrix,
  file: string,
  columns: string[],
  rowLabel: (r: number) => string,
  problems: ProblemList,
): void {
  let reported = 0;
  for (let r = 0; r < m.rows; r++) {
    for (let c = 0; c < m.cols; c++) {
      const v = m.data[r * m.cols + c];
      if (Number.isFinite(v) && v >= 0) continue;
      if (reported++ >= MAX_CELL_REPORTS) continue;
      const what = Number.isNaN(v) ? 'NaN' : !Number.isFinite(v) ? String(v) : `negative (${v})`;
      problems.error(
        file,
        `count is ${what}: counts must be finite and non-negative`,
        rowLabel(r),
        columns[c] ?? `column ${c}`,
      );
    }
  }
  if (reported > MAX_CELL_REPORTS) {
    problems.error(file, `${reported - MAX_CELL_REPORTS} more invalid counts not listed`);
  }
}

function readNpyMatrix(bytes: Uint8Array, file: string, problems: ProblemList): Matrix | null {
  if (bytes.length === 0) {
    problems.error(file, 'file is empty');
    return null;
  }
  try {
    const arr = readNpy(bytes);
    const data = npyToFloat64(arr);
    if (arr.shape.length === 1) return { rows: arr.shape[0], cols: 1, data };
    if (arr.shape.length === 2) return { rows: arr.shape[0], cols: arr.shape[1], data };
    problems.error(
      file,
      `array has ${arr.shape.length} dimensions (shape ${arr.shape.join(' x ')}): expected a matrix`,
    );
    return null;
  } catch (e) {
    problems.error(file, e instanceof NpyError ? e.message : `cannot read .npy: ${String(e)}`);
    return null;
  }
}

/**
 * A view as an N x C matrix. CSV: a region id column (`idColumn`, default the first
 * column) and one numeric column per category, rows matched to regions by id.
 * .npy: N x C, rows in region order; `columns` names the categories.
 */
export function readViewMatrix(
  bytes: Uint8Array,
  file: string,
  regionIds: string[],
  problems: ProblemList,
  options: { columns?: string[]; idColumn?: string } = {},
): { matrix: Matrix; columns: string[] } | null {
  const n = regionIds.length;
  const rowLabel = (r: number): string => `row ${r} (region "${regionIds[r]}")`;
  if (isNpy(file)) {
    const m = readNpyMatrix(bytes, file, problems);
    if (!m) return null;
    if (m.rows !== n) {
      problems.error(file, `has ${m.rows} rows but the city has ${n} regions`);
      return null;
    }
    const columns = options.columns ?? Array.from({ length: m.cols }, (_, i) => `c${i}`);
    if (columns.length !== m.cols) {
      problems.error(file, `has ${m.cols} columns but ${columns.length} column names are given`);
      return null;
    }
    const before = problems.errorCount();
    checkCounts(m, file, columns, rowLabel, problems);
    return problems.errorCount() > before ? null : { matrix: m, columns };
  }
  const text = decodeText(bytes, file, problems);
  if (text === null) return null;
  if (text.trim() === '') {
    problems.error(file, 'file is empty');
    return null;
  }
  const table = parseCsv(text);
  const idCol = options.idColumn ? table.header.indexOf(options.idColumn) : 0;
  if (idCol < 0) {
    problems.error(
      file,
      `no column "${options.idColumn}" in the header (${table.header.join(', ')})`,
      'header',
    );
    return null;
  }
  if (table.header.length < 2) {
    problems.error(
      file,
      `header has ${table.header.length} column (${table.header.join('')}): expected a region id column and at least one value column; is the delimiter a comma?`,
      'header',
    );
    return null;
  }
  const columns = table.header.filter((_, i) => i !== idCol);
  const index = new Map(regionIds.map((id, i) => [id, i]));
  const data = new Float64Array(n * columns.length);
  const filled = new Uint8Array(n);
  const before = problems.errorCount();
  let reported = 0;
  const report = (msg: string, loc: string, field?: string): void => {
    if (reported++ < MAX_CELL_REPORTS) problems.error(file, msg, loc, field);
  };
  for (const { line, cells } of table.rows) {
    const loc = `line ${line}`;
    if (cells.length !== table.header.length) {
      report(`has ${cells.length} cells, the header has ${table.header.length}`, loc);
      continue;
    }
    const id = cells[idCol].trim();
    const r = index.get(id);
    if (r === undefined) {
      report(`region id "${id}" is not in the regions file`, loc, table.header[idCol]);
      continue;
    }
    if (filled[r]) {
      report(`region id "${id}" appears twice`, loc, table.header[idCol]);
      continue;
    }
    filled[r] = 1;
    let c = 0;
    cells.forEach((cell, k) => {
      if (k === idCol) return;
      const v = parseNumberCell(cell);
      if (v === null) report(describeNotDecimal(cell), loc, table.header[k]);
      else if (v < 0) report(`count is negative (${v}): counts must be non-negative`, loc, table.header[k]);
      else data[r * columns.length + c] = v;
      c++;
    });
  }
  const missing = regionIds.filter((_, i) => !filled[i]);
  if (missing.length > 0) {
    problems.error(
      file,
      `${missing.length} of ${n} regions have no row (first: ${missing
        .slice(0, 5)
        .map((m) => `"${m}"`)
        .join(', ')})`,
    );
  }
  if (reported > MAX_CELL_REPORTS)
    problems.error(file, `${reported - MAX_CELL_REPORTS} more problems not listed`);
  if (problems.errorCount() > before) return null;
  return { matrix: { rows: n, cols: columns.length, data }, columns };
}

/**
 * Trips as an N x N matrix in CSR form. .npy: N x N in region order (dense, as the benchmark
 * and small bundles ship it; converted at load). CSV: an edge list with columns origin,
 * destination and optionally count (default 1 trip per row); ids are region ids. Neither
 * builds the dense matrix except a dense .npy, which is one already.
 */
export function readTripMatrix(
  bytes: Uint8Array,
  file: string,
  regionIds: string[],
  problems: ProblemList,
): SparseMatrix | null {
  const n = regionIds.length;
  if (isNpy(file)) {
    const m = readNpyMatrix(bytes, file, problems);
    if (!m) return null;
    if (m.rows !== n || m.cols !== n) {
      problems.error(
        file,
        `trip matrix is ${m.rows} x ${m.cols} but the city has ${n} regions (expected ${n} x ${n})`,
      );
      return null;
    }
    const before = problems.errorCount();
    checkCounts(m, file, regionIds, (r) => `row ${r} (region "${regionIds[r]}")`, problems);
    return problems.errorCount() > before ? null : sparseFromDense(m);
  }
  const text = decodeText(bytes, file, problems);
  if (text === null) return null;
  if (text.trim() === '') {
    problems.error(file, 'file is empty');
    return null;
  }
  const table = parseCsv(text);
  const o = table.header.indexOf('origin');
  const d = table.header.indexOf('destination');
  const c = table.header.indexOf('count');
  if (o < 0 || d < 0) {
    problems.error(
      file,
      `needs columns "origin" and "destination" (found: ${table.header.join(', ')})`,
      'header',
    );
    return null;
  }
  const index = new Map(regionIds.map((id, i) => [id, i]));
  const origins: number[] = [];
  const destinations: number[] = [];
  const counts: number[] = [];
  const before = problems.errorCount();
  let reported = 0;
  const report = (msg: string, loc: string, field?: string): void => {
    if (reported++ < MAX_CELL_REPORTS) problems.error(file, msg, loc, field);
  };
  for (const { line, cells } of table.rows) {
    const loc = `line ${line}`;
    const oi = index.get((cells[o] ?? '').trim());
    const di = index.get((cells[d] ?? '').trim());
    if (oi === undefined) {
      report(`origin "${cells[o] ?? ''}" is not a region id`, loc, 'origin');
      continue;
    }
    if (di === undefined) {
      report(`destination "${cells[d] ?? ''}" is not a region id`, loc, 'destination');
      continue;
    }
    let count = 1;
    if (c >= 0) {
      const v = parseNumberCell(cells[c] ?? '');
      if (v === null) {
        report(describeNotDecimal(cells[c] ?? ''), loc, 'count');
        continue;
      }
      if (v < 0) {
        report(`count is negative (${v})`, loc, 'count');
        continue;
      }
      count = v;
    }
    origins.push(oi);
    destinations.push(di);
    counts.push(count);
  }
  if (reported > MAX_CELL_REPORTS)
    problems.error(file, `${reported - MAX_CELL_REPORTS} more problems not listed`);
  // Repeated pairs are summed in file order, as the dense matrix summed them.
  return problems.errorCount() > before ? null : sparseFromTriplets(n, n, origins, destinations, counts);
}

/**
 * Trips as a list of the pairs with trips (the bundle's sparse form, `"layout": "coo"`):
 * a .npy of K x 3, each row (origin row, destination row, count) with origin and destination
 * region rows in the feature order of regions.geojson. Repeated pairs are summed.
 */
export function readTripPairs(
  bytes: Uint8Array,
  file: string,
  regionIds: string[],
  problems: ProblemList,
): SparseMatrix | null {
  const n = regionIds.length;
  if (!isNpy(file)) {
    problems.error(file, 'trip pairs ("layout": "coo") must be a .npy of K x 3 (origin, destination, count)');
    return null;
  }
  const m = readNpyMatrix(bytes, file, problems);
  if (!m) return null;
  if (m.cols !== 3) {
    problems.error(file, `trip pairs are ${m.rows} x ${m.cols}: expected K x 3 (origin, destination, count)`);
    return null;
  }
  const k = m.rows;
  const origins = new Int32Array(k);
  const destinations = new Int32Array(k);
  const counts = new Float64Array(k);
  const before = problems.errorCount();
  let reported = 0;
  const report = (msg: string, row: number, field: string): void => {
    if (reported++ < MAX_CELL_REPORTS) problems.error(file, msg, `row ${row}`, field);
  };
  const isRow = (v: number): boolean => Number.isInteger(v) && v >= 0 && v < n;
  for (let r = 0; r < k; r++) {
    const [o, d, count] = [m.data[3 * r], m.data[3 * r + 1], m.data[3 * r + 2]];
    if (!isRow(o)) report(`origin ${o} is not a region row (0 to ${n - 1})`, r, 'origin');
    else if (!isRow(d)) report(`destination ${d} is not a region row (0 to ${n - 1})`, r, 'destination');
    else if (!(Number.isFinite(count) && count >= 0))
      report(`count is ${count}: counts must be finite and non-negative`, r, 'count');
    else {
      origins[r] = o;
      destinations[r] = d;
      counts[r] = count;
    }
  }
  if (reported > MAX_CELL_REPORTS)
    problems.error(file, `${reported - MAX_CELL_REPORTS} more invalid rows not listed`);
  return problems.errorCount() > before ? null : sparseFromTriplets(n, n, origins, destinations, counts);
}

/**
 * One task's labels (N values; an empty CSV cell means "no label" and becomes NaN).
 * CSV: a region id column (first column) and the named value column. .npy: length N.
 */
export function readLabelValues(
  bytes: Uint8Array,
  file: string,
  regionIds: string[],
  problems: ProblemList,
  column?: string,
): Float64Array | null {
  const n = regionIds.length;
  if (isNpy(file)) {
    const m = readNpyMatrix(bytes, file, problems);
    if (!m) return null;
    if (m.rows * m.cols !== n || (m.cols !== 1 && m.rows !== 1)) {
      problems.error(file, `has ${m.rows * m.cols} values but the city has ${n} regions`);
      return null;
    }
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(m.data[i])) {
        problems.error(
          file,
          `label is ${m.data[i]}: labels must be finite numbers`,
          `row ${i} (region "${regionIds[i]}")`,
        );
        return null;
      }
    }
    return m.data;
  }
  const text = decodeText(bytes, file, problems);
  if (text === null) return null;
  if (text.trim() === '') {
    problems.error(file, 'file is empty');
    return null;
  }
  const table = parseCsv(text);
  const col = column ? table.header.indexOf(column) : 1;
  if (col < 0 || col >= table.header.length) {
    problems.error(
      file,
      `no label column "${column ?? '(second column)'}" in the header (${table.header.join(', ')})`,
      'header',
    );
    return null;
  }
  const index = new Map(regionIds.map((id, i) => [id, i]));
  const values = new Float64Array(n).fill(NaN);
  /** The line of each region's row, to name both when a region has two. */
  const rowLine = new Map<number, { line: number; id: string }>();
  const before = problems.errorCount();
  let reported = 0;
  const report = (msg: string, loc: string, field?: string): void => {
    if (reported++ < MAX_CELL_REPORTS) problems.error(file, msg, loc, field);
  };
  for (const { line, cells } of table.rows) {
    const raw = cells[0] ?? '';
    const r = index.get(raw.trim());
    const loc = `line ${line}`;
    if (r === undefined) {
      report(`region id "${raw}" is not in the regions file`, loc, table.header[0]);
      continue;
    }
    const first = rowLine.get(r);
    if (first) {
      // Two rows for one region: which value is meant cannot be known, so neither is taken.
      report(
        `region id "${raw.trim()}" appears twice (lines ${first.line} and ${line})${first.id !== raw ? ' (ids are compared without surrounding spaces)' : ''}: give each region one row`,
        loc,
        table.header[0],
      );
      continue;
    }
    rowLine.set(r, { line, id: raw });
    const cell = cells[col] ?? '';
    if (cell.trim() === '') continue; // no label for this region
    const v = parseNumberCell(cell);
    if (v === null) {
      report(describeNotDecimal(cell), loc, table.header[col]);
      continue;
    }
    values[r] = v;
  }
  if (reported > MAX_CELL_REPORTS)
    problems.error(file, `${reported - MAX_CELL_REPORTS} more problems not listed`);
  if (problems.errorCount() > before) return null;
  const rowless = regionIds.filter((_, i) => !rowLine.has(i));
  if (rowless.length > 0)
    problems.warn(
      file,
      `${rowless.length} of ${n} regions have no row (first: ${rowless
        .slice(0, 5)
        .map((id) => `"${id}"`)
        .join(', ')}): they are unlabelled for this task, as an empty cell is`,
      undefined,
      table.header[col],
    );
  return values;
}
