import { describe, expect, it } from 'vitest';
import { regionsInARow } from '../city/fixtures/twoSquares';
import type { City } from '../city/types';
import { predictorInputs, rawSets, SET_LABELS } from './predictor';

/** Ten regions in a row (or without centroids and trips: no lag). */
function row(centroids: boolean): City {
  const city = regionsInARow(10, centroids);
  return centroids ? city : { ...city, views: { ...city.views, trips: null } };
}

const embedding = { data: new Float64Array(10 * 2).fill(1), d: 2 };

describe("the shipped predictor's inputs", () => {
  it('are the raw counts, SLX on a log target and SREL, in that order, with their roles', () => {
    const inputs = predictorInputs(rawSets(row(true)), embedding);
    expect(inputs.map((i) => i.label)).toEqual([SET_LABELS.plain, SET_LABELS.lagged, SET_LABELS.embedding]);
    expect(inputs.map((i) => i.target ?? 'counts')).toEqual(['counts', 'log1p', 'counts']);
    expect(inputs.map((i) => i.role ?? null)).toEqual(['raw', null, 'embedding']);
    // The raw sets offer every ridge strength, SREL the middle three (EMBEDDING_ALPHAS).
    expect(inputs.map((i) => i.candidates.map((c) => c.alpha))).toEqual([
      [0.01, 0.1, 1, 10, 100],
      [0.01, 0.1, 1, 10, 100],
      [0.1, 1, 10],
    ]);
  });

  it("put the log1p counts on a log target in the lag's place for a city with no lag", () => {
    const sets = rawSets(row(false));
    expect(sets.lagged).toBeNull();
    const inputs = predictorInputs(sets, null);
    expect(inputs.map((i) => i.label)).toEqual([SET_LABELS.plain, SET_LABELS.log1p]);
    expect(inputs[1].target).toBe('log1p');
    expect(inputs[1].candidates[0].features).toBe(sets.log1p.data);
  });
});
