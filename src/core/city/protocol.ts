/**
 * How a city's tasks are scored: its folds and which labels count as missing. The City carries
 * its protocol (the benchmark loader sets the literature's; every other city gets the default),
 * so the app, its workers, the benchmark and the headless run score a task the same way
 * wherever it came from and however often it is evaluated.
 */
/** K-fold settings as scikit-learn's KFold: k folds, shuffled with this seed when given. */
export interface FoldSettings {
  k: number;
  /** Shuffle like KFold(shuffle=True, random_state=seed); absent: consecutive folds. */
  shuffleSeed?: number;
}

export interface EvaluationProtocol {
  /** For reports, e.g. "the literature's folds of Chicago (25, shuffled)". */
  name: string;
  folds: FoldSettings;
  /** Tasks whose 0 labels mean "no label" (those regions are left out of that task). */
  zeroMeansMissing: string[];
}

/** Every city that does not say otherwise: 10 folds shuffled with seed 2024. */
export const DEFAULT_PROTOCOL: EvaluationProtocol = {
  name: '10 shuffled folds',
  folds: { k: 10, shuffleSeed: 2024 },
  zeroMeansMissing: [],
};

/**
 * The literature's protocol per benchmark city (HAFusion): its folds, and on Chicago and San
 * Francisco a check-in count of 0 means the region has no data.
 */
export const BENCHMARK_PROTOCOLS: Record<string, EvaluationProtocol> = {
  nyc: { name: "the literature's folds of NYC (10, in order)", folds: { k: 10 }, zeroMeansMissing: [] },
  chicago: {
    name: "the literature's folds of Chicago (25, shuffled)",
    folds: { k: 25, shuffleSeed: 2024 },
    zeroMeansMissing: ['checkIn'],
  },
  sf: {
    name: "the literature's folds of San Francisco (10, shuffled)",
    folds: { k: 10, shuffleSeed: 2024 },
    zeroMeansMissing: ['checkIn'],
  },
};

/** The protocol a city is scored with. */
export function protocolOf(city: { protocol?: EvaluationProtocol }): EvaluationProtocol {
  return city.protocol ?? DEFAULT_PROTOCOL;
}

/**
 * Rows scored for a task: regions with a label (not NaN), and without 0 where the protocol
 * says 0 means missing for this task.
 */
export function evaluationRows(
  values: Float64Array,
  taskId: string,
  protocol: EvaluationProtocol = DEFAULT_PROTOCOL,
): number[] {
  const dropZero = protocol.zeroMeansMissing.includes(taskId);
  const rows: number[] = [];
  values.forEach((v, i) => {
    if (!Number.isNaN(v) && !(dropZero && v === 0)) rows.push(i);
  });
  return rows;
}

/** The protocol's folds for a task with `labelled` regions: fewer folds when labels are scarce. */
export function foldsForLabels(protocol: EvaluationProtocol, labelled: number): FoldSettings {
  return { ...protocol.folds, k: Math.min(protocol.folds.k, labelled) };
}
