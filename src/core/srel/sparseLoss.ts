/**
 * SREL's losses (method.md, step 6) without N x N matrices: on each row's observed trips plus
 * sampled other regions (mobility), and on sampled pairs (POI and land-use similarity). When
 * the samples hold every pair they equal loss.ts's dense losses (a test checks both).
 *
 * Pairs are laid out as N rows of c candidates each: `cols[i c + r]` is the region paired with
 * region i in slot r.
 */
import * as tf from '@tensorflow/tfjs';
import type { SparseMatrix } from '../math/sparse';
import type { SparseSrelInputs } from './inputTypes';
import { Rng } from '../random';
import { ATTENTION_CHUNK, chunkRanges } from './sparseAttention';

/** c candidates per region, with a weight and a target per pair. */
export interface PairSample {
  n: number;
  c: number;
  /** N x c partner regions. */
  cols: Int32Array;
  /** N x c weights (mobility: the pair's share of the softmax denominator; 0 = padding). */
  weights: Float32Array;
  /** N x c targets (mobility: Mhat_ij; similarity: S_ij). */
  targets: Float32Array;
}

/**
 * Candidates of the mobility loss's softmax for each row i of `trips` (row = origin for the
 * outgoing term; pass the transpose for the incoming one): the row's `positives` largest
 * observed trips (target Mhat_ij = M_ij scale, weight 1), then regions drawn (`negatives`, more
 * for rows with fewer trips, c = positives + negatives in all)
 * without replacement from all the others (target 0, weight (N - kept) / drawn, so the
 * weighted sum of exp(logit) estimates the full denominator). When positives + negatives ≥ N
 * every region is a candidate with weight 1 and the loss is exact. Rows with fewer
 * candidates are padded with weight 0.
 * **Our choice**: trips beyond the `positives` largest leave the numerator (a row's largest
 * trips hold most of its flow) but stay in the denominator's sample.
 */
export function mobilityCandidates(
  trips: SparseMatrix,
  scale: number,
  positives: number,
  negatives: number,
  rng: Rng,
  draw: DrawOptions = {},
): PairSample {
  const n = trips.rows;
  const c = Math.min(n, positives + negatives);
  const rows = draw.rows ?? null;
  const count = rows ? rows.length : n;
  const pool = draw.pool ?? null;
  const pick = picker(n, pool, rng);
  const cols = new Int32Array(count * c);
  const weights = new Float32Array(count * c);
  const targets = new Float32Array(count * c);
  for (let row = 0; row < count; row++) {
    const i = rows ? rows[row] : row;
    const start = trips.rowStart[i];
    const end = trips.rowStart[i + 1];
    const observed = end - start;
    // The row's largest trips first (all of them when they fit).
    let order = Array.from({ length: observed }, (_, r) => start + r);
    if (observed > positives)
      order = order.sort((a, b) => trips.values[b] - trips.values[a]).slice(0, positives);
    let slot = row * c;
    const kept = new Set<number>();
    for (const e of order) {
      kept.add(trips.colIndex[e]);
      cols[slot] = trips.colIndex[e];
      weights[slot] = 1;
      targets[slot++] = trips.values[e] * scale;
    }
    const others = n - kept.size;
    const room = row * c + c - slot;
    if (others <= room) {
      // Every other region, weight 1: exact.
      for (let j = 0; j < n; j++) {
        if (kept.has(j)) continue;
        cols[slot] = j;
        weights[slot++] = 1;
      }
    } else {
      const draws = room; // rows with fewer trips draw more
      const chosen = new Set<number>();
      // A pool too small for the row's draws (a tiny city's) gives way to the whole city.
      const roomy = pool && (pool.length >= draws + kept.size || poolOutside(pool, kept) >= draws);
      const from = roomy ? pick : () => rng.int(n);
      while (chosen.size < draws) {
        const j = from();
        if (!kept.has(j)) chosen.add(j);
      }
      const w = others / draws;
      for (const j of chosen) {
        cols[slot] = j;
        weights[slot++] = w;
      }
    }
  }
  return { n: count, c, cols, weights, targets };
}

/**
 * Which rows to draw for (default: every region, row i for region i) and from which regions
 * the random partners come (default: all). A mini-batch draws for its seeds from one pool of
 * regions drawn uniformly for the batch: each row's partners are still uniform over the city,
 * and the partners outside the batch are a few thousand regions, not most of the city.
 */
export interface DrawOptions {
  rows?: ArrayLike<number>;
  pool?: Int32Array | null;
}

/** Regions of the pool not in `kept`. */
function poolOutside(pool: Int32Array, kept: Set<number>): number {
  let count = 0;
  for (const j of pool) if (!kept.has(j)) count++;
  return count;
}

/** A uniform draw of a region: from `pool` when given, else from all n. */
function picker(n: number, pool: Int32Array | null, rng: Rng): () => number {
  return pool ? () => pool[rng.int(pool.length)] : () => rng.int(n);
}

