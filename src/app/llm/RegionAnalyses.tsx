import { useEffect, useMemo, useRef, useState } from 'react';
import type { WebWorkerMLCEngine } from '@mlc-ai/web-llm';
import { explainLlmError, modelPicker, softwareGpuWarning, type LlmModelChoice } from '../../core/llm/models';
import {
  analysesDone,
  analysisRunKey,
  startAnalysisRun,
  textsToEncode,
  writeRegionAnalyses,
  type RegionAnalysisState,
} from '../../core/llm/regionAnalyses';
import { diversityReport } from '../../core/prompt/diversity';
import { buildPrompts } from '../../core/prompt/promptBuilder';
import { taskFromLabels } from '../../core/tasks/tasks';
import { llm, tasks } from '../session/controllers';
import { deleteAnalyses, loadAnalyses, saveAnalyses } from '../session/persistence';
import { useApp } from '../state/store';
import { aboutLeft, secondsSince, timeLeft } from '../ui/timeLeft';
import { taskVectorsKey, vectorsIdOf } from './controller';
import { ModelSelect } from './ModelSelect';
import {
  chatGenerator,
  loadModel,
  loadProgressLine,
  modelChoicesHere,
  softwareWebGpuHere,
  type LoadProgress,
} from './webllm';

const ANALYSES_FALLBACK =
  ' The analyses written so far are kept: resume to go on, or encode the region prompts without them.';

type Phase = 'idle' | 'loading' | 'writing' | 'paused' | 'failed' | 'done';

/** The run shown: its state, how many regions have an answer, and the time left while writing. */
interface ShownRun {
  key: string;
  state: RegionAnalysisState;
  done: number;
  secondsLeft: number | null;
}

/**
 * Semantic vectors from web-llm for one task (method.md, Prompt4RE step 2): optionally a chat
 * model writes a short analysis of every region from its filled template (batched, with
 * progress, pause and cancel; saved after every batch, so it resumes after a reload), then the
 * embedding model chosen above encodes each region's prompt with its analysis. Their diversity
 * is measured and the vectors become the task's prompt features (the "R² + prompt" column).
 */
