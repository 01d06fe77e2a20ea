import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { directorySource } from '../../cli/fsSource';
import { BENCHMARK_DIR, BENCHMARK_SKIP_REASON } from '../../test/benchmark';
import { loadCity } from '../city/load';
import type { City } from '../city/types';
import { evaluationRows, protocolOf } from '../city/protocol';
import { crossValidateRidge } from './crossValidate';
import { rawFeatures, zScore } from './features';

// Issue #3: raw features, z-scored, ridge, R² (check-in / crime / service calls),
// measured with the published protocol.
const REFERENCE: Record<string, Record<string, number>> = {
  chicago: { checkIn: 0.846, crime: 0.405, serviceCall: 0.547 },
  nyc: { checkIn: 0.755, crime: 0.535, serviceCall: 0.195 },
  sf: { checkIn: 0.891, crime: 0.633, serviceCall: 0.348 },
};

describe.skipIf(!BENCHMARK_DIR)('raw-feature ridge baseline on the benchmark', () => {
  if (!BENCHMARK_DIR) it.skip(BENCHMARK_SKIP_REASON, () => {});
  it.each(Object.keys(REFERENCE))('%s matches the reference R² to 3 decimals', async (key) => {
    const { city } = await loadCity(directorySource(join(BENCHMARK_DIR ?? '', key)));
    const features = zScore(rawFeatures(city as City));
    for (const labels of (city as City).labels) {
      const cv = crossValidateRidge(
        features.data,
        features.d,
        labels.values,
        evaluationRows(labels.values, labels.id, protocolOf(city as City)),
        protocolOf(city as City).folds,
      );
      expect(cv.r2.toFixed(3)).toBe(REFERENCE[key][labels.id].toFixed(3));
    }
  });
});
