/**
 * Splits as a parameter: how a task's labelled regions are divided into folds for scoring.
 *
 * - `literature`: the city's own protocol (EvaluationProtocol.folds: the literature's folds on
 *   the benchmark cities, 10 shuffled folds elsewhere), exactly as before splits existed.
 * - `kfold:K:SEED`: K folds shuffled like scikit-learn's KFold(shuffle=True, random_state=SEED).
 * - `spatial:K:SEED`: K spatial blocks: k-means of the labelled regions' centroids (k-means++
 *   started from the seeded Rng, then Lloyd iterations), each cluster one test fold, so a block
 *   is never split across folds: the analyst who labels one district and predicts the rest.
 *
 * Folds are made over a task's evaluation rows (protocol.evaluationRows): fold indices are
 * positions in those rows, as kFold's are. Inner folds (choosing hyperparameters inside a
 * training fold, nested.ts INNER_FOLDS) stay random K-fold whatever the split.
 */
import { foldsForLabels, protocolOf, type EvaluationProtocol } from '../city/protocol';
import type { City } from '../city/types';
import { describeNotDecimal, parseDecimal } from '../io/number';
import { Rng } from '../random';
import { kFold, type Fold } from './folds';

export type SplitSpec =
  | { kind: 'literature' }
  | { kind: 'kfold'; k: number; seed: number }
  | { kind: 'spatial'; k: number; seed: number };

/** The default: the city's own protocol. */
export const LITERATURE_SPLIT: SplitSpec = { kind: 'literature' };

/** A split that cannot be read or made (the message says why and what to use instead). */
export class SplitError extends Error {}

const FORMS = 'literature, kfold:K:SEED or spatial:K:SEED';

/** A whole number in [min, max] written as a decimal, or a SplitError naming `what`. */
function wholeNumber(text: string, what: string, min: number, max: number, split: string): number {
  const v = parseDecimal(text);
  if (v === null) throw new SplitError(`split "${split}": ${what} ${describeNotDecimal(text)}`);
  if (!Number.isInteger(v) || v < min || v > max)
    throw new SplitError(
      `split "${split}": ${what} must be a whole number from ${min} to ${max}, got ${text.trim()}`,
    );
  return v;
}

/**
 * A split from its text: `literature`, `kfold:K:SEED` or `spatial:K:SEED`, K a whole number
 * of at least 2, SEED a whole number in [0, 2^32) (numpy's seeds). Refuses anything else with
 * a SplitError that says what is wrong.
 */
export function parseSplit(text: string): SplitSpec {
  const t = text.trim();
  const parts = t.split(':');
  const kind = parts[0];
  if (kind === 'literature') {
    if (parts.length > 1)
      throw new SplitError(`split "${t}": literature takes no numbers (the city's own folds)`);
    return LITERATURE_SPLIT;
  }
  if (kind !== 'kfold' && kind !== 'spatial')
    throw new SplitError(
      t === '' ? `the split is empty (use ${FORMS})` : `"${t}" is not a split (use ${FORMS})`,
    );
  if (parts.length !== 3)
    throw new SplitError(`split "${t}" needs a number of folds and a seed: ${kind}:K:SEED, e.g. ${kind}:5:1`);
  const k = wholeNumber(parts[1], 'the number of folds', 2, 100_000, t);
  const seed = wholeNumber(parts[2], 'the seed', 0, 0xffffffff, t);
  return { kind, k, seed };
}

/** The split's text, as parseSplit reads it: `literature`, `kfold:10:7`, `spatial:5:1`. */
export function formatSplit(split: SplitSpec): string {
  return split.kind === 'literature' ? 'literature' : `${split.kind}:${split.k}:${split.seed}`;
}

/**
 * The split for a report: "5 spatial blocks (k-means of centroids, seed 7)", "10 shuffled
 * folds (seed 7)", or for `literature` the protocol's name when given.
 */
export function describeSplit(split: SplitSpec, protocol?: EvaluationProtocol): string {
  switch (split.kind) {
    case 'literature':
      return protocol ? protocol.name : "the city's own folds (literature)";
    case 'kfold':
      return `${split.k} shuffled folds (seed ${split.seed})`;
    case 'spatial':
      return `${split.k} spatial blocks (k-means of centroids, seed ${split.seed})`;
  }
}

/** What a split needs of a city: its name (for refusals), regions' centroids and protocol. */
export type SplitCity = Pick<City, 'metadata' | 'regions' | 'protocol'>;

/**
 * The folds of a task's evaluation `rows` (region indices) under `split`; fold indices are
 * positions in `rows`. Fewer folds than asked when labels are scarce (as foldsForLabels).
 * `literature` gives kFold of the protocol's settings, exactly the folds scored before splits
 * existed. Throws SplitError for a spatial split of a city without centroids.
 */
export function splitFolds(split: SplitSpec, city: SplitCity, rows: number[]): Fold[] {
  const n = rows.length;
  switch (split.kind) {
    case 'literature':
      return kFold(n, foldsForLabels(protocolOf(city), n));
    case 'kfold':
      return kFold(n, { k: Math.min(split.k, n), shuffleSeed: split.seed });
    case 'spatial':
      return spatialFolds(city, rows, Math.min(split.k, n), split.seed);
  }
}

/** A task's folds as a function of its evaluation rows (what taskReport takes). */
export type TaskFolds = (rows: number[]) => Fold[];

export function taskFolds(split: SplitSpec, city: SplitCity): TaskFolds {
  return (rows) => splitFolds(split, city, rows);
}

/**
 * Planar coordinates of [lon, lat] centroids for distances: longitude scaled by the cosine of
 * the points' mean latitude (equirectangular), so a block is compact on the ground, not in degrees.
 */
