/**
 * Ridge regression with intercept, closed form, as scikit-learn's Ridge(alpha) with
 * fit_intercept=True: centre X and y, solve (Xc^T Xc + alpha I) w = Xc^T yc by Cholesky
 * (or the dual (Xc Xc^T + alpha I) a = yc, w = Xc^T a when there are more features than
 * samples), intercept = mean(y) - mean(X) w.
 */
import { columnGram, rowGram } from '../math/gram';
import { choleskyInPlace, choleskySolve } from '../math/linalg';
import { centreColumns } from '../math/stats';

export interface RidgeModel {
  weights: Float64Array; // d
  intercept: number;
}

/**
 * Everything of a ridge fit that does not depend on alpha: the centred data and the Gram
 * matrix of the primal (Xc^T Xc, d x d) or dual (Xc Xc^T, n x n) problem with its right-hand
 * side. Fits that differ only in alpha share one system (`solveRidge`), which saves the
 * O(n d^2) product that dominates a fit.
 */
export interface RidgeSystem {
  n: number;
  d: number;
  /** True when d > n: the n x n dual problem is solved. */
  dual: boolean;
  gram: Float64Array;
  /** Xc^T yc (primal) or yc (dual). */
  rhs: Float64Array;
  xc: Float64Array; // n x d
  xMean: Float64Array;
  yMean: number;
}

/** X: n x d row-major, y: n. */
export function ridgeSystem(x: Float64Array, n: number, d: number, y: Float64Array): RidgeSystem {
  if (x.length !== n * d || y.length !== n)
    throw new Error(`ridge: X is ${x.length} values for ${n} x ${d}, y has ${y.length}`);
  const { centred: xc, mean: xMean } = centreColumns(x, n, d);
  let yMean = 0;
  for (let i = 0; i < n; i++) yMean += y[i];
  yMean /= n;
  const yc = y.map((v) => v - yMean);

  if (d <= n) {
    const b = new Float64Array(d); // Xc^T yc
    for (let i = 0; i < n; i++) {
      const row = i * d;
      for (let p = 0; p < d; p++) {
        const v = xc[row + p];
        if (v !== 0) b[p] += v * yc[i];
      }
    }
    return { n, d, dual: false, gram: columnGram(xc, d), rhs: b, xc, xMean, yMean };
  }
  return { n, d, dual: true, gram: rowGram(xc, n, d), rhs: yc, xc, xMean, yMean };
}

/**
 * The dual ridge system of `rows` of the N x d matrix x from its whole kernel K = X Xᵀ
 * (N x N, `rowGram` of x): the centred rows' Gram matrix is K's block double-centred,
 *
 *   (Xc Xcᵀ)_ij = K_ij - r_i - r_j + m,   r_i = mean_j K_ij,  m = mean_i r_i  (i, j in rows),
 *
 * O(n²) instead of O(n² d) per split: the folds of a wide matrix (more columns than training
 * rows: raw trips of a small city, the SLX block) share one O(N² d) product.
 */
export function dualSystemFromKernel(
  x: Float64Array,
  d: number,
  rows: number[],
  kernel: Float64Array,
  y: Float64Array,
): RidgeSystem {
  const n = rows.length;
  const total = x.length / d;
  const { centred: xc, mean: xMean } = centreColumns(takeRows(x, d, rows), n, d);
  let yMean = 0;
  for (let i = 0; i < n; i++) yMean += y[i];
  yMean /= n;
  const rowMean = new Float64Array(n);
  let m = 0;
  for (let i = 0; i < n; i++) {
    const at = rows[i] * total;
    let s = 0;
    for (let j = 0; j < n; j++) s += kernel[at + rows[j]];
    rowMean[i] = s / n;
    m += rowMean[i] / n;
  }
  const gram = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const at = rows[i] * total;
    for (let j = 0; j < n; j++) gram[i * n + j] = kernel[at + rows[j]] - rowMean[i] - rowMean[j] + m;
  }
  return { n, d, dual: true, gram, rhs: y.map((v) => v - yMean), xc, xMean, yMean };
}

/**
 * Sums over a set of rows of X: count, sum x (d) and sum x x^T (d x d). They add over disjoint
 * row sets, so the Gram matrices of all training splits of a K-fold loop follow from the sums
 * over its K test parts (total minus one part) instead of one O(n d^2) product per split.
 */
export interface RowSums {
  count: number;
  d: number;
  sx: Float64Array; // d
  sxx: Float64Array; // d x d, symmetric
}

