import { runFiles } from '../../core/export/runFiles';
import { tasksOfCity } from '../../core/tasks/tasks';
import { formatNumber } from '../region/regionStats';
import type { LoadedCity } from '../state/city';
import type { ReportedMetrics, TaskReport } from '../../core/eval/taskReport';
import { SET_LABELS, describeWeights } from '../../core/eval/setLabels';
import { describeSplit } from '../../core/eval/splits';
import { splitOf } from '../../core/pipeline/settings';
import type { TrainingRun } from '../state/training';
import { download } from '../ui/download';
import { PredictedScatter } from './PredictedScatter';
import { bestR2, residualPatternLine, type R2Column } from './results';

/** The finished run: held-out accuracy per task, and its downloads. */
export function TrainResults({ t, loaded }: { t: TrainingRun; loaded: LoadedCity }) {
  const result = t.result;
  if (!result) return null;
  const city = loaded.city;
  const exports = runFiles(city, tasksOfCity(city), result, { ...t.settings }, new Date());
  const withPrompt = result.reports.some((r) => r.prompt);
  // Runs saved before the prompt joined the combiner scored it alone, over prompt weights.
  const promptCombined = result.reports.some((r) =>
    r.combined?.parts.some((p) => p.label === SET_LABELS.prompt),
  );
  const withCombined = result.reports.some((r) => r.combined);
  /** How the combiner's weights were bounded (one rule per run; absent in older runs). */
  const weightRule = result.reports.find((r) => r.combined)?.combined?.weights;
  const split = splitOf(t.settings);
  // Tasks whose prompt features are LLM vectors (Settings → LLM vectors for a task), by name.
  const withVectors = result.reports
    .filter((r) => r.prompt?.llmVectors)
    .map((r) => city.labels.find((l) => l.id === r.task)?.name ?? r.task);
  const columns: R2Column[] = [
    ...(withCombined ? (['combined'] as const) : []),
    'srel',
    'counts',
    ...(withPrompt ? (['prompt'] as const) : []),
  ];
  const patterns = result.reports
    .map((r) => ({ r, line: residualPatternLine(r.residualPattern) }))
    .filter((p) => p.line !== null);
  return (
    <>
      {result.reports.length > 0 ? (
        <>
          <p className="results-lead" data-testid="results-lead">
            R² says how much of the differences between regions a predictor gets right on regions it never saw
            in training: 1 is perfect, 0 is no better than guessing the mean. The small ± is how much it would
            move with other regions; the best per task is in bold.
          </p>
          {/* The table's name is its short caption; what the columns mean describes it. */}
          <p className="results-notes" id="results-notes" data-testid="results-notes">
            Held-out accuracy,{' '}
            {split
              ? `cross-validation on ${describeSplit(split)}`
              : `${result.reports[0].folds}-fold cross-validation`}
            .{' '}
            {withCombined &&
              `R² combined: what the map shows, ridge on each feature set, combined with ${describeWeights(weightRule)} fitted on inner folds (below). `}
            R² SREL: ridge on the embedding
            {result.snapshots?.length ? ` (mean over ${result.snapshots.length} snapshots of the run)` : ''};
            R² counts only: on the raw counts (POI, land use, trips); each with its strength chosen on inner
            folds
            {withPrompt &&
              `. R² + prompt: the embedding beside the counts that the task’s own words point to (each phrase of its description attends over the POI categories, land use and trips); ${promptCombined ? 'one of the combined predictor’s sets, weighted where it helps' : 'the inner folds decide how much they weigh, or to ignore them'}`}
            {withVectors.length > 0 &&
              `. ${withVectors.join(', ')}: beside LLM vectors of its regions instead`}
            . Under each task, the typical error of what the map shows (MAE, RMSE).
          </p>
          <table className="results" data-testid="train-results" aria-describedby="results-notes">
            <caption>Held-out accuracy (R²) per task</caption>
            <thead>
              <tr>
                <th scope="col">Task</th>
                {withCombined && (
                  <th title="R² of the combined predictor: what the map shows">R² combined</th>
                )}
                <th title="R² of ridge on the SREL embeddings">R² SREL</th>
                <th title="R² of ridge on the raw counts alone (POI, land use, trips), same folds">
                  R² counts only
                </th>
                {withPrompt && (
                  <th title="R² of the semantic ridge head: the embedding beside the task-attended composition (each phrase of the task's text attends over the region's POI categories, land use and trips); how much the prompt may weigh, and the ridge strength, are chosen on inner folds, same outer folds">
                    R² + prompt
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {result.reports.map((r) => {
                const best = bestR2(r, columns);
                return (
                  <tr key={r.task}>
                    <th scope="row">
                      {city.labels.find((l) => l.id === r.task)?.name ?? r.task}
                      <small
                        className="errors"
                        title="mean absolute error and root mean squared error of what the map shows, in the label's unit, with their bootstrap spread"
                      >
                        <span>
                          MAE {formatNumber(shown(r).mae)}
                          <Spread value={shown(r).spread?.mae} inline />
                        </span>
                        <span>
                          RMSE {formatNumber(shown(r).rmse)}
                          <Spread value={shown(r).spread?.rmse} inline />
                        </span>
                      </small>
                    </th>
                    {withCombined && (
                      <R2Cell
                        best={best === 'combined'}
                        value={r.combined?.metrics.r2}
                        spread={r.combined?.metrics.spread?.r2}
                      />
                    )}
                    <R2Cell best={best === 'srel'} value={r.embedding.r2} spread={r.embedding.spread?.r2} />
                    <R2Cell best={best === 'counts'} value={r.raw?.r2} spread={r.raw?.spread?.r2} />
                    {withPrompt && (
                      <R2Cell
                        best={best === 'prompt'}
                        value={r.prompt?.metrics.r2}
                        spread={r.prompt?.metrics.spread?.r2}
                        title={
                          r.prompt
                            ? `${r.prompt.name}: ${r.combined ? 'the combiner weighted it' : 'the inner folds chose to use it'} in ${r.prompt.foldsUsingPrompt} of ${r.folds} folds`
                            : 'not computed for this run'
                        }
                      />
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </>
      ) : (
        <p className="hint">This city has no task labels: the embeddings are ready to export.</p>
      )}
      {withCombined && (
        <ul className="combines hint" aria-label="What each prediction combines">
          {result.reports.map((r) =>
            r.combined ? (
              <li key={r.task} data-testid="combines">
                {city.labels.find((l) => l.id === r.task)?.name ?? r.task}:{' '}
                {combines(r.combined.parts, r.folds)}
              </li>
            ) : null,
          )}
        </ul>
      )}
      {result.reports.length > 0 && <PredictedScatter reports={result.reports} loaded={loaded} />}
      {patterns.length > 0 && (
        <section className="residual-patterns" aria-labelledby="residual-patterns-title">
          <h3 id="residual-patterns-title">Do the errors cluster in space?</h3>
          <ul>
            {patterns.map(({ r, line }) => (
              <li key={r.task} data-testid="residual-pattern">
                <strong>{city.labels.find((l) => l.id === r.task)?.name ?? r.task}:</strong> {line!.sentence}{' '}
                <span className="muted-inline">{line!.weights}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      <div className="exports" aria-label="Downloads">
        {exports.map((e) => (
          <button key={e.label} type="button" onClick={() => download(e.file())}>
            {e.label}
          </button>
        ))}
      </div>
    </>
  );
}

/** The metrics of what the map shows: the combined predictor's where the run has one. */
const shown = (r: TaskReport): ReportedMetrics => r.combined?.metrics ?? r.embedding;

/** "log1p beside neighbours ×0.62 · SREL ×0.31", heaviest first; each part's title says more. */
function combines(parts: NonNullable<TaskReport['combined']>['parts'], folds: number) {
  const used = parts.filter((p) => p.weight > 0).sort((a, b) => b.weight - a.weight);
  if (used.length === 0)
    return <span title="No feature set went with the labels: the mean label">the mean</span>;
  return used.map((p, i) => (
    <span
      key={p.label}
      title={`mean weight over the ${folds} folds; weighted in ${p.folds}; ridge strength ${p.alpha} (chosen most often)`}
    >
      {i > 0 && ' · '}
      {p.label} ×{p.weight.toFixed(2)}
    </span>
  ));
}

/** One R² with its spread; the task's best in bold, with "(best)" for screen readers. */
function R2Cell({
  value,
  spread,
  best,
  title,
}: {
  value: number | undefined;
  spread: number | undefined;
  best: boolean;
  title?: string;
}) {
  const text = value === undefined ? '–' : value.toFixed(3);
  return (
    <td title={title} className={best ? 'best' : undefined}>
      {best ? <strong>{text}</strong> : text}
      <Spread value={spread} digits={3} />
      {best && <span className="visually-hidden"> (best)</span>}
    </td>
  );
}

/** "±0.05" under a metric: its bootstrap sd over regions (how much it would move with other regions). */
function Spread({ value, digits, inline }: { value: number | undefined; digits?: number; inline?: boolean }) {
  if (value === undefined || !Number.isFinite(value)) return null;
  return (
    <small
      className={inline ? 'spread-inline' : 'spread'}
      title="sd over 500 bootstrap resamples of the regions"
    >
      ±{digits === undefined ? formatNumber(value) : value.toFixed(digits)}
    </small>
  );
}
