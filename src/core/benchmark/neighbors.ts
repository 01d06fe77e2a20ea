/**
 * Reads HREP's `neighbor.npy`: for each of Manhattan's 180 regions, the list of its adjacent
 * regions. Lists of different lengths make it a NumPy object array (dtype `|O`), which `np.save`
 * writes as a Python pickle after the .npy header; a 0/1 matrix (N x N, any numeric dtype) is
 * read as well. The pickle is read with pickleparser; the few NumPy names it refers to
 * (`_reconstruct`, `ndarray`, `dtype`, `scalar`) are rebuilt here as plain data, so nothing in
 * the file can run code.
 */
import { NameRegistry, Parser } from 'pickleparser';
import { npyToFloat64, readNpy } from '../io/npy';
import { ConversionError } from './convert';

/** A NumPy dtype as pickled: `dtype('i8', False, True)` then its state (version, byte order, ...). */
class PickledDtype {
  byteOrder = '|';
  constructor(readonly descr: string) {}
  __setstate__(state: unknown): void {
    if (Array.isArray(state) && typeof state[1] === 'string') this.byteOrder = state[1];
  }
}

/** An ndarray as pickled: `_reconstruct(ndarray, (0,), b'b')` then state (version, shape, dtype, fortran, data). */
class PickledArray {
  shape: number[] = [];
  dtype: PickledDtype | null = null;
  data: unknown = null;
  __setstate__(state: unknown): void {
    if (!Array.isArray(state) || state.length < 5)
      throw new ConversionError('neighbor.npy: an array without its state');
    this.shape = (state[1] as unknown[]).map(Number);
    this.dtype = state[2] instanceof PickledDtype ? state[2] : null;
    this.data = state[4];
  }
}

function bytesOf(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  // Protocol 2 writes bytes as latin-1 text (`_codecs.encode(text, 'latin1')`).
  if (typeof value === 'string') return Uint8Array.from(value, (c) => c.charCodeAt(0));
  throw new ConversionError('neighbor.npy: expected raw bytes in the pickle');
}

/** Numbers from a numeric dtype's raw bytes (little-endian integers and floats). */
function decodeNumbers(dtype: PickledDtype | null, raw: Uint8Array): number[] {
  const kind = dtype?.descr.replace(/^[<>|=]/, '') ?? '';
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const size = Number(kind.slice(1));
  if (dtype?.byteOrder === '>')
    throw new ConversionError('neighbor.npy: big-endian numbers are not supported');
  const out: number[] = [];
  for (let at = 0; at + size <= raw.byteLength; at += size) {
    if (kind === 'i8') out.push(Number(view.getBigInt64(at, true)));
    else if (kind === 'u8') out.push(Number(view.getBigUint64(at, true)));
    else if (kind === 'i4') out.push(view.getInt32(at, true));
    else if (kind === 'u4') out.push(view.getUint32(at, true));
    else if (kind === 'f8') out.push(view.getFloat64(at, true));
    else if (kind === 'f4') out.push(view.getFloat32(at, true));
    else throw new ConversionError(`neighbor.npy: unexpected number type ${dtype?.descr ?? 'unknown'}`);
  }
  return out;
}

function numpyNames(): NameRegistry {
  const registry = new NameRegistry();
  for (const mod of ['numpy.core.multiarray', 'numpy._core.multiarray']) {
    registry.register(mod, '_reconstruct', () => new PickledArray());
    registry.register(mod, 'scalar', (dtype: unknown, raw: unknown) => {
      const values = decodeNumbers(dtype instanceof PickledDtype ? dtype : null, bytesOf(raw));
      if (values.length !== 1) throw new ConversionError('neighbor.npy: a scalar of the wrong size');
      return values[0];
    });
  }
  registry.register('numpy', 'ndarray', () => null);
  registry.register('numpy', 'dtype', (descr: unknown) => new PickledDtype(String(descr)));
  registry.register('_codecs', 'encode', (text: unknown) => bytesOf(String(text)));
  return registry;
}

/** One region's list: a Python list of ints (or NumPy scalars), or a 1-D integer array. */
function listOf(value: unknown, i: number): number[] {
  if (Array.isArray(value)) return value.map(Number);
  if (value instanceof PickledArray) {
    if (Array.isArray(value.data)) return value.data.map(Number);
    return decodeNumbers(value.dtype, bytesOf(value.data));
  }
  throw new ConversionError(`neighbor.npy: region ${i} is not a list of regions`);
}

/** The lists of adjacent regions stored in a neighbor.npy (object array of lists, or a 0/1 matrix). */
export function readNeighborNpy(bytes: Uint8Array): number[][] {
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
  if (bytes.length < 12 || magic.some((b, i) => bytes[i] !== b) || bytes[6] < 1 || bytes[6] > 3)
    throw new ConversionError('neighbor.npy: not a .npy file');
  if (!isObjectArray(bytes)) {
    const arr = readNpy(bytes);
    const [n, m] = arr.shape;
    if (arr.shape.length !== 2 || n !== m)
      throw new ConversionError('neighbor.npy: expected an N x N matrix');
    const values = npyToFloat64(arr);
    return Array.from({ length: n }, (_, i) => {
      const row: number[] = [];
      for (let j = 0; j < n; j++) if (j !== i && values[i * n + j] !== 0) row.push(j);
      return row;
    });
  }
  const parsed: unknown = new Parser({ nameResolver: numpyNames() }).parse(
    bytes.subarray(pickleStart(bytes)),
  );
  const items = parsed instanceof PickledArray ? parsed.data : parsed;
  if (!Array.isArray(items)) throw new ConversionError('neighbor.npy: expected one list per region');
  return items.map((v: unknown, i: number) => listOf(v, i));
}

/** Where the pickle starts: after the magic, version, header length and header (format 1.0, 2.0 or 3.0). */
function pickleStart(bytes: Uint8Array): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return bytes[6] === 1 ? 10 + view.getUint16(8, true) : 12 + view.getUint32(8, true);
}

/** Whether the .npy header says `'descr': '|O'` (Python objects, pickled). */
function isObjectArray(bytes: Uint8Array): boolean {
  const start = bytes[6] === 1 ? 10 : 12;
  const header = new TextDecoder('latin1').decode(
    bytes.subarray(start, Math.min(pickleStart(bytes), bytes.length)),
  );
  return /'descr'\s*:\s*'\|O'/.test(header);
}