export function planarCentroids(centroids: [number, number][]): Float64Array {
  const meanLat = centroids.reduce((s, c) => s + c[1], 0) / Math.max(1, centroids.length);
  const scale = Math.cos((meanLat * Math.PI) / 180);
  const out = new Float64Array(centroids.length * 2);
  centroids.forEach(([lon, lat], i) => {
    out[2 * i] = lon * scale;
    out[2 * i + 1] = lat;
  });
  return out;
}

function spatialFolds(city: SplitCity, rows: number[], k: number, seed: number): Fold[] {
  const name = city.metadata.name;
  const without = rows.filter((r) => city.regions[r].centroid === null);
  if (without.length > 0)
    throw new SplitError(
      `${name}: spatial blocks need the regions' centroids, and ${without.length} of the ${rows.length} labelled regions have none (no geometry); use kfold:K:SEED (shuffled folds) instead`,
    );
  const points = planarCentroids(rows.map((r) => city.regions[r].centroid as [number, number]));
  let assignment: Int32Array;
  try {
    ({ assignment } = kMeans(points, 2, k, seed));
  } catch (e) {
    if (e instanceof SplitError) throw new SplitError(`${name}: ${e.message}`);
    throw e;
  }
  return foldsOfClusters(assignment, k);
}

/**
 * One test fold per cluster (positions ascending), the folds ordered by their first position;
 * each fold trains on every other position.
 */
export function foldsOfClusters(assignment: Int32Array, k: number): Fold[] {
  const tests: number[][] = Array.from({ length: k }, () => []);
  assignment.forEach((c, i) => tests[c].push(i));
  const n = assignment.length;
  return tests
    .filter((t) => t.length > 0)
    .sort((a, b) => a[0] - b[0])
    .map((test) => {
      const inTest = new Set(test);
      return { train: Array.from({ length: n }, (_, i) => i).filter((i) => !inTest.has(i)), test };
    });
}

export interface KMeansResult {
  /** Cluster of each point, 0..k-1; every cluster has at least one point. */
  assignment: Int32Array;
  /** k x dim cluster means. */
  centres: Float64Array;
  /** Lloyd iterations run. */
  iterations: number;
  /** Whether the assignment stopped changing before the cap. */
  converged: boolean;
}

/** Lloyd iterations at most (a few dozen suffice for city centroids). */
export const KMEANS_MAX_ITERATIONS = 300;

const sqDist = (a: Float64Array, i: number, b: Float64Array, j: number, dim: number): number => {
  let s = 0;
  for (let t = 0; t < dim; t++) {
    const d = a[i * dim + t] - b[j * dim + t];
    s += d * d;
  }
  return s;
};

/**
 * k-means of n points (row-major n x dim): k-means++ seeding from Rng(seed) (the first centre
 * uniform, each next one drawn with probability proportional to the squared distance to the
 * nearest centre so far), then Lloyd iterations (nearest centre, ties to the lower cluster;
 * centres to their clusters' means) until the assignment stops changing or `maxIterations`.
 * A cluster left empty takes the point farthest from its own centre among clusters of two or
 * more, so every cluster keeps a point. Deterministic for a seed. Throws SplitError when the
 * points have fewer than k distinct positions.
 */
export function kMeans(
  points: Float64Array,
  dim: number,
  k: number,
  seed: number,
  maxIterations = KMEANS_MAX_ITERATIONS,
): KMeansResult {
  const n = points.length / dim;
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k-means needs k >= 1, got ${k}`);
  if (k > n) throw new SplitError(`cannot make ${k} clusters of ${n} points`);
  const rng = new Rng(seed);
  const centres = new Float64Array(k * dim);
  const nearest = new Float64Array(n).fill(Infinity);
  const setCentre = (c: number, i: number): void => {
    for (let t = 0; t < dim; t++) centres[c * dim + t] = points[i * dim + t];
  };
  for (let c = 0; c < k; c++) {
    if (c === 0) setCentre(0, rng.int(n));
    else {
      if (nearest.every((d) => d === 0))
        throw new SplitError(
          `the labelled regions have only ${c} distinct centroid${c === 1 ? '' : 's'}, too few for ${k} spatial blocks`,
        );
      setCentre(c, rng.choiceWeighted(nearest));
    }
    for (let i = 0; i < n; i++) nearest[i] = Math.min(nearest[i], sqDist(points, i, centres, c, dim));
  }

  const assignment = new Int32Array(n).fill(-1);
  const sizes = new Int32Array(k);
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    iterations++;
    let changed = false;
    sizes.fill(0);
    for (let i = 0; i < n; i++) {
      let best = 0;
      let bestD = Infinity;
      for (let c = 0; c < k; c++) {
        const d = sqDist(points, i, centres, c, dim);
        if (d < bestD) {
          bestD = d;
          best = c;
        }
      }
      if (assignment[i] !== best) changed = true;
      assignment[i] = best;
      sizes[best]++;
    }
    for (let c = 0; c < k; c++) {
      if (sizes[c] > 0) continue;
      let far = -1;
      let farD = -1;
      for (let i = 0; i < n; i++) {
        if (sizes[assignment[i]] < 2) continue;
        const d = sqDist(points, i, centres, assignment[i], dim);
        if (d > farD) {
          farD = d;
          far = i;
        }
      }
      sizes[assignment[far]]--;
      assignment[far] = c;
      sizes[c] = 1;
      changed = true;
    }
    if (!changed) {
      converged = true;
      break;
    }
    centres.fill(0);
    for (let i = 0; i < n; i++)
      for (let t = 0; t < dim; t++) centres[assignment[i] * dim + t] += points[i * dim + t];
    for (let c = 0; c < k; c++) for (let t = 0; t < dim; t++) centres[c * dim + t] /= sizes[c];
  }
  return { assignment, centres, iterations, converged };
}
