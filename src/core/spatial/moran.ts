/**
 * Spatial autocorrelation of a value over regions, as GeoDa and PySAL's esda report it: global
 * Moran's I (Moran 1950; Cliff and Ord 1981) with a permutation pseudo p-value, and local
 * Moran's I_i (Anselin 1995, "Local indicators of spatial association: LISA") with
 * conditional permutation and the cluster map's four kinds.
 *
 *   z_i = x_i - mean(x),  m2 = sum_i z_i² / n
 *   I   = (n / S0) sum_i sum_j w_ij z_i z_j / sum_i z_i²,  S0 = sum_ij w_ij
 *   I_i = (z_i / m2) sum_j w_ij z_j
 *   E[I] = -1 / (n - 1) under no autocorrelation
 *
 * W is a row-standardised SpatialWeights (eval/spatialLag.ts: k nearest regions by centroid,
 * or trips for a city without geometry). Residuals exist on labelled regions only, so
 * `weightsOn` restricts W to a subset and scales each row to sum to 1 again; a region left with
 * no neighbour (an island) has lag 0 and is not counted in S0, as in GeoDa.
 *
 * Pseudo p-values (esda's p_sim): with `permutations` random relabellings, the count of
 * permuted statistics at least as extreme as the observed one, on the side it lies, plus one,
 * over permutations plus one (the smallest possible p with 999 permutations is 0.001).
 */
import type { City } from '../city/types';
import { weightsOfKind, type SpatialWeights, type WeightsKind } from '../eval/spatialLag';
import { Rng } from '../random';

/** Global Moran's I of a value and how it compares with chance. */
export interface GlobalMoran {
  /** Moran's I. */
  i: number;
  /** -1 / (n - 1): its expectation with no spatial autocorrelation. */
  expected: number;
  /** Pseudo p-value from `permutations` random relabellings (see the file's comment). */
  pValue: number;
  permutations: number;
  /** Regions used (those with a value). */
  n: number;
}

/** Kinds of the LISA cluster map (GeoDa's names and order). */
export type LisaKind =
  'high-high' | 'low-low' | 'low-high' | 'high-low' | 'not significant' | 'no neighbours';

export interface LocalMoran {
  /** I_i per region. */
  i: Float64Array;
  /** Conditional-permutation pseudo p-value per region (1 for islands). */
  pValue: Float64Array;
  /** The cluster map's kind per region at `significance`. */
  kind: LisaKind[];
  significance: number;
  permutations: number;
}

/** Permutations GeoDa and esda use by default. */
export const MORAN_PERMUTATIONS = 999;

/**
 * W restricted to `rows` (positions into the full weights): row k of the result is region
 * rows[k]'s neighbours among `rows`, as positions k', weights scaled to sum to 1 (empty when none
 * is left).
 */
export function weightsOn(w: SpatialWeights, rows: number[]): SpatialWeights {
  const at = new Map(rows.map((r, k) => [r, k]));
  const neighbours: Int32Array[] = [];
  const weights: Float64Array[] = [];
  for (const r of rows) {
    const nb: number[] = [];
    const wt: number[] = [];
    w.neighbours[r].forEach((j, k) => {
      const to = at.get(j);
      if (to !== undefined && w.weights[r][k] > 0) {
        nb.push(to);
        wt.push(w.weights[r][k]);
      }
    });
    const total = wt.reduce((a, b) => a + b, 0);
    neighbours.push(Int32Array.from(nb));
    weights.push(Float64Array.from(wt, (v) => v / total));
  }
  return { description: w.description, neighbours, weights };
}

/** Deviations from the mean: z_i = x_i - mean(x). */
function deviations(x: ArrayLike<number>): Float64Array {
  let mean = 0;
  for (let i = 0; i < x.length; i++) mean += x[i];
  mean /= x.length;
  return Float64Array.from(x, (v) => v - mean);
}