/** `size` regions drawn uniformly without replacement (a mini-batch's pool). */
export function drawPool(n: number, size: number, rng: Rng): Int32Array {
  if (size >= n) return Int32Array.from({ length: n }, (_, i) => i);
  const chosen = new Set<number>();
  while (chosen.size < size) chosen.add(rng.int(n));
  return Int32Array.from(chosen);
}

/**
 * `c` partners per region drawn uniformly with replacement (every region, in order, when
 * c ≥ N: exact), with targets S_ij = unit_i . unit_j (cosine of the count vectors; `unit` holds
 * the rows scaled to length 1, zero rows left 0, as cosineSimilarityMatrix).
 */
export function similarityPairs(
  unit: Float32Array,
  dim: number,
  n: number,
  c: number,
  rng: Rng,
  draw: DrawOptions = {},
): PairSample {
  const cc = c >= n ? n : c;
  const rows = draw.rows ?? null;
  const count = rows ? rows.length : n;
  const pick = picker(n, draw.pool ?? null, rng);
  const cols = new Int32Array(count * cc);
  const targets = new Float32Array(count * cc);
  for (let row = 0; row < count; row++) {
    const i = rows ? rows[row] : row;
    for (let r = 0; r < cc; r++) {
      const j = cc === n ? r : pick();
      cols[row * cc + r] = j;
      let s = 0;
      for (let k = 0; k < dim; k++) s += unit[i * dim + k] * unit[j * dim + k];
      targets[row * cc + r] = s;
    }
  }
  return { n: count, c: cc, cols, weights: new Float32Array(count * cc).fill(1), targets };
}

/**
 * A mini-batch's draws (rows = its seeds, in order) with each partner renamed to a row of the
 * batch's partner table: seed j -> its place among the seeds, any other region ->
 * seeds.length + its place in `others` (regions whose states are read from the bank, not
 * computed in this batch).
 */
export function renamePartners(
  samples: PairSample[],
  seeds: Int32Array,
  n: number,
): { samples: PairSample[]; others: Int32Array } {
  const place = new Int32Array(n).fill(-1);
  seeds.forEach((region, r) => (place[region] = r));
  const others: number[] = [];
  const renamed = samples.map((sample) => {
    if (sample.n !== seeds.length)
      throw new Error(`renamePartners: ${sample.n} rows for ${seeds.length} seeds`);
    const cols = Int32Array.from(sample.cols, (j) => {
      if (place[j] < 0) {
        place[j] = seeds.length + others.length;
        others.push(j);
      }
      return place[j];
    });
    return { ...sample, cols };
  });
  return { samples: renamed, others: Int32Array.from(others) };
}

/**
 * The draws of the sampled losses of a sparse city: mobility candidates both ways (rows of M,
 * then of M^T), then POI and land-use similarity partners, for `draw`'s rows (default all).
 */
export function drawPairSamples(inputs: SparseSrelInputs, rng: Rng, draw: DrawOptions = {}): PairSample[] {
  const { positives, negatives, similarityPairs: partners } = inputs.sampling;
  const scale = inputs.mobilityScale;
  return [
    mobilityCandidates(inputs.mobilityTarget, scale, positives, negatives, rng, draw),
    mobilityCandidates(inputs.mobilityTargetByDestination, scale, positives, negatives, rng, draw),
    similarityPairs(inputs.poiUnit, inputs.poiCountDim, inputs.n, partners, rng, draw),
    similarityPairs(inputs.landUseUnit, inputs.landUseCountDim, inputs.n, partners, rng, draw),
  ];
}

/** A PairSample as tensors (per epoch; dispose when done). */
export interface PairTensors {
  n: number;
  c: number;
  cols: tf.Tensor2D; // [N c, 1] int32
  /** log of the weights (padding: -1e9).   [N, c] */
  logWeights: tf.Tensor2D;
  targets: tf.Tensor2D; // [N, c]
  /** Rows scored at a time (pairScores), so gathered rows are chunk x c x e, not N x c x e. */
  chunk: number;
}

export function pairTensors(sample: PairSample, chunk = ATTENTION_CHUNK): PairTensors {
  const { n, c } = sample;
  return {
    n,
    c,
    chunk,
    cols: tf.tensor2d(sample.cols, [n * c, 1], 'int32'),
    logWeights: tf.tensor2d(
      Float32Array.from(sample.weights, (w) => (w > 0 ? Math.log(w) : -1e9)),
      [n, c],
    ),
    targets: tf.tensor2d(sample.targets, [n, c]),
  };
}

export function disposePairTensors(p: PairTensors): void {
  tf.dispose([p.cols, p.logWeights, p.targets]);
}

/**
 * scores[i, r] = a_i . b_{cols[i, r]}, `pairs.chunk` rows at a time.   a, b [N, e] -> [N, c]
 * Hand-written gradient that regathers b's rows instead of keeping them on the tape:
 *   da_i = sum_r g_ir b_j,  db_j += g_ir a_i  (j = cols[i, r]).
 */
