/**
 * Unpacking .zip and .gz within the size limits, trusting neither what an archive declares nor
 * what it holds: the sizes a .zip's directory (or a gzip's trailer) declares are checked before
 * anything is inflated, and the bytes actually inflated are counted while inflating, so that an
 * entry whose directory lies (declares 100 bytes, inflates to gigabytes) is stopped at its first
 * chunk past the declared size, never allocated whole.
 */
import { Gunzip, Inflate } from 'fflate';
import {
  formatBytes,
  MAX_ARCHIVE_ENTRIES,
  MAX_FILE_BYTES,
  MAX_UNPACKED_BYTES,
  tooLargeMessage,
} from './limits';

/** The limits an archive is unpacked within (those of ./limits.ts by default; tests pass smaller). */
export interface UnpackLimits {
  /** One entry, once unpacked. */
  maxFileBytes: number;
  /** All the entries together, once unpacked. */
  maxTotalBytes: number;
  /** Entries in one archive. */
  maxEntries: number;
}

export const DEFAULT_UNPACK_LIMITS: UnpackLimits = {
  maxFileBytes: MAX_FILE_BYTES,
  maxTotalBytes: MAX_UNPACKED_BYTES,
  maxEntries: MAX_ARCHIVE_ENTRIES,
};

/**
 * How much compressed input is given to the inflater at once: deflate expands at most about
 * 1,032 times, so one push never yields more than about 16 MB before the counts are checked.
 */
const PUSH_BYTES = 16384;

/** One entry as a .zip's central directory declares it. */
interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflated. */
  method: number;
  compressedSize: number;
  declaredSize: number;
  /** Where its data starts (after its local header). */
  dataStart: number;
}

const u16 = (d: Uint8Array, at: number): number => d[at] | (d[at + 1] << 8);
const u32 = (d: Uint8Array, at: number): number =>
  (d[at] | (d[at + 1] << 8) | (d[at + 2] << 16) | (d[at + 3] << 24)) >>> 0;
const u64 = (d: Uint8Array, at: number): number => u32(d, at) + u32(d, at + 4) * 2 ** 32;

class ZipFormatError extends Error {}

/** The entries a .zip's central directory declares (zip64 included); throws when it has none readable. */
function zipDirectory(d: Uint8Array): ZipEntry[] {
  const need = (ok: boolean, what: string): void => {
    if (!ok) throw new ZipFormatError(what);
  };
  let end = d.length - 22;
  while (end >= 0 && u32(d, end) !== 0x06054b50) {
    need(d.length - end <= 65558, 'no end of central directory');
    end--;
  }
  need(end >= 0, 'no end of central directory');
  let count = u16(d, end + 10);
  let at = u32(d, end + 16);
  const zip64 = end >= 20 && u32(d, end - 20) === 0x07064b50;
  if (zip64) {
    const z = u64(d, end - 12);
    need(z + 56 <= d.length && u32(d, z) === 0x06064b50, 'bad zip64 end of central directory');
    count = u64(d, z + 32);
    at = u64(d, z + 48);
  }
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    need(at + 46 <= d.length && u32(d, at) === 0x02014b50, 'bad central directory entry');
    const nameLength = u16(d, at + 28);
    const extraLength = u16(d, at + 30);
    const utf8 = (u16(d, at + 8) & 2048) !== 0;
    const nameBytes = d.subarray(at + 46, at + 46 + nameLength);
    const name = utf8 ? new TextDecoder().decode(nameBytes) : String.fromCharCode(...Array.from(nameBytes));
    let compressedSize = u32(d, at + 20);
    let declaredSize = u32(d, at + 24);
    let offset = u32(d, at + 42);
    // Zip64: a field of all ones is in the zip64 extra field (id 1), in this order.
    const extraEnd = at + 46 + nameLength + extraLength;
    for (let e = at + 46 + nameLength; e + 4 <= extraEnd; e += 4 + u16(d, e + 2)) {
      if (u16(d, e) !== 1) continue;
      let f = e + 4;
      if (declaredSize === 0xffffffff) {
        declaredSize = u64(d, f);
        f += 8;
      }
      if (compressedSize === 0xffffffff) {
        compressedSize = u64(d, f);
        f += 8;
      }
      if (offset === 0xffffffff) offset = u64(d, f);
      break;
    }
    need(offset + 30 <= d.length && u32(d, offset) === 0x04034b50, `bad local header for ${name}`);
    const dataStart = offset + 30 + u16(d, offset + 26) + u16(d, offset + 28);
    entries.push({ name, method: u16(d, at + 10), compressedSize, declaredSize, dataStart });
    at = extraEnd + u16(d, at + 32);
  }
  return entries;
}

