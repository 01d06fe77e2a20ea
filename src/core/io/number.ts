/**
 * The one reader of numbers a user writes (CSV cells, numeric strings in GeoJSON properties,
 * coordinates): a finite decimal number, optionally signed, with a decimal point and an
 * exponent (`12`, `-0.5`, `.5`, `3.`, `1e-3`). Everything else is refused with a reason:
 * hexadecimal, octal and binary (`0x10`, which JavaScript's Number() would read as 16),
 * Infinity and NaN, decimal commas, and numbers beyond the largest a double holds (`1e999`,
 * which Number() turns into Infinity). Surrounding spaces are allowed.
 */

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** `text`, as it is, is written as a decimal number (finite or not: `1e999` is). */
export function isDecimalText(text: string): boolean {
  return DECIMAL.test(text);
}

/** The number `text` holds, or null when it is not a finite decimal number (see describeNotDecimal). */
export function parseDecimal(text: string): number | null {
  const t = text.trim();
  if (!DECIMAL.test(t)) return null;
  const v = Number(t);
  return Number.isFinite(v) ? v : null;
}

/**
 * Why `text` is not a finite decimal number, as a sentence starting with the text quoted:
 * `"0x10" is not a decimal number (hexadecimal, octal and binary are not read)`.
 */
export function describeNotDecimal(text: string): string {
  const t = text.trim();
  const q = JSON.stringify(text);
  if (t === '') return `${q} is empty, not a number`;
  if (DECIMAL.test(t))
    return `${q} is beyond the largest number there is (about 1.8e308), not a finite number`;
  if (/^[+-]?0[xob][0-9a-f]+$/i.test(t))
    return `${q} is not a decimal number (hexadecimal, octal and binary are not read)`;
  if (/^[+-]?(inf|infinity|nan)$/i.test(t)) return `${q} is not a finite number`;
  // A JSON string (a GeoJSON coordinate in quotes, read as its JSON text) or a CSV cell that
  // holds its quotes: named by itself, quotes and all.
  if (t.length >= 2 && t.startsWith('"') && t.endsWith('"'))
    return `${t} is a string (in quotes), not a number`;
  if (/^[+-]?\d+,\d+$/.test(t))
    return `${q} is not a number (the decimal separator is a point: "${t.replace(',', '.')}")`;
  return `${q} is not a number`;
}

/**
 * A JSON value for a message, numbers that JSON cannot hold written out (JSON.stringify
 * writes Infinity, which a file's `1e999` reads as, as `null`): `[Infinity, 47.5]`.
 */
export function describeJsonValue(v: unknown): string {
  if (typeof v === 'number') return Number.isFinite(v) ? JSON.stringify(v) : String(v);
  if (Array.isArray(v)) return `[${v.map(describeJsonValue).join(', ')}]`;
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

/** Why a JSON value is not a finite number, or null when it is one. */
export function jsonNumberProblem(v: unknown): string | null {
  if (typeof v === 'number')
    return Number.isFinite(v)
      ? null
      : `${String(v)} is not a finite number (a number beyond about 1.8e308 in the file, such as 1e999, reads as ${String(v)})`;
  if (typeof v === 'string') return parseDecimal(v) === null ? describeNotDecimal(v) : null;
  return `${describeJsonValue(v)} is not a number`;
}
