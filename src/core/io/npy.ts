/**
 * NumPy .npy reader and writer (format versions 1.0, 2.0 and 3.0 headers; little-endian
 * int32, int64, float16, float32, float64, plus uint8/bool for masks; C order only).
 */

export type NpyDtype = 'int32' | 'int64' | 'float16' | 'float32' | 'float64' | 'uint8' | 'bool';

export type NpyData = Int32Array | BigInt64Array | Float32Array | Float64Array | Uint8Array;

export interface NpyArray {
  dtype: NpyDtype;
  shape: number[];
  /** float16 is decoded to Float32Array; int64 stays BigInt64Array (see `npyToFloat64`). */
  data: NpyData;
}

export class NpyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NpyError';
  }
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

const DESCR_TO_DTYPE: Record<string, NpyDtype> = {
  '<i4': 'int32',
  '<i8': 'int64',
  '<f2': 'float16',
  '<f4': 'float32',
  '<f8': 'float64',
  '|u1': 'uint8',
  '<u1': 'uint8',
  '|b1': 'bool',
};

const DTYPE_TO_DESCR: Record<NpyDtype, string> = {
  int32: '<i4',
  int64: '<i8',
  float16: '<f2',
  float32: '<f4',
  float64: '<f8',
  uint8: '|u1',
  bool: '|b1',
};

const ITEM_SIZE: Record<NpyDtype, number> = {
  int32: 4,
  int64: 8,
  float16: 2,
  float32: 4,
  float64: 8,
  uint8: 1,
  bool: 1,
};

/** Decode one IEEE 754 half-precision value. */
export function float16ToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

/** Encode a number as IEEE 754 half precision (round to nearest even). */
export function numberToFloat16(value: number): number {
  const f32 = new Float32Array(1);
  const u32 = new Uint32Array(f32.buffer);
  f32[0] = value;
  const x = u32[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >> shift;
    const rem = mant & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (rem > halfway || (rem === halfway && half & 1)) half++;
    return sign | half;
  }
  // A carry out of the mantissa correctly bumps the exponent (up to infinity).
  let half = (e << 10) | (mant >> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && half & 1)) half++;
  return sign | half;
}

function parseHeader(text: string): { descr: string; fortranOrder: boolean; shape: number[] } {
  const descr = /'descr'\s*:\s*'([^']+)'/.exec(text)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(text)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(text)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw new NpyError(`malformed .npy header: ${JSON.stringify(text.trim())}`);
  }
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => {
      // Digits only (an optional Python 2 "L"): Number() would take 0x10 as 16 and "1e3" as 1000.
      const n = /^\d+L?$/.test(s) ? Number(s.replace(/L$/, '')) : NaN;
      if (!Number.isSafeInteger(n)) throw new NpyError(`bad dimension "${s}" in .npy shape`);
      return n;
    });
  return { descr, fortranOrder: fortran === 'True', shape };
}

export interface NpyHeader {
  dtype: NpyDtype;
  shape: number[];
  /** Byte offset where the data starts. */
  dataStart: number;
}

/** Read only the header of a .npy file (dtype, shape, data offset); throws NpyError. */
export function readNpyHeader(bytes: Uint8Array): NpyHeader {
  if (bytes.length < 10) throw new NpyError(`file is ${bytes.length} bytes: too short for .npy`);
  for (let i = 0; i < MAGIC.length; i++) {
    if (bytes[i] !== MAGIC[i]) throw new NpyError('not a .npy file (magic string missing)');
  }
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLen: number;
  let headerStart: number;
  if (major === 1) {
    headerLen = view.getUint16(8, true);
    headerStart = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) throw new NpyError('truncated .npy header');
    headerLen = view.getUint32(8, true);
    headerStart = 12;
  } else {
    throw new NpyError(`unsupported .npy format version ${major}.${bytes[7]}`);
  }
  if (headerStart + headerLen > bytes.length) throw new NpyError('truncated .npy header');
  const headerText = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(
    bytes.subarray(headerStart, headerStart + headerLen),
  );
  const { descr, fortranOrder, shape } = parseHeader(headerText);
  if (fortranOrder) throw new NpyError('Fortran-order .npy arrays are not supported (save with C order)');
  const dtype = DESCR_TO_DTYPE[descr];
  if (!dtype) {
    const hint = descr.startsWith('>') ? ' (big-endian data is not supported)' : '';
    throw new NpyError(`unsupported .npy dtype "${descr}"${hint}`);
  }
  return { dtype, shape, dataStart: headerStart + headerLen };
}

