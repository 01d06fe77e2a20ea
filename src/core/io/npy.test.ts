import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BENCHMARK_DIR, BENCHMARK_SKIP_REASON } from '../../test/benchmark';
import {
  NpyError,
  float16ToNumber,
  npyToFloat64,
  numberToFloat16,
  readNpy,
  writeNpy,
  type NpyDtype,
} from './npy';

const fixture = (name: string): Uint8Array =>
  new Uint8Array(readFileSync(join(import.meta.dirname, 'fixtures', name)));

describe('readNpy on files written by numpy', () => {
  it('reads int32, int64, float16, float32 and float64 in C order', () => {
    expect(Array.from(npyToFloat64(readNpy(fixture('int32_2x3.npy'))))).toEqual([0, 1, 2, 3, 4, 5]);
    const i64 = readNpy(fixture('int64_2x3.npy'));
    expect(i64.dtype).toBe('int64');
    expect(Array.from(npyToFloat64(i64))).toEqual([0, 1, 2, 3, 4, 5].map((v) => v * 1e12));
    const f16 = readNpy(fixture('float16_2x3.npy'));
    expect(f16.shape).toEqual([2, 3]);
    expect(Array.from(npyToFloat64(f16))).toEqual([
      -1.0, -0.66650390625, -0.333251953125, 0.0, 0.333251953125, 0.66650390625,
    ]);
    const f32 = readNpy(fixture('float32_2x3.npy'));
    expect(f32.data).toBeInstanceOf(Float32Array);
    expect(f32.data[1]).toBeCloseTo(-2 / 3, 6);
    const f64 = readNpy(fixture('float64_2x3.npy'));
    expect(f64.data[1]).toBe(1 / 3 - 1);
    expect(Array.from(npyToFloat64(readNpy(fixture('float64_vector.npy'))))).toEqual([1.5, -2.25, 1e300]);
    expect(readNpy(fixture('float64_vector.npy')).shape).toEqual([3]);
  });

  it('reads format version 2.0', () => {
    const arr = readNpy(fixture('float32_v2.npy'));
    expect(arr.shape).toEqual([2, 3]);
    expect(arr.data[6 - 1]).toBeCloseTo(5 / 7, 6);
  });

  it('refuses big-endian and Fortran-order arrays with a specific message', () => {
    expect(() => readNpy(fixture('bigendian.npy'))).toThrow(/big-endian/);
    expect(() => readNpy(fixture('fortran.npy'))).toThrow(/Fortran-order/);
  });

  it('refuses files that are not .npy or are cut short', () => {
    expect(() => readNpy(new TextEncoder().encode('region_id,a\n1,2\n'))).toThrow(NpyError);
    const full = fixture('float64_2x3.npy');
    expect(() => readNpy(full.subarray(0, full.length - 8))).toThrow(/truncated/);
    expect(() => readNpy(new Uint8Array(0))).toThrow(/too short/);
  });

  it('refuses a shape dimension that is not written in digits (Number() would read 0x2 as 2)', () => {
    const bytes = writeNpy({ dtype: 'float64', shape: [2, 3], data: [1, 2, 3, 4, 5, 6] });
    const text = String.fromCharCode(...bytes.subarray(0, 128)); // one character a byte
    expect(text).toContain("'shape': (2, 3), }  ");
    for (const [dim, shape] of [
      ['0x2', '(0x2, 3)'],
      ['2e0', '(2e0, 3)'],
      ['+2', '(+2, 3)'],
    ]) {
      // The same length: the header's padding gives up the characters the shape gains.
      const header = text.replace(`(2, 3), }${' '.repeat(shape.length - 6)}`, `${shape}, }`);
      expect(header.length).toBe(text.length);
      const hostile = Uint8Array.from(bytes);
      hostile.set(Uint8Array.from(header, (c) => c.charCodeAt(0)));
      expect(() => readNpy(hostile), dim).toThrow(`bad dimension "${dim}" in .npy shape`);
    }
  });
});

