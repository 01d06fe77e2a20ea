/**
 * Which web-llm models this device can run (issue: in-browser LLM). Pure: the app passes
 * web-llm's `prebuiltAppConfig.model_list` (or a local list) and what the WebGPU adapter
 * reports; nothing here imports web-llm, so it runs in Node tests.
 *
 * A model fits when WebGPU is there, the adapter has every feature the model needs (the f16
 * builds need `shader-f16`, which software adapters such as SwiftShader lack), its largest
 * buffer fits the adapter's storage-buffer limit, and its memory estimate fits the device's
 * memory where the browser reports one (`navigator.deviceMemory`, in GB, capped at 8 by
 * Chromium: a lower bound).
 */

/** The fields of web-llm's ModelRecord that choosing a model needs. */
export interface LlmModelRecord {
  model_id: string;
  vram_required_MB?: number;
  low_resource_required?: boolean;
  buffer_size_required_bytes?: number;
  required_features?: string[];
  /** web-llm's ModelType: 0 chat (LLM), 1 embedding, 2 vision-language. */
  model_type?: number;
}

export interface DeviceCapabilities {
  webgpu: boolean;
  /** The adapter's features, e.g. ["shader-f16"]. */
  features: string[];
  /** The adapter's maxStorageBufferBindingSize in bytes; null when unknown. */
  maxStorageBufferBytes: number | null;
  /** Device memory in MB (navigator.deviceMemory x 1024); null when the browser does not say. */
  deviceMemoryMB: number | null;
}

export type LlmModelKind = 'chat' | 'embedding';

export interface LlmModelChoice {
  id: string;
  kind: LlmModelKind;
  /** web-llm's estimate of the GPU memory it needs, in MB (0 when unknown). */
  sizeMB: number;
  fits: boolean;
  /** Why it does not fit, in words for the user; null when it fits. */
  reason: string | null;
}

/** The smallest chat model that needs no shader-f16, and the smallest embedding model. */
export const DEFAULT_CHAT_MODEL = 'SmolLM2-360M-Instruct-q4f32_1-MLC';
export const DEFAULT_EMBEDDING_MODEL = 'snowflake-arctic-embed-s-q0f32-MLC-b4';

function kindOf(record: LlmModelRecord): LlmModelKind | null {
  const type = record.model_type ?? 0;
  return type === 0 ? 'chat' : type === 1 ? 'embedding' : null;
}

/** Why `record` cannot run on `device`, or null when it can. */
export function whyNotFits(record: LlmModelRecord, device: DeviceCapabilities): string | null {
  if (!device.webgpu) return 'this browser has no WebGPU';
  const missing = (record.required_features ?? []).filter((f) => !device.features.includes(f));
  if (missing.length) return `needs the GPU feature ${missing.join(', ')}, which this GPU lacks`;
  const buffer = record.buffer_size_required_bytes;
  if (buffer && device.maxStorageBufferBytes !== null && buffer > device.maxStorageBufferBytes)
    return `needs GPU buffers of ${Math.round(buffer / 2 ** 20)} MB; this GPU allows ${Math.round(device.maxStorageBufferBytes / 2 ** 20)} MB`;
  const size = record.vram_required_MB ?? 0;
  if (device.deviceMemoryMB !== null && size > device.deviceMemoryMB)
    return `needs about ${Math.round(size)} MB of memory; this device reports ${Math.round(device.deviceMemoryMB)} MB`;
  return null;
}

/**
 * The chat and embedding models of `list` (vision models left out), smallest first, each with
 * whether it fits this device and why not.
 */
export function modelChoices(list: LlmModelRecord[], device: DeviceCapabilities): LlmModelChoice[] {
  const choices: LlmModelChoice[] = [];
  for (const record of list) {
    const kind = kindOf(record);
    if (!kind) continue;
    const reason = whyNotFits(record, device);
    choices.push({
      id: record.model_id,
      kind,
      sizeMB: record.vram_required_MB ?? 0,
      fits: reason === null,
      reason,
    });
  }
  return choices.sort((a, b) => a.sizeMB - b.sizeMB || a.id.localeCompare(b.id));
}

/** The model to offer first: the default when it fits, else the smallest that fits; null if none does. */
export function defaultModel(choices: LlmModelChoice[], kind: LlmModelKind): LlmModelChoice | null {
  const ofKind = choices.filter((c) => c.kind === kind && c.fits);
  const preferred = kind === 'chat' ? DEFAULT_CHAT_MODEL : DEFAULT_EMBEDDING_MODEL;
  return ofKind.find((c) => c.id === preferred) ?? ofKind[0] ?? null;
}

