/**
 * How much semantic vectors differ between regions (method.md, "Known pitfalls": the published
 * Chicago LLM vectors are almost identical across regions and their main direction tracks the
 * length of the prompt). Measure this before trusting any gain from the vectors.
 *
 * - pairwise cosine similarity over all pairs i < j (rows of zeros left out);
 * - effective rank (Roy and Vetterli, 2007) of the column-centred matrix Xc: with singular
 *   values s_k and p_k = s_k / sum s, erank = exp(-sum p_k ln p_k). It runs from 1 (all the
 *   variation along one direction) to rank(Xc) (equal spread). Centring removes the mean
 *   vector, which a model with an intercept ignores anyway; so n orthogonal unit vectors give
 *   n - 1 (their differences span n - 1 directions), and identical vectors give 0 (no
 *   variation at all, reported as 0 rather than left undefined);
 * - the share of the variance along the first principal component, and when the texts are
 *   given, R² of the linear regression of the PC1 scores on the texts' lengths (code points).
 *
 * Singular values come from `principalComponents` (math/pca.ts): the eigenvalues of the
 * smaller of the Gram matrix Xc Xc^T (n x n) and the covariance Xc^T Xc (T x T), O(m^3) for
 * m = min(n, T), a few ms for m = 180.
 */
import { principalComponents } from '../math/pca';
import { centreColumns } from '../math/stats';
import type { SemanticVectors } from './encoder';

/** Mean pairwise cosine above this: the vectors barely tell regions apart. */
export const BARELY_VARYING_MEAN_COSINE = 0.98;
/** R² of PC1 on text length above this: the main direction tracks prompt length. */
export const LENGTH_TRACKING_R2 = 0.5;
/** Share of the variance on PC1 above this: the variation is essentially one-dimensional. */
export const ONE_DIRECTION_SHARE = 0.9;
/** Singular values below this fraction of the largest are numerical noise of the Gram route. */
const RELATIVE_SINGULAR_TOLERANCE = 1e-6;
/** Centred norm below this fraction of the uncentred norm: the vectors are all the same. */
const IDENTICAL_TOLERANCE = 1e-12;

export interface DiversityReport {
  n: number;
  dimension: number;
  /** Over the pairs i < j of non-zero rows (NaN when fewer than two). */
  meanCosine: number;
  minCosine: number;
  maxCosine: number;
  /** exp(entropy) of the normalised singular values of the column-centred matrix (0 if no variation). */
  effectiveRank: number;
  /** Share of the variance between regions along the first principal component (0 if none). */
  pc1Share: number;
  /** R² of PC1 scores regressed on text length; null without texts or without variation. */
  lengthR2: number | null;
  /** Rows that are all zeros (left out of the cosines). */
  zeroRows: number[];
  /** Plain-language warnings; empty when nothing looks wrong. */
  flags: string[];
}

// ---------------------------------------------------------------------------------------------
// The report, one step per function

/** The vectors as Float64, refusing NaN or infinite values (naming the row). */
function finiteRows(vectors: SemanticVectors): Float64Array {
  const { n, dimension: t, data } = vectors;
  if (data.length !== n * t)
    throw new Error(`diversityReport: ${data.length} values for ${n} x ${t} vectors`);
  const x = Float64Array.from(data);
  for (let i = 0; i < n * t; i++) {
    if (!Number.isFinite(x[i]))
      throw new Error(`diversityReport: row ${Math.floor(i / t)} holds ${x[i]} at column ${i % t}`);
  }
  return x;
}

/** Mean, min and max cosine similarity over pairs i < j of non-zero rows, and the zero rows. */
export function pairwiseCosineStats(
  x: Float64Array,
  n: number,
  t: number,
): { mean: number; min: number; max: number; zeroRows: number[] } {
  const norms = new Float64Array(n);
  const zeroRows: number[] = [];
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < t; k++) s += x[i * t + k] * x[i * t + k];
    norms[i] = Math.sqrt(s);
    if (s === 0) zeroRows.push(i);
  }
  let sum = 0;
  let count = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    if (norms[i] === 0) continue;
    for (let j = i + 1; j < n; j++) {
      if (norms[j] === 0) continue;
      let dot = 0;
      for (let k = 0; k < t; k++) dot += x[i * t + k] * x[j * t + k];
      const c = Math.min(1, Math.max(-1, dot / (norms[i] * norms[j])));
      sum += c;
      count++;
      if (c < min) min = c;
      if (c > max) max = c;
    }
  }
  return count > 0 ? { mean: sum / count, min, max, zeroRows } : { mean: NaN, min: NaN, max: NaN, zeroRows };
}