/** Parse a .npy file. Throws NpyError with a specific reason on anything it cannot read. */
export function readNpy(bytes: Uint8Array): NpyArray {
  const { dtype, shape, dataStart } = readNpyHeader(bytes);
  const count = shape.reduce((a, b) => a * b, 1);
  const need = count * ITEM_SIZE[dtype];
  if (bytes.length - dataStart < need) {
    throw new NpyError(
      `truncated .npy data: shape (${shape.join(', ')}) needs ${need} bytes, file has ${bytes.length - dataStart}`,
    );
  }
  // Copy into an aligned buffer (the data offset need not be aligned to the item size).
  const raw = bytes.slice(dataStart, dataStart + need).buffer;
  let data: NpyData;
  switch (dtype) {
    case 'int32':
      data = new Int32Array(raw);
      break;
    case 'int64':
      data = new BigInt64Array(raw);
      break;
    case 'float32':
      data = new Float32Array(raw);
      break;
    case 'float64':
      data = new Float64Array(raw);
      break;
    case 'uint8':
    case 'bool':
      data = new Uint8Array(raw);
      break;
    case 'float16': {
      const halves = new Uint16Array(raw);
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = float16ToNumber(halves[i]);
      data = out;
      break;
    }
  }
  return { dtype, shape, data };
}

/**
 * Numbers of an array as Float64Array. int64 values beyond 2^53 cannot be represented
 * exactly and raise an error rather than silently rounding.
 */
export function npyToFloat64(arr: NpyArray): Float64Array {
  if (arr.data instanceof BigInt64Array) {
    const out = new Float64Array(arr.data.length);
    for (let i = 0; i < arr.data.length; i++) {
      const v = arr.data[i];
      if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) {
        throw new NpyError(`int64 value ${v} at flat index ${i} is too large to represent exactly`);
      }
      out[i] = Number(v);
    }
    return out;
  }
  return Float64Array.from(arr.data);
}

export interface NpyWriteInput {
  dtype: NpyDtype;
  shape: number[];
  /** Plain numbers are converted to the dtype (int dtypes must hold integers). */
  data: ArrayLike<number> | BigInt64Array;
}

/** Serialise an array as .npy (version 1.0 when the header fits, else 2.0). */
export function writeNpy(input: NpyWriteInput): Uint8Array {
  const { dtype, shape } = input;
  const count = shape.reduce((a, b) => a * b, 1);
  if (input.data.length !== count) {
    throw new NpyError(`data has ${input.data.length} values but shape (${shape.join(', ')}) needs ${count}`);
  }
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = `{'descr': '${DTYPE_TO_DESCR[dtype]}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  let major = 1;
  let prefix = 10;
  let total = prefix + dict.length + 1;
  if (Math.ceil(total / 64) * 64 - prefix > 0xffff) {
    major = 2;
    prefix = 12;
    total = prefix + dict.length + 1;
  }
  const padded = Math.ceil(total / 64) * 64;
  const headerLen = padded - prefix;
  const header = dict + ' '.repeat(headerLen - dict.length - 1) + '\n';
  const out = new Uint8Array(padded + count * ITEM_SIZE[dtype]);
  out.set(MAGIC, 0);
  out[6] = major;
  out[7] = 0;
  const view = new DataView(out.buffer);
  if (major === 1) view.setUint16(8, headerLen, true);
  else view.setUint32(8, headerLen, true);
  for (let i = 0; i < header.length; i++) out[prefix + i] = header.charCodeAt(i);
  const body = out.buffer.slice(padded) as ArrayBuffer;
  const src = input.data;
  const isBig = src instanceof BigInt64Array;
  const num = (i: number): number =>
    isBig ? Number((src as BigInt64Array)[i]) : (src as ArrayLike<number>)[i];
  switch (dtype) {
    case 'int32': {
      const t = new Int32Array(body);
      for (let i = 0; i < count; i++) t[i] = num(i);
      break;
    }
    case 'int64': {
      const t = new BigInt64Array(body);
      for (let i = 0; i < count; i++) t[i] = isBig ? (src as BigInt64Array)[i] : BigInt(Math.round(num(i)));
      break;
    }
    case 'float16': {
      const t = new Uint16Array(body);
      for (let i = 0; i < count; i++) t[i] = numberToFloat16(num(i));
      break;
    }
    case 'float32': {
      const t = new Float32Array(body);
      for (let i = 0; i < count; i++) t[i] = num(i);
      break;
    }
    case 'float64': {
      const t = new Float64Array(body);
      for (let i = 0; i < count; i++) t[i] = num(i);
      break;
    }
    case 'uint8':
    case 'bool': {
      const t = new Uint8Array(body);
      for (let i = 0; i < count; i++) t[i] = num(i);
      break;
    }
  }
  out.set(new Uint8Array(body), padded);
  return out;
}
