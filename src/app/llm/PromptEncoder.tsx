import { useState } from 'react';
import { explainLlmError, modelPicker, type LlmModelChoice } from '../../core/llm/models';
import { diversityReport } from '../../core/prompt/diversity';
import { buildPrompts } from '../../core/prompt/promptBuilder';
import { taskFromLabels } from '../../core/tasks/tasks';
import { llm } from '../session/controllers';
import { loadProgressLine, modelChoicesHere, type LoadProgress } from './webllm';
import { useApp } from '../state/store';
import { ModelSelect } from './ModelSelect';

/**
 * Which encoder turns task text into the task prompt's features (the "R² + prompt" column):
 * the built-in offline one, or a web-llm embedding model running in this browser. On loading
 * one, the city's region prompts are encoded once and their diversity reported, with a
 * warning when the vectors barely differ between regions.
 */
export function PromptEncoder() {
  const loaded = useApp((s) => s.current);
  const [choices, setChoices] = useState<LlmModelChoice[] | null>(null);
  const [modelId, setModelId] = useState('');
  const [active, setActive] = useState<string | null>(null);
  const [progress, setProgress] = useState<LoadProgress | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [diversity, setDiversity] = useState<string | null>(null);

  const find = async (): Promise<void> => {
    setMessage(null);
    try {
      const { fitting, first, none } = modelPicker(await modelChoicesHere(), 'embedding');
      setChoices(fitting);
      if (first) setModelId(first.id);
      else setMessage(none);
    } catch (e) {
      setMessage(explainLlmError(e instanceof Error ? e.message : String(e)));
    }
  };

  const load = async (): Promise<void> => {
    setBusy(true);
    setMessage(null);
    setDiversity(null);
    try {
      const encoder = await llm.selectPromptEncoder(modelId, setProgress);
      setActive(modelId);
      const task = loaded?.city.labels[0];
      if (encoder && loaded && task) {
        const texts = buildPrompts(loaded.city, taskFromLabels(task), loaded.city.adjacency);
        const report = diversityReport(await encoder.encode(texts), texts);
        setDiversity(
          `Region prompts of "${task.name}": mean pairwise cosine ${report.meanCosine.toFixed(3)}, effective rank ${report.effectiveRank.toFixed(1)}${report.flags.length ? `. Warning: ${report.flags.join('; ')}` : ''}.`,
        );
      }
    } catch (e) {
      await llm.selectPromptEncoder(null, () => {});
      setActive(null);
      setMessage(explainLlmError(e instanceof Error ? e.message : String(e)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <fieldset className="settings-block" data-testid="prompt-encoder">
      <legend>Task prompt encoder</legend>
      <p className="hint" role="status">
        {active
          ? `Task prompts use the web-llm embedding model ${active}; train again to use it.`
          : 'Task prompts use the built-in offline encoder (no download).'}
      </p>
      {choices === null ? (
        <button type="button" onClick={() => void find()}>
          Find embedding models for this device
        </button>
      ) : (
        choices.length > 0 && (
          <>
            <ModelSelect label="Embedding model" choices={choices} value={modelId} onChange={setModelId} />
            <button type="button" onClick={() => void load()} disabled={busy || !modelId}>
              Load and use
            </button>
            {active && (
              <button
                type="button"
                onClick={() => void llm.selectPromptEncoder(null, () => {}).then(() => setActive(null))}
              >
                Use the offline encoder
              </button>
            )}
          </>
        )
      )}
      {busy && (
        <p className="hint" role="status">
          <progress max={1} value={progress?.fraction ?? 0} aria-label="Embedding model download" />{' '}
          {loadProgressLine(progress, 'Starting the model…')}
        </p>
      )}
      {diversity && <p className="hint">{diversity}</p>}
      {message && (
        <p className="hint error" role="alert" data-testid="prompt-encoder-message">
          {message}
        </p>
      )}
    </fieldset>
  );
}
