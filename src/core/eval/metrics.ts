/** Regression metrics over pooled held-out predictions (as the literature computes them). */
import { Rng } from '../random';

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

/** Spread of pooled held-out metrics: the sd of each metric over bootstrap resamples of the regions. */
export interface MetricSpread {
  mae: number;
  rmse: number;
  r2: number;
  /** Resamples drawn. */
  resamples: number;
}

/**
 * How much the pooled metrics would move with other regions: resample the (truth, held-out
 * prediction) pairs with replacement `resamples` times (seeded) and take each metric's sd.
 * Nothing is refitted: it measures the uncertainty of the score, not of training.
 */
export function bootstrapSpread(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  resamples = 500,
  seed = 2024,
): MetricSpread {
  const n = yTrue.length;
  const rng = new Rng(seed);
  const draws = { mae: [] as number[], rmse: [] as number[], r2: [] as number[] };
  const t = new Float64Array(n);
  const p = new Float64Array(n);
  for (let b = 0; b < resamples; b++) {
    for (let i = 0; i < n; i++) {
      const k = rng.int(n);
      t[i] = yTrue[k];
      p[i] = yPred[k];
    }
    const m = regressionMetrics(t, p);
    draws.mae.push(m.mae);
    draws.rmse.push(m.rmse);
    draws.r2.push(m.r2);
  }
  return {
    mae: meanAndSd(draws.mae).sd,
    rmse: meanAndSd(draws.rmse).sd,
    r2: meanAndSd(draws.r2).sd,
    resamples,
  };
}