/** exp(entropy) of the normalised singular values s_k = sqrt(sigma2_k), noise-level ones dropped. */
export function effectiveRankOf(sigma2: Float64Array): number {
  const top = Math.sqrt(Math.max(sigma2[0] ?? 0, 0));
  if (!(top > 0)) return 0;
  const s = Array.from(sigma2, (v) => Math.sqrt(Math.max(v, 0))).filter(
    (v) => v > top * RELATIVE_SINGULAR_TOLERANCE,
  );
  const total = s.reduce((a, b) => a + b, 0);
  let entropy = 0;
  for (const v of s) {
    const p = v / total;
    entropy -= p * Math.log(p);
  }
  return Math.exp(entropy);
}

/** R² of the least-squares line y = a + b x (the squared Pearson correlation); null if x or y is constant. */
export function lineR2(x: ArrayLike<number>, y: ArrayLike<number>): number | null {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
    sxy += (x[i] - mx) * (y[i] - my);
  }
  if (!(sxx > 0) || !(syy > 0)) return null;
  return Math.min(1, (sxy * sxy) / (sxx * syy));
}

/** A cosine for a sentence: 4 decimals, more when 4 would round a value below 1 up to 1. */
function formatCosine(c: number): string {
  const four = c.toFixed(4);
  return four === '1.0000' && c < 1 ? c.toFixed(7) : four;
}

/** The plain-language warnings for a report. */
export function diversityFlags(report: Omit<DiversityReport, 'flags'>, identical: boolean): string[] {
  const flags: string[] = [];
  if (report.zeroRows.length > 0)
    flags.push(
      `${report.zeroRows.length} of ${report.n} vectors are all zeros (rows ${report.zeroRows.slice(0, 10).join(', ')}${report.zeroRows.length > 10 ? ', ...' : ''}): those regions have no semantic information`,
    );
  if (identical) flags.push('all vectors are identical: they cannot tell regions apart');
  if (report.meanCosine > BARELY_VARYING_MEAN_COSINE)
    flags.push(
      `vectors barely differ between regions: mean pairwise cosine ${formatCosine(report.meanCosine)} (above ${BARELY_VARYING_MEAN_COSINE})`,
    );
  if (!identical && report.pc1Share > ONE_DIRECTION_SHARE)
    flags.push(
      `one direction carries ${(100 * report.pc1Share).toFixed(1)}% of the variation between regions (above ${100 * ONE_DIRECTION_SHARE}%)`,
    );
  if (report.lengthR2 !== null && report.lengthR2 > LENGTH_TRACKING_R2)
    flags.push(
      `the main direction tracks text length (R² ${report.lengthR2.toFixed(2)}, above ${LENGTH_TRACKING_R2})`,
    );
  return flags;
}

/**
 * How much the vectors differ between regions (see the file comment). `texts`, when given,
 * must be the n texts the vectors encode; their lengths are counted in code points.
 */
export function diversityReport(vectors: SemanticVectors, texts?: string[]): DiversityReport {
  const { n, dimension: t } = vectors;
  if (n < 2) throw new Error(`diversityReport: needs at least 2 vectors, got ${n}`);
  if (texts && texts.length !== n) throw new Error(`diversityReport: ${texts.length} texts for ${n} vectors`);
  const x = finiteRows(vectors);
  const cosine = pairwiseCosineStats(x, n, t);
  const xc = centreColumns(x, n, t).centred;
  let total2 = 0;
  let centred2 = 0;
  for (let i = 0; i < n * t; i++) {
    total2 += x[i] * x[i];
    centred2 += xc[i] * xc[i];
  }
  const identical = !(Math.sqrt(centred2) > IDENTICAL_TOLERANCE * Math.sqrt(total2));
  let effectiveRank = 0;
  let pc1Share = 0;
  let lengthR2: number | null = null;
  if (!identical) {
    // Only PC1's scores are needed; sigma2 holds every squared singular value.
    const { values: sigma2, scores: pc1 } = principalComponents(xc, n, t, { maxComponents: 1 });
    effectiveRank = effectiveRankOf(sigma2);
    let variance = 0;
    for (const v of sigma2) variance += Math.max(v, 0);
    pc1Share = variance > 0 ? Math.max(sigma2[0], 0) / variance : 0;
    if (texts)
      lengthR2 = lineR2(
        pc1,
        texts.map((s) => Array.from(s).length),
      );
  }
  const base = {
    n,
    dimension: t,
    meanCosine: cosine.mean,
    minCosine: cosine.min,
    maxCosine: cosine.max,
    effectiveRank,
    pc1Share,
    lengthR2,
    zeroRows: cosine.zeroRows,
  };
  return { ...base, flags: diversityFlags(base, identical) };
}
