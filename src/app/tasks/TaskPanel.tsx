import { useEffect, useState } from 'react';
import type { TaskTemplate } from '../../core/tasks/types';
import { tasks } from '../session/controllers';
import type { LoadedCity } from '../state/city';
import { useApp } from '../state/store';
import type { TaskEvaluation } from '../state/tasks';
import { isTextEntry, keyBelongsToTarget } from '../ui/keys';
import { aboutLeft } from '../ui/timeLeft';
import { LlmTemplate } from './LlmTemplate';

/** Define a new task: a name, a sentence, and labels painted on the map or read from a CSV. */
export function TaskPanel({ loaded }: { loaded: LoadedCity }) {
  const draft = useApp((s) => (s.draftTask?.loadId === loaded.loadId ? s.draftTask : null));
  const brush = useApp((s) => s.brush);
  const setBrush = useApp((s) => s.setBrush);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [brushValue, setBrushValue] = useState('1');
  const [message, setMessage] = useState<string | null>(null);
  const [problems, setProblems] = useState<string[]>([]);
  const [csvSummary, setCsvSummary] = useState<string | null>(null);
  const [template, setTemplate] = useState<TaskTemplate | null>(null);
  const evaluation = useApp((s) => s.taskEvaluation);
  const tool = useApp((s) => s.paintTool);
  const setPaintTool = useApp((s) => s.setPaintTool);
  const corners = useApp((s) => s.polygon.length);
  const setPolygon = useApp((s) => s.setPolygon);
  const { undoPaint, eraseDraftLabels, fillPolygon, cancelDraft } = useApp.getState();

  // Ctrl/Cmd+Z undoes the last stroke while a task is being labelled.
  useEffect(() => {
    if (!draft) return;
    const onKey = (e: KeyboardEvent): void => {
      const target = e.target as HTMLElement | null;
      const s = useApp.getState();
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'z') {
        // A text field's own Ctrl+Z undoes its typing; anywhere else it undoes a stroke.
        if (isTextEntry(target)) return;
        e.preventDefault();
        s.undoPaint();
        return;
      }
      // Keys on a field, a select, a button or a link are theirs (Enter presses the button).
      if (keyBelongsToTarget(target)) return;
      // Polygon tool: Enter fills, Backspace takes back a corner, Escape starts over.
      if (s.brush === null || s.paintTool !== 'polygon' || s.polygon.length === 0) return;
      if (e.key === 'Enter') {
        e.preventDefault();
        s.fillPolygon();
      } else if (e.key === 'Backspace') {
        e.preventDefault();
        s.removePolygonCorner();
      } else if (e.key === 'Escape') {
        e.preventDefault();
        s.setPolygon([]);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [draft]);

  if (!draft)
    return (
      <section className="card" aria-labelledby="task-title">
        <h2 id="task-title">New task</h2>
        {evaluation && <EvaluationStatus evaluation={evaluation} />}
        <p className="hint">
          Predict something of your own: name it, say what it measures, then paint values onto regions (or
          load a CSV of region id and value). Regions you leave blank are predicted.
        </p>
        <label className="field">
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. Noise complaints" />
        </label>
        <label className="field">
          What it measures (one sentence)
          <input
            value={description}
            onChange={(e) => setDescription(e.target.value)}
            placeholder="e.g. Noise complaints per year reported by residents"
          />
        </label>
        <LlmTemplate name={name} description={description} template={template} onTemplate={setTemplate} />
        <button
          type="button"
          onClick={() => {
            const focus = template?.focus.map((f) => f.trim()).filter(Boolean) ?? [];
            const error = tasks.startDraft(
              name,
              description,
              template && focus.length ? { ...template, focus } : undefined,
            );
            setMessage(error);
            if (!error) {
              setProblems([]);
              setCsvSummary(null);
              const v = Number(brushValue);
              setBrush(Number.isFinite(v) ? v : 1);
            }
          }}
        >
          Start labelling
        </button>
        {message && (
          <p className="hint error" role="alert">
            {message}
          </p>
        )}
      </section>
    );

  const labelled = draft.values.filter((v) => !Number.isNaN(v)).length;
  return (
    <section className="card" aria-labelledby="task-title" data-testid="task-draft">
      <h2 id="task-title">Labelling: {draft.name}</h2>
      <p className="muted" data-testid="draft-count">
        {labelled} of {draft.values.length} regions labelled
      </p>
      <label className="field">
        Value to paint
        <input
          type="number"
          value={brushValue}
          onChange={(e) => {
            setBrushValue(e.target.value);
            const v = Number(e.target.value);
            if (brush !== null && e.target.value !== '' && Number.isFinite(v)) setBrush(v);
          }}
        />
      </label>
      <div className="train-buttons">
        <button
          type="button"
          aria-pressed={brush !== null}
          onClick={() => {
            const v = Number(brushValue);
            setBrush(brush !== null ? null : Number.isFinite(v) ? v : 1);
          }}
        >
          {brush !== null ? 'Stop painting' : 'Paint'}
        </button>
        <button type="button" onClick={undoPaint} disabled={draft.history.length === 0}>
          Undo <kbd>Ctrl+Z</kbd>
        </button>
        <button type="button" onClick={eraseDraftLabels} disabled={labelled === 0}>
          Erase all
        </button>
      </div>
      <RegionLabelForm loaded={loaded} />
      <fieldset className="paint-tool">
        <legend>Paint with</legend>
        <label>
          <input
            type="radio"
            name="paint-tool"
            checked={tool === 'brush'}
            onChange={() => setPaintTool('brush')}
          />{' '}
          Brush: region by region
        </label>
        <label>
          <input
            type="radio"
            name="paint-tool"
            checked={tool === 'polygon'}
            onChange={() => setPaintTool('polygon')}
          />{' '}
          Polygon: every region inside
        </label>
      </fieldset>
      {brush !== null && tool === 'brush' && (
        <p className="hint">Click or drag over regions to give them {brush}. The mouse wheel still zooms.</p>
      )}
      {brush !== null && tool === 'polygon' && (
        <div className="hint" data-testid="polygon-help">
          <p>
            Click the map to place corners ({corners} so far); click the first corner or press{' '}
            <kbd>Enter</kbd> to give every region inside {brush}. <kbd>Backspace</kbd> removes the last
            corner, <kbd>Esc</kbd> starts over. Dragging still pans.
          </p>
          <div className="train-buttons">
            <button type="button" onClick={() => fillPolygon()} disabled={corners < 3}>
              Fill polygon
            </button>
            <button type="button" onClick={() => setPolygon([])} disabled={corners === 0}>
              Clear corners
            </button>
          </div>
        </div>
      )}
      <label className="field">
        Or labels from a CSV (region id, value)
        <input
          type="file"
          accept=".csv,.tsv,.txt"
          data-testid="task-csv"
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file)
              void tasks.loadDraftCsv(file).then((r) => {
                setProblems(r.problems);
                setCsvSummary(r.summary);
              });
          }}
        />
      </label>
      {csvSummary && (
        <p className="hint" role="status" data-testid="task-csv-summary">
          {csvSummary}
        </p>
      )}
      {problems.length > 0 && (
        <ul className="hint error" role="alert">
          {problems.slice(0, 8).map((p) => (
            <li key={p}>{p}</li>
          ))}
          {problems.length > 8 && <li>… and {problems.length - 8} more</li>}
        </ul>
      )}
      <div className="train-buttons">
        <button
          type="button"
          className="primary"
          onClick={() => {
            const error = tasks.addDraftTask();
            setMessage(error);
            if (!error) {
              setName('');
              setDescription('');
              setTemplate(null);
            }
          }}
        >
          Add task
        </button>
        <button type="button" onClick={cancelDraft}>
          Cancel
        </button>
      </div>
      {message && (
        <p className="hint error" role="alert">
          {message}
        </p>
      )}
    </section>
  );
}

