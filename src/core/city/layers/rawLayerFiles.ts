/**
 * Raw layer files: the kinds of layer there are, and the text of one (size limits, gzip,
 * GeoJSON points read as CSV). What a dropped file is, and so which kind a layer is, is decided
 * in one place, ../droppedFiles.ts.
 */
import { tooLargeMessage } from '../../io/limits';
import { DEFAULT_MAX_FILE_BYTES } from '../../io/source';
import { gunzipWithin } from '../../io/unzip';
import { utf8Problem } from '../../io/utf8';
import { pointGeoJsonAsCsv } from './pointsGeoJson';

export type RawLayerKind = 'poi' | 'incidents' | 'trips' | 'landUsePoints' | 'landUsePolygons' | 'labels';

/** What each kind of layer is, for messages. */
export const RAW_LAYER_NAMES: Record<RawLayerKind, string> = {
  poi: 'POI points',
  incidents: 'incident points',
  trips: 'trip records',
  landUsePoints: 'land-use points',
  landUsePolygons: 'land-use polygons',
  labels: 'task labels by region id',
};

/** Why a gzip file cannot be read (the same words wherever it is read). */
export const notGzipMessage = (name: string, e: unknown): string =>
  `${name} is not a valid gzip file (${e instanceof Error ? e.message : String(e)})`;

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
    // Refused from its trailer before anything is inflated, then from the bytes inflated,
    // counted while inflating (a trailer that lies stops at the limit, not at 4 GB).
    const unpacked = gunzipWithin(name, bytes, maxBytes);
    if ('notGzip' in unpacked) return { error: notGzipMessage(name, unpacked.notGzip) };
    if ('error' in unpacked) return unpacked;
    plain = unpacked.bytes;
  }
  // The whole file, not only the head the drop checks looked at.
  const encoding = utf8Problem(plain);
  if (encoding) return { error: `${name} is ${encoding}` };
  const text = new TextDecoder().decode(plain);
  // GeoJSON points (POIs, incidents, land-use points) are read as the CSV they amount to.
  if (/\.(geo)?json(\.gz)?$/i.test(name)) return pointGeoJsonAsCsv(text, name) ?? { text };
  return { text };
}
