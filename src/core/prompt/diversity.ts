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
 * Singular values come from the eigenvalues of the smaller of the Gram matrix Xc Xc^T (n x n)
 * and the covariance Xc^T Xc (T x T), found with `symmetricEigen` (Householder reduction to
 * tridiagonal form, then the implicit QL method: O(m^3) for m = min(n, T), a few ms for
 * m = 180).
 */
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
// Symmetric eigen-decomposition

export interface SymmetricEigen {
  /** Eigenvalues in descending order. */
  values: Float64Array;
  /** Eigenvectors as rows: row k (length n) belongs to values[k]. */
  vectors: Float64Array;
}

/**
 * Householder reduction of a symmetric n x n matrix (row-major, overwritten with the
 * orthogonal transform Q) to tridiagonal form: diagonal d, sub-diagonal e (e[0] = 0).
 * EISPACK's tred2, as in JAMA.
 */
function householderTridiagonal(v: Float64Array, n: number, d: Float64Array, e: Float64Array): void {
  for (let j = 0; j < n; j++) d[j] = v[(n - 1) * n + j];
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]);
    if (scale === 0) {
      e[i] = d[i - 1];
      for (let j = 0; j < i; j++) {
        d[j] = v[(i - 1) * n + j];
        v[i * n + j] = 0;
        v[j * n + i] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] /= scale;
        h += d[k] * d[k];
      }
      let f = d[i - 1];
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j];
        v[j * n + i] = f;
        g = e[j] + v[j * n + j] * f;
        for (let k = j + 1; k <= i - 1; k++) {
          g += v[k * n + j] * d[k];
          e[k] += v[k * n + j] * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] /= h;
        f += e[j] * d[j];
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] -= hh * d[j];
      for (let j = 0; j < i; j++) {
        f = d[j];
        g = e[j];
        for (let k = j; k <= i - 1; k++) v[k * n + j] -= f * e[k] + g * d[k];
        d[j] = v[(i - 1) * n + j];
        v[i * n + j] = 0;
      }
    }
    d[i] = h;
  }
  // Accumulate the transformations.
  for (let i = 0; i < n - 1; i++) {
    v[(n - 1) * n + i] = v[i * n + i];
    v[i * n + i] = 1;
    const h = d[i + 1];
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = v[k * n + i + 1] / h;
      for (let j = 0; j <= i; j++) {
        let g = 0;
        for (let k = 0; k <= i; k++) g += v[k * n + i + 1] * v[k * n + j];
        for (let k = 0; k <= i; k++) v[k * n + j] -= g * d[k];
      }
    }
    for (let k = 0; k <= i; k++) v[k * n + i + 1] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = v[(n - 1) * n + j];
    v[(n - 1) * n + j] = 0;
  }
  v[(n - 1) * n + n - 1] = 1;
  e[0] = 0;
}

/**
 * Implicit QL iterations with Wilkinson-style shifts on the tridiagonal (d, e), applying the
 * rotations to the rows of `vt` (vt = Q^T, so row k ends as eigenvector k). EISPACK's tql2.
 */
function tridiagonalQl(d: Float64Array, e: Float64Array, vt: Float64Array, n: number): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n - 1 && Math.abs(e[m]) > eps * tst1) m++;
    if (m > l) {
      let iterations = 0;
      do {
        if (++iterations > 100) throw new Error('symmetricEigen: QL iteration did not converge');
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        p = d[m];
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1];
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = Math.hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          const rowI = i * n;
          const rowNext = (i + 1) * n;
          for (let k = 0; k < n; k++) {
            h = vt[rowNext + k];
            vt[rowNext + k] = s * vt[rowI + k] + c * h;
            vt[rowI + k] = c * vt[rowI + k] - s * h;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]) > eps * tst1);
    }
    d[l] += f;
    e[l] = 0;
  }
}

/** Eigenvalues (descending) and eigenvectors of a symmetric n x n row-major matrix. */
export function symmetricEigen(a: Float64Array, n: number): SymmetricEigen {
  if (a.length !== n * n) throw new Error(`symmetricEigen: ${a.length} values for a ${n} x ${n} matrix`);
  if (n === 0) return { values: new Float64Array(0), vectors: new Float64Array(0) };
  const v = Float64Array.from(a);
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  householderTridiagonal(v, n, d, e);
  const vt = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) vt[j * n + i] = v[i * n + j];
  tridiagonalQl(d, e, vt, n);
  const order = Array.from({ length: n }, (_, k) => k).sort((x, y) => d[y] - d[x]);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((k, rank) => {
    values[rank] = d[k];
    vectors.set(vt.subarray(k * n, (k + 1) * n), rank * n);
  });
  return { values, vectors };
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

/** X minus its column means (a new array). */
function centreColumns(x: Float64Array, n: number, t: number): Float64Array {
  const mean = new Float64Array(t);
  for (let i = 0; i < n; i++) for (let k = 0; k < t; k++) mean[k] += x[i * t + k];
  for (let k = 0; k < t; k++) mean[k] /= n;
  const xc = new Float64Array(n * t);
  for (let i = 0; i < n; i++) for (let k = 0; k < t; k++) xc[i * t + k] = x[i * t + k] - mean[k];
  return xc;
}

/**
 * Principal components of the centred matrix: the squared singular values (descending) and
 * the PC1 score of every row, via the n x n Gram matrix when n <= T, else the T x T covariance.
 */
export function principalComponents(
  xc: Float64Array,
  n: number,
  t: number,
): { sigma2: Float64Array; pc1: Float64Array } {
  if (n <= t) {
    const gram = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = i; j < n; j++) {
        let s = 0;
        for (let k = 0; k < t; k++) s += xc[i * t + k] * xc[j * t + k];
        gram[i * n + j] = s;
        gram[j * n + i] = s;
      }
    }
    const { values, vectors } = symmetricEigen(gram, n);
    // Xc = U S V^T: the Gram eigenvectors are U, so the PC1 scores are u_1 s_1.
    const s1 = Math.sqrt(Math.max(values[0], 0));
    const pc1 = new Float64Array(n);
    for (let i = 0; i < n; i++) pc1[i] = vectors[i] * s1;
    return { sigma2: values, pc1 };
  }
  const cov = new Float64Array(t * t);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < t; a++) {
      const xa = xc[i * t + a];
      if (xa === 0) continue;
      for (let b = a; b < t; b++) cov[a * t + b] += xa * xc[i * t + b];
    }
  }
  for (let a = 0; a < t; a++) for (let b = 0; b < a; b++) cov[a * t + b] = cov[b * t + a];
  const { values, vectors } = symmetricEigen(cov, t);
  // The covariance eigenvectors are V: the PC1 scores are Xc v_1.
  const pc1 = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < t; k++) s += xc[i * t + k] * vectors[k];
    pc1[i] = s;
  }
  return { sigma2: values, pc1 };
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
  const xc = centreColumns(x, n, t);
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
    const { sigma2, pc1 } = principalComponents(xc, n, t);
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