describe('writeNpy', () => {
  const dtypes: NpyDtype[] = ['int32', 'int64', 'float16', 'float32', 'float64'];
  it.each(dtypes)('round-trips %s', (dtype) => {
    const values = dtype.startsWith('int') ? [0, -3, 7, 2 ** 30, 5, 6] : [0, -1.5, 0.25, 1024, 3.5, -0.125];
    const bytes = writeNpy({ dtype, shape: [2, 3], data: values });
    const itemSize = { int32: 4, int64: 8, float16: 2, float32: 4, float64: 8 }[dtype as string] ?? 1;
    expect((bytes.length - 6 * itemSize) % 64).toBe(0); // data starts 64-byte aligned, as numpy writes
    const back = readNpy(bytes);
    expect(back.dtype).toBe(dtype);
    expect(back.shape).toEqual([2, 3]);
    expect(Array.from(npyToFloat64(back))).toEqual(values);
  });

  it('writes byte-identical files to numpy for the same array', () => {
    const ours = writeNpy({ dtype: 'int32', shape: [2, 3], data: [0, 1, 2, 3, 4, 5] });
    expect(Array.from(ours)).toEqual(Array.from(fixture('int32_2x3.npy')));
    const vec = writeNpy({ dtype: 'float64', shape: [3], data: [1.5, -2.25, 1e300] });
    expect(Array.from(vec)).toEqual(Array.from(fixture('float64_vector.npy')));
  });

  it('switches to format 2.0 when the header does not fit in 64 KiB', () => {
    const shape = Array.from({ length: 25000 }, () => 1);
    const bytes = writeNpy({ dtype: 'float32', shape, data: [2.5] });
    expect(bytes[6]).toBe(2);
    expect(readNpy(bytes).data[0]).toBe(2.5);
  });

  it('rejects data that does not match the shape', () => {
    expect(() => writeNpy({ dtype: 'float32', shape: [2, 2], data: [1, 2, 3] })).toThrow(/needs 4/);
  });
});

describe('float16', () => {
  it('encodes and decodes special values and rounds to nearest even', () => {
    for (const v of [0, 1, -2, 65504, 2 ** -14, 2 ** -24, Infinity, -Infinity]) {
      expect(float16ToNumber(numberToFloat16(v))).toBe(v);
    }
    expect(Number.isNaN(float16ToNumber(numberToFloat16(NaN)))).toBe(true);
    expect(float16ToNumber(numberToFloat16(1 + 2 ** -11))).toBe(1); // tie rounds to even
    expect(float16ToNumber(numberToFloat16(1e6))).toBe(Infinity);
  });
});

describe.skipIf(!BENCHMARK_DIR)('every .npy file of the shared benchmark', () => {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else if (e.name.endsWith('.npy')) files.push(join(dir, e.name));
    }
  };
  if (BENCHMARK_DIR) walk(BENCHMARK_DIR);
  else it.skip(BENCHMARK_SKIP_REASON, () => {});

  it('finds the 34 benchmark arrays', () => {
    expect(files.length).toBe(34);
  });

  it.each(files.map((f) => [f.slice((BENCHMARK_DIR ?? '').length + 1), f]))(
    '%s reads and round-trips',
    (_, file) => {
      const bytes = new Uint8Array(readFileSync(file));
      const arr = readNpy(bytes);
      const count = arr.shape.reduce((a, b) => a * b, 1);
      expect(arr.data.length).toBe(count);
      const values = npyToFloat64(arr);
      expect(values.every((v) => Number.isFinite(v))).toBe(true);
      const again = readNpy(
        writeNpy({
          dtype: arr.dtype,
          shape: arr.shape,
          data: arr.dtype === 'int64' ? (arr.data as BigInt64Array) : values,
        }),
      );
      expect(again.shape).toEqual(arr.shape);
      expect(Array.from(npyToFloat64(again))).toEqual(Array.from(values));
      // numpy's own layout: writing the same array gives the same bytes.
      if (arr.dtype !== 'float16')
        expect(
          writeNpy({
            dtype: arr.dtype,
            shape: arr.shape,
            data: arr.dtype === 'int64' ? (arr.data as BigInt64Array) : values,
          }),
        ).toEqual(bytes);
    },
  );
});
