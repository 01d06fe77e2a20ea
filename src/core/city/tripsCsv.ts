/**
 * Trip records from a CSV: origin and destination coordinates (origin_lon, origin_lat,
 * destination_lon, destination_lat; or o_lon/d_lat style names) and an optional count column,
 * summed into the N x N trip matrix through RegionLocator. All or nothing: a file that
 * cannot be read as trips fails with one message and the city is untouched.
 */
import { parseCsv } from '../io/csv';
import { RegionLocator } from './aggregate';
import type { PointImport } from './pointsCsv';
import type { City } from './types';

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
const COUNT = /^(count|counts|trips|n|flow|volume)$/i;
const LISTED = 20;

export function importTripRecords(
  city: City,
  text: string,
  fileName: string,
): PointImport | { error: string } {
  if (text.trim() === '') return { error: `${fileName} is empty` };
  const { header, rows } = parseCsv(text);
  const col = Object.fromEntries(
    Object.entries(COLUMNS).map(([k, re]) => [k, header.findIndex((h) => re.test(h))]),
  ) as Record<keyof typeof COLUMNS, number>;
  const missing = Object.entries(col)
    .filter(([, i]) => i < 0)
    .map(([k]) => WORDS[k as keyof typeof COLUMNS]);
  if (missing.length)
    return {
      error: `${fileName} needs origin and destination coordinate columns (e.g. origin_lon, origin_lat, destination_lon, destination_lat); missing ${missing.join(', ')}; its columns are ${header.map((h) => `"${h}"`).join(', ')}`,
    };
  if (rows.length === 0) return { error: `${fileName} has a header but no rows` };
  const countCol = header.findIndex((h) => COUNT.test(h));
  const n = city.regions.length;
  const locator = new RegionLocator(city.regions);
  const data = new Float64Array(n * n);
  const problems: string[] = [];
  let dropped = 0;
  let outside = 0;
  let kept = 0;
  const drop = (line: number, why: string): void => {
    dropped++;
    if (problems.length < LISTED) problems.push(`${fileName} line ${line}: ${why}`);
  };
  const coordinateColumns = [col.originLon, col.originLat, col.destinationLon, col.destinationLat];
  for (const { line, cells } of rows) {
    const texts = coordinateColumns.map((c) => cells[c]?.trim() ?? '');
    const v = texts.map(Number);
    const count = countCol >= 0 ? Number(cells[countCol]?.trim()) : 1;
    if (texts.some((t, k) => t === '' || !Number.isFinite(v[k]))) drop(line, 'a coordinate is not a number');
    else if (!(count >= 0) || !Number.isFinite(count))
      drop(line, `count "${cells[countCol] ?? ''}" is not a non-negative number`);
    else {
      const o = locator.locate(v[0], v[1]);
      const d = locator.locate(v[2], v[3]);
      if (o < 0 || d < 0) outside++;
      else {
        data[o * n + d] += count;
        kept++;
      }
    }
  }
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
  // A separate mobility target (the benchmark's mob-adj) would no longer match the trips.
  const views = {
    ...city.views,
    trips: { rows: n, cols: n, data },
    ...(city.views.mobilityTarget ? { mobilityTarget: null } : {}),
  };
  return { city: { ...city, views }, report };
}
