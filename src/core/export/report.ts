/**
 * The results report a user downloads after training: settings, backend, and per task the
 * held-out metrics of ridge on the embeddings beside the raw-feature baseline, as JSON and as
 * Markdown.
 */
import type { ReportedMetrics, TaskReport } from '../eval/taskReport';
import { describeWeights } from '../eval/setLabels';
import { residualPatternSentence } from '../spatial/moran';

export interface ReportTask {
  task: string;
  name: string;
  folds: number;
  embedding: ReportedMetrics;
  raw: ReportedMetrics | null;
  /** The combined predictor, whose predictions the exports hold (absent in older runs). */
  combined?: TaskReport['combined'];
  /** SREL + task prompt (the semantic ridge head), where computed. */
  prompt?: { name: string; metrics: ReportedMetrics; foldsUsingPrompt: number } | null;
  /**
   * Global Moran's I of the held-out residuals (prediction - label on the labelled regions, as the map's residual layers),
   * its permutation pseudo p-value and the spatial weights it used (spatial/moran.ts); null
   * where the city has no spatial weights or the run was saved before them.
   */
  moransI?: number | null;
  moransIPValue?: number | null;
  spatialWeights?: string | null;
  /** Permutations behind the p-value and labelled regions covered. */
  moransIPermutations?: number | null;
  moransIRegions?: number | null;
}

export interface ResultsReport {
  city: string;
  createdAt: string;
  backend: string;
  epochs: number;
  /** Training settings as used (plain values). */
  settings: Record<string, string | number | boolean>;
  tasks: ReportTask[];
}

const f3 = (v: number): string => (Number.isFinite(v) ? v.toFixed(3) : '–');
const num = (v: number): string => (Number.isFinite(v) ? String(Number(v.toPrecision(6))) : '–');
/** R² with its bootstrap sd where known: "0.812 ± 0.031". */
const r2 = (m: ReportedMetrics): string => (m.spread ? `${f3(m.r2)} ± ${f3(m.spread.r2)}` : f3(m.r2));

/**
 * What the exported predictions are: per task, the combined predictor's held-out metrics and
 * each feature set's mean weight over the outer folds and the ridge strength chosen most often.
 */
function combinedSection(tasks: ReportTask[]): string[] {
  const withCombined = tasks.filter((t) => t.combined);
  if (withCombined.length === 0) return [];
  return [
    '## The predictions: feature sets combined',
    '',
    'Each feature set predicts by ridge (strength chosen on inner folds); the predictions are',
    `combined with ${describeWeights(withCombined[0].combined!.weights)} plus an intercept, fitted on inner`,
    'folds of the training regions only. A set marked "log target" predicts log(1 + count), brought back to counts',
    'with a smearing factor from its inner-fold residuals. The exported predictions are this',
    'predictor’s (held out where labelled).',
    '',
    '| task | R² | MAE | RMSE | feature sets (mean weight over the folds, ridge strength chosen most often, folds weighted) |',
    '| --- | --- | --- | --- | --- |',
    ...withCombined.map((t) => {
      const c = t.combined!;
      const parts = c.parts
        .map((p) => `${p.label}: ${p.weight.toFixed(3)}, alpha ${p.alpha}, ${p.folds} of ${t.folds}`)
        .join('; ');
      return `| ${t.name} | ${r2(c.metrics)} | ${num(c.metrics.mae)} | ${num(c.metrics.rmse)} | ${parts} |`;
    }),
    '',
  ];
}

/** Per task, whether its residuals cluster in space, in numbers and in words. */
function residualSection(tasks: ReportTask[]): string[] {
  const withMoran = tasks.filter((t) => t.moransI != null && t.moransIPValue != null);
  if (withMoran.length === 0) return [];
  return [
    '## Do the errors cluster in space?',
    '',
    `Global Moran's I of each task's held-out residuals (prediction minus label) over its labelled`,
    `regions, with spatial weights: ${withMoran[0].spatialWeights ?? 'unknown'} (each row scaled to sum to 1).`,
    'I near its expectation -1/(n - 1) means no spatial pattern; a positive I with a small',
    'pseudo p-value means neighbouring regions are mispredicted alike.',
    '',
    "| task | Moran's I | pseudo p | regions | what it means |",
    '| --- | --- | --- | --- | --- |',
    ...withMoran.map((t) => {
      const pattern = {
        i: t.moransI!,
        pValue: t.moransIPValue!,
        expected: -1 / ((t.moransIRegions ?? 2) - 1),
        permutations: t.moransIPermutations ?? 0,
        n: t.moransIRegions ?? 0,
      };
      return `| ${t.name} | ${f3(pattern.i)} | ${f3(pattern.pValue)} | ${pattern.n} | ${residualPatternSentence(pattern)} |`;
    }),
    '',
  ];
}

export function reportJson(report: ResultsReport): string {
  return JSON.stringify(report, null, 2);
}

export function reportMarkdown(report: ResultsReport): string {
  const lines = [
    `# ToPT Studio results: ${report.city}`,
    '',
    `Created ${report.createdAt}. SREL trained for ${report.epochs} epochs on the ${report.backend} backend.`,
    '',
    '## Held-out accuracy (ridge with its strength chosen on inner folds, K-fold cross-validation; for SREL the mean over snapshots of the run)',
    '',
    '| task | folds | n | R² (SREL) | MAE (SREL) | RMSE (SREL) | R² (raw features) | R² (SREL + task prompt) | folds using the prompt |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...report.tasks.map(
      (t) =>
        `| ${t.name} | ${t.folds} | ${t.embedding.n} | ${r2(t.embedding)} | ${num(t.embedding.mae)} | ${num(t.embedding.rmse)} | ${t.raw ? r2(t.raw) : '–'} | ${t.prompt ? r2(t.prompt.metrics) : '–'} | ${t.prompt ? `${t.prompt.foldsUsingPrompt} of ${t.folds}` : '–'} |`,
    ),
    '',
    ...combinedSection(report.tasks),
    ...residualSection(report.tasks),
    ...(report.tasks.some((t) => t.prompt)
      ? [
          `SREL + task prompt: ridge on the embedding beside the ${report.tasks.find((t) => t.prompt)?.prompt?.name ?? 'task prompt features'}`,
          "(each phrase of the task's text attends over the region's POI categories, land use and trips);",
          'its ridge strength is chosen on inner folds, and it is one of the combined predictor’s sets:',
          '"folds using the prompt" counts the folds in which the combiner gave it weight.',
          '',
        ]
      : []),
    'Predictions are pooled over held-out folds and clipped at 0; ± is the sd of R² over 500',
    'bootstrap resamples of the regions (how much the score would move with other regions).',
    'The epoch count was fixed',
    'before training; nothing was chosen by its score on the test folds.',
    '',
    '## Settings',
    '',
    ...Object.entries(report.settings).map(([k, v]) => `- ${k}: ${String(v)}`),
    '',
  ];
  return lines.join('\n');
}
