import { describe, expect, it } from 'vitest';
import { Rng } from '../random';
import type { RegionNeighbours } from '../spatial/neighbours';
import { batchLayout, compactBatches } from './batches';

/** Six regions on a ring; each attends to itself and the next one. */
const RING: RegionNeighbours = { n: 6, k: 2, index: Int32Array.from([0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 0]) };

/** A 10 x 10 grid of regions 1 km apart; each attends to itself and its 4 nearest. */
function grid(side: number): { positions: Float64Array; nb: RegionNeighbours } {
  const n = side * side;
  const positions = new Float64Array(2 * n);
  const index = new Int32Array(n * 5);
  for (let r = 0; r < side; r++)
    for (let c = 0; c < side; c++) {
      const i = r * side + c;
      positions[2 * i] = c;
      positions[2 * i + 1] = r;
      const near = [
        [r, c],
        [r, c + 1],
        [r + 1, c],
        [r, c - 1],
        [r - 1, c],
      ].map(([rr, cc]) => (rr >= 0 && rr < side && cc >= 0 && cc < side ? rr * side + cc : i));
      index.set(near, i * 5);
    }
  return { positions, nb: { n, k: 5, index } };
}

describe('batch layout', () => {
  it('orders the seeds, then each ring of neighbours, and renames the neighbourhoods to batch rows', () => {
    const layout = batchLayout([2], RING, 2);
    expect(Array.from(layout.order)).toEqual([2, 3, 4]);
    expect(layout.levels).toEqual([3, 2, 1]);
    expect(layout.neighbours).toEqual({ n: 2, k: 2, index: Int32Array.from([0, 1, 1, 2]) });
  });

  it('keeps every query’s neighbours within the rows of the stage before it', () => {
    const { nb } = grid(10);
    const layout = batchLayout([44, 45, 54, 55], nb, 3);
    expect(layout.levels[3]).toBe(4);
    for (let stage = 1; stage < layout.levels.length; stage++)
      for (let r = 0; r < layout.levels[stage]; r++)
        for (let s = 0; s < nb.k; s++)
          expect(layout.neighbours.index[r * nb.k + s]).toBeLessThan(layout.levels[stage - 1]);
    // Each row's neighbours are the same regions as in the city.
    for (let r = 0; r < layout.neighbours.n; r++)
      for (let s = 0; s < nb.k; s++)
        expect(layout.order[layout.neighbours.index[r * nb.k + s]]).toBe(
          nb.index[layout.order[r] * nb.k + s],
        );
  });

  it('is the whole city unchanged when every region is a seed, in order', () => {
    const layout = batchLayout([0, 1, 2, 3, 4, 5], RING, 3);
    expect(Array.from(layout.order)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(layout.levels).toEqual([6, 6, 6, 6]);
    expect(layout.neighbours).toEqual(RING);
  });

  it('refuses a seed named twice or a region the city does not have', () => {
    expect(() => batchLayout([1, 1], RING, 1)).toThrow('region 1 is a seed twice');
    expect(() => batchLayout([6], RING, 1)).toThrow('no region 6');
  });
});

describe('compact batches', () => {
  const partition = (batches: Int32Array[]): number[] =>
    batches.flatMap((b) => Array.from(b)).sort((a, b) => a - b) as number[];

  it('put every region in exactly one batch of at most the size, with or without coordinates', () => {
    const { positions, nb } = grid(10);
    for (const pos of [positions, null]) {
      const batches = compactBatches(pos, nb, 30, 5, new Rng(3));
      expect(partition(batches)).toEqual(Array.from({ length: 100 }, (_, i) => i));
      for (const b of batches) expect(b.length).toBeLessThanOrEqual(30);
    }
    expect(compactBatches(positions, nb, 100, 5, new Rng(3))).toHaveLength(1);
  });

  it('cut a grid into blocks with thin rings: 4 batches of 25 regions on a 10 x 10 grid, no more than 25 + 20 in one ring', () => {
    const { positions, nb } = grid(10);
    for (const seed of [1, 2, 3]) {
      const batches = compactBatches(positions, nb, 25, 5, new Rng(seed));
      expect(batches.map((b) => b.length)).toEqual([25, 25, 25, 25]);
      // A 5 x 5 block has a ring of at most 20 grid neighbours; a scattered batch would have many more.
      for (const b of batches) expect(batchLayout(b, nb, 1).levels[0]).toBeLessThanOrEqual(45);
    }
  });

  it('move their cuts with the seed', () => {
    const { positions, nb } = grid(10);
    const a = compactBatches(positions, nb, 25, 5, new Rng(1)).map((b) => Array.from(b));
    const b = compactBatches(positions, nb, 25, 5, new Rng(2)).map((x) => Array.from(x));
    expect(a).not.toEqual(b);
    expect(compactBatches(positions, nb, 25, 5, new Rng(1)).map((x) => Array.from(x))).toEqual(a);
  });
});
