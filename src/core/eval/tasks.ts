/** Evaluate one set of region features (embeddings or raw) on every task of a city. */
import { evaluationRows, protocolOf } from '../city/protocol';
import type { City } from '../city/types';
import { crossValidateEnsemble, crossValidateRidge, type EnsembleMember } from './crossValidate';
import type { FoldsOrSettings } from './folds';
import type { RegressionMetrics } from './metrics';
import { splitFolds, type SplitSpec } from './splits';

export interface TaskResult extends RegressionMetrics {
  task: string;
}

/**
 * A task's folds: the protocol's K-fold settings when no split is given (as always), else the
 * split's folds of the task's rows.
 */
function foldsOf(city: City, rows: number[], split?: SplitSpec): FoldsOrSettings {
  return split ? splitFolds(split, city, rows) : protocolOf(city).folds;
}

/**
 * Ridge (alpha 1) K-fold on each task's labelled regions, with the city's protocol, or with
 * `split`'s folds of the same rows.
 */
export function evaluateAllTasks(
  features: Float64Array,
  d: number,
  city: City,
  split?: SplitSpec,
): TaskResult[] {
  const protocol = protocolOf(city);
  return city.labels.map((labels) => {
    const rows = evaluationRows(labels.values, labels.id, protocol);
    const folds = foldsOf(city, rows, split);
    const { mae, rmse, r2, n } = crossValidateRidge(features, d, labels.values, rows, folds);
    return { task: labels.id, mae, rmse, r2, n };
  });
}

/** As evaluateAllTasks, for the mean prediction of several embeddings (crossValidateEnsemble). */
export function evaluateEnsembleAllTasks(
  members: EnsembleMember[],
  city: City,
  split?: SplitSpec,
): TaskResult[] {
  const protocol = protocolOf(city);
  return city.labels.map((labels) => {
    const rows = evaluationRows(labels.values, labels.id, protocol);
    const folds = foldsOf(city, rows, split);
    const { mae, rmse, r2, n } = crossValidateEnsemble(members, labels.values, rows, folds);
    return { task: labels.id, mae, rmse, r2, n };
  });
}
