/**
 * A small registry of semantic encoders: it lets the app list them and lets encoders that only
 * exist in some environments (the web-llm encoder in the browser) register themselves. The
 * built-in offline encoder is registered by default. (It lives apart from `encoder.ts`, whose
 * types every encoder imports, so that no import runs in a circle.)
 */
import type { Encoder, EncoderFactory, EncoderInfo } from './encoder';
import { OFFLINE_ENCODER_INFO, createOfflineEncoder } from './offlineEncoder';

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
