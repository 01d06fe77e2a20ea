/**
 * The in-browser LLM (web-llm in a Web Worker): device capabilities, loading a model with
 * progress, writing a task template, and an encoder that turns texts into semantic vectors
 * with a web-llm embedding model. web-llm is imported on first use, so the app does not load
 * its 6 MB until a user asks for a model. Failures become the specific messages of
 * `explainLlmError`; the caller falls back to the offline encoder and template. Which encoder
 * task prompts use, and their LLM vectors, are controller.ts's.
 */
import type {
  InitProgressReport,
  MLCEngineInterface,
  ModelRecord,
  WebWorkerMLCEngine,
} from '@mlc-ai/web-llm';
import type { Encoder, SemanticVectors } from '../../core/prompt/encoder';
import type { TaskTemplate } from '../../core/tasks/types';
import { EMBEDDING_TEXT_MAX_CHARS } from '../../core/llm/regionAnalyses';
import type { ChatMessage } from '../../core/llm/templateGeneration';
import { aboutLeft, timeLeft } from '../ui/timeLeft';
import {
  modelChoices,
  storageShortfall,
  type DeviceCapabilities,
  type LlmModelChoice,
  type LlmModelRecord,
} from '../../core/llm/models';
import { softwareDevice } from '../../core/backend/devices';
import { parseGeneratedTemplate, templateRequestMessages } from '../../core/llm/templateGeneration';

/** What WebGPU offers here (no adapter: webgpu false). */
export async function deviceCapabilities(): Promise<DeviceCapabilities> {
  const memory = (navigator as Navigator & { deviceMemory?: number }).deviceMemory;
  const deviceMemoryMB = typeof memory === 'number' ? memory * 1024 : null;
  const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
  const adapter = gpu ? await gpu.requestAdapter().catch(() => null) : null;
  if (!adapter) return { webgpu: false, features: [], maxStorageBufferBytes: null, deviceMemoryMB };
  return {
    webgpu: true,
    features: [...adapter.features],
    maxStorageBufferBytes: adapter.limits.maxStorageBufferBindingSize,
    deviceMemoryMB,
  };
}

/**
 * Why WebGPU here is software (the browser's fallback adapter, or SwiftShader and the like by
 * its adapter info), or null for a real GPU or no WebGPU at all.
 */
export async function softwareWebGpuHere(): Promise<string | null> {
  type Info = { vendor?: string; architecture?: string; device?: string; description?: string };
  type Adapter = { isFallbackAdapter?: boolean; info?: Info & { isFallbackAdapter?: boolean } };
  const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<Adapter | null> } }).gpu;
  const adapter = gpu ? await gpu.requestAdapter().catch(() => null) : null;
  if (!adapter) return null;
  const info = adapter.info ?? {};
  const description = [info.vendor, info.architecture, info.device, info.description]
    .filter(Boolean)
    .join(' ');
  return softwareDevice({
    available: true,
    isFallbackAdapter: !!(adapter.isFallbackAdapter ?? info.isFallbackAdapter),
    description,
  });
}

/** web-llm's prebuilt models, each with whether it fits this device (loads web-llm). */
export async function modelChoicesHere(): Promise<LlmModelChoice[]> {
  return modelChoices(await prebuiltModels(), await deviceCapabilities());
}

/** web-llm's list of prebuilt models (loads web-llm). */
export async function prebuiltModels(): Promise<LlmModelRecord[]> {
  const { prebuiltAppConfig } = await import('@mlc-ai/web-llm');
  return prebuiltAppConfig.model_list;
}

export interface LoadProgress {
  /** 0..1 */
  fraction: number;
  seconds: number;
  /** web-llm's own words, e.g. "Fetching param cache[3/20]: 120MB fetched". */
  text: string;
}

/** The download's line: web-llm's own words (MB fetched) and the time left (after the first 1%). */
export function loadProgressLine(p: LoadProgress | null, starting: string): string {
  if (!p) return starting;
  return `${p.text}${aboutLeft(timeLeft(p.fraction, p.seconds, 0.01), 'seconds')}`;
}

/** Where local copies of web-llm models are served (models/webllm/, see models/README.md). */
const LOCAL_MODELS = 'models/webllm/';

/** Ids of the models with a local copy served beside the app (none when the folder is absent). */
export async function localModelIds(): Promise<string[]> {
  try {
    const response = await fetch(`${LOCAL_MODELS}index.json`);
    if (!response.ok || !(response.headers.get('content-type') ?? '').includes('json')) return [];
    const index = (await response.json()) as { models?: unknown };
    return Array.isArray(index.models) ? index.models.filter((m): m is string => typeof m === 'string') : [];
  } catch {
    return [];
  }
}

/**
 * web-llm's record for a model, pointed at its local copy: weights under
 * models/webllm/<id>/resolve/main/, the library as models/webllm/<id>/<library file name>.
 */