/** (W z)_i: the weighted mean of region i's neighbours' z (0 for an island). */
export function spatialLagOf(z: ArrayLike<number>, w: SpatialWeights): Float64Array {
  return Float64Array.from(w.neighbours, (nb, i) => {
    let v = 0;
    for (let k = 0; k < nb.length; k++) v += w.weights[i][k] * z[nb[k]];
    return v;
  });
}

/** S0 = sum_ij w_ij. */
function totalWeight(w: SpatialWeights): number {
  let s0 = 0;
  for (const row of w.weights) for (let k = 0; k < row.length; k++) s0 += row[k];
  return s0;
}

/**
 * I = (n / S0) zᵀ W z / zᵀ z for deviations z (NaN when z is all zero or W empty). Each region's
 * lag is summed as spatialLagOf sums it and used at once, not kept in an array: the permutation
 * test calls this 999 times (5,000 regions of 6 neighbours: 0.50 s a test with the array, 0.17 s
 * without; the same bits).
 */
function moranOfDeviations(z: Float64Array, w: SpatialWeights, s0: number): number {
  const { neighbours, weights } = w;
  let cross = 0;
  let sq = 0;
  for (let i = 0; i < z.length; i++) {
    const nb = neighbours[i];
    const wt = weights[i];
    let lag = 0;
    for (let k = 0; k < nb.length; k++) lag += wt[k] * z[nb[k]];
    cross += z[i] * lag;
    sq += z[i] * z[i];
  }
  return (z.length / s0) * (cross / sq);
}

/** Pseudo p-value: the observed statistic against its permuted values, on the side it lies. */
function pseudoP(observed: number, permuted: Float64Array): number {
  let larger = 0;
  for (const v of permuted) if (v >= observed) larger++;
  const side = Math.min(larger, permuted.length - larger);
  return (side + 1) / (permuted.length + 1);
}

/** Fisher–Yates shuffle of `a` in place. */
function shuffle(a: Float64Array, rng: Rng): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}

/**
 * Global Moran's I of x (one value per row of `w`) and its pseudo p-value. Throws when fewer
 * than 3 values or no region has a neighbour; a constant value has I = NaN and p = 1.
 */
export function globalMoran(
  x: ArrayLike<number>,
  w: SpatialWeights,
  { permutations = MORAN_PERMUTATIONS, seed = 0 }: { permutations?: number; seed?: number } = {},
): GlobalMoran {
  const n = x.length;
  if (w.neighbours.length !== n) throw new Error(`Moran's I: ${n} values for ${w.neighbours.length} regions`);
  if (n < 3) throw new Error(`Moran's I needs at least 3 regions, got ${n}`);
  const s0 = totalWeight(w);
  if (s0 === 0) throw new Error('Moran\u2019s I: no region has a neighbour among the regions with a value');
  const z = deviations(x);
  const expected = -1 / (n - 1);
  const i = moranOfDeviations(z, w, s0);
  if (!Number.isFinite(i)) return { i: Number.NaN, expected, pValue: 1, permutations, n };
  const rng = new Rng(seed);
  const permuted = new Float64Array(permutations);
  const shuffled = Float64Array.from(z);
  for (let p = 0; p < permutations; p++) {
    shuffle(shuffled, rng);
    permuted[p] = moranOfDeviations(shuffled, w, s0);
  }
  return { i, expected, pValue: pseudoP(i, permuted), permutations, n };
}

/**
 * Local Moran's I_i per region, each with a conditional-permutation pseudo p-value (region i's
 * value held, its neighbours drawn at random from the other regions), and the LISA kinds:
 * high-high (z_i > 0, lag > 0), low-low, low-high, high-low where p <= `significance`.
 */
