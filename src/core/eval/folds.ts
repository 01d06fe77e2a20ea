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
