import { useRef, useState } from 'react';
import {
  defaultModel,
  explainLlmError,
  softwareGpuWarning,
  type LlmModelChoice,
} from '../../core/llm/models';
import type { TaskTemplate } from '../../core/tasks/types';
import {
  deleteCachedModel,
  generateTemplate,
  isModelCached,
  loadModel,
  loadProgressLine,
  modelChoicesHere,
  softwareWebGpuHere,
  type LoadProgress,
} from '../llm/webllm';
import { ModelSelect } from '../llm/ModelSelect';

const NO_LLM_FALLBACK = ' The task goes on with the built-in offline encoder and template; nothing is lost.';

/** Models up to this size (MB of GPU memory) are offered unless the user asks for all. */
const SMALL_MODEL_MB = 1500;

type Phase = 'idle' | 'listing' | 'ready' | 'loading' | 'writing' | 'done' | 'failed';

/**
 * Optional: a chat model in the browser (web-llm) writes the new task's template from its name
 * and sentence; the user can edit it. Any failure (no WebGPU, offline, memory) says what went
 * wrong, and the task goes on with the generic template and the offline encoder.
 */
export function LlmTemplate({
  name,
  description,
  template,
  onTemplate,
}: {
  name: string;
  description: string;
  template: TaskTemplate | null;
  onTemplate: (t: TaskTemplate | null) => void;
}) {
  const [phase, setPhase] = useState<Phase>('idle');
  const [choices, setChoices] = useState<LlmModelChoice[]>([]);
  const [modelId, setModelId] = useState('');
  const [cached, setCached] = useState(false);
  const [progress, setProgress] = useState<LoadProgress | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [showAll, setShowAll] = useState(false);
  const [slowGpu, setSlowGpu] = useState<string | null>(null);
  const busy = useRef(false);

  const findModels = async (): Promise<void> => {
    setPhase('listing');
    setMessage(null);
    try {
      const [found, software] = await Promise.all([modelChoicesHere(), softwareWebGpuHere()]);
      setChoices(found);
      setSlowGpu(softwareGpuWarning(software));
      const first = defaultModel(found, 'chat');
      if (!first) {
        const reason = found.find((c) => c.kind === 'chat')?.reason ?? 'no chat model is listed';
        setMessage(`No model fits this device: ${reason}.${NO_LLM_FALLBACK}`);
        setPhase('failed');
        return;
      }
      setModelId(first.id);
      setCached(await isModelCached(first.id));
      setPhase('ready');
    } catch (e) {
      setMessage(explainLlmError(e instanceof Error ? e.message : String(e)));
      setPhase('failed');
    }
  };

  const write = async (): Promise<void> => {
    if (busy.current) return;
    busy.current = true;
    setMessage(null);
    setPhase('loading');
    try {
      const engine = await loadModel(modelId, setProgress);
      setPhase('writing');
      const result = await generateTemplate(engine, name || 'New task', description || name);
      void engine.unload();
      if ('error' in result) {
        setMessage(
          `The model's template could not be used (${result.error}). The task goes on with the generic template; you can try again.`,
        );
        setPhase('failed');
      } else {
        onTemplate(result.template);
        setPhase('done');
      }
    } catch (e) {
      setMessage(explainLlmError(e instanceof Error ? e.message : String(e)));
      setPhase('failed');
    } finally {
      busy.current = false;
    }
  };

  const allFitting = choices.filter((c) => c.kind === 'chat' && c.fits);
  const fitting = showAll
    ? allFitting
    : allFitting.filter((c) => c.sizeMB <= SMALL_MODEL_MB || c.id === modelId);
  const notFitting = choices.filter((c) => c.kind === 'chat' && !c.fits).length;
  return (
    <details className="llm-template" data-testid="llm-template">
      <summary>Write the template with an in-browser LLM (optional)</summary>
      <p className="hint">
        A small language model runs in this browser (WebGPU) and writes the expert persona, what to look at
        and the answer&apos;s shape for this task. Without it the task uses a generic template.
      </p>
      {(phase === 'idle' || phase === 'failed') && (
        <div className="train-buttons">
          <button
            type="button"
            onClick={() => void findModels()}
            disabled={!name.trim()}
            aria-describedby={name.trim() ? undefined : 'llm-needs-name'}
          >
            Find models for this device
          </button>
          {!name.trim() && (
            <span className="hint" id="llm-needs-name" data-testid="llm-needs-name">
              Type the task&apos;s Name first: the model writes the template from it.
            </span>
          )}
        </div>
      )}
      {phase === 'listing' && <p className="hint">Looking at this device…</p>}
      {(phase === 'ready' || phase === 'done') && (
        <>
          <ModelSelect
            label="Chat model"
            className="field"
            choices={fitting}
            value={modelId}
            onChange={(id) => {
              setModelId(id);
              void isModelCached(id).then(setCached);
            }}
          />
          <label className="check">
            <input type="checkbox" checked={showAll} onChange={(e) => setShowAll(e.target.checked)} /> Show
            all {allFitting.length} models that fit (not only those up to {SMALL_MODEL_MB / 1000} GB)
          </label>
          {notFitting > 0 && <p className="hint">{notFitting} more do not fit this device.</p>}
          {slowGpu && (
            <p className="hint error" role="status" data-testid="llm-software-gpu">
              {slowGpu}
            </p>
          )}
          <div className="train-buttons">
            <button type="button" className="primary" onClick={() => void write()}>
              {cached ? 'Write template' : 'Download and write template'}
            </button>
            {cached && (
              <button
                type="button"
                onClick={() => void deleteCachedModel(modelId).then(() => setCached(false))}
              >
                Delete cached model
              </button>
            )}
          </div>
        </>
      )}
      {(phase === 'loading' || phase === 'writing') && (
        <div>
          <progress
            max={1}
            value={phase === 'writing' ? undefined : (progress?.fraction ?? 0)}
            aria-label="Model download"
          />
          <p className="hint" role="status">
            {phase === 'writing'
              ? 'Writing the template…'
              : loadProgressLine(progress, 'Starting the model…')}
          </p>
        </div>
      )}
      {message && (
        <p className="hint error" role="alert" data-testid="llm-message">
          {message}
        </p>
      )}
      {template && (
        <div className="llm-result">
          <label className="field">
            Persona
            <textarea
              rows={2}
              value={template.persona}
              onChange={(e) => onTemplate({ ...template, persona: e.target.value })}
            />
          </label>
          <label className="field">
            What to look at (one per line)
            <textarea
              rows={4}
              value={template.focus.join('\n')}
              onChange={(e) => onTemplate({ ...template, focus: e.target.value.split('\n') })}
            />
          </label>
          <label className="field">
            Answer&apos;s shape
            <textarea
              rows={2}
              value={template.outputStructure}
              onChange={(e) => onTemplate({ ...template, outputStructure: e.target.value })}
            />
          </label>
          <button type="button" onClick={() => onTemplate(null)}>
            Use the generic template instead
          </button>
        </div>
      )}
    </details>
  );
}
