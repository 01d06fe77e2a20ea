import { useState } from 'react';
import { BROWSER_BACKENDS } from '../../core/backend/names';
import type { TrainSettings } from '../../core/pipeline/settings';
import type { BackendPreference } from '../../core/pipeline/types';
import { useApp } from '../state/store';
import { BACKEND_NAMES } from './backendNames';
import { readModelFiles } from './pretrained';

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

/**
 * The automatic choice this browser remembers, and "Re-measure backends", which forgets it:
 * the next automatic run measures the backends again (and remembers that).
 */
function BackendChoiceLine({ disabled }: { disabled: boolean }) {
  const choice = useApp((st) => st.backendChoice);
  const remember = useApp((st) => st.rememberBackend);
  return (
    <p className="hint backend-choice" data-testid="backend-choice">
      {choice
        ? `Automatic choice in this browser: ${BACKEND_NAMES[choice.backend]}, measured ${new Date(choice.measuredAt).toLocaleString()} (${choice.reason}). `
        : 'Automatic choice: not measured in this browser yet; the next automatic run measures the backends. '}
      {choice && (
        <button
          type="button"
          className="link"
          disabled={disabled}
          onClick={() => remember(null)}
          data-testid="remeasure-backends"
        >
          Re-measure backends
        </button>
      )}
    </p>
  );
}

/** The training settings: how the model starts, its size, its priors and the backend. */
export function TrainSettingsForm({ disabled }: { disabled: boolean }) {
  const s = useApp((st) => st.trainSettings);
  const updateSettings = useApp((st) => st.updateTrainSettings);
  const cityName = useApp((st) => st.current?.city.metadata.name ?? null);
  // Settings changed here are this city's (another city tells them as carried over).
  const update = (patch: Partial<TrainSettings>): void => updateSettings(patch, cityName);
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
  const hasCentroids = useApp((st) => st.current?.city.regions.every((r) => r.centroid !== null) ?? false);
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
        Score tasks on
        <select
          value={s.scoring ?? 'folds'}
          disabled={disabled}
          onChange={(e) => update({ scoring: e.target.value as 'folds' | 'spatial' })}
          data-testid="scoring"
        >
          <option value="folds">Random folds (the city&apos;s own)</option>
          <option value="spatial" disabled={!hasCentroids}>
            Spatial blocks (5 districts held out whole){hasCentroids ? '' : ': needs region centroids'}
          </option>
        </select>
        <span className="hint">
          Spatial blocks ask how well a task is predicted in a district with no labels at all: harder, and
          closer to labelling one part of a city and predicting the rest.
        </span>
      </label>
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
      <BackendChoiceLine disabled={disabled} />
    </details>
  );
}
