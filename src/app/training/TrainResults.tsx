import { runFiles } from '../../core/export/runFiles';
import { tasksOfCity } from '../../core/tasks/tasks';
import { formatNumber } from '../region/regionStats';
import type { LoadedCity } from '../state/city';
import type { ReportedMetrics, TaskReport } from '../../core/eval/taskReport';
import { SET_LABELS } from '../../core/eval/setLabels';
import { describeSplit } from '../../core/eval/splits';
import { splitOf } from '../../core/pipeline/settings';
import type { TrainingRun } from '../state/training';
import { download } from '../ui/download';

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
  const split = splitOf(t.settings);
  // Tasks whose prompt features are LLM vectors (Settings → LLM vectors for a task), by name.
  const withVectors = result.reports
    .filter((r) => r.prompt?.llmVectors)
    .map((r) => city.labels.find((l) => l.id === r.task)?.name ?? r.task);
  return (
    <>
      {result.reports.length > 0 ? (
        <table className="results" data-testid="train-results">
          <caption>
            Held-out accuracy,{' '}
            {split
              ? `cross-validation on ${describeSplit(split)}`
              : `${result.reports[0].folds}-fold cross-validation`}
            .{' '}
            {withCombined &&
              'R² combined: what the map shows, ridge on each feature set added with weights fitted on inner folds (below). '}
            R² SREL: ridge on the embedding
            {result.snapshots?.length ? ` (mean over ${result.snapshots.length} snapshots of the run)` : ''};
            R² raw: on the raw counts; each with its strength chosen on inner folds
            {withPrompt &&
              `. R² + prompt: the embedding beside the counts that the task’s own words point to (each phrase of its description attends over the POI categories, land use and trips); ${promptCombined ? 'one of the combined predictor’s sets, weighted where it helps' : 'the inner folds decide how much they weigh, or to ignore them'}`}
            {withVectors.length > 0 &&
              `. ${withVectors.join(', ')}: beside LLM vectors of its regions instead`}
          </caption>
          <thead>
            <tr>
              <th>Task</th>
              {withCombined && <th title="R² of the combined predictor: what the map shows">R² combined</th>}
              <th title="R² of ridge on the SREL embeddings">R² SREL</th>
              <th title="R² of ridge on the raw counts (POI, land use, trips), same folds">R² raw</th>
              {withPrompt && (
                <th title="R² of the semantic ridge head: the embedding beside the task-attended composition (each phrase of the task's text attends over the region's POI categories, land use and trips); how much the prompt may weigh, and the ridge strength, are chosen on inner folds, same outer folds">
                  R² + prompt
                </th>
              )}
              <th>MAE</th>
              <th>RMSE</th>
            </tr>
          </thead>
          <tbody>
            {result.reports.map((r) => (
              <tr key={r.task}>
                <td>{city.labels.find((l) => l.id === r.task)?.name ?? r.task}</td>
                {withCombined && (
                  <td>
                    {r.combined ? r.combined.metrics.r2.toFixed(3) : '–'}
                    <Spread value={r.combined?.metrics.spread?.r2} digits={3} />
                  </td>
                )}
                <td>
                  {r.embedding.r2.toFixed(3)}
                  <Spread value={r.embedding.spread?.r2} digits={3} />
                </td>
                <td>
                  {r.raw ? r.raw.r2.toFixed(3) : '–'}
                  <Spread value={r.raw?.spread?.r2} digits={3} />
                </td>
                {withPrompt && (
                  <td
                    title={
                      r.prompt
                        ? `${r.prompt.name}: ${r.combined ? 'the combiner weighted it' : 'the inner folds chose to use it'} in ${r.prompt.foldsUsingPrompt} of ${r.folds} folds`
                        : 'not computed for this run'
                    }
                  >
                    {r.prompt ? r.prompt.metrics.r2.toFixed(3) : '–'}
                    <Spread value={r.prompt?.metrics.spread?.r2} digits={3} />
                  </td>
                )}
                <td>
                  {formatNumber(shown(r).mae)}
                  <Spread value={shown(r).spread?.mae} />
                </td>
                <td>
                  {formatNumber(shown(r).rmse)}
                  <Spread value={shown(r).spread?.rmse} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
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

/** "±0.05" under a metric: its bootstrap sd over regions (how much it would move with other regions). */
function Spread({ value, digits }: { value: number | undefined; digits?: number }) {
  if (value === undefined || !Number.isFinite(value)) return null;
  return (
    <small className="spread" title="sd over 500 bootstrap resamples of the regions">
      ±{digits === undefined ? formatNumber(value) : value.toFixed(digits)}
    </small>
  );
}
