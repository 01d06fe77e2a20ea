/**
 * Semantic encoders (method.md, Prompt4RE step 2): whatever turns one prompt per region into
 * one vector per region. Every encoder shares the `Encoder` interface below; a small registry
 * lets the app list them and lets encoders that only exist in some environments (the web-llm
 * encoder in the browser) register themselves. The built-in offline encoder is registered by
 * default.
 */
import { OFFLINE_ENCODER_INFO, createOfflineEncoder } from './offlineEncoder';

export interface EncoderInfo {
  /** Stable id, stored with results (e.g. "offline-lexical"). */
  id: string;
  /** Short name for menus. */
  name: string;
  /** Width T of the vectors it returns. */
  dimension: number;
  /** true when it runs without downloading anything. */
  offline: boolean;
  /** One or two sentences for the user: what it is and what it is good for. */
  description: string;
}

/** One vector per text: an n x dimension row-major matrix (row i encodes text i). */
export interface SemanticVectors {
  n: number;
  dimension: number;
  /** n x dimension, row-major. */
  data: Float32Array;
  /** `EncoderInfo.id` of the encoder that produced them. */
  encoder: string;
}

export interface EncodeOptions {
  /** Checked between texts; an aborted signal rejects with `signal.reason`. */
  signal?: AbortSignal;
  /** Called as texts are done (`done` of `total`). */
  onProgress?: (done: number, total: number) => void;
}

export interface Encoder {
  info: EncoderInfo;
  encode(texts: string[], options?: EncodeOptions): Promise<SemanticVectors>;
}

/** How the registry makes an encoder: its description up front, the encoder on demand. */
export interface EncoderFactory {
  info: EncoderInfo;
  /** A ready encoder; heavy set-up (model downloads) belongs in its first `encode` call. */
  create(): Encoder;
}

const registry = new Map<string, EncoderFactory>();

/** Add an encoder to the registry. Registering an id again replaces the earlier factory. */
export function registerEncoder(factory: EncoderFactory): void {
  if (!factory.info.id) throw new Error('registerEncoder: the encoder needs a non-empty id');
  registry.set(factory.info.id, factory);
}

/** Remove an encoder from the registry; true if it was there. */
export function unregisterEncoder(id: string): boolean {
  return registry.delete(id);
}

/** Descriptions of the registered encoders, in registration order. */
export function listEncoders(): EncoderInfo[] {
  return [...registry.values()].map((f) => f.info);
}

/** A new encoder for a registered id, or null when none is registered under it. */
export function getEncoder(id: string): Encoder | null {
  const factory = registry.get(id);
  return factory ? factory.create() : null;
}

registerEncoder({ info: OFFLINE_ENCODER_INFO, create: () => createOfflineEncoder() });