/** RowSums of `rows` of the n x d matrix x. */
export function rowSums(x: Float64Array, d: number, rows: number[]): RowSums {
  const sx = new Float64Array(d);
  for (const r of rows) for (let p = 0; p < d; p++) sx[p] += x[r * d + p];
  return { count: rows.length, d, sx, sxx: columnGram(x, d, rows) };
}

/** a + sign b, elementwise (sign -1: the rows of b removed from a). */
export function combineSums(a: RowSums, b: RowSums, sign: 1 | -1): RowSums {
  const sx = new Float64Array(a.sx.length);
  for (let i = 0; i < sx.length; i++) sx[i] = a.sx[i] + sign * b.sx[i];
  const sxx = new Float64Array(a.sxx.length);
  for (let i = 0; i < sxx.length; i++) sxx[i] = a.sxx[i] + sign * b.sxx[i];
  return { count: a.count + sign * b.count, d: a.d, sx, sxx };
}

/** The sums of the matrix whose column p is x's column p times c[p]. */
export function scaleSums(s: RowSums, c: Float64Array): RowSums {
  const { d } = s;
  const sx = new Float64Array(d);
  for (let p = 0; p < d; p++) sx[p] = s.sx[p] * c[p];
  const sxx = new Float64Array(d * d);
  for (let p = 0; p < d; p++) for (let q = 0; q < d; q++) sxx[p * d + q] = s.sxx[p * d + q] * c[p] * c[q];
  return { count: s.count, d, sx, sxx };
}

/**
 * The sums over `rows` of [left c | right] (left n x e, right n x r) given `a`, left's sums
 * over the same rows: the left block is a's scaled by c^2, the right block and the products
 * of the two are summed row by row (as columnGram would, left's entries times c first).
 */
export function joinedSums(
  a: RowSums,
  c: number,
  left: Float64Array,
  right: Float64Array,
  r: number,
  rows: readonly number[],
): RowSums {
  const e = a.d;
  const d = e + r;
  const sx = new Float64Array(d);
  const sxx = new Float64Array(d * d);
  for (let p = 0; p < e; p++) {
    sx[p] = a.sx[p] * c;
    for (let q = 0; q < e; q++) sxx[p * d + q] = a.sxx[p * e + q] * c * c;
  }
  // Four rows per load and store of each entry of the products with left, each entry still
  // adding the rows in order (the same bits as one row at a time).
  let i = 0;
  for (; i + 4 <= rows.length; i += 4) {
    const l0 = rows[i] * e;
    const l1 = rows[i + 1] * e;
    const l2 = rows[i + 2] * e;
    const l3 = rows[i + 3] * e;
    const q0 = rows[i] * r;
    const q1 = rows[i + 1] * r;
    const q2 = rows[i + 2] * r;
    const q3 = rows[i + 3] * r;
    for (let p = 0; p < e; p++) {
      const v0 = left[l0 + p] * c;
      const v1 = left[l1 + p] * c;
      const v2 = left[l2 + p] * c;
      const v3 = left[l3 + p] * c;
      const at = p * d + e;
      for (let k = 0; k < r; k++)
        sxx[at + k] =
          sxx[at + k] + v0 * right[q0 + k] + v1 * right[q1 + k] + v2 * right[q2 + k] + v3 * right[q3 + k];
    }
  }
  for (; i < rows.length; i++) {
    const lr = rows[i] * e;
    const rr = rows[i] * r;
    for (let p = 0; p < e; p++) {
      const v = left[lr + p] * c;
      if (v === 0) continue;
      const at = p * d + e;
      for (let k = 0; k < r; k++) sxx[at + k] += v * right[rr + k];
    }
  }
  for (const row of rows) {
    const rr = row * r;
    for (let k = 0; k < r; k++) sx[e + k] += right[rr + k];
    for (let k = 0; k < r; k++) {
      const v = right[rr + k];
      if (v === 0) continue;
      const at = (e + k) * d + e;
      for (let l = k; l < r; l++) sxx[at + l] += v * right[rr + l];
    }
  }
  for (let p = 0; p < d; p++) for (let q = Math.max(p + 1, e); q < d; q++) sxx[q * d + p] = sxx[p * d + q];
  return { count: rows.length, d, sx, sxx };
}

/**
 * Sums over a set of rows of x y (d) and of y, for one target y: with RowSums they give the
 * right-hand side of a primal ridge system. They add over disjoint row sets as RowSums do, so
 * a K-fold loop sums each row once (its test part) instead of once per training split.
 */
