/** Regression metrics over pooled held-out predictions (as the literature computes them). */

export interface RegressionMetrics {
  mae: number;
  rmse: number;
  r2: number;
  n: number;
}

/** MAE, RMSE and R² (scikit-learn's r2_score: 1 - SS_res / SS_tot about the mean of y). */
export function regressionMetrics(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): RegressionMetrics {
  const n = yTrue.length;
  if (n !== yPred.length || n === 0)
    throw new Error(`metrics: ${n} true values, ${yPred.length} predictions`);
  let mean = 0;
  for (let i = 0; i < n; i++) mean += yTrue[i];
  mean /= n;
  let abs = 0;
  let sq = 0;
  let tot = 0;
  for (let i = 0; i < n; i++) {
    const e = yTrue[i] - yPred[i];
    abs += Math.abs(e);
    sq += e * e;
    tot += (yTrue[i] - mean) ** 2;
  }
  return { mae: abs / n, rmse: Math.sqrt(sq / n), r2: tot > 0 ? 1 - sq / tot : sq === 0 ? 1 : 0, n };
}

/** Mean and sample standard deviation. */
export function meanAndSd(values: number[]): { mean: number; sd: number } {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const sd = n > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, sd };
}
