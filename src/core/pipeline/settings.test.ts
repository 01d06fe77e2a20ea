import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_SETTINGS, SPATIAL_SCORING, splitOf } from './settings';

describe('training settings', () => {
  it("score on the city's own folds by default and in runs saved before the choice existed", () => {
    expect(DEFAULT_TRAIN_SETTINGS.scoring).toBe('folds');
    expect(splitOf(DEFAULT_TRAIN_SETTINGS)).toBeUndefined();
    expect(splitOf({})).toBeUndefined();
  });

  it('score on 5 spatial blocks of k-means districts when asked', () => {
    expect(splitOf({ scoring: 'spatial' })).toEqual({ kind: 'spatial', k: 5, seed: 1 });
    expect(splitOf({ scoring: 'spatial' })).toBe(SPATIAL_SCORING);
  });
});
