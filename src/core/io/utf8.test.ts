import { describe, expect, it } from 'vitest';
import { SAVE_AS_UTF8, firstInvalidUtf8, utf8Problem } from './utf8';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('UTF-8 checks', () => {
  it('names the line and byte of a Latin-1 file, in words that read right on the page and the command line', () => {
    const latin1 = Uint8Array.from([...enc('id,name\nA,'), 0x5a, 0xfc, ...enc('rich\n')]);
    expect(utf8Problem(latin1)).toBe(
      'not UTF-8 text: line 2 holds byte 0xFC, which UTF-8 does not allow there (a Latin-1 or Windows-1252 file?): save it as UTF-8 and load it again',
    );
    // Nothing is dropped on the command line: the advice says neither "drop" nor "run".
    expect(SAVE_AS_UTF8).not.toMatch(/drop|run/);
  });

  it('reads UTF-8 text, and does not count a sequence cut by the end of an incomplete head', () => {
    expect(utf8Problem(enc('id,name\nA,Zürich\n'))).toBeNull();
    const cut = enc('Zü').subarray(0, 2);
    expect(firstInvalidUtf8(cut, false)).toBe(-1);
    expect(firstInvalidUtf8(cut, true)).toBe(1);
  });
});
