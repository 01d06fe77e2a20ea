/**
 * Every size limit on what a user can load, in one place: the command line, the app and the
 * workers read these (and the messages that name them), so the same file is refused the same
 * way wherever it is opened, before anything of its size is allocated.
 */
import { WASM_EPOCH_SECONDS } from '../srel/capacity';

/** One file, as read or once unpacked (from a .zip or .gz): 256 MB. */
export const MAX_FILE_BYTES = 256 * 1024 * 1024;

/** All the entries of one .zip together, once unpacked: 1 GB. */
export const MAX_UNPACKED_BYTES = 1024 * 1024 * 1024;

/** Entries in one .zip (a city bundle has a handful). */
export const MAX_ARCHIVE_ENTRIES = 10_000;

/**
 * Regions in one city: the largest city measured to train (100,000 regions, in mini-batches,
 * srel/capacity.ts). Above it nothing has been measured to fit in memory.
 */
export const MAX_REGIONS = WASM_EPOCH_SECONDS[WASM_EPOCH_SECONDS.length - 1].regions;

/**
 * Entries of one dense N x N array (float64): 2^27, 1 GB, N about 11,585. Larger cities take the
 * sparse paths (neighbourhoods, CSR trips), which never build one.
 */
export const MAX_DENSE_CELLS = 2 ** 27;

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export function tooLargeMessage(path: string, size: number, limit: number): string {
  return `${path} is ${formatBytes(size)}, over the ${formatBytes(limit)} limit for one file`;
}

export function tooManyRegionsMessage(count: number): string {
  return `${count.toLocaleString('en')} regions, over the limit of ${MAX_REGIONS.toLocaleString('en')} regions a city may have (the largest measured to train): split the area into several cities, or use larger regions`;
}

/**
 * Why an N x N array cannot be built for `n` regions (null when it can): over MAX_DENSE_CELLS,
 * with what to do instead. `what` names the array, e.g. "the distance prior".
 */
export function denseSizeError(n: number, what: string): string | null {
  if (n * n <= MAX_DENSE_CELLS) return null;
  const most = Math.floor(Math.sqrt(MAX_DENSE_CELLS));
  return `${what} for ${n.toLocaleString('en')} regions would be a ${n.toLocaleString('en')} x ${n.toLocaleString('en')} array, over the limit of ${most.toLocaleString('en')} x ${most.toLocaleString('en')} (${formatBytes(MAX_DENSE_CELLS * 8)}): train it with sparse inputs (neighbourhoods), as cities above 1,000 regions are by default`;
}