export function localRecord(record: ModelRecord, base: string): ModelRecord {
  const dir = new URL(`${LOCAL_MODELS}${record.model_id}/`, base).href;
  const library = record.model_lib.slice(record.model_lib.lastIndexOf('/') + 1);
  return { ...record, model: dir, model_lib: new URL(library, dir).href };
}

/**
 * Start web-llm's engine in a worker and load `modelId` (download and cache on first use),
 * from its local copy when there is one.
 */
export async function loadModel(
  modelId: string,
  onProgress: (p: LoadProgress) => void,
): Promise<WebWorkerMLCEngine> {
  const { CreateWebWorkerMLCEngine, prebuiltAppConfig } = await import('@mlc-ai/web-llm');
  const local = (await localModelIds()).includes(modelId);
  const record = prebuiltAppConfig.model_list.find((m) => m.model_id === modelId);
  if (!local) {
    const estimate = await navigator.storage?.estimate?.().catch(() => null);
    const short = storageShortfall(
      record?.vram_required_MB ?? 0,
      estimate ?? null,
      await isModelCached(modelId),
    );
    if (short) throw new Error(short);
  }
  const appConfig =
    local && record
      ? { ...prebuiltAppConfig, model_list: [localRecord(record, document.baseURI)] }
      : undefined;
  const worker = new Worker(new URL('../../workers/llm.worker.ts', import.meta.url), { type: 'module' });
  try {
    return await CreateWebWorkerMLCEngine(worker, modelId, {
      initProgressCallback: (r: InitProgressReport) =>
        onProgress({ fraction: r.progress, seconds: r.timeElapsed, text: r.text }),
      ...(appConfig ? { appConfig } : {}),
    });
  } catch (e) {
    worker.terminate();
    throw e;
  }
}

/** Whether the model's files are already in this browser's cache. */
export async function isModelCached(modelId: string): Promise<boolean> {
  const { hasModelInCache } = await import('@mlc-ai/web-llm');
  return hasModelInCache(modelId).catch(() => false);
}

/** The chat and embedding models whose files are in this browser's cache, with their sizes. */
export async function cachedModels(): Promise<{ id: string; sizeMB: number }[]> {
  const choices = modelChoices(await prebuiltModels(), {
    webgpu: true,
    features: [],
    maxStorageBufferBytes: null,
    deviceMemoryMB: null,
  });
  const cached = await Promise.all(choices.map((c) => isModelCached(c.id)));
  return choices.filter((_, i) => cached[i]).map((c) => ({ id: c.id, sizeMB: c.sizeMB }));
}

/** Remove a model's files from this browser's cache. */
export async function deleteCachedModel(modelId: string): Promise<void> {
  const { deleteModelAllInfoInCache } = await import('@mlc-ai/web-llm');
  await deleteModelAllInfoInCache(modelId);
}

/** Ask the chat model for a template (JSON mode) and validate it. */
export async function generateTemplate(
  engine: MLCEngineInterface,
  name: string,
  description: string,
): Promise<{ template: TaskTemplate } | { error: string }> {
  const reply = await engine.chat.completions.create({
    messages: templateRequestMessages(name, description),
    response_format: { type: 'json_object' },
    temperature: 0.3,
    max_tokens: 600,
  });
  return parseGeneratedTemplate(reply.choices[0]?.message.content ?? '');
}

/** An encoder backed by a loaded web-llm embedding model. */
export function webLlmEncoder(engine: MLCEngineInterface, modelId: string): Encoder {
  return {
    info: {
      id: `web-llm:${modelId}`,
      name: modelId,
      dimension: 0,
      offline: false,
      description: 'A web-llm embedding model running in this browser (WebGPU).',
    },
    async encode(texts, options = {}): Promise<SemanticVectors> {
      const rows: number[][] = [];
      const batch = 16;
      for (let i = 0; i < texts.length; i += batch) {
        options.signal?.throwIfAborted();
        // web-llm refuses inputs over the model's context window: cut them (regionAnalyses.ts).
        const input = texts.slice(i, i + batch).map((t) => t.slice(0, EMBEDDING_TEXT_MAX_CHARS));
        const reply = await engine.embeddings.create({ input, model: modelId });
        for (const d of reply.data) rows.push(d.embedding);
        options.onProgress?.(Math.min(texts.length, i + batch), texts.length);
      }
      const dimension = rows[0]?.length ?? 0;
      const data = new Float32Array(texts.length * dimension);
      rows.forEach((r, i) => data.set(r, i * dimension));
      return { n: texts.length, dimension, data, encoder: `web-llm:${modelId}` };
    },
  };
}

/** The chat model as the one call region analyses need (regionAnalyses.writeRegionAnalyses). */
export function chatGenerator(engine: MLCEngineInterface): (messages: ChatMessage[]) => Promise<string> {
  return async (messages) => {
    const reply = await engine.chat.completions.create({ messages, temperature: 0.2, max_tokens: 240 });
    return reply.choices[0]?.message.content ?? '';
  };
}
