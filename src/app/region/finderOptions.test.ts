import { describe, expect, it } from 'vitest';
import { EAGER_OPTIONS, finderOptions } from './finderOptions';

const regions = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ id: `R${i}`, name: i === 1 ? 'R1' : `Region ${i}` }));

describe('finderOptions', () => {
  it('lists every region of a small city, the name alone when it is the id', () => {
    expect(finderOptions(regions(3), null, false)).toEqual([
      { index: 0, label: 'Region 0 (R0)' },
      { index: 1, label: 'R1' },
      { index: 2, label: 'Region 2 (R2)' },
    ]);
  });

  it('lists only the selected region of a large city until the list is used', () => {
    const many = regions(EAGER_OPTIONS + 1);
    expect(finderOptions(many, null, false)).toEqual([]);
    expect(finderOptions(many, 7, false)).toEqual([{ index: 7, label: 'Region 7 (R7)' }]);
    expect(finderOptions(many, 7, true)).toHaveLength(EAGER_OPTIONS + 1);
  });
});