export function localMoran(
  x: ArrayLike<number>,
  w: SpatialWeights,
  {
    permutations = MORAN_PERMUTATIONS,
    seed = 0,
    significance = 0.05,
  }: { permutations?: number; seed?: number; significance?: number } = {},
): LocalMoran {
  const n = x.length;
  if (w.neighbours.length !== n)
    throw new Error(`local Moran: ${n} values for ${w.neighbours.length} regions`);
  if (n < 3) throw new Error(`local Moran needs at least 3 regions, got ${n}`);
  const z = deviations(x);
  let m2 = 0;
  for (const v of z) m2 += v * v;
  m2 /= n;
  const lag = spatialLagOf(z, w);
  const local = Float64Array.from(z, (v, i) => (m2 > 0 ? (v / m2) * lag[i] : 0));
  const pValue = new Float64Array(n).fill(1);
  const kind: LisaKind[] = [];
  const rng = new Rng(seed);
  const permuted = new Float64Array(permutations);
  const pick = new Int32Array(n - 1);
  for (let i = 0; i < n; i++) {
    const nb = w.neighbours[i];
    const k = nb.length;
    if (k === 0) {
      kind.push('no neighbours');
      continue;
    }
    if (m2 > 0) {
      // The other regions, of which the first k of a partial shuffle are i's random neighbours.
      for (let j = 0, at = 0; j < n; j++) if (j !== i) pick[at++] = j;
      for (let p = 0; p < permutations; p++) {
        let v = 0;
        for (let s = 0; s < k; s++) {
          const r = s + rng.int(n - 1 - s);
          const t = pick[s];
          pick[s] = pick[r];
          pick[r] = t;
          v += w.weights[i][s] * z[pick[s]];
        }
        permuted[p] = (z[i] / m2) * v;
      }
      pValue[i] = pseudoP(local[i], permuted);
    }
    if (pValue[i] > significance) kind.push('not significant');
    else if (z[i] > 0) kind.push(lag[i] > 0 ? 'high-high' : 'high-low');
    else kind.push(lag[i] > 0 ? 'low-high' : 'low-low');
  }
  return { i: local, pValue, kind, significance, permutations };
}

/** What a pattern means, for residuals or for any layer's values. */
const PATTERN_WORDS = {
  residuals: {
    equal: 'The residuals are all equal: there is no spatial pattern to test.',
    none: 'No evidence that the residuals cluster in space',
    noneMeaning: 'neighbouring regions are not mispredicted alike more than chance would give',
    clustered: 'The residuals cluster in space',
    clusteredMeaning:
      'neighbouring regions are over- or under-predicted together, so the model misses something spatial',
    dispersed: 'The residuals are spatially dispersed',
    dispersedMeaning: 'neighbours tend to be mispredicted in opposite directions',
  },
  values: {
    equal: 'Every region has the same value: there is no spatial pattern to test.',
    none: 'No evidence that the values cluster in space',
    noneMeaning: 'high and low values are placed about as chance would place them',
    clustered: 'The values cluster in space',
    clusteredMeaning: 'neighbouring regions have similar values more often than chance would give',
    dispersed: 'The values are spatially dispersed',
    dispersedMeaning: 'neighbours tend to differ, like a checkerboard',
  },
};

/**
 * One sentence for an analyst on a Moran's I: what a clustered, a dispersed or a patternless
 * result means, for a model's residuals or for a layer's values.
 */
export function patternSentence(
  m: GlobalMoran,
  of: keyof typeof PATTERN_WORDS = 'residuals',
  significance = 0.05,
): string {
  const w = PATTERN_WORDS[of];
  const figures = `Moran's I ${m.i.toFixed(3)}, pseudo p = ${m.pValue.toFixed(3)} with ${m.permutations} permutations`;
  if (!Number.isFinite(m.i)) return w.equal;
  if (m.pValue > significance) return `${w.none} (${figures}): ${w.noneMeaning}.`;
  if (m.i > m.expected) return `${w.clustered} (${figures}): ${w.clusteredMeaning}.`;
  return `${w.dispersed} (${figures}): ${w.dispersedMeaning}.`;
}

/** patternSentence of a model's residuals. */
export const residualPatternSentence = (m: GlobalMoran, significance = 0.05): string =>
  patternSentence(m, 'residuals', significance);