export function RegionAnalyses() {
  const loaded = useApp((s) => s.current);
  const templates = useApp((s) => s.taskTemplates);
  const trained = useApp((s) => !!s.training?.result && s.training.loadId === s.current?.loadId);
  const encoderModel = useApp((s) => s.encoderModel);
  const vectorNames = useApp((s) => s.taskVectors);
  const [taskId, setTaskId] = useState('');
  const [choices, setChoices] = useState<LlmModelChoice[] | null>(null);
  const [slowGpu, setSlowGpu] = useState<string | null>(null);
  const [modelId, setModelId] = useState('');
  const [phase, setPhase] = useState<Phase>('idle');
  const [run, setRun] = useState<ShownRun | null>(null);
  const [loadProgress, setLoadProgress] = useState<LoadProgress | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [encoding, setEncoding] = useState<string | null>(null);
  const [diversity, setDiversity] = useState<string | null>(null);
  const engine = useRef<{ id: string; engine: WebWorkerMLCEngine } | null>(null);
  const abort = useRef<AbortController | null>(null);
  /** The run the user cancelled: it must neither save nor show anything more. */
  const cancelled = useRef<AbortController | null>(null);

  const city = loaded?.city ?? null;
  const vectorsId = loaded ? vectorsIdOf(loaded) : '';
  const labels = city?.labels.find((l) => l.id === taskId) ?? city?.labels[0] ?? null;
  const prompts = useMemo(() => {
    if (!city || !labels) return [];
    const base = taskFromLabels(labels);
    const template = templates[labels.id];
    return buildPrompts(city, template ? { ...base, template } : base, city.adjacency);
  }, [city, labels, templates]);
  const runKey = labels && modelId ? analysisRunKey(vectorsId, labels.id, modelId, prompts) : '';

  // The saved run of this city, task, model and prompts, if any (it resumes).
  useEffect(() => {
    let stale = false;
    if (runKey)
      void loadAnalyses(runKey).then((saved) => {
        if (!stale && saved)
          setRun({ key: runKey, state: saved, done: analysesDone(saved), secondsLeft: null });
      });
    return () => {
      stale = true;
    };
  }, [runKey]);
  useEffect(() => {
    if (vectorsId && labels) void llm.taskVectorsFor(vectorsId, labels.id);
  }, [vectorsId, labels]);

  useEffect(
    () => () => {
      abort.current?.abort();
      void engine.current?.engine.unload();
    },
    [],
  );

  if (!city || !labels) return null;
  const total = prompts.length;
  const shown = run?.key === runKey ? run : null;
  const state = shown?.state ?? null;
  const done = shown?.done ?? 0;
  const left = shown?.secondsLeft ?? null;
  const inUse = vectorNames[taskVectorsKey(vectorsId, labels.id)] ?? null;
  const running = phase === 'loading' || phase === 'writing';

  const findModels = async (): Promise<void> => {
    setMessage(null);
    try {
      const [found, software] = await Promise.all([modelChoicesHere(), softwareWebGpuHere()]);
      const { fitting, first, none } = modelPicker(found, 'chat');
      setSlowGpu(softwareGpuWarning(software));
      setChoices(fitting);
      if (first) setModelId(first.id);
      else setMessage(none);
    } catch (e) {
      setMessage(explainLlmError(e instanceof Error ? e.message : String(e), ANALYSES_FALLBACK));
    }
  };

  const write = async (): Promise<void> => {
    if (running) return;
    const controller = new AbortController();
    abort.current = controller;
    setMessage(null);
    try {
      if (engine.current?.id !== modelId) {
        setPhase('loading');
        void engine.current?.engine.unload();
        engine.current = null;
        const loadedEngine = await loadModel(modelId, setLoadProgress);
        if (cancelled.current === controller) {
          void loadedEngine.unload();
          return;
        }
        engine.current = { id: modelId, engine: loadedEngine };
      }
      const key = runKey;
      const analyses = startAnalysisRun(key, modelId, total, state ?? (await loadAnalyses(key)));
      const startedAt = Date.now();
      const doneAtStart = analysesDone(analyses);
      setRun({ key, state: analyses, done: doneAtStart, secondsLeft: null });
      setPhase('writing');
      const outcome = await writeRegionAnalyses(prompts, analyses, chatGenerator(engine.current.engine), {
        signal: controller.signal,
        onProgress: (k) => {
          if (cancelled.current === controller) return;
          // The rate of this session's answers (those written before it took no time now).
          const fraction = (k - doneAtStart) / (total - doneAtStart);
          const secondsLeft = timeLeft(fraction, secondsSince(startedAt, Date.now()));
          setRun({ key, state: analyses, done: k, secondsLeft });
        },
        onBatch: (s) => (cancelled.current === controller ? undefined : saveAnalyses(s)),
      });
      if (cancelled.current === controller) return;
      if (outcome.status === 'failed') {
        setMessage(
          `Region ${city.regions[outcome.region]?.name ?? outcome.region + 1}: ${explainLlmError(outcome.message, ANALYSES_FALLBACK)}`,
        );
        setPhase('failed');
      } else setPhase(outcome.status);
    } catch (e) {
      if (cancelled.current === controller) return;
      setMessage(explainLlmError(e instanceof Error ? e.message : String(e), ANALYSES_FALLBACK));
      setPhase('failed');
    }
  };

  const cancel = async (): Promise<void> => {
    cancelled.current = abort.current;
    abort.current?.abort();
    await deleteAnalyses(runKey);
    void engine.current?.engine.unload();
    engine.current = null;
    setRun(null);
    setPhase('idle');
  };

  const encode = async (withAnalyses: boolean): Promise<void> => {
    const encoder = useApp.getState().promptEncoder;
    if (!encoder || !encoderModel) return;
    setMessage(null);
    setDiversity(null);
    setEncoding('Encoding the regions…');
    try {
      const analyses = withAnalyses && state ? state.analyses : null;
      const texts = textsToEncode(prompts, analyses);
      const vectors = await encoder.encode(texts, {
        onProgress: (k, n) => setEncoding(`Encoding the regions: ${k} of ${n}`),
      });
      const report = diversityReport(vectors, texts);
      setDiversity(
        `${vectors.n} vectors of ${vectors.dimension} dimensions: mean pairwise cosine ${report.meanCosine.toFixed(3)}, effective rank ${report.effectiveRank.toFixed(1)}.${report.flags.length ? ` Warning: ${report.flags.join('; ')}. The ridge head will likely ignore them.` : ''}`,
      );
      const name = analyses
        ? `region analyses by ${state?.model ?? 'the chat model'}, encoded by ${encoderModel}`
        : `region prompts encoded by ${encoderModel}`;
      await llm.setTaskVectors(vectorsId, labels.id, { vectors, name });
    } catch (e) {
      setMessage(
        explainLlmError(
          e instanceof Error ? e.message : String(e),
          ' The task keeps its previous prompt features; nothing is lost.',
        ),
      );
    } finally {
      setEncoding(null);
    }
  };

  return (
    <fieldset className="settings-block" data-testid="region-analyses">
      <legend>LLM vectors for a task</legend>
      <p className="hint">
        Optional: a chat model writes a short analysis of every region from the task&apos;s template; the
        embedding model above encodes each region&apos;s prompt (with its analysis) into the task&apos;s
        semantic vectors, used by the &ldquo;R² + prompt&rdquo; column.
      </p>
      <label>
        Task
        <select value={labels.id} onChange={(e) => setTaskId(e.target.value)} disabled={running}>
          {city.labels.map((l) => (
            <option key={l.id} value={l.id}>
              {l.name}
            </option>
          ))}
        </select>
      </label>
      <p className="hint" role="status" data-testid="task-vectors-status">
        {inUse
          ? `${labels.name} uses LLM vectors: ${inUse}.`
          : `${labels.name} uses the task-attended composition.`}
      </p>
      {choices === null ? (
        <button type="button" onClick={() => void findModels()}>
          Find chat models for region analyses
        </button>
      ) : (
        choices.length > 0 && (
          <>
            <ModelSelect
              label="Chat model"
              choices={choices}
              value={modelId}
              onChange={setModelId}
              disabled={running}
            />
            {slowGpu && (
              <p className="hint error" role="status" data-testid="analyses-software-gpu">
                {slowGpu}
              </p>
            )}
            <div className="train-buttons">
              {!running && done < total && (
                <button type="button" className="primary" onClick={() => void write()} disabled={!modelId}>
                  {done > 0 ? `Resume (${done} of ${total} written)` : `Write ${total} region analyses`}
                </button>
              )}
              {phase === 'writing' && (
                <button type="button" onClick={() => abort.current?.abort()}>
                  Pause
                </button>
              )}
              {(running || done > 0) && (
                <button type="button" onClick={() => void cancel()}>
                  {running ? 'Cancel' : 'Discard the analyses'}
                </button>
              )}
            </div>
          </>
        )
      )}
      {(running || done > 0) && (
        <div>
          <progress
            max={phase === 'loading' ? 1 : total}
            value={phase === 'loading' ? (loadProgress?.fraction ?? 0) : done}
            aria-label="Region analyses"
          />
          <p className="hint" role="status">
            {phase === 'loading'
              ? loadProgressLine(loadProgress, 'Starting the chat model…')
              : `${done} of ${total} regions analysed${phase === 'writing' ? aboutLeft(left) : ''}${phase === 'paused' ? ' · paused' : ''}${state && Object.keys(state.skipped).length ? ` · ${Object.keys(state.skipped).length} answers unusable (those regions use their prompt alone)` : ''}`}
          </p>
        </div>
      )}
      <div className="train-buttons">
        <button
          type="button"
          onClick={() => void encode(done > 0)}
          disabled={!encoderModel || running || encoding !== null}
          title={encoderModel ? undefined : 'Load an embedding model under "Task prompt encoder" first'}
        >
          {done > 0 ? `Encode prompts with the ${done} analyses` : 'Encode the region prompts'}
        </button>
        {inUse && (
          <button type="button" onClick={() => void llm.setTaskVectors(vectorsId, labels.id, null)}>
            Stop using them
          </button>
        )}
        {inUse && trained && (
          <button
            type="button"
            onClick={() => {
              const error = tasks.evaluateTaskAgain(labels.id);
              if (error) setMessage(error);
            }}
          >
            Predict {labels.name} again
          </button>
        )}
      </div>
      {!encoderModel && (
        <p className="hint">Load an embedding model under &ldquo;Task prompt encoder&rdquo; to encode.</p>
      )}
      {encoding && (
        <p className="hint" role="status">
          {encoding}
        </p>
      )}
      {diversity && <p className="hint">{diversity}</p>}
      {message && (
        <p className="hint error" role="alert" data-testid="region-analyses-message">
          {message}
        </p>
      )}
    </fieldset>
  );
}
