/**
 * A ridge-regularised task head, the simplest of issue 4's ideas for making semantic vectors
 * help honestly:
 *   y = [E / sE | lambda S / sS] w + b,   ridge strength alpha
 * where sE and sS scale each block to a mean squared (centred) row norm of 1, lambda says how
 * much the semantic vectors S may contribute next to the region embedding E, and both lambda
 * and alpha are chosen on inner folds of each training fold (`nestedCrossValidate`): test
 * labels never touch a choice. lambda = 0 is plain SREL + ridge, so the selection can always
 * fall back to ignoring the vectors.
 *
 * S enters through its principal-component scores F = U sqrt(Lambda) (n x r, r <= n - 1, from
 * the eigen-decomposition of the Gram matrix of the column-centred S). All rows of the centred
 * S lie in the span of its right singular vectors V, and F = Sc V, so ridge on F (an orthonormal
 * change of basis within that span) predicts exactly what ridge on S would, at a cost that no
 * longer grows with the vector width T (4,096 for the LLaMA vectors).
 */
import type { EnsembleMember } from '../eval/crossValidate';
import type { Candidate } from '../eval/nested';
import { principalComponents } from '../math/pca';

/** Eigenvalues below this fraction of the largest are treated as zero. */
const RELATIVE_EIGEN_TOLERANCE = 1e-10;

/**
 * Principal-component scores of the column-centred n x t matrix: n x r, the same Gram matrix
 * (F F^T = Sc Sc^T), through the cheaper of the n x n and t x t routes (`principalComponents`).
 */
export function principalScores(
  s: ArrayLike<number>,
  n: number,
  t: number,
): { scores: Float64Array; r: number } {
  if (s.length !== n * t) throw new Error(`principalScores: ${s.length} values for ${n} x ${t}`);
  // Each term divided by n, not the sum: the rounding these scores (and the figures built on
  // them) have always had.
  const mean = new Float64Array(t);
  for (let i = 0; i < n; i++) for (let k = 0; k < t; k++) mean[k] += s[i * t + k] / n;
  const centred = new Float64Array(n * t); // Sc   [n, t]
  for (let i = 0; i < n; i++) for (let k = 0; k < t; k++) centred[i * t + k] = s[i * t + k] - mean[k];
  const { scores, r } = principalComponents(centred, n, t, { relativeTolerance: RELATIVE_EIGEN_TOLERANCE });
  return { scores, r };
}

/** 1 / sqrt(mean over rows of the squared norm of the centred row); 1 for a constant block. */
export function blockScale(x: ArrayLike<number>, n: number, d: number): number {
  let total = 0;
  for (let k = 0; k < d; k++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += x[i * d + k] / n;
    for (let i = 0; i < n; i++) total += (x[i * d + k] - mean) ** 2;
  }
  return total > 0 ? 1 / Math.sqrt(total / n) : 1;
}

export interface SemanticRidgeGrid {
  /** Weights lambda of the semantic block; include 0 to let selection ignore the vectors. */
  weights: number[];
  alphas: number[];
}

export const DEFAULT_SEMANTIC_RIDGE_GRID: SemanticRidgeGrid = {
  weights: [0, 0.25, 0.5, 1],
  alphas: [0.01, 0.1, 1, 10],
};

/** [E / sE | weight F / sF], N x (e (+ r)); without the semantic block when weight is 0. */
function semanticFeatures(
  embedding: ArrayLike<number>,
  e: number,
  eScale: number,
  scores: Float64Array,
  r: number,
  sScale: number,
  weight: number,
  n: number,
): { features: Float64Array; d: number } {
  const width = weight === 0 ? e : e + r;
  const features = new Float64Array(n * width); // [N, e (+ r)]
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < e; k++) features[i * width + k] = embedding[i * e + k] * eScale;
    if (weight !== 0)
      for (let k = 0; k < r; k++) features[i * width + e + k] = scores[i * r + k] * sScale * weight;
  }
  return { features, d: width };
}

/**
 * One ridge candidate per (lambda, alpha) on [E / sE | lambda F / sF], for `nestedCrossValidate`.
 * With `snapshots` (embeddings at several epochs of one run, each N x e) every candidate is
 * their snapshot ensemble: the mean of ridge on each [E_k / sE_k | lambda F / sF].
 */