export function pairScores(a: tf.Tensor2D, b: tf.Tensor2D, pairs: PairTensors): tf.Tensor2D {
  const { n, c } = pairs;
  const e = a.shape[1];
  const chunks = chunkRanges(n, pairs.chunk);
  const colsOf = (start: number, count: number): tf.Tensor2D =>
    count === n ? pairs.cols : tf.slice(pairs.cols, [start * c, 0], [count * c, 1]);
  const rowsOf = (x: tf.Tensor, start: number, count: number): tf.Tensor =>
    count === n ? x : tf.slice(x, [start, 0], [count, x.shape[1] as number]);
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [ai, bi, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
    save([ai, bi]);
    const value = tf.tidy(() => {
      const parts = chunks.map(({ start, count }) =>
        tf.tidy(() => {
          const bg = tf.reshape(tf.gatherND(bi, colsOf(start, count)), [count, c, e]) as tf.Tensor3D;
          const ac = tf.reshape(rowsOf(ai, start, count), [count, 1, e]) as tf.Tensor3D;
          return tf.reshape(tf.matMul(ac, bg, false, true), [count, c]);
        }),
      );
      return (parts.length === 1 ? parts[0] : tf.concat(parts, 0)) as tf.Tensor2D;
    });
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sa, sb] = saved as tf.Tensor2D[];
        const daParts: tf.Tensor[] = [];
        let db: tf.Tensor = tf.zeros(sb.shape);
        for (const { start, count } of chunks) {
          const [dac, dbc] = tf.tidy(() => {
            const cols = colsOf(start, count);
            const g = rowsOf(dy, start, count);
            const bg = tf.reshape(tf.gatherND(sb, cols), [count, c, e]) as tf.Tensor3D;
            const da = tf.reshape(tf.matMul(tf.reshape(g, [count, 1, c]) as tf.Tensor3D, bg), [count, e]);
            // An outer product as a broadcast multiply: 7 times faster than a batched matmul on WASM.
            const rows = tf.mul(
              tf.reshape(g, [count, c, 1]),
              tf.reshape(rowsOf(sa, start, count), [count, 1, e]),
            );
            return [da, tf.scatterND(cols, tf.reshape(rows, [count * c, e]), sb.shape)];
          });
          daParts.push(dac);
          const sum = tf.add(db, dbc);
          db.dispose();
          dbc.dispose();
          db = sum;
        }
        return [daParts.length === 1 ? daParts[0] : tf.concat(daParts, 0), db];
      },
    };
  }) as unknown as (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D;
  return op(a, b);
}

/**
 * One direction of the mobility loss on candidates:
 *   -sum_i sum_r Mhat_ir log(exp(l_ir) / Z_i + 1e-4),  l_ir = a_i . b_j / sqrt(e),
 *   Z_i = sum_r w_ir exp(l_ir)  (the full softmax denominator when every region is a candidate).
 */
export function sampledMobilityTerm(a: tf.Tensor2D, b: tf.Tensor2D, pairs: PairTensors): tf.Scalar {
  const logits = tf.mul(pairScores(a, b, pairs), 1 / Math.sqrt(a.shape[1])) as tf.Tensor2D;
  const logZ = tf.logSumExp(tf.add(logits, pairs.logWeights), 1, true);
  const p = tf.exp(tf.sub(logits, logZ));
  return tf.neg(tf.sum(tf.mul(pairs.targets, tf.log(tf.add(p, 1e-4))))) as tf.Scalar;
}

/**
 * Mobility reconstruction on sampled candidates, the sparse twin of loss.ts's mobilityLoss:
 * outgoing over `out` (candidates from the rows of M), incoming over `in` (rows of M^T).
 */
export function sampledMobilityLoss(
  s: tf.Tensor2D,
  t: tf.Tensor2D,
  out: PairTensors,
  incoming: PairTensors,
): tf.Scalar {
  return tf.add(sampledMobilityTerm(s, t, out), sampledMobilityTerm(t, s, incoming)) as tf.Scalar;
}

/**
 * mean over the sampled pairs of (cos(p_i, p_j) - S_ij)^2 (norms clamped at 1e-8, as
 * pairwiseCosine); partner j is a row of `partners` (default p itself; a mini-batch passes
 * its seeds' rows, then the others', as restrictPairs names them).
 */
export function sampledSimilarityLoss(
  p: tf.Tensor2D,
  pairs: PairTensors,
  partners: tf.Tensor2D = p,
): tf.Scalar {
  const unitOf = (x: tf.Tensor2D): tf.Tensor2D =>
    tf.div(x, tf.maximum(tf.norm(x, 'euclidean', 1, true), 1e-8)) as tf.Tensor2D;
  const unit = unitOf(p);
  const partnerUnit = partners === p ? unit : unitOf(partners);
  return tf.mean(tf.squaredDifference(pairScores(unit, partnerUnit, pairs), pairs.targets)) as tf.Scalar;
}
