/** Evaluate one set of region features (embeddings or raw) on every task of a city. */
import { evaluationRows, protocolOf } from '../city/protocol';
import type { City } from '../city/types';
import { crossValidateEnsemble, crossValidateRidge, type EnsembleMember } from './crossValidate';
import type { RegressionMetrics } from './metrics';

export interface TaskResult extends RegressionMetrics {
  task: string;
}

/** Ridge (alpha 1) K-fold on each task's labelled regions, with the city's protocol. */
export function evaluateAllTasks(features: Float64Array, d: number, city: City): TaskResult[] {
  const protocol = protocolOf(city);
  return city.labels.map((labels) => {
    const rows = evaluationRows(labels.values, labels.id, protocol);
    const { mae, rmse, r2, n } = crossValidateRidge(features, d, labels.values, rows, protocol.folds);
    return { task: labels.id, mae, rmse, r2, n };
  });
}

/** As evaluateAllTasks, for the mean prediction of several embeddings (crossValidateEnsemble). */
export function evaluateEnsembleAllTasks(members: EnsembleMember[], city: City): TaskResult[] {
  const protocol = protocolOf(city);
  return city.labels.map((labels) => {
    const rows = evaluationRows(labels.values, labels.id, protocol);
    const { mae, rmse, r2, n } = crossValidateEnsemble(members, labels.values, rows, protocol.folds);
    return { task: labels.id, mae, rmse, r2, n };
  });
}
