import { gzipSync, strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { gunzipWithin, unzipWithin, zipSizeError, type UnpackLimits } from './unzip';

/** Small limits, so that a bomb of a few kilobytes tells what one of gigabytes would. */
const LIMITS: UnpackLimits = { maxFileBytes: 1000, maxTotalBytes: 1500, maxEntries: 3 };

/**
 * Sets the unpacked size each entry declares, in order, in its local header and in the central
 * directory, as a hand-made zip bomb would (the data is left as it is).
 */
function declare(zip: Uint8Array, sizes: number[]): Uint8Array {
  const out = zip.slice();
  const view = new DataView(out.buffer);
  let local = 0;
  let central = 0;
  for (let i = 0; i + 4 <= out.length; i++) {
    const signature = view.getUint32(i, true);
    if (signature === 0x04034b50) view.setUint32(i + 22, sizes[local++], true);
    if (signature === 0x02014b50) view.setUint32(i + 24, sizes[central++], true);
  }
  return out;
}

/** Sets a gzip's trailer (ISIZE, the unpacked size it declares). */
function trailer(gz: Uint8Array, size: number): Uint8Array {
  const out = gz.slice();
  new DataView(out.buffer).setUint32(out.length - 4, size, true);
  return out;
}

const ones = (n: number): Uint8Array => new Uint8Array(n).fill(49);

describe('unzipWithin', () => {
  it('unpacks stored and deflated entries that are what their directory declares', () => {
    const zip = zipSync({ 'a.csv': ones(600), 'b.txt': [strToU8('hello'), { level: 0 }] });
    expect(unzipWithin(zip, LIMITS)).toEqual({
      ok: true,
      files: { 'a.csv': ones(600), 'b.txt': strToU8('hello') },
    });
  });

  it('stops a deflated entry whose directory declares 100 bytes but which inflates to 1 MB', () => {
    const zip = declare(zipSync({ 'regions.geojson': ones(1_000_000) }), [100]);
    expect(zip.length).toBeLessThan(5000);
    // Under the default limits too: the declared 100 bytes pass every check before inflating.
    expect(zipSizeError(zip)).toBeNull();
    expect(unzipWithin(zip)).toEqual({
      ok: false,
      reason: 'too-large',
      message:
        'entry regions.geojson unpacks to more than the 100 bytes the archive declares for it (a zip bomb, or a damaged archive): nothing was unpacked',
    });
  });

  it('stops a stored entry that holds more than its directory declares', () => {
    const zip = declare(zipSync({ 'a.csv': [ones(500), { level: 0 }] }), [100]);
    expect(unzipWithin(zip, LIMITS)).toEqual({
      ok: false,
      reason: 'too-large',
      message:
        'entry a.csv unpacks to more than the 100 bytes the archive declares for it (a zip bomb, or a damaged archive): nothing was unpacked',
    });
  });

  it('refuses an entry that inflates to less than its directory declares, as a damaged archive', () => {
    const zip = declare(zipSync({ 'a.csv': ones(500) }), [900]);
    expect(unzipWithin(zip, LIMITS)).toEqual({
      ok: false,
      reason: 'unreadable',
      message:
        'not a readable .zip archive (entry a.csv unpacks to 500 bytes, not the 900 bytes the archive declares)',
    });
  });

  it('refuses from the declared sizes, before inflating, an entry or a total over the given limits', () => {
    expect(unzipWithin(zipSync({ 'a.csv': ones(1001) }), LIMITS)).toEqual({
      ok: false,
      reason: 'too-large',
      message:
        'entry a.csv unpacks to 1001 bytes, over the 1000 bytes limit for one file (a zip bomb, or a file too large to open): nothing was unpacked',
    });
    expect(unzipWithin(zipSync({ 'a.csv': ones(800), 'b.csv': ones(800) }), LIMITS)).toEqual({
      ok: false,
      reason: 'too-large',
      message:
        'the archive unpacks to 1.6 KB in all, over the 1.5 KB limit for one archive: nothing was unpacked',
    });
    expect(zipSizeError(zipSync({ a: ones(1), b: ones(1), c: ones(1), d: ones(1) }), LIMITS)).toBe(
      'the archive holds 4 entries, over the limit of 3 for one archive: nothing was unpacked',
    );
  });

  it('refuses bytes that are not a zip, and an entry whose data is cut short', () => {
    expect(unzipWithin(strToU8('not a zip at all, just some text'), LIMITS)).toEqual({
      ok: false,
      reason: 'unreadable',
      message: 'not a readable .zip archive (no end of central directory)',
    });
    const zip = zipSync({ 'a.csv': ones(900) });
    const view = new DataView(zip.buffer);
    for (let i = 0; i + 4 <= zip.length; i++)
      if (view.getUint32(i, true) === 0x02014b50) view.setUint32(i + 20, 1_000_000, true);
    expect(unzipWithin(zip, LIMITS)).toEqual({
      ok: false,
      reason: 'unreadable',
      message: 'not a readable .zip archive (entry a.csv is cut short)',
    });
  });
});

describe('gunzipWithin', () => {
  it('decompresses a gzip that is what its trailer declares', () => {
    expect(gunzipWithin('a.csv.gz', gzipSync(ones(700)), 1000)).toEqual({ bytes: ones(700) });
  });

  it('refuses from its trailer, before inflating, a gzip declaring more than the limit', () => {
    expect(gunzipWithin('a.csv.gz', gzipSync(ones(1001)), 1000)).toEqual({
      error: 'a.csv.gz is 1001 bytes, over the 1000 bytes limit for one file once decompressed',
    });
  });

  it('stops at the limit a gzip whose trailer declares 100 bytes but which inflates to 1 MB', () => {
    const gz = trailer(gzipSync(ones(1_000_000)), 100);
    expect(gunzipWithin('trips.csv.gz', gz, 1000)).toEqual({
      error:
        'trips.csv.gz is over the 1000 bytes limit for one file once decompressed (its gzip trailer declares 100 bytes: a gzip bomb, or a damaged file)',
    });
  });

  it('refuses a gzip within the limit whose trailer declares another size, as a damaged file', () => {
    expect(gunzipWithin('a.csv.gz', trailer(gzipSync(ones(700)), 100), 1000)).toEqual({
      error:
        'a.csv.gz decompresses to 700 bytes, not the 100 bytes its gzip trailer declares: a damaged file',
    });
  });

  it('tells bytes that are not gzip, or a gzip cut short', () => {
    const notGzip = gunzipWithin('a.csv.gz', strToU8('not gzip'), 1000);
    expect('notGzip' in notGzip && String(notGzip.notGzip)).toBe('Error: invalid gzip data');
    // The first 30 bytes of a 5,000-byte file's gzip, then its own trailer (which declares 5,000).
    const gz = gzipSync(ones(5000).map((_, i) => (i * 7919) % 251));
    const cut = new Uint8Array([...gz.subarray(0, 30), ...gz.subarray(gz.length - 8)]);
    const cutShort = gunzipWithin('a.csv.gz', cut, 100_000);
    // fflate's reason depends on what the trailer's bytes read as once taken for deflate data
    // (fflate 0.8.3 says "invalid distance" here): a refusal either way.
    expect('notGzip' in cutShort && String(cutShort.notGzip)).toMatch(
      /^Error: (unexpected EOF|invalid distance)$/,
    );
  });
});