/**
 * Labelling without a mouse: the region selected (in the Region list above, with the finder or
 * on the map) gets the value typed here on Enter, through the same edit as painting (Undo works).
 */
function RegionLabelForm({ loaded }: { loaded: LoadedCity }) {
  const selected = useApp((s) => s.selected);
  const labelRegion = useApp((s) => s.labelRegion);
  const current = useApp((s) =>
    s.selected !== null && s.draftTask ? s.draftTask.values[s.selected] : undefined,
  );
  const [text, setText] = useState('');
  // What the last Enter did, for the region it was pressed on (another region shows its own label).
  const [saidFor, setSaid] = useState<{ text: string; error: boolean; region: number | null } | null>(null);
  const said = saidFor?.region === selected ? saidFor : null;
  const region = selected !== null ? loaded.city.regions[selected] : undefined;
  const name = region ? (region.name === region.id ? region.id : `${region.name} (${region.id})`) : null;
  return (
    <form
      className="field"
      data-testid="label-region"
      onSubmit={(e) => {
        e.preventDefault();
        const value = Number(text);
        if (selected === null || !name)
          setSaid({
            text: 'Select a region first: the Region list above, or click one on the map.',
            error: true,
            region: selected,
          });
        else if (text.trim() === '' || !Number.isFinite(value))
          setSaid({ text: 'Type a number to give the region.', error: true, region: selected });
        else {
          labelRegion(selected, value);
          setSaid({ text: `${name} labelled ${value}.`, error: false, region: selected });
        }
      }}
    >
      <label>
        Value for the selected region{name ? `, ${name}` : ''} (Enter sets it)
        <input
          type="number"
          step="any"
          value={text}
          data-testid="label-region-value"
          onChange={(e) => setText(e.target.value)}
        />
      </label>
      <p className={said?.error ? 'hint error' : 'hint'} role="status" data-testid="label-region-status">
        {said?.text ??
          (name
            ? current !== undefined && !Number.isNaN(current)
              ? `${name} is labelled ${current}.`
              : `${name} has no label yet.`
            : 'No region selected: choose one in the Region list above.')}
      </p>
    </form>
  );
}

/** The added custom task being cross-validated in a worker, with time left; or why it failed. */
function EvaluationStatus({ evaluation }: { evaluation: TaskEvaluation }) {
  const setTaskEvaluation = useApp((s) => s.setTaskEvaluation);
  if (evaluation.error)
    return (
      <p className="hint error" role="alert" data-testid="task-evaluation">
        {evaluation.error}{' '}
        <button type="button" onClick={() => setTaskEvaluation(null)}>
          Dismiss
        </button>
      </p>
    );
  const fraction = evaluation.total > 0 ? evaluation.done / evaluation.total : 0;
  const left = evaluation.secondsLeft;
  return (
    <div data-testid="task-evaluation">
      <progress max={1} value={fraction} aria-label={`Predicting ${evaluation.name}`} />
      <p className="hint" role="status">
        Cross-validating “{evaluation.name}” on the trained embeddings
        {left !== null ? aboutLeft(left, 'seconds') : '…'}
      </p>
    </div>
  );
}