export interface TargetSums {
  count: number;
  sxy: Float64Array; // d
  sy: number;
}

/**
 * TargetSums of `rows` of the n x d matrix x for the targets values[row]: four rows per load
 * and store of each entry, each entry adding its rows in order.
 */
export function targetSums(
  x: Float64Array,
  d: number,
  rows: readonly number[],
  values: Float64Array,
): TargetSums {
  const sxy = new Float64Array(d);
  let sy = 0;
  let k = 0;
  for (; k + 4 <= rows.length; k += 4) {
    const r0 = rows[k] * d;
    const r1 = rows[k + 1] * d;
    const r2 = rows[k + 2] * d;
    const r3 = rows[k + 3] * d;
    const y0 = values[rows[k]];
    const y1 = values[rows[k + 1]];
    const y2 = values[rows[k + 2]];
    const y3 = values[rows[k + 3]];
    sy = sy + y0 + y1 + y2 + y3;
    for (let p = 0; p < d; p++)
      sxy[p] = sxy[p] + x[r0 + p] * y0 + x[r1 + p] * y1 + x[r2 + p] * y2 + x[r3 + p] * y3;
  }
  for (; k < rows.length; k++) {
    const y = values[rows[k]];
    sy += y;
    for (let p = 0; p < d; p++) sxy[p] += x[rows[k] * d + p] * y;
  }
  return { count: rows.length, sxy, sy };
}

/** a + sign b, elementwise (sign -1: the rows of b removed from a). */
export function combineTargetSums(a: TargetSums, b: TargetSums, sign: 1 | -1): TargetSums {
  return {
    count: a.count + sign * b.count,
    sxy: a.sxy.map((v, p) => v + sign * b.sxy[p]),
    sy: a.sy + sign * b.sy,
  };
}

/** The target sums of the matrix whose column p is x's column p times c[p]. */
export function scaleTargetSums(s: TargetSums, c: Float64Array): TargetSums {
  return { count: s.count, sxy: s.sxy.map((v, p) => v * c[p]), sy: s.sy };
}

/** The target sums of [left c | right] over the same rows, from left's and right's. */
export function joinedTargetSums(left: TargetSums, c: number, right: TargetSums): TargetSums {
  const e = left.sxy.length;
  const sxy = new Float64Array(e + right.sxy.length);
  for (let p = 0; p < e; p++) sxy[p] = left.sxy[p] * c;
  sxy.set(right.sxy, e);
  return { count: left.count, sxy, sy: left.sy };
}

/**
 * The primal ridge system of a set of rows from their sums: Xc^T Xc = sum x x^T - n mean
 * mean^T and Xc^T yc = sum x y - sum x mean(y). The same system as `ridgeSystem` (up to
 * rounding) without the O(n d^2) product or a pass over the rows; needs d <= n. It keeps no
 * centred data (`xc` is empty): the primal solve does not use it.
 */
export function ridgeSystemFromSums(sums: RowSums, target: TargetSums): RidgeSystem {
  const { count: n, d } = sums;
  if (target.count !== n || target.sxy.length !== d)
    throw new Error(
      `ridge: ${n} summed rows of ${d} columns, targets of ${target.count} rows and ${target.sxy.length}`,
    );
  if (d > n) throw new Error(`ridgeSystemFromSums: ${d} features for ${n} rows needs the dual problem`);
  const xMean = sums.sx.map((v) => v / n);
  const yMean = target.sy / n;
  const gram = new Float64Array(d * d);
  for (let p = 0; p < d; p++)
    for (let q = 0; q < d; q++) gram[p * d + q] = sums.sxx[p * d + q] - n * xMean[p] * xMean[q];
  const rhs = target.sxy.map((v, p) => v - sums.sx[p] * yMean);
  return { n, d, dual: false, gram, rhs, xc: new Float64Array(0), xMean, yMean };
}

/**
 * The Cholesky factor of G + alpha I (d x d primal, n x n dual). With `leading`, the factor of
 * the same matrix's leading block at the same alpha (see `cholesky`): the same bits, and only
 * the rest of the factor to compute. With `into` (as long as G), the factor is written there
 * instead of a new array: a caller that uses each factor once and then drops it (the inner
 * folds: thousands per report) reuses one array rather than leaving each to the collector.
 */
