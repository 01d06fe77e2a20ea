/**
 * K-fold splits exactly as the literature (scikit-learn KFold): folds are consecutive
 * slices of the (optionally shuffled) indices, the first n % k folds one larger.
 */
import type { FoldSettings } from '../city/protocol';
import { numpyLegacyPermutation } from './mt19937';

export interface Fold {
  train: number[];
  test: number[];
}

/** k folds, shuffled like KFold(shuffle=True, random_state=seed) when a seed is given. */
export type KFoldOptions = FoldSettings;

export function kFold(n: number, options: KFoldOptions): Fold[] {
  const { k } = options;
  if (!Number.isInteger(k) || k < 2) throw new RangeError(`k must be an integer >= 2, got ${k}`);
  if (k > n) throw new RangeError(`cannot make ${k} folds of ${n} samples`);
  const order =
    options.shuffleSeed === undefined
      ? Array.from({ length: n }, (_, i) => i)
      : numpyLegacyPermutation(n, options.shuffleSeed);
  const folds: Fold[] = [];
  let start = 0;
  for (let f = 0; f < k; f++) {
    const size = Math.floor(n / k) + (f < n % k ? 1 : 0);
    const test = order.slice(start, start + size);
    const inTest = new Set(test);
    const train = Array.from({ length: n }, (_, i) => i).filter((i) => !inTest.has(i));
    folds.push({ train, test });
    start += size;
  }
  return folds;
}

/**
 * Folds given either as K-fold settings (made here by kFold) or as the folds themselves (a
 * split made elsewhere, e.g. splits.ts's spatial blocks): indices are positions in the rows
 * being cross-validated.
 */
export type FoldsOrSettings = KFoldOptions | Fold[];

/**
 * The folds of `n` rows: kFold's for settings; given folds are checked to be a split of the n
 * rows (test folds non-empty, each row in exactly one, train the rest) and returned as they are.
 */
export function resolveFolds(n: number, folds: FoldsOrSettings): Fold[] {
  if (!Array.isArray(folds)) return kFold(n, folds);
  if (folds.length < 2) throw new RangeError(`a split needs at least 2 folds, got ${folds.length}`);
  const seen = new Uint8Array(n);
  /** Per row, 1 + the fold testing it (0: none yet). */
  const testedIn = new Int32Array(n);
  for (const [f, { train, test }] of folds.entries()) {
    if (test.length === 0) throw new RangeError(`fold ${f} has no test rows`);
    if (train.length + test.length !== n)
      throw new RangeError(`fold ${f} has ${train.length} + ${test.length} rows, not ${n}`);
    for (const i of test) {
      if (!Number.isInteger(i) || i < 0 || i >= n) throw new RangeError(`fold ${f} tests row ${i} of ${n}`);
      if (seen[i]) throw new RangeError(`row ${i} is in more than one test fold`);
      seen[i] = 1;
      testedIn[i] = f + 1;
    }
    for (const i of train)
      if (!Number.isInteger(i) || i < 0 || i >= n || testedIn[i] === f + 1)
        throw new RangeError(`fold ${f} trains on row ${i}, which it tests or which is not one of ${n}`);
  }
  const missing = seen.indexOf(0);
  if (missing >= 0) throw new RangeError(`row ${missing} is in no test fold`);
  return folds;
}