/** A model's size as the picker shows it: "376 MB", or "9.1 GB" from 1,000 MB up. */
export function modelSizeText(sizeMB: number): string {
  if (!(sizeMB > 0)) return 'size unknown';
  return sizeMB < 1000 ? `${Math.round(sizeMB)} MB` : `${(sizeMB / 1000).toFixed(1)} GB`;
}

/**
 * What a chat-model picker says when WebGPU here is software (`software`: why, from
 * core/pipeline/backends' softwareDevice); null on a real GPU.
 */
export function softwareGpuWarning(software: string | null): string | null {
  if (!software) return null;
  return `WebGPU here is not a GPU: ${software}. A chat model would run at a crawl (minutes for one answer, longer the bigger the model); the smallest is the only one worth trying.`;
}

/** What the app does when the LLM fails, unless the caller says otherwise. */
export const LLM_FALLBACK =
  ' The task goes on with the built-in offline encoder and template; nothing is lost.';

/**
 * Why the model cannot be cached in this browser's storage, or null when it can (or the
 * browser does not say): `estimate` is navigator.storage.estimate()'s answer. The download is
 * taken to be about the model's memory estimate (web-llm lists no download size; the weights
 * are most of both).
 */
export function storageShortfall(
  sizeMB: number,
  estimate: { usage?: number; quota?: number } | null,
  cached = false,
): string | null {
  if (cached || !estimate || typeof estimate.quota !== 'number' || sizeMB <= 0) return null;
  const freeMB = (estimate.quota - (estimate.usage ?? 0)) / 2 ** 20;
  if (freeMB >= sizeMB) return null;
  return `This model needs about ${Math.round(sizeMB)} MB of browser storage and this site may use only ${Math.max(0, Math.round(freeMB))} MB more: delete cached models, free disk space, or pick a smaller model.`;
}

/** What a picker of one kind of model offers: those that fit, the one to start on, or why none fits. */
export function modelPicker(
  choices: LlmModelChoice[],
  kind: LlmModelKind,
): { fitting: LlmModelChoice[]; first: LlmModelChoice | null; none: string | null } {
  const ofKind = choices.filter((c) => c.kind === kind);
  const first = defaultModel(ofKind, kind);
  return {
    fitting: ofKind.filter((c) => c.fits),
    first,
    none: first ? null : `No ${kind} model fits this device: ${ofKind[0]?.reason ?? 'none is listed'}.`,
  };
}

/**
 * A specific message for a failed model load or generation (web-llm's errors arrive from its
 * worker as text). Every message ends with what the app does instead.
 */
export function explainLlmError(message: string, fallback = LLM_FALLBACK): string {
  if (
    /Failed to fetch|NetworkError|ERR_NAME_NOT_RESOLVED|ERR_INTERNET_DISCONNECTED|Load failed/i.test(message)
  )
    return `The model could not be downloaded: this browser is offline or cannot reach the model host.${fallback}`;
  if (/Unexpected token '?<'?|is not valid JSON/i.test(message))
    return `A model file is missing from the local model folder (the server answered with a web page instead).${fallback}`;
  if (
    /WebGPU|navigator\.gpu|requestAdapter/i.test(message) &&
    /not (available|supported|found)|no adapter|undefined/i.test(message)
  )
    return `This browser has no usable WebGPU, which in-browser LLMs need.${fallback}`;
  if (/shader-f16|ShaderF16/i.test(message))
    return `This GPU lacks the shader-f16 feature this model needs: pick a model whose name has f32.${fallback}`;
  if (/out of memory|OOM|allocation|Device was lost|DeviceLost|device lost/i.test(message))
    return `The GPU ran out of memory or was lost while running the model: try a smaller model.${fallback}`;
  if (/only supports up to \d+ context size|ContextWindowSizeExceeded|context window/i.test(message))
    return `A text was longer than the model can read at once (its context window): shorten the template or pick a model with a longer context.${fallback}`;
  if (/needs about \d+ MB of browser storage/.test(message)) return `${message}${fallback}`;
  if (/quota|QuotaExceeded/i.test(message))
    return `Browser storage is full, so the model cannot be cached: delete cached models or free space.${fallback}`;
  return `The in-browser LLM failed: ${message}.${fallback}`;
}
