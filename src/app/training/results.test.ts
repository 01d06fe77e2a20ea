import { describe, expect, it } from 'vitest';
import type { TaskReport } from '../../core/eval/taskReport';
import { moranOf } from '../../core/spatial/moran';
import { bestR2, residualPatternLine } from './results';

const metrics = (r2: number) => ({ r2, mae: 1, rmse: 1, n: 5 });

const report = (over: Partial<TaskReport> = {}): TaskReport => ({
  task: 'crime',
  embedding: metrics(0.4),
  raw: metrics(0.3),
  combined: { metrics: metrics(0.5), parts: [] },
  predicted: new Float64Array(0),
  heldOut: new Uint8Array(0),
  folds: 10,
  ...over,
});

const pattern = {
  moransI: 0.21,
  moransIPValue: 0.002,
  expected: -1 / 149,
  permutations: 999,
  spatialWeights: '6 nearest regions by centroid',
  regions: 150,
  lisa: new Int8Array(150),
};

describe('bestR2', () => {
  it('marks the column with the highest R² among those shown', () => {
    expect(bestR2(report(), ['combined', 'srel', 'counts'])).toBe('combined');
    expect(bestR2(report({ raw: metrics(0.7) }), ['combined', 'srel', 'counts'])).toBe('counts');
  });

  it('ignores columns not shown, missing or not finite', () => {
    expect(bestR2(report({ combined: null }), ['combined', 'srel', 'counts', 'prompt'])).toBe('srel');
    expect(bestR2(report({ raw: metrics(NaN) }), ['srel', 'counts'])).toBe('srel');
    expect(bestR2(report({ embedding: metrics(NaN), raw: null }), ['srel', 'counts'])).toBeNull();
  });

  it('gives a tie to the first column, what the map shows', () => {
    expect(bestR2(report({ embedding: metrics(0.5) }), ['combined', 'srel'])).toBe('combined');
  });

  it('counts the prompt column where the run scored one', () => {
    const withPrompt = report({
      prompt: {
        name: 'task prompt',
        llmVectors: false,
        metrics: metrics(0.9),
        predicted: new Float64Array(0),
        foldsUsingPrompt: 3,
      },
    });
    expect(bestR2(withPrompt, ['combined', 'srel', 'counts', 'prompt'])).toBe('prompt');
  });
});

describe('residualPatternLine', () => {
  it("builds core's Moran's I from the report's fields", () => {
    expect(moranOf(pattern)).toEqual({
      i: 0.21,
      pValue: 0.002,
      expected: -1 / 149,
      permutations: 999,
      n: 150,
    });
  });

  it("words the pattern with core's sentence and names the spatial weights", () => {
    const line = residualPatternLine(pattern)!;
    expect(line.sentence).toMatch(
      /^The residuals cluster in space \(Moran's I 0\.210, pseudo p = 0\.002 with 999 permutations\)/,
    );
    expect(line.weights).toBe(
      'Spatial weights: 6 nearest regions by centroid; over 150 held-out labelled regions.',
    );
  });

  it('says nothing for runs without the pattern (older runs, or no spatial weights)', () => {
    expect(residualPatternLine(null)).toBeNull();
    expect(residualPatternLine(undefined)).toBeNull();
  });
});