/**
 * Why a .zip cannot be unpacked within the limits, from what its directory declares (null when
 * it can): more entries than allowed, an entry declaring more than one file may be, or all
 * together more than an archive may unpack to. Reads only the directory; throws when there is none.
 */
function declaredSizeError(entries: ZipEntry[], limits: UnpackLimits): string | null {
  let total = 0;
  for (const e of entries) {
    if (e.declaredSize > limits.maxFileBytes)
      return `entry ${e.name} unpacks to ${formatBytes(e.declaredSize)}, over the ${formatBytes(limits.maxFileBytes)} limit for one file (a zip bomb, or a file too large to open): nothing was unpacked`;
    total += e.declaredSize;
  }
  if (entries.length > limits.maxEntries)
    return `the archive holds ${entries.length.toLocaleString('en')} entries, over the limit of ${limits.maxEntries.toLocaleString('en')} for one archive: nothing was unpacked`;
  if (total > limits.maxTotalBytes)
    return `the archive unpacks to ${formatBytes(total)} in all, over the ${formatBytes(limits.maxTotalBytes)} limit for one archive: nothing was unpacked`;
  return null;
}

/**
 * Why a .zip cannot be unpacked within the limits, from the sizes its directory declares (null
 * when it can). Reads only the directory: an archive that lies is caught by `unzipWithin`.
 */
export function zipSizeError(
  zipBytes: Uint8Array,
  limits: UnpackLimits = DEFAULT_UNPACK_LIMITS,
): string | null {
  return declaredSizeError(zipDirectory(zipBytes), limits);
}

const lyingEntryMessage = (name: string, declared: number): string =>
  `entry ${name} unpacks to more than the ${formatBytes(declared)} the archive declares for it (a zip bomb, or a damaged archive): nothing was unpacked`;

/**
 * Inflates raw deflate data into a buffer of `declared` bytes, stopping as soon as it yields
 * more: returns the bytes, or how many it had inflated when it stopped (more than `declared`)
 * or ended short (fewer).
 */
function inflateExactly(
  data: Uint8Array,
  declared: number,
): { bytes: Uint8Array } | { over: number } | { short: number } {
  const out = new Uint8Array(declared);
  let length = 0;
  let ended = false;
  const inflate = new Inflate((chunk, final) => {
    if (length + chunk.length <= declared) out.set(chunk, length);
    length += chunk.length;
    ended ||= final;
  });
  for (let i = 0; i < data.length && length <= declared; i += PUSH_BYTES) {
    const end = Math.min(i + PUSH_BYTES, data.length);
    inflate.push(data.subarray(i, end), end === data.length);
  }
  if (length > declared) return { over: length };
  if (!ended || length < declared) return { short: length };
  return { bytes: out };
}

/**
 * The entries, or why there are none: `unreadable` (the message follows "<archive> is", e.g. "not
 * a readable .zip archive (…)") or `too-large` (a sentence of its own).
 */
export type UnzipResult =
  | { ok: true; files: Record<string, Uint8Array> }
  | { ok: false; reason: 'unreadable' | 'too-large'; message: string };

/**
 * Every entry of a .zip, unpacked within the limits, or why it cannot be: first from the sizes
 * its directory declares (nothing inflated), then from the bytes each entry actually inflates
 * to, stopped at the first chunk past its declared size (so past the limits too).
 */
