/** Evaluate one set of region features (embeddings or raw) on every task of a city. */
import type { City } from '../city/types';
import {
  crossValidateEnsemble,
  crossValidateRidge,
  evaluationRows,
  type EnsembleMember,
} from './crossValidate';
import { foldsFor } from './folds';
import type { RegressionMetrics } from './metrics';

export interface TaskResult extends RegressionMetrics {
  task: string;
}

/** Ridge (alpha 1) K-fold on each task's labelled regions, protocol of the city (key). */
export function evaluateAllTasks(
  features: Float64Array,
  d: number,
  city: City,
  cityKey: string,
): TaskResult[] {
  return city.labels.map((labels) => {
    const rows = evaluationRows(labels.values, labels.id, cityKey);
    const { mae, rmse, r2, n } = crossValidateRidge(features, d, labels.values, rows, foldsFor(cityKey));
    return { task: labels.id, mae, rmse, r2, n };
  });
}

/** As evaluateAllTasks, for the mean prediction of several embeddings (crossValidateEnsemble). */
export function evaluateEnsembleAllTasks(
  members: EnsembleMember[],
  city: City,
  cityKey: string,
): TaskResult[] {
  return city.labels.map((labels) => {
    const rows = evaluationRows(labels.values, labels.id, cityKey);
    const { mae, rmse, r2, n } = crossValidateEnsemble(members, labels.values, rows, foldsFor(cityKey));
    return { task: labels.id, mae, rmse, r2, n };
  });
}
