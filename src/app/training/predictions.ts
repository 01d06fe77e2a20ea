/**
 * A run's predictions as map values: each task's held-out predictions and, where it has labels,
 * the residuals; the same with the task prompt where the run scored one.
 */
import type { City } from '../../core/city/types';
import type { TaskReport } from '../../core/eval/taskReport';
import type { ValueOption } from '../region/regionStats';

export interface PredictionValues {
  options: ValueOption[];
  values: Record<string, Float64Array>;
}

/** Predicted minus actual where the region was held out with a label; NaN elsewhere. */
const residuals = (predicted: Float64Array, report: TaskReport, actual: Float64Array): Float64Array =>
  Float64Array.from(predicted, (p, i) => (report.heldOut[i] ? p - actual[i] : NaN));

/** The value group of a task's predictions: the combined predictor's, or (older runs) ridge on SREL. */
export const predictionGroup = (report: Pick<TaskReport, 'combined'>): string =>
  report.combined ? 'Predictions (combined)' : 'Predictions (SREL + ridge)';

export function predictionValues(city: City, reports: TaskReport[]): PredictionValues {
  const options: ValueOption[] = [];
  const values: Record<string, Float64Array> = {};
  for (const report of reports) {
    const labels = city.labels.find((l) => l.id === report.task);
    const name = labels?.name ?? report.task;
    options.push({
      id: `predicted:${report.task}`,
      label: `${name}: predicted`,
      group: predictionGroup(report),
      note: `${report.combined ? 'Raw counts, their spatial lag, the SREL embedding and the task prompt, weighted on inner folds. ' : ''}Labelled regions show held-out predictions (cross-validation); unlabelled regions are predicted from all labels.`,
    });
    values[`predicted:${report.task}`] = report.predicted;
    if (labels) {
      options.push({
        id: `residual:${report.task}`,
        label: `${name}: residual (predicted − actual)`,
        group: predictionGroup(report),
        note: 'Blue: predicted below the label; red: above; the classes break at 0. Held-out predictions of the labelled regions only.',
      });
      values[`residual:${report.task}`] = residuals(report.predicted, report, labels.values);
      const pattern = report.residualPattern;
      if (pattern) {
        options.push({
          id: `lisa:${report.task}`,
          label: `${name}: where the errors cluster (LISA)`,
          group: predictionGroup(report),
          note: `Local Moran’s I of the residuals (predicted − actual) over the ${pattern.regions} labelled regions, ${pattern.permutations} permutations, p ≤ 0.05; spatial weights: ${pattern.spatialWeights}. Global Moran’s I ${pattern.moransI.toFixed(3)} (pseudo p ${pattern.moransIPValue.toFixed(3)}).`,
        });
        values[`lisa:${report.task}`] = Float64Array.from(pattern.lisa, (c) => (c < 0 ? NaN : c));
      }
    }
    const prompt = report.prompt;
    if (prompt) {
      options.push({
        id: `prompt:${report.task}`,
        label: `${name}: predicted with the task prompt`,
        group: 'Predictions (SREL + task prompt)',
        note: `The semantic ridge head on the embedding and the ${prompt.name}; held-out where labelled.`,
      });
      values[`prompt:${report.task}`] = prompt.predicted;
      if (labels) {
        options.push({
          id: `prompt-residual:${report.task}`,
          label: `${name}: residual with the task prompt`,
          group: 'Predictions (SREL + task prompt)',
        });
        values[`prompt-residual:${report.task}`] = residuals(prompt.predicted, report, labels.values);
      }
    }
  }
  return { options, values };
}