export function unzipWithin(zipBytes: Uint8Array, limits: UnpackLimits = DEFAULT_UNPACK_LIMITS): UnzipResult {
  let entries: ZipEntry[];
  try {
    entries = zipDirectory(zipBytes);
  } catch (e) {
    return {
      ok: false,
      reason: 'unreadable',
      message: `not a readable .zip archive (${e instanceof Error ? e.message : String(e)})`,
    };
  }
  const declaredError = declaredSizeError(entries, limits);
  if (declaredError) return { ok: false, reason: 'too-large', message: declaredError };
  const files: Record<string, Uint8Array> = {};
  let total = 0;
  for (const e of entries) {
    const data = zipBytes.subarray(e.dataStart, e.dataStart + e.compressedSize);
    if (e.dataStart + e.compressedSize > zipBytes.length)
      return {
        ok: false,
        reason: 'unreadable',
        message: `not a readable .zip archive (entry ${e.name} is cut short)`,
      };
    let bytes: Uint8Array;
    if (e.method === 0) {
      if (e.compressedSize > e.declaredSize)
        return { ok: false, reason: 'too-large', message: lyingEntryMessage(e.name, e.declaredSize) };
      bytes = data.slice();
    } else if (e.method === 8) {
      let inflated: ReturnType<typeof inflateExactly>;
      try {
        inflated = inflateExactly(data, e.declaredSize);
      } catch (err) {
        return {
          ok: false,
          reason: 'unreadable',
          message: `not a readable .zip archive (entry ${e.name}: ${err instanceof Error ? err.message : String(err)})`,
        };
      }
      if ('over' in inflated)
        return { ok: false, reason: 'too-large', message: lyingEntryMessage(e.name, e.declaredSize) };
      if ('short' in inflated)
        return {
          ok: false,
          reason: 'unreadable',
          message: `not a readable .zip archive (entry ${e.name} unpacks to ${formatBytes(inflated.short)}, not the ${formatBytes(e.declaredSize)} the archive declares)`,
        };
      bytes = inflated.bytes;
    } else {
      return {
        ok: false,
        reason: 'unreadable',
        message: `not a readable .zip archive (entry ${e.name} uses compression method ${e.method}; only stored and deflated entries are read)`,
      };
    }
    if (bytes.length < e.declaredSize)
      return {
        ok: false,
        reason: 'unreadable',
        message: `not a readable .zip archive (entry ${e.name} holds ${formatBytes(bytes.length)}, not the ${formatBytes(e.declaredSize)} the archive declares)`,
      };
    // Each entry is within its declared size and the declared sizes within the limits; counted
    // again here so that the limits hold whatever the checks above become.
    if (bytes.length > limits.maxFileBytes)
      return {
        ok: false,
        reason: 'too-large',
        message: `entry ${tooLargeMessage(e.name, bytes.length, limits.maxFileBytes)}: nothing was unpacked`,
      };
    total += bytes.length;
    if (total > limits.maxTotalBytes)
      return {
        ok: false,
        reason: 'too-large',
        message: `the archive unpacks to more than ${formatBytes(limits.maxTotalBytes)} in all, over the limit for one archive: nothing was unpacked`,
      };
    files[e.name] = bytes;
  }
  return { ok: true, files };
}

/**
 * A gzip file decompressed within `maxBytes`, or why it cannot be: its trailer (ISIZE) declaring
 * more, more bytes inflated than the limit (counted while inflating, so a trailer that lies
 * cannot make it allocate past the limit), or other than its trailer declares (modulo 4 GB, as
 * ISIZE is); `notGzip` when it is not valid gzip at all. `name` is the file, for messages.
 */
export function gunzipWithin(
  name: string,
  bytes: Uint8Array,
  maxBytes: number = MAX_FILE_BYTES,
): { bytes: Uint8Array } | { error: string } | { notGzip: unknown } {
  const declared = bytes.length >= 18 ? u32(bytes, bytes.length - 4) : 0;
  if (declared > maxBytes) return { error: `${tooLargeMessage(name, declared, maxBytes)} once decompressed` };
  const chunks: Uint8Array[] = [];
  let length = 0;
  let ended = false;
  const gunzip = new Gunzip((chunk, final) => {
    length += chunk.length;
    if (length <= maxBytes) chunks.push(chunk);
    ended ||= final;
  });
  try {
    for (let i = 0; i < bytes.length && length <= maxBytes; i += PUSH_BYTES) {
      const end = Math.min(i + PUSH_BYTES, bytes.length);
      gunzip.push(bytes.subarray(i, end), end === bytes.length);
    }
    if (!ended && length <= maxBytes) throw new Error('unexpected EOF');
  } catch (e) {
    return { notGzip: e };
  }
  if (length > maxBytes)
    return {
      error: `${name} is over the ${formatBytes(maxBytes)} limit for one file once decompressed (its gzip trailer declares ${formatBytes(declared)}: a gzip bomb, or a damaged file)`,
    };
  if (length % 2 ** 32 !== declared)
    return {
      error: `${name} decompresses to ${formatBytes(length)}, not the ${formatBytes(declared)} its gzip trailer declares: a damaged file`,
    };
  const out = new Uint8Array(length);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return { bytes: out };
}
