import { describe, expect, it } from 'vitest';
import { centreColumns, standardiseColumns } from './stats';

describe('column statistics', () => {
  it('standardises to mean 0 and population sd 1, constant columns to 0, keeping the type', () => {
    const out = standardiseColumns(Float32Array.from([1, 10, 3, 10]), 2, 2);
    expect(out).toBeInstanceOf(Float32Array);
    expect(Array.from(out)).toEqual([-1, 0, 1, 0]);
  });

  it('centres the columns and gives their means', () => {
    const { centred, mean } = centreColumns([1, 4, 3, 8, 5, 0], 3, 2);
    expect(Array.from(mean)).toEqual([3, 4]);
    expect(Array.from(centred)).toEqual([-2, 0, 0, 4, 2, -4]);
  });
});