export function semanticRidgeCandidates(
  embedding: ArrayLike<number>,
  e: number,
  semantic: ArrayLike<number>,
  t: number,
  n: number,
  grid: SemanticRidgeGrid = DEFAULT_SEMANTIC_RIDGE_GRID,
  snapshots?: ArrayLike<number>[],
): Candidate[] {
  const { scores, r } = principalScores(semantic, n, t);
  const sScale = blockScale(scores, n, r);
  const candidates: Candidate[] = [];
  // Weights other than 0 and 1 scale the semantic columns of the weight-1 matrix: ridge then
  // derives their Gram sums from its (EnsembleMember.scaledFrom) instead of recomputing them.
  const columnScale = (weight: number): Float64Array =>
    Float64Array.from({ length: e + r }, (_, k) => (k < e ? 1 : weight));
  // F / sF (N x r), exactly the semantic columns of every weight-1 matrix.
  let block: Float64Array | null = null;
  const semanticBlock = (): Float64Array =>
    (block ??= Float64Array.from({ length: n * r }, (_, k) => scores[k] * sScale * 1));
  // sE of each embedding, once for all its weights (a pass over N x e with a division each).
  const eScales = new Map<ArrayLike<number>, number>();
  const scaleOf = (x: ArrayLike<number>): number => {
    let scale = eScales.get(x);
    if (scale === undefined) eScales.set(x, (scale = blockScale(x, n, e)));
    return scale;
  };
  const withBase = (x: ArrayLike<number>, weight: number, base: EnsembleMember | null): EnsembleMember => {
    const eScale = scaleOf(x);
    const { features, d } = semanticFeatures(x, e, eScale, scores, r, sScale, weight, n);
    const member: EnsembleMember = { features, d };
    // Weight 0 is the embedding's columns times sE: ridge derives its Gram sums from the
    // embedding's, which the report has (and shares across tasks) already.
    if (weight === 0 && x instanceof Float64Array)
      return { ...member, scaledFrom: { features: x, columnScale: new Float64Array(e).fill(eScale) } };
    // Weight 1 is [the embedding times sE | the semantic block]: the same for its sums.
    if (weight === 1 && r > 0 && x instanceof Float64Array)
      return { ...member, joinedFrom: { left: x, leftScale: eScale, right: semanticBlock(), r } };
    return base && weight !== 0 && weight !== 1
      ? {
          ...member,
          scaledFrom: {
            features: base.features,
            columnScale: columnScale(weight),
            ...(base.joinedFrom ? { joinedFrom: base.joinedFrom } : {}),
          },
        }
      : member;
  };
  const needsBase = grid.weights.some((w) => w !== 0 && w !== 1);
  const base = needsBase ? withBase(embedding, 1, null) : null;
  const memberBases = needsBase ? (snapshots?.map((x) => withBase(x, 1, null)) ?? null) : null;
  const perWeight = grid.weights.map((weight) => ({
    weight,
    matrix: weight === 1 && base ? base : withBase(embedding, weight, base),
    members: snapshots?.map((x, k) =>
      weight === 1 && memberBases ? memberBases[k] : withBase(x, weight, memberBases?.[k] ?? null),
    ),
  }));
  // [E / sE | lambda F / sF] starts with the weight-0 matrix E / sE, and its Gram sums start
  // with the same bits (both are derived from E's): its ridge factors continue weight 0's.
  const zero = perWeight.find((w) => w.weight === 0);
  if (zero && r > 0)
    for (const w of perWeight) {
      if (w.weight === 0) continue;
      w.matrix = { ...w.matrix, leading: zero.matrix };
      w.members = w.members?.map((m, k) => ({ ...m, leading: zero.members![k] }));
    }
  for (const { weight, matrix, members } of perWeight) {
    const { features, d, scaledFrom, leading } = matrix;
    for (const alpha of grid.alphas)
      candidates.push({
        label: `${semanticLabel(weight)}, alpha ${alpha}`,
        features,
        d,
        alpha,
        members,
        scaledFrom,
        ...(leading ? { leading } : {}),
        usesPrompt: weight !== 0,
      });
  }
  return candidates;
}

function semanticLabel(weight: number): string {
  return `semantic weight ${weight}`;
}
