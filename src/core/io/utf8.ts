/** Checks that bytes are UTF-8 text, naming where they are not (Latin-1 read as UTF-8 becomes "\uFFFD"). */

/**
 * The position of the first byte that is not valid UTF-8 (a lead byte UTF-8 does not have, a
 * missing continuation, an overlong form or a surrogate), or -1. A sequence cut by the end of
 * an incomplete head is not counted.
 */
export function firstInvalidUtf8(b: Uint8Array, complete: boolean): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    const need = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : 0;
    if (need === 0) return i;
    if (i + need >= b.length) return complete ? i : -1;
    const second = b[i + 1];
    if (
      (c === 0xe0 && second < 0xa0) ||
      (c === 0xed && second > 0x9f) ||
      (c === 0xf0 && second < 0x90) ||
      (c === 0xf4 && second > 0x8f)
    )
      return i;
    for (let k = 1; k <= need; k++) if ((b[i + k] & 0xc0) !== 0x80) return i;
    i += need + 1;
  }
  return -1;
}

/** The 1-based line of byte `at`. */
export function lineOf(b: Uint8Array, at: number): number {
  let line = 1;
  for (let k = 0; k < at; k++) if (b[k] === 0x0a) line++;
  return line;
}

/**
 * What to do with a file that is not UTF-8, in words that read right wherever the refusal is
 * shown: on the page (the file was dropped or chosen) and on the command line (it was named).
 */
export const SAVE_AS_UTF8 = 'save it as UTF-8 and load it again';

/** The 1-based line of byte `at` and the byte, as a refusal says them (after "is" or a colon). */
export function notUtf8Message(b: Uint8Array, at: number): string {
  const hex = b[at].toString(16).toUpperCase().padStart(2, '0');
  return `not UTF-8 text: line ${lineOf(b, at)} holds byte 0x${hex}, which UTF-8 does not allow there (a Latin-1 or Windows-1252 file?): ${SAVE_AS_UTF8}`;
}

/**
 * Why bytes are not UTF-8 text (with the line and the byte), or null when they are: a file
 * saved as Latin-1 or Windows-1252 would otherwise read with "\uFFFD" for each accented letter.
 */
export function utf8Problem(b: Uint8Array): string | null {
  const bad = firstInvalidUtf8(b, true);
  return bad < 0 ? null : notUtf8Message(b, bad);
}
