/**
 * Mini-batches of a large city: seed regions that lie close together, and the rings of
 * neighbours their layers read. SREL's attention layers each look one neighbourhood further
 * (L = intra-view blocks + region-fusion blocks hops in all), so the embedding of a seed needs
 * its neighbours' states after layer L - 1, their neighbours' after layer L - 2, and so on.
 * A batch's rows are ordered seeds first, then each ring outwards, so every stage of the
 * model works on a prefix of the rows:
 *
 *   rows [0, levels[0])  input projections      (seeds and L rings)
 *   rows [0, levels[l])  output of layer l      (seeds and L - l rings)
 *   rows [0, levels[L])  the seeds: output MLP, decoders and losses
 *
 * and the regions a layer's queries attend to lie in the rows its input has. Memory is then
 * bounded by the batch, not the city.
 */
import type { RegionNeighbours } from '../spatial/neighbours';
import type { Rng } from '../random';

/** A batch's regions in layer order. */
export interface BatchLayout {
  /** The city region of each batch row: seeds, then ring 1, ring 2, … [rows] */
  order: Int32Array;
  /** Rows of each stage, input to output: levels[0] = all rows ≥ … ≥ levels[L] = seeds. */
  levels: number[];
  /** The neighbourhoods of the first levels[1] rows, as batch rows. */
  neighbours: RegionNeighbours;
}

/**
 * The layout of a batch of `seeds` (distinct city regions) for a model whose attention layers
 * look `hops` neighbourhoods out (hops ≥ 1). With every region a seed, in order, it is the
 * whole city unchanged (order 0..N-1, every level N, the same neighbourhoods).
 */
export function batchLayout(seeds: ArrayLike<number>, nb: RegionNeighbours, hops: number): BatchLayout {
  if (!(Number.isInteger(hops) && hops >= 1)) throw new Error(`batchLayout: hops must be ≥ 1, got ${hops}`);
  const { n, k, index } = nb;
  const row = new Int32Array(n).fill(-1);
  const order: number[] = [];
  const add = (region: number): void => {
    if (row[region] < 0) {
      row[region] = order.length;
      order.push(region);
    }
  };
  for (let i = 0; i < seeds.length; i++) {
    const region = seeds[i];
    if (!(Number.isInteger(region) && region >= 0 && region < n))
      throw new Error(`batchLayout: no region ${region}`);
    if (row[region] >= 0) throw new Error(`batchLayout: region ${region} is a seed twice`);
    add(region);
  }
  const counts = [order.length];
  let frontierStart = 0;
  for (let h = 0; h < hops; h++) {
    const frontierEnd = order.length;
    for (let r = frontierStart; r < frontierEnd; r++) {
      const region = order[r];
      for (let s = 0; s < k; s++) add(index[region * k + s]);
    }
    frontierStart = frontierEnd;
    counts.push(order.length);
  }
  const levels = counts.reverse();
  const queries = levels[1];
  const local = new Int32Array(queries * k);
  for (let r = 0; r < queries; r++) {
    const region = order[r];
    for (let s = 0; s < k; s++) local[r * k + s] = row[index[region * k + s]];
  }
  return { order: Int32Array.from(order), levels, neighbours: { n: queries, k, index: local } };
}

/**
 * The city's regions cut into batches of at most `size` regions that lie close together, so
 * their rings of neighbours are thin. With positions (planar km, N x 2): recursive bisection
 * at the median of the longer side, after a rotation drawn from `rng`, so the cuts move from
 * epoch to epoch and no pair of neighbours is always split. Without them: regions grown
 * breadth-first over the first `spread` neighbours of each region (its nearest ones, not the
 * regions every region shares) from a random region, `size` at a time.
 * Every region is in exactly one batch; batches hold ceil(N / ceil(N / size)) regions or fewer.
 */
export function compactBatches(
  positions: Float32Array | Float64Array | null,
  nb: RegionNeighbours,
  size: number,
  spread: number,
  rng: Rng,
): Int32Array[] {
  if (!(Number.isInteger(size) && size >= 1))
    throw new Error(`compactBatches: size must be ≥ 1, got ${size}`);
  const n = nb.n;
  if (n <= size) return [Int32Array.from({ length: n }, (_, i) => i)];
  return positions ? bisect(positions, n, size, rng) : grow(nb, size, spread, rng);
}

function bisect(positions: Float32Array | Float64Array, n: number, size: number, rng: Rng): Int32Array[] {
  const angle = rng.next() * Math.PI;
  const [c, s] = [Math.cos(angle), Math.sin(angle)];
  const u = new Float64Array(n);
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    u[i] = c * positions[2 * i] + s * positions[2 * i + 1];
    v[i] = -s * positions[2 * i] + c * positions[2 * i + 1];
  }
  const out: Int32Array[] = [];
  const split = (ids: number[], parts: number): void => {
    if (parts <= 1) {
      out.push(Int32Array.from(ids).sort());
      return;
    }
    const extent = (a: Float64Array): number => {
      let lo = Infinity;
      let hi = -Infinity;
      for (const i of ids) {
        lo = Math.min(lo, a[i]);
        hi = Math.max(hi, a[i]);
      }
      return hi - lo;
    };
    const axis = extent(u) >= extent(v) ? u : v;
    ids.sort((a, b) => axis[a] - axis[b] || a - b);
    const leftParts = Math.floor(parts / 2);
    const cut = Math.round((ids.length * leftParts) / parts);
    split(ids.slice(0, cut), leftParts);
    split(ids.slice(cut), parts - leftParts);
  };
  split(
    Array.from({ length: n }, (_, i) => i),
    Math.ceil(n / size),
  );
  return out;
}

function grow(nb: RegionNeighbours, size: number, spread: number, rng: Rng): Int32Array[] {
  const { n, k, index } = nb;
  const fan = Math.max(1, Math.min(k, spread));
  const parts = Math.ceil(n / size);
  const even = Math.ceil(n / parts);
  const taken = new Uint8Array(n);
  const unassigned = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [unassigned[i], unassigned[j]] = [unassigned[j], unassigned[i]];
  }
  let next = 0;
  const out: Int32Array[] = [];
  while (next < n) {
    const batch: number[] = [];
    const queue: number[] = [];
    let head = 0;
    while (batch.length < even) {
      if (head === queue.length) {
        // The region grew into a dead end: start again from the next unassigned region.
        while (next < n && taken[unassigned[next]]) next++;
        if (next === n) break;
        queue.push(unassigned[next]);
        taken[unassigned[next]] = 1;
      }
      const region = queue[head++];
      batch.push(region);
      for (let s = 0; s < fan && queue.length - head + batch.length < even; s++) {
        const j = index[region * k + s];
        if (!taken[j]) {
          taken[j] = 1;
          queue.push(j);
        }
      }
    }
    // Regions queued but not placed go back.
    for (let q = head; q < queue.length; q++) taken[queue[q]] = 0;
    if (batch.length > 0) out.push(Int32Array.from(batch).sort());
    while (next < n && taken[unassigned[next]]) next++;
  }
  return out;
}

/** data[order[r]] for the first `count` batch rows r, of a row-major matrix with `width` columns. */
export function gatherRows(
  data: Float32Array,
  width: number,
  order: Int32Array,
  count = order.length,
): Float32Array {
  const out = new Float32Array(count * width);
  for (let r = 0; r < count; r++) out.set(data.subarray(order[r] * width, (order[r] + 1) * width), r * width);
  return out;
}
