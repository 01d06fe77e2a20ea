import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BENCHMARK_DIR, BENCHMARK_SKIP_REASON } from '../../test/benchmark';
import { Rng } from '../random';
import {
  BARELY_VARYING_MEAN_COSINE,
  LENGTH_TRACKING_R2,
  diversityReport,
  effectiveRankOf,
} from './diversity';
import type { SemanticVectors } from './encoder';
import { vectorsFromNpy } from './importedVectors';

/** SemanticVectors from rows of numbers. */
function vectorsOf(rows: number[][]): SemanticVectors {
  const dimension = rows[0].length;
  return { n: rows.length, dimension, data: Float32Array.from(rows.flat()), encoder: 'test' };
}

describe('effectiveRankOf', () => {
  it('is k for k equal singular values and 1 for one direction', () => {
    expect(effectiveRankOf(Float64Array.from([4, 4, 4, 0]))).toBeCloseTo(3, 12);
    expect(effectiveRankOf(Float64Array.from([9, 1e-20, 0]))).toBe(1);
    expect(effectiveRankOf(Float64Array.from([0, 0]))).toBe(0);
  });
});

describe('diversityReport on known cases', () => {
  it('identical vectors: cosine 1, no variation (effective rank 0), flagged', () => {
    const r = diversityReport(
      vectorsOf([
        [0.3, -1, 2],
        [0.3, -1, 2],
        [0.3, -1, 2],
        [0.3, -1, 2],
      ]),
    );
    expect(r.meanCosine).toBeCloseTo(1, 6);
    expect(r.minCosine).toBeCloseTo(1, 6);
    expect(r.effectiveRank).toBe(0);
    expect(r.flags.join('\n')).toMatch(/identical/);
    expect(r.flags.join('\n')).toMatch(
      /barely differ between regions: mean pairwise cosine 1\.0000 \(above 0\.98\)/,
    );
  });

  it('nearly identical vectors varying along one direction: effective rank 1, flagged', () => {
    const rows = [0, 1, 2, 3, 4].map((i) => [10, 10, 10 + 0.01 * i, 10]);
    const r = diversityReport(vectorsOf(rows));
    expect(r.meanCosine).toBeGreaterThan(0.9999);
    expect(r.effectiveRank).toBeCloseTo(1, 6);
    expect(r.pc1Share).toBeCloseTo(1, 6);
    expect(r.flags.join('\n')).toMatch(/barely differ/);
    expect(r.flags.join('\n')).toMatch(/one direction carries 100\.0%/);
  });

  it('orthogonal vectors: cosine 0, effective rank = count - 1 after centring, not flagged', () => {
    const k = 6;
    const rows = Array.from({ length: k }, (_, i) => Array.from({ length: 10 }, (_, j) => (j === i ? 1 : 0)));
    const r = diversityReport(vectorsOf(rows));
    expect(r.meanCosine).toBe(0);
    expect(r.minCosine).toBe(0);
    expect(r.maxCosine).toBe(0);
    // Centring removes the mean direction: the differences of k orthogonal unit vectors span k - 1.
    expect(r.effectiveRank).toBeCloseTo(k - 1, 10);
    expect(r.flags).toEqual([]);
    // The covariance route (T < N) gives the same figures.
    const wide = Array.from({ length: 12 }, (_, i) =>
      Array.from({ length: 4 }, (_, j) => (j === i % 4 ? 1 : 0)),
    );
    const viaCovariance = diversityReport(vectorsOf(wide));
    expect(viaCovariance.effectiveRank).toBeCloseTo(3, 10);
  });

  it('detects a main direction that follows text length, by either route', () => {
    const rng = new Rng(3);
    for (const t of [40, 8]) {
      const n = 20;
      const texts = Array.from({ length: n }, (_, i) => 'x'.repeat(100 + 37 * ((i * 7) % n)));
      const direction = Array.from({ length: t }, () => rng.normal());
      const rows = texts.map((s) =>
        direction.map((d, j) => 1 + (j === 0 ? 5 : 0) + d * s.length * 0.01 + 0.05 * rng.normal()),
      );
      const r = diversityReport(vectorsOf(rows), texts);
      expect(r.lengthR2).toBeGreaterThan(0.95);
      expect(r.flags.join('\n')).toMatch(/the main direction tracks text length \(R² (0\.9\d|1\.00)/);
      // Shuffle the texts: the link to length is gone.
      const shuffled = diversityReport(vectorsOf(rows), new Rng(5).shuffle([...texts]));
      expect(shuffled.lengthR2).toBeLessThan(LENGTH_TRACKING_R2);
    }
  });

  it('random vectors are not flagged', () => {
    const rng = new Rng(11);
    const rows = Array.from({ length: 77 }, () => Array.from({ length: 256 }, () => rng.normal()));
    const r = diversityReport(vectorsOf(rows));
    expect(Math.abs(r.meanCosine)).toBeLessThan(0.05);
    expect(r.effectiveRank).toBeGreaterThan(60);
    expect(r.flags).toEqual([]);
  });

  it('reports zero rows and refuses NaN, naming the row', () => {
    const r = diversityReport(
      vectorsOf([
        [1, 0],
        [0, 1],
        [0, 0],
      ]),
    );
    expect(r.zeroRows).toEqual([2]);
    expect(r.meanCosine).toBe(0);
    expect(r.flags.join('\n')).toMatch(/1 of 3 vectors are all zeros \(rows 2\)/);
    expect(() =>
      diversityReport(
        vectorsOf([
          [1, 0],
          [0, NaN],
        ]),
      ),
    ).toThrow(/row 1/);
    expect(() => diversityReport(vectorsOf([[1, 0]]))).toThrow(/at least 2/);
    expect(() =>
      diversityReport(
        vectorsOf([
          [1, 0],
          [0, 1],
        ]),
        ['a'],
      ),
    ).toThrow(/1 texts for 2 vectors/);
  });
});

describe.skipIf(!BENCHMARK_DIR)('diversity of the published Chicago LLM prompt vectors', () => {
  if (!BENCHMARK_DIR) console.warn(BENCHMARK_SKIP_REASON);
  const folder = join(BENCHMARK_DIR ?? '', 'chicago/llm-prompt-embeddings');
  const files = BENCHMARK_DIR
    ? readdirSync(folder)
        .filter((f) => f.endsWith('.npy'))
        .sort()
    : [];
  // The prompts are a fixed task template plus the region's description (and images), so their
  // lengths differ by the description lengths: R² on those is R² on the prompt lengths.
  const texts = BENCHMARK_DIR
    ? (
        JSON.parse(readFileSync(join(BENCHMARK_DIR, 'chicago/region_descriptions.json'), 'utf8')) as {
          text: string;
        }[]
      ).map((d) => d.text)
    : [];

  it('has the seven files', () => {
    expect(files.length).toBe(7);
  });

  it.each(files)('%s is flagged as barely varying', (file) => {
    const result = vectorsFromNpy(new Uint8Array(readFileSync(join(folder, file))), file, 77);
    if ('error' in result) throw new Error(result.error);
    const r = diversityReport(result.vectors, texts);
    console.log(
      `${file} (${r.n} x ${r.dimension}): mean cosine ${r.meanCosine.toFixed(7)}, min ${r.minCosine.toFixed(7)}, ` +
        `max ${r.maxCosine.toFixed(7)}, effective rank ${r.effectiveRank.toFixed(1)}, PC1 share ${r.pc1Share.toFixed(3)}, ` +
        `length R² ${r.lengthR2?.toFixed(3)}; flags: ${r.flags.join('; ')}`,
    );
    expect(r.meanCosine).toBeGreaterThan(BARELY_VARYING_MEAN_COSINE);
    expect(r.flags.some((f) => f.startsWith('vectors barely differ between regions'))).toBe(true);
  });
});
