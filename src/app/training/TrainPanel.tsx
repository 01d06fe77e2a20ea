import { BROWSER_BACKENDS } from '../../core/backend/names';
import type { BackendPreference } from '../../core/pipeline/types';
import type { ExportFile } from '../../core/export/files';
import { runFiles } from '../../core/export/runFiles';
import { tasksOfCity } from '../../core/tasks/tasks';
import { formatNumber } from '../region/regionStats';
import { useState } from 'react';
import { readModelFiles } from './pretrained';
import { useApp, type LoadedCity, type TrainSettings, type TrainingState } from '../state/store';
import {
  cancelTraining,
  evaluationFraction,
  evaluationSecondsLeft,
  pauseTraining,
  resumeTraining,
  secondsLeft,
  startTraining,
} from './controller';
import { LossChart } from './LossChart';

const BACKEND_NAMES: Record<BackendPreference, string> = {
  auto: 'Automatic (fastest that works)',
  webgpu: 'WebGPU',
  webgl: 'WebGL',
  wasm: 'WebAssembly',
  cpu: 'Plain JavaScript (CPU)',
};

export function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const m = Math.floor(s / 60);
  return m >= 60
    ? `${Math.floor(m / 60)}:${String(m % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`
    : `${m}:${String(s % 60).padStart(2, '0')}`;
}