/** Spatial autocorrelation of one value over the regions that have it (a layer, or a task's residuals). */
export interface SpatialPattern {
  /** Global Moran's I over the regions with a finite value. */
  moransI: number;
  /** Its pseudo p-value (globalMoran). */
  moransIPValue: number;
  /** -1 / (n - 1), what I would be with no spatial pattern. */
  expected: number;
  permutations: number;
  /** The spatial weights, in words (e.g. "6 nearest regions by centroid"). */
  spatialWeights: string;
  /** Regions with a value. */
  regions: number;
  /**
   * The LISA cluster map, per region of the city: an index into LISA_KINDS (localMoran at
   * 0.05, same permutations), -1 where the region has no value.
   */
  lisa: Int8Array;
}

/** A pattern's global figures as the GlobalMoran that patternSentence words. */
export const moranOf = (p: SpatialPattern): GlobalMoran => ({
  i: p.moransI,
  pValue: p.moransIPValue,
  expected: p.expected,
  permutations: p.permutations,
  n: p.regions,
});

/** Moran's I of a task's held-out residuals (predicted - label), as the run's report gives it. */
export type ResidualPattern = SpatialPattern;

/** The LISA kinds a residual pattern's `lisa` codes index, in GeoDa's order. */
export const LISA_KINDS: LisaKind[] = [
  'high-high',
  'low-low',
  'low-high',
  'high-low',
  'not significant',
  'no neighbours',
];

/**
 * Global and local Moran's I of `values` (one per region of W; NaN: no value) over the regions
 * with a finite value, W restricted to them (weightsOn). Null when fewer than 3 such regions or
 * none has a neighbour among them. Our choice: a fixed seed (0) for the permutations, so that
 * the same layer gives the same figures every time. At 2,000 regions and 6 neighbours the two
 * take about 12 million draws each.
 */
export function spatialPattern(
  values: ArrayLike<number>,
  w: SpatialWeights,
  permutations = MORAN_PERMUTATIONS,
): SpatialPattern | null {
  const rows: number[] = [];
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) rows.push(i);
  if (rows.length < 3) return null;
  const sub = weightsOn(w, rows);
  if (sub.neighbours.every((nb) => nb.length === 0)) return null;
  const x = rows.map((r) => values[r]);
  const m = globalMoran(x, sub, { permutations });
  const local = localMoran(x, sub, { permutations });
  const lisa = new Int8Array(values.length).fill(-1);
  rows.forEach((r, k) => (lisa[r] = LISA_KINDS.indexOf(local.kind[k])));
  return {
    moransI: m.i,
    moransIPValue: m.pValue,
    expected: m.expected,
    permutations: m.permutations,
    spatialWeights: w.description,
    regions: rows.length,
    lisa,
  };
}

/**
 * spatialPattern of the residuals predicted - label over the regions with `heldOut` set (each
 * a held-out prediction): the map's residual layer.
 */
export function residualPattern(
  labels: ArrayLike<number>,
  predicted: ArrayLike<number>,
  heldOut: ArrayLike<number>,
  w: SpatialWeights,
  permutations = MORAN_PERMUTATIONS,
): ResidualPattern | null {
  const residuals = Float64Array.from(predicted, (p, i) => (heldOut[i] ? p - labels[i] : NaN));
  return spatialPattern(residuals, w, permutations);
}

/**
 * The spatial pattern of one value of a city, with the city's spatial weights of `kind`
 * (eval/spatialLag.ts: the 6 nearest regions by default, or contiguity). Throws, saying why,
 * when the city cannot give such weights or too few regions with a value have a neighbour.
 */
export function layerPattern(
  city: City,
  values: ArrayLike<number>,
  {
    permutations = MORAN_PERMUTATIONS,
    weights = 'nearest',
  }: { permutations?: number; weights?: WeightsKind } = {},
): SpatialPattern {
  const w = weightsOfKind(city, weights);
  if (!w)
    throw new Error(
      weights === 'contiguity'
        ? 'this city has no region boundaries, so no contiguity to test with: use the nearest regions'
        : 'this city has neither region centroids nor trips, so no spatial weights to test with',
    );
  const pattern = spatialPattern(values, w, permutations);
  if (!pattern)
    throw new Error('too few regions with a value have a neighbour with a value: at least 3 are needed');
  return pattern;
}