export function ridgeFactor(
  system: RidgeSystem,
  alpha: number,
  leading?: { l: Float64Array; m: number },
  into?: Float64Array,
): Float64Array {
  if (!(alpha > 0)) throw new Error(`ridge: alpha must be > 0, got ${alpha}`);
  const size = system.dual ? system.n : system.d;
  // G written over `into`, or a copy (Float64Array.from would walk an iterator).
  const a = into ?? system.gram.slice();
  if (into) into.set(system.gram);
  for (let p = 0; p < size; p++) a[p * size + p] += alpha;
  return choleskyInPlace(a, size, leading);
}

/** Solve (G + alpha I) for one alpha: the ridge weights and intercept (`factor`: its ridgeFactor). */
export function solveRidge(
  system: RidgeSystem,
  alpha: number,
  factor: Float64Array = ridgeFactor(system, alpha),
): RidgeModel {
  if (!(alpha > 0)) throw new Error(`ridge: alpha must be > 0, got ${alpha}`);
  const { n, d, dual, rhs, xc, xMean, yMean } = system;
  let weights: Float64Array;
  if (!dual) {
    weights = choleskySolve(factor, d, rhs, 1);
  } else {
    const coef = choleskySolve(factor, n, rhs, 1);
    weights = new Float64Array(d);
    for (let i = 0; i < n; i++) for (let p = 0; p < d; p++) weights[p] += xc[i * d + p] * coef[i];
  }
  let intercept = yMean;
  for (let j = 0; j < d; j++) intercept -= xMean[j] * weights[j];
  return { weights, intercept };
}

/** X: n x d row-major, y: n. */
export function fitRidge(x: Float64Array, n: number, d: number, y: Float64Array, alpha = 1): RidgeModel {
  if (!(alpha > 0)) throw new Error(`ridge: alpha must be > 0, got ${alpha}`);
  return solveRidge(ridgeSystem(x, n, d, y), alpha);
}

/** Predictions for the rows of X (m x d). */
export function predictRidge(model: RidgeModel, x: Float64Array, m: number): Float64Array {
  const d = model.weights.length;
  const out = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let s = model.intercept;
    for (let j = 0; j < d; j++) s += x[i * d + j] * model.weights[j];
    out[i] = s;
  }
  return out;
}

/**
 * Predictions for rows `rows` of the n x d matrix x: predictRidge on takeRows(x, d, rows),
 * without the copy, four rows at a time (four independent sums, each in the same order: the
 * same bits as one row at a time, at a third of the time of one chain of additions).
 */
export function predictRidgeRows(model: RidgeModel, x: Float64Array, rows: readonly number[]): Float64Array {
  return predictRidgeRowsMany([model], x, rows)[0];
}

/**
 * Predictions of several models for rows `rows` of the n x d matrix x (one array per model),
 * each summed from the intercept in column order, four rows at a time; each row is read from
 * memory once for all the models rather than once per model (a fold's rows of a 10,000-region
 * matrix do not fit in cache).
 */
export function predictRidgeRowsMany(
  models: readonly RidgeModel[],
  x: Float64Array,
  rows: readonly number[],
): Float64Array[] {
  const out = models.map(() => new Float64Array(rows.length));
  if (models.length === 0) return out;
  const d = models[0].weights.length;
  let i = 0;
  for (; i + 4 <= rows.length; i += 4) {
    const r0 = rows[i] * d;
    const r1 = rows[i + 1] * d;
    const r2 = rows[i + 2] * d;
    const r3 = rows[i + 3] * d;
    for (let m = 0; m < models.length; m++) {
      const w = models[m].weights;
      const b = models[m].intercept;
      let s0 = b;
      let s1 = b;
      let s2 = b;
      let s3 = b;
      for (let j = 0; j < d; j++) {
        const v = w[j];
        s0 += x[r0 + j] * v;
        s1 += x[r1 + j] * v;
        s2 += x[r2 + j] * v;
        s3 += x[r3 + j] * v;
      }
      const o = out[m];
      o[i] = s0;
      o[i + 1] = s1;
      o[i + 2] = s2;
      o[i + 3] = s3;
    }
  }
  for (; i < rows.length; i++) {
    const row = rows[i] * d;
    for (let m = 0; m < models.length; m++) {
      const w = models[m].weights;
      let s = models[m].intercept;
      for (let j = 0; j < d; j++) s += x[row + j] * w[j];
      out[m][i] = s;
    }
  }
  return out;
}

/** Rows `rows` of an n x d matrix. */
export function takeRows(x: Float64Array, d: number, rows: number[]): Float64Array {
  const out = new Float64Array(rows.length * d);
  rows.forEach((r, i) => out.set(x.subarray(r * d, (r + 1) * d), i * d));
  return out;
}