function download(file: ExportFile): void {
  const url = URL.createObjectURL(new Blob([file.bytes as BlobPart], { type: file.mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = file.name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A labelled choice among a few numbers. */
function ChoiceField(props: {
  label: string;
  value: number;
  choices: number[];
  disabled: boolean;
  onChange: (value: number) => void;
  hint?: string;
}) {
  return (
    <label className="field">
      {props.label}
      <select
        value={props.value}
        disabled={props.disabled}
        onChange={(e) => props.onChange(Number(e.target.value))}
      >
        {props.choices.map((c) => (
          <option key={c} value={c}>
            {c}
          </option>
        ))}
      </select>
      {props.hint && <span className="hint">{props.hint}</span>}
    </label>
  );
}

function Settings({ disabled }: { disabled: boolean }) {
  const s = useApp((st) => st.trainSettings);
  const update = useApp((st) => st.updateTrainSettings);
  const number = (key: 'epochs', min: number, max: number) => (
    <input
      type="number"
      min={min}
      max={max}
      value={s[key]}
      disabled={disabled}
      onChange={(e) => {
        const v = Math.round(Number(e.target.value));
        if (Number.isFinite(v)) update({ [key]: Math.min(max, Math.max(min, v)) });
      }}
    />
  );
  const imported = useApp((st) => st.importedModel);
  const setImported = useApp((st) => st.setImportedModel);
  const [importError, setImportError] = useState<string | null>(null);
  const fixedArchitecture = s.start !== 'scratch';
  return (
    <details className="train-settings">
      <summary>Training settings</summary>
      <label className="field">
        Start from
        <select
          value={s.start}
          disabled={disabled}
          onChange={(e) => update({ start: e.target.value as TrainSettings['start'] })}
          data-testid="start-from"
        >
          <option value="scratch">Scratch (random weights)</option>
          <option value="pretrained">Pretrained on the sample cities (fine-tune)</option>
          <option value="imported">A model you exported (fine-tune)</option>
        </select>
        <span className="hint">
          Fine-tuning keeps the saved model&apos;s size and copies every weight that fits this city.
        </span>
      </label>
      {s.start === 'imported' && (
        <label className="field">
          Model files (.json and .bin)
          <input
            type="file"
            multiple
            accept=".json,.bin"
            disabled={disabled}
            data-testid="model-files"
            onChange={(e) => {
              const files = Array.from(e.target.files ?? []);
              readModelFiles(files).then(
                (m) => {
                  setImported(m);
                  setImportError(null);
                },
                (err: unknown) => setImportError(err instanceof Error ? err.message : String(err)),
              );
            }}
          />
          {imported && <span className="hint">Loaded {imported.name}.</span>}
          {importError && (
            <span className="hint error" role="alert">
              {importError}
            </span>
          )}
        </label>
      )}
      <label className="field">
        Epochs {number('epochs', 1, 5000)}
        <span className="hint">Passes over the city. A fixed count: never tuned on test scores.</span>
      </label>
      <ChoiceField
        label="Embedding size"
        value={s.embeddingSize}
        choices={[32, 64, 144, 256]}
        disabled={disabled || fixedArchitecture}
        onChange={(v) => update({ embeddingSize: v })}
        hint="Numbers per region in the exported embedding (the paper uses 144)."
      />
      <ChoiceField
        label="Region-fusion layers"
        value={s.regionFusionLayers}
        choices={[1, 2, 3, 4]}
        disabled={disabled || fixedArchitecture}
        onChange={(v) => update({ regionFusionLayers: v })}
        hint="Graphormer blocks in which regions attend to each other."
      />
      <ChoiceField
        label="Attention heads"
        value={s.heads}
        choices={[1, 2, 4, 8]}
        disabled={disabled || fixedArchitecture}
        onChange={(v) => update({ heads: v })}
      />
      <label className="inline">
        <input
          type="checkbox"
          checked={s.distancePrior}
          disabled={disabled}
          onChange={(e) => update({ distancePrior: e.target.checked })}
        />
        Spatial prior (near regions attend more)
      </label>
      <label className="inline">
        <input
          type="checkbox"
          checked={s.centrality}
          disabled={disabled}
          onChange={(e) => update({ centrality: e.target.checked })}
        />
        Centrality encoding
      </label>
      <label className="field">
        Backend
        <select
          value={s.backend}
          disabled={disabled}
          onChange={(e) => update({ backend: e.target.value as BackendPreference })}
        >
          {(['auto', ...BROWSER_BACKENDS] as BackendPreference[]).map((b) => (
            <option key={b} value={b}>
              {BACKEND_NAMES[b]}
            </option>
          ))}
        </select>
      </label>
    </details>
  );
}

function Progress({ t }: { t: TrainingState }) {
  const labels = useApp((st) => st.current?.city.labels);
  const done = t.history.length;
  const elapsed = t.history[done - 1]?.elapsedSeconds ?? 0;
  const left = secondsLeft(t);
  let line: string;
  if (t.status === 'probing')
    line = t.probing ? `Choosing a backend: trying ${BACKEND_NAMES[t.probing]}…` : 'Choosing a backend…';
  else if (t.status === 'evaluating' && t.evaluation) {
    const e = t.evaluation;
    const evalLeft = evaluationSecondsLeft(e);
    const name = labels?.find((l) => l.id === e.task)?.name ?? e.task;
    line = `Cross-validating the tasks: ${name} (${e.taskIndex + 1} of ${e.tasks})${evalLeft !== null ? ` · about ${clock(evalLeft)} left` : ''}`;
  } else if (t.status === 'evaluating') line = 'Cross-validating the tasks…';
  else
    line = `Epoch ${done} of ${t.epochs} · ${clock(elapsed)} elapsed${left !== null && t.status !== 'done' ? ` · about ${clock(left)} left` : ''}${t.status === 'paused' ? ' · paused' : ''}`;
  return (
    <div className="train-progress">
      {t.status === 'evaluating' && t.evaluation ? (
        <progress max={1} value={evaluationFraction(t.evaluation)} aria-label="Evaluation progress" />
      ) : (
        <progress
          max={t.epochs}
          value={t.status === 'probing' ? undefined : done}
          aria-label="Training progress"
        />
      )}
      <p data-testid="train-progress" role="status">
        {line}
      </p>
      {t.startedFrom && (
        <p className="hint" data-testid="train-start">
          Started {t.startedFrom}.
        </p>
      )}
      {t.status === 'done' && (
        <p className="hint" data-testid="train-saved">
          {t.saved ? 'Saved in this browser: a reload brings this run back.' : 'Saving…'}
        </p>
      )}
      {t.backend && (
        <p className="hint" data-testid="train-backend">
          Backend: {BACKEND_NAMES[t.backend]} ({t.backendReason})
        </p>
      )}
      {t.notices.map((n) => (
        <p key={n} className="hint error" role="alert">
          {n}
        </p>
      ))}
    </div>
  );
}

function Results({ t, loaded }: { t: TrainingState; loaded: LoadedCity }) {
  const result = t.result;
  if (!result) return null;
  const city = loaded.city;
  const exports = runFiles(city, tasksOfCity(city), result, { ...t.settings }, new Date());
  const withPrompt = result.reports.some((r) => r.prompt);
  // Tasks whose prompt features are LLM vectors (Settings → LLM vectors for a task), by name.
  const withVectors = result.reports
    .filter((r) => r.prompt?.llmVectors)
    .map((r) => city.labels.find((l) => l.id === r.task)?.name ?? r.task);
  return (
    <>
      {result.reports.length > 0 ? (
        <table className="results" data-testid="train-results">
          <caption>
            Held-out accuracy: ridge on the embedding (
            {result.snapshots?.length ? `mean over ${result.snapshots.length} snapshots of the run; ` : ''}
            strength chosen on inner folds), {result.reports[0].folds}-fold cross-validation
            {withPrompt &&
              '. R² + prompt: the same beside the counts that the task’s own words point to (each phrase of its description attends over the POI categories, land use and trips); the inner folds decide how much they weigh, or to ignore them'}
            {withVectors.length > 0 &&
              `. ${withVectors.join(', ')}: beside LLM vectors of its regions instead`}
          </caption>
          <thead>
            <tr>
              <th>Task</th>
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
                        ? `${r.prompt.name}: the inner folds chose to use it in ${r.prompt.foldsUsingPrompt} of ${r.folds} folds`
                        : 'not computed for this run'
                    }
                  >
                    {r.prompt ? r.prompt.metrics.r2.toFixed(3) : '–'}
                    <Spread value={r.prompt?.metrics.spread?.r2} digits={3} />
                  </td>
                )}
                <td>
                  {formatNumber(r.embedding.mae)}
                  <Spread value={r.embedding.spread?.mae} />
                </td>
                <td>
                  {formatNumber(r.embedding.rmse)}
                  <Spread value={r.embedding.spread?.rmse} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="hint">This city has no task labels: the embeddings are ready to export.</p>
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

/** Train SREL on the current city, watch it learn, see held-out accuracy and export. */
export function TrainPanel({ loaded }: { loaded: LoadedCity }) {
  const t = useApp((s) => (s.training?.cityKey === loaded.key ? s.training : null));
  const running = t !== null && ['probing', 'training', 'paused', 'evaluating'].includes(t.status);
  const interrupted = useApp((s) => s.interrupted);
  const setInterrupted = useApp((s) => s.setInterrupted);
  const updateSettings = useApp((s) => s.updateTrainSettings);
  const { poi, landUse, trips } = loaded.city.views;
  const lacking = [!poi && 'POI counts', !landUse && 'land use', !trips && 'trips'].filter(Boolean);
  const missing = lacking.length ? lacking.join(', no ') : null;
  return (
    <section className="card train" aria-labelledby="train-title">
      <h2 id="train-title">Train SREL</h2>
      <p className="hint">
        Learns one embedding per region from its POIs, land use and trips, then predicts each task with ridge
        regression, scored on held-out regions.
      </p>
      {interrupted && !running && (
        <div className="notice" role="alert" data-testid="interrupted-run">
          <p>
            A training run ({interrupted.epochsDone} of {interrupted.epochs} epochs) was interrupted by a
            reload. {t?.status === 'done' ? 'The results below are from the last finished run.' : ''}
          </p>
          <button
            type="button"
            onClick={() => {
              updateSettings(interrupted.settings);
              void startTraining();
            }}
          >
            Restart it
          </button>{' '}
          <button type="button" onClick={() => setInterrupted(null)}>
            Dismiss
          </button>
        </div>
      )}
      {missing && !running && (
        <p className="hint error" role="status" data-testid="train-needs-views">
          SREL needs POI counts, land use and trips: this city has no {missing}. Drop the raw layers (POI
          points, land-use points or polygons, trip records) on the page to fill them.
        </p>
      )}
      <Settings disabled={running} />
      <div className="train-buttons">
        {!running && (
          <button
            type="button"
            className="primary"
            disabled={missing !== null}
            onClick={() => void startTraining()}
          >
            {t?.status === 'done' ? 'Train again' : 'Train'}
          </button>
        )}
        {running && t.status === 'paused' && (
          <button type="button" onClick={resumeTraining}>
            Resume
          </button>
        )}
        {running && t.status === 'training' && (
          <button type="button" onClick={pauseTraining}>
            Pause
          </button>
        )}
        {running && (
          <button type="button" onClick={cancelTraining}>
            Cancel
          </button>
        )}
      </div>
      {t && t.status !== 'failed' && <Progress t={t} />}
      {t?.status === 'cancelled' && <p className="hint">Training cancelled; nothing was kept.</p>}
      {t?.status === 'failed' && (
        <p className="hint error" role="alert" data-testid="train-error">
          Training failed: {t.error}
        </p>
      )}
      {t && <LossChart history={t.history} epochs={t.epochs} />}
      {t && <Results t={t} loaded={loaded} />}
    </section>
  );
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
