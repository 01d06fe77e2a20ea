/**
 * Trip records from a CSV: origin and destination coordinates (origin_lon, origin_lat,
 * destination_lon, destination_lat; or o_lon/d_lat style names), or origin and destination
 * region ids (origin_id, destination_id; from, to; o, d ...), and an optional count column,
 * summed into the N x N trip matrix (coordinates through RegionLocator). All or nothing: a
 * file that cannot be read as trips fails with one message and the city is untouched.
 *
 * The matrix is built in CSR form straight from the (origin, destination, count) records, so
 * no N x N array exists at any size of city. What still bounds an import is the file, which
 * is read whole (the sources' 256 MB limit, a few million records), and the records kept,
 * about 20 bytes each until they are summed into pairs; a CSR matrix holds at most 2^31 - 1
 * pairs (Int32 offsets). Training SREL is a separate limit, of time (../../srel/capacity.ts:
 * about 7 s per epoch at 5,000 regions, 50 s at 20,000, in under 1.4 GB of WebAssembly memory
 * at every size measured, up to 100,000 regions in mini-batches); the app imports trips for
 * up to MAX_TRIPS_REGIONS regions (capacity.ts; app/city/tripsCapacity.ts), Node for any city.
 */
import { parseCsv } from '../../io/csv';
import { describeNotDecimal, parseDecimal } from '../../io/number';
import { RegionLocator } from '../aggregate';
import { PROGRESS_EVERY, type LayerOptions, type PointImport } from './pointsCsv';
import { sparseFromTriplets, type SparseMatrix } from '../../math/sparse';
import type { City } from '../types';

const COLUMNS = {
  originLon: /^(origin|o|start|from|pickup)_?(lon|lng|longitude|x)$/i,
  originLat: /^(origin|o|start|from|pickup)_?(lat|latitude|y)$/i,
  destinationLon: /^(destination|dest|d|end|to|dropoff)_?(lon|lng|longitude|x)$/i,
  destinationLat: /^(destination|dest|d|end|to|dropoff)_?(lat|latitude|y)$/i,
};
const WORDS: Record<keyof typeof COLUMNS, string> = {
  originLon: 'origin longitude',
  originLat: 'origin latitude',
  destinationLon: 'destination longitude',
  destinationLat: 'destination latitude',
};
const COORDINATE_KEYS = ['originLon', 'originLat', 'destinationLon', 'destinationLat'] as const;
const COUNT = /^(count|counts|trips|n|flow|volume)$/i;
/** Origin and destination region id columns (trips between regions instead of coordinates). */
const ORIGIN_ID = /^(origin|o|start|from|pickup)(_?region)?(_?id)?$/i;
const DESTINATION_ID = /^(destination|dest|d|end|to|dropoff)(_?region)?(_?id)?$/i;

/** The records kept, (origin, destination, count), summed into pairs at the end. */
class TripRecords {
  readonly origins: number[] = [];
  readonly destinations: number[] = [];
  readonly counts: number[] = [];
  add(o: number, d: number, count: number): void {
    this.origins.push(o);
    this.destinations.push(d);
    this.counts.push(count);
  }
  /** N x N, repeated pairs summed in file order (as the dense matrix summed them). */
  matrix(n: number): SparseMatrix {
    return sparseFromTriplets(n, n, this.origins, this.destinations, this.counts);
  }
}

/** Whether a header names origin and destination region id columns. */
export function hasRegionIdTripColumns(header: string[]): boolean {
  return header.some((h) => ORIGIN_ID.test(h)) && header.some((h) => DESTINATION_ID.test(h));
}
const LISTED = 20;

