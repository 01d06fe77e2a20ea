import { describe, expect, it } from 'vitest';
import { writeNpy } from '../io/npy';
import { IMPORTED_ENCODER_PREFIX, importedVectorsEncoder, vectorsFromNpy } from './importedVectors';

const values = [0, -1.5, 0.25, 1024, 3.5, -0.125, 2, 0.5, -8, 16, 0.75, 1];

describe('vectorsFromNpy', () => {
  it.each(['float16', 'float32', 'float64'] as const)('round-trips %s through writeNpy', (dtype) => {
    const bytes = writeNpy({ dtype, shape: [3, 4], data: values });
    const result = vectorsFromNpy(bytes, 'v.npy', 3);
    if ('error' in result) throw new Error(result.error);
    expect(result.vectors).toMatchObject({ n: 3, dimension: 4, encoder: `${IMPORTED_ENCODER_PREFIX}v.npy` });
    expect(result.vectors.data).toBeInstanceOf(Float32Array);
    expect(Array.from(result.vectors.data)).toEqual(values);
  });

  it('keeps float16 rounding (values float16 cannot hold exactly come back rounded)', () => {
    const result = vectorsFromNpy(
      writeNpy({ dtype: 'float16', shape: [1, 2], data: [0.1, 1000.3] }),
      'h.npy',
    );
    if ('error' in result) throw new Error(result.error);
    expect(result.vectors.data[0]).toBeCloseTo(0.1, 3);
    expect(result.vectors.data[1]).toBe(1000.5);
  });

  it('rejects a wrong row count, naming both counts', () => {
    const result = vectorsFromNpy(writeNpy({ dtype: 'float32', shape: [3, 4], data: values }), 'v.npy', 77);
    expect(result).toEqual({
      error: 'v.npy: has 3 rows but the city has 77 regions (row i must be region i)',
    });
  });

  it('rejects NaN and infinite values, naming the row', () => {
    const withNan = [...values];
    withNan[9] = NaN; // row 2, column 1
    withNan[11] = Infinity;
    const result = vectorsFromNpy(writeNpy({ dtype: 'float32', shape: [3, 4], data: withNan }), 'v.npy');
    expect('error' in result && result.error).toBe('v.npy: row 2 (region 2), column 1 holds NaN');
    const twoRows = [...values];
    twoRows[1] = -Infinity;
    twoRows[6] = NaN;
    const second = vectorsFromNpy(writeNpy({ dtype: 'float16', shape: [3, 4], data: twoRows }), 'v.npy');
    expect('error' in second && second.error).toBe(
      'v.npy: row 0 (region 0), column 1 holds -Infinity (2 rows in all have NaN or infinite values)',
    );
    const huge = [...values];
    huge[4] = 1e300;
    const third = vectorsFromNpy(writeNpy({ dtype: 'float64', shape: [3, 4], data: huge }), 'v.npy');
    expect('error' in third && third.error).toMatch(/row 1 .* holds 1e\+300 \(beyond the float32 range\)/);
  });

  it('rejects arrays that are not 2-D floats, and files that are not .npy', () => {
    const oneD = vectorsFromNpy(writeNpy({ dtype: 'float32', shape: [12], data: values }), 'v.npy');
    expect('error' in oneD && oneD.error).toMatch(/is 1-D with shape \(12\); expected a 2-D array/);
    const ints = vectorsFromNpy(
      writeNpy({ dtype: 'int32', shape: [3, 4], data: values.map(Math.round) }),
      'i.npy',
    );
    expect('error' in ints && ints.error).toMatch(/holds int32 values/);
    const empty = vectorsFromNpy(writeNpy({ dtype: 'float32', shape: [0, 4], data: [] }), 'e.npy');
    expect('error' in empty && empty.error).toMatch(/empty/);
    const text = vectorsFromNpy(new TextEncoder().encode('region,a\n1,2\n'), 'v.csv');
    expect('error' in text && text.error).toMatch(/^v\.csv: not a \.npy file/);
  });
});

describe('importedVectorsEncoder', () => {
  const bytes = writeNpy({ dtype: 'float32', shape: [3, 4], data: values });

  it('returns the file vectors for as many texts as rows', async () => {
    const enc = importedVectorsEncoder(bytes, 'v.npy', 3);
    expect(enc.info).toMatchObject({ id: 'imported:v.npy', dimension: 4, offline: true });
    const progress: number[] = [];
    const v = await enc.encode(['a', 'b', 'c'], { onProgress: (done) => progress.push(done) });
    expect(Array.from(v.data)).toEqual(values);
    expect(progress).toEqual([3]);
    v.data[0] = 99; // callers get a copy
    expect((await enc.encode(['a', 'b', 'c'])).data[0]).toBe(0);
  });

  it('rejects a text count that differs from the rows, and unusable files at once', async () => {
    await expect(importedVectorsEncoder(bytes, 'v.npy').encode(['a'])).rejects.toThrow(
      'v.npy: has 3 rows but 1 prompts were given',
    );
    expect(() => importedVectorsEncoder(bytes, 'v.npy', 5)).toThrow(/has 3 rows but the city has 5 regions/);
  });
});
