/**
 * Semantic vectors imported from a file (method.md, Prompt4RE step 2, "vectors imported from
 * a file"): an `.npy` array N x T of float16, float32 or float64, row i = region i, for
 * instance the published LLM prompt embeddings or vectors a user computed elsewhere. The
 * "encoder" ignores the texts except for their count, which must equal N.
 */
import { NpyError, readNpy, type NpyArray } from '../io/npy';
import type { EncodeOptions, Encoder, SemanticVectors } from './encoder';

export const IMPORTED_ENCODER_PREFIX = 'imported:';

const FLOAT_DTYPES = new Set(['float16', 'float32', 'float64']);

/** Parse the bytes as .npy; format problems come back as a message naming the file. */
function parseNpy(bytes: Uint8Array, fileName: string): NpyArray | string {
  try {
    return readNpy(bytes);
  } catch (e) {
    if (e instanceof NpyError) return `${fileName}: ${e.message}`;
    throw e;
  }
}

/** The shape and dtype checks: a 2-D float array with the city's number of rows. */
function shapeProblem(arr: NpyArray, fileName: string, expectedRows?: number): string | null {
  if (!FLOAT_DTYPES.has(arr.dtype))
    return `${fileName}: holds ${arr.dtype} values; semantic vectors must be float16, float32 or float64`;
  if (arr.shape.length !== 2)
    return `${fileName}: is ${arr.shape.length}-D with shape (${arr.shape.join(', ')}); expected a 2-D array N x T (one row of T numbers per region)`;
  const [rows, cols] = arr.shape;
  if (rows === 0 || cols === 0) return `${fileName}: shape (${rows}, ${cols}) is empty`;
  if (expectedRows !== undefined && rows !== expectedRows)
    return `${fileName}: has ${rows} rows but the city has ${expectedRows} regions (row i must be region i)`;
  return null;
}

/**
 * The values as Float32Array, or a message naming the first row with a NaN or infinite value
 * (float64 values beyond the float32 range count as infinite) and how many rows have one.
 */
function finiteFloat32(arr: NpyArray, fileName: string): Float32Array | string {
  const [rows, cols] = arr.shape;
  const data = arr.data instanceof Float32Array ? arr.data : Float32Array.from(arr.data as Float64Array);
  let firstRow = -1;
  let firstCol = -1;
  let badRows = 0;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      if (Number.isFinite(data[i * cols + j])) continue;
      if (firstRow < 0) {
        firstRow = i;
        firstCol = j;
      }
      badRows++;
      break;
    }
  }
  if (firstRow < 0) return data;
  const original = Number(arr.data[firstRow * cols + firstCol]);
  const what = Number.isNaN(original)
    ? 'NaN'
    : Number.isFinite(original)
      ? `${original} (beyond the float32 range)`
      : String(original);
  const others = badRows > 1 ? ` (${badRows} rows in all have NaN or infinite values)` : '';
  return `${fileName}: row ${firstRow} (region ${firstRow}), column ${firstCol} holds ${what}${others}`;
}

/** Read semantic vectors from `.npy` bytes, or say plainly why they cannot be used. */
export function vectorsFromNpy(
  bytes: Uint8Array,
  fileName: string,
  expectedRows?: number,
): { vectors: SemanticVectors } | { error: string } {
  const arr = parseNpy(bytes, fileName);
  if (typeof arr === 'string') return { error: arr };
  const problem = shapeProblem(arr, fileName, expectedRows);
  if (problem) return { error: problem };
  const data = finiteFloat32(arr, fileName);
  if (typeof data === 'string') return { error: data };
  const [n, dimension] = arr.shape;
  return { vectors: { n, dimension, data, encoder: IMPORTED_ENCODER_PREFIX + fileName } };
}

/**
 * An encoder that returns the file's vectors. Throws at once (with the message of
 * `vectorsFromNpy`) when the file cannot be used; `encode` rejects when the number of texts
 * differs from the number of rows.
 */
export function importedVectorsEncoder(bytes: Uint8Array, fileName: string, expectedRows?: number): Encoder {
  const result = vectorsFromNpy(bytes, fileName, expectedRows);
  if ('error' in result) throw new Error(result.error);
  const { vectors } = result;
  return {
    info: {
      id: vectors.encoder,
      name: `Imported vectors (${fileName})`,
      dimension: vectors.dimension,
      offline: true,
      description: `${vectors.n} x ${vectors.dimension} vectors read from ${fileName}; the prompts are not used.`,
    },
    async encode(texts: string[], options: EncodeOptions = {}): Promise<SemanticVectors> {
      options.signal?.throwIfAborted();
      if (texts.length !== vectors.n)
        throw new Error(`${fileName}: has ${vectors.n} rows but ${texts.length} prompts were given`);
      options.onProgress?.(vectors.n, vectors.n);
      return { ...vectors, data: vectors.data.slice() };
    },
  };
}