export function importTripRecords(
  city: City,
  text: string,
  fileName: string,
  options: LayerOptions = {},
): PointImport | { error: string } {
  if (text.trim() === '') return { error: `${fileName} is empty` };
  const { onProgress } = options;
  const { header, rows } = parseCsv(
    text,
    onProgress && ((done, total) => onProgress('reading', done, total)),
  );
  const col = Object.fromEntries(
    Object.entries(COLUMNS).map(([k, re]) => [k, header.findIndex((h) => re.test(h))]),
  ) as Record<keyof typeof COLUMNS, number>;
  const missing = Object.entries(col)
    .filter(([, i]) => i < 0)
    .map(([k]) => WORDS[k as keyof typeof COLUMNS]);
  const byIds = missing.length === 4 && hasRegionIdTripColumns(header);
  if (missing.length && !byIds)
    return {
      error: `${fileName} needs origin and destination coordinate columns (e.g. origin_lon, origin_lat, destination_lon, destination_lat) or region id columns (e.g. origin_id, destination_id); missing ${missing.join(', ')}; its columns are ${header.map((h) => `"${h}"`).join(', ')}`,
    };
  if (rows.length === 0) return { error: `${fileName} has a header but no rows` };
  const countCol = header.findIndex((h) => COUNT.test(h));
  if (byIds) return tripsByRegionIds(city, header, rows, fileName, countCol, options);
  const n = city.regions.length;
  const locator = new RegionLocator(city.regions);
  const records = new TripRecords();
  const problems: string[] = [];
  let dropped = 0;
  let outside = 0;
  let kept = 0;
  const drop = (line: number, why: string): void => {
    dropped++;
    if (problems.length < LISTED) problems.push(`${fileName} line ${line}: ${why}`);
  };
  const coordinateColumns = [col.originLon, col.originLat, col.destinationLon, col.destinationLat];
  for (const [r, { line, cells }] of rows.entries()) {
    if (onProgress && r % PROGRESS_EVERY === 0 && r > 0) onProgress('locating', r, rows.length);
    const texts = coordinateColumns.map((c) => cells[c] ?? '');
    const v = texts.map(parseDecimal);
    const count = countCol >= 0 ? parseDecimal(cells[countCol] ?? '') : 1;
    const bad = v.findIndex((x) => x === null);
    if (bad >= 0) drop(line, `${WORDS[COORDINATE_KEYS[bad]]} ${describeNotDecimal(texts[bad])}`);
    else if (count === null) drop(line, `count ${describeNotDecimal(cells[countCol] ?? '')}`);
    else if (count < 0)
      drop(line, `count "${cells[countCol] ?? ''}" is negative: counts are trips, 0 or more`);
    else {
      const [ox, oy, dx, dy] = v as number[];
      const o = locator.locate(ox, oy);
      const d = locator.locate(dx, dy);
      if (o < 0 || d < 0) outside++;
      else {
        records.add(o, d, count);
        kept++;
      }
    }
  }
  onProgress?.('locating', rows.length, rows.length);
  if (dropped > LISTED) problems.push(`… and ${dropped - LISTED} more rows dropped`);
  if (kept === 0)
    return {
      error: `${fileName}: no trip starts and ends inside the regions (${outside} outside, ${dropped} unreadable)`,
    };
  const report = [
    `${fileName}: ${rows.length} records${countCol >= 0 ? ` with counts in "${header[countCol]}"` : ' (one trip each)'}`,
    `${kept} records summed into the ${n} x ${n} trip matrix`,
    `${dropped} rows unreadable`,
    ...problems.map((p) => `  ${p}`),
    `${outside} records starting or ending outside every region`,
  ];
  return { city: withTrips(city, records.matrix(n)), report };
}

function withTrips(city: City, trips: SparseMatrix): City {
  // A separate mobility target (the benchmark's mob-adj) would no longer match the trips.
  const views = { ...city.views, trips, ...(city.views.mobilityTarget ? { mobilityTarget: null } : {}) };
  return { ...city, views };
}

/**
 * Trips between regions named by id: each row adds its count (1 without a count column) to
 * the origin's row and the destination's column. Rows naming a region the city lacks, or with
 * a count that is not a non-negative number, are dropped and listed by line.
 */
function tripsByRegionIds(
  city: City,
  header: string[],
  rows: { line: number; cells: string[] }[],
  fileName: string,
  countCol: number,
  { onProgress }: LayerOptions,
): PointImport | { error: string } {
  const originCol = header.findIndex((h) => ORIGIN_ID.test(h));
  const destinationCol = header.findIndex((h) => DESTINATION_ID.test(h));
  const n = city.regions.length;
  const rowOf = new Map(city.regions.map((r, i) => [r.id, i]));
  const records = new TripRecords();
  const problems: string[] = [];
  const unknown = new Map<string, number>();
  let dropped = 0;
  let kept = 0;
  const drop = (line: number, why: string): void => {
    dropped++;
    if (problems.length < LISTED) problems.push(`${fileName} line ${line}: ${why}`);
  };
  for (const [r, { line, cells }] of rows.entries()) {
    if (onProgress && r % PROGRESS_EVERY === 0 && r > 0) onProgress('locating', r, rows.length);
    const ids = [originCol, destinationCol].map((c) => cells[c]?.trim() ?? '');
    const [o, d] = ids.map((id) => rowOf.get(id));
    const count = countCol >= 0 ? parseDecimal(cells[countCol] ?? '') : 1;
    const missingId = ids.find((id) => !rowOf.has(id));
    if (missingId !== undefined) {
      unknown.set(missingId, (unknown.get(missingId) ?? 0) + 1);
      drop(line, missingId === '' ? 'a region id is empty' : `region "${missingId}" is not in this city`);
    } else if (count === null) drop(line, `count ${describeNotDecimal(cells[countCol] ?? '')}`);
    else if (count < 0)
      drop(line, `count "${cells[countCol] ?? ''}" is negative: counts are trips, 0 or more`);
    else if (o !== undefined && d !== undefined) {
      records.add(o, d, count);
      kept++;
    }
  }
  onProgress?.('locating', rows.length, rows.length);
  if (dropped > LISTED) problems.push(`… and ${dropped - LISTED} more rows dropped`);
  if (kept === 0)
    return {
      error: `${fileName}: no row names two regions of this city (columns "${header[originCol]}" and "${header[destinationCol]}"; ${problems[0] ?? ''})`,
    };
  const report = [
    `${fileName}: ${rows.length} records between region ids ("${header[originCol]}" to "${header[destinationCol]}")${countCol >= 0 ? ` with counts in "${header[countCol]}"` : ' (one trip each)'}`,
    `${kept} records summed into the ${n} x ${n} trip matrix`,
    `${dropped} rows dropped`,
    ...problems.map((p) => `  ${p}`),
    ...(unknown.size
      ? [
          `${[...unknown.values()].reduce((a, b) => a + b, 0)} rows name regions not in this city: ${[
            ...unknown.keys(),
          ]
            .slice(0, 10)
            .map((id) => `"${id}"`)
            .join(', ')}`,
        ]
      : []),
  ];
  return { city: withTrips(city, records.matrix(n)), report };
}
