/**
 * Raw layer files: their text (size limits, gzip, GeoJSON points read as CSV) and what each
 * holds, told from its name and header, for the import worker, the app's drop handling and
 * the CLI.
 */
import { gunzipSync } from 'fflate';
import { parseCsv } from '../../io/csv';
import { DEFAULT_MAX_FILE_BYTES, tooLargeMessage } from '../../io/source';
import { LAT, LON } from './pointsCsv';
import { pointGeoJsonAsCsv } from './pointsGeoJson';
import { REGION_ID_COLUMN } from './taskLabelsCsv';
import { hasRegionIdTripColumns } from './tripsCsv';

export type RawLayerKind = 'poi' | 'incidents' | 'trips' | 'landUsePoints' | 'landUsePolygons' | 'labels';

const LAND_USE_COLUMN = /^(landuse|land_use|land_use_class|landuse_class|lu_class)$/i;

/**
 * What a raw layer holds, from its name and header: trip records (origin and destination
 * coordinates, or origin and destination region ids), land-use points (coordinates and a
 * "landuse" column, or a "class" column in a file named land use), incident points
 * (coordinates and a "task" column), POI points (coordinates, perhaps a category), task labels
 * (a region id column and value columns), or land-use polygons (a GeoJSON file named land
 * use); null when it is none of these.
 */
export function rawLayerKind(text: string, fileName = ''): RawLayerKind | null {
  const landUseName = /land.?use/i.test(fileName);
  // A GeoJSON file still as GeoJSON holds polygons (point layers arrive as CSV, rawLayerText).
  if (/\.(geo)?json(\.gz)?$/i.test(fileName) && (text === '' || text.trimStart().startsWith('{')))
    return landUseName ? 'landUsePolygons' : null;
  const header = parseCsv(text.slice(0, 4096).split(/\r?\n/)[0] ?? '').header;
  if (header.some((h) => /^(origin|o|start|from|pickup)_?(lon|lng|longitude|x)$/i.test(h))) return 'trips';
  const coordinates = header.some((h) => LON.test(h)) && header.some((h) => LAT.test(h));
  if (!coordinates) {
    if (hasRegionIdTripColumns(header)) return 'trips';
    // A bundle's own view tables (poi.csv, land_use.csv) have the same shape but are not labels.
    const viewTable = /^(poi|land_use)\.csv$/i.test(fileName);
    return !viewTable && header.length >= 2 && REGION_ID_COLUMN.test(header[0]) ? 'labels' : null;
  }
  if (header.some((h) => LAND_USE_COLUMN.test(h)) || (landUseName && header.some((h) => /^class$/i.test(h))))
    return 'landUsePoints';
  return header.some((h) => /^task$/i.test(h)) ? 'incidents' : 'poi';
}

/**
 * The text of a raw layer file (CSV, or gzip CSV when the name ends in .gz), or why it cannot
 * be read: over `maxBytes` (compressed or once decompressed), or not valid gzip.
 */
export function rawLayerText(
  name: string,
  bytes: Uint8Array,
  maxBytes = DEFAULT_MAX_FILE_BYTES,
): { text: string } | { error: string } {
  if (bytes.length > maxBytes) return { error: tooLargeMessage(name, bytes.length, maxBytes) };
  let plain = bytes;
  if (/\.gz$/i.test(name)) {
    try {
      plain = gunzipSync(bytes);
    } catch (e) {
      return { error: `${name} is not a valid gzip file (${e instanceof Error ? e.message : String(e)})` };
    }
    if (plain.length > maxBytes)
      return { error: `${tooLargeMessage(name, plain.length, maxBytes)} once decompressed` };
  }
  const text = new TextDecoder().decode(plain);
  // GeoJSON points (POIs, incidents, land-use points) are read as the CSV they amount to.
  if (/\.(geo)?json(\.gz)?$/i.test(name)) return pointGeoJsonAsCsv(text, name) ?? { text };
  return { text };
}
