import { describe, expect, it } from 'vitest';
import { reportJson, reportMarkdown, type ResultsReport } from './report';

const report: ResultsReport = {
  city: 'Riverton',
  createdAt: '2026-11-24T10:00:00.000Z',
  backend: 'wasm',
  epochs: 300,
  settings: { embeddingSize: 144, distancePrior: true },
  tasks: [
    {
      task: 'crime',
      name: 'Crime',
      folds: 10,
      embedding: { mae: 28.2, rmse: 35.81234, r2: 0.39123, n: 150 },
      raw: { mae: 30, rmse: 40, r2: 0.361, n: 150 },
    },
  ],
};

describe('results report', () => {
  it('has the metrics table and the settings in Markdown', () => {
    const md = reportMarkdown(report);
    expect(md).toContain('# ToPT Studio results: Riverton');
    expect(md).toContain('| Crime | 10 | 150 | 0.391 | 28.2 | 35.8123 | 0.361 |');
    expect(md).toContain('- distancePrior: true');
  });

  it("says what the exported predictions combine, with each set's weight", () => {
    const combined = {
      metrics: { mae: 20, rmse: 30.5, r2: 0.58612, n: 150 },
      parts: [
        { label: 'raw counts', weight: 0, alpha: 1, folds: 2 },
        { label: 'SREL', weight: 0.4123, alpha: 10, folds: 10 },
      ],
    };
    const md = reportMarkdown({ ...report, tasks: [{ ...report.tasks[0], combined }] });
    expect(md).toContain('## The predictions: feature sets combined');
    // A run saved before the rule was recorded had free non-negative weights: not an average.
    expect(md).toContain('combined with weights of 0 or more (their sum free) plus an intercept');
    const convex = { ...combined, weights: 'convex' as const };
    expect(reportMarkdown({ ...report, tasks: [{ ...report.tasks[0], combined: convex }] })).toContain(
      'combined with weights of 0 or more that sum to 1 plus an intercept',
    );
    expect(md).toContain(
      '| Crime | 0.586 | 20 | 30.5 | raw counts: 0.000, alpha 1, 2 of 10; SREL: 0.412, alpha 10, 10 of 10 |',
    );
    expect(reportMarkdown(report)).not.toContain('feature sets combined');
  });

  it("says per task whether the residuals cluster in space, with Moran's I and the weights", () => {
    const task = {
      ...report.tasks[0],
      moransI: 0.31234,
      moransIPValue: 0.001,
      spatialWeights: '6 nearest regions by centroid',
      moransIPermutations: 999,
      moransIRegions: 150,
    };
    const md = reportMarkdown({ ...report, tasks: [task] });
    expect(md).toContain('## Do the errors cluster in space?');
    expect(md).toContain('spatial weights: 6 nearest regions by centroid');
    expect(md).toContain(
      "| Crime | 0.312 | 0.001 | 150 | The residuals cluster in space (Moran's I 0.312, pseudo p = 0.001 with 999 permutations)",
    );
    expect(JSON.parse(reportJson({ ...report, tasks: [task] })).tasks[0]).toMatchObject({
      moransI: 0.31234,
      moransIPValue: 0.001,
      spatialWeights: '6 nearest regions by centroid',
    });
    expect(reportMarkdown(report)).not.toContain('cluster in space');
  });

  it('round-trips as JSON', () => {
    expect(JSON.parse(reportJson(report))).toEqual(report);
  });
});
