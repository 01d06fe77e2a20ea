/**
 * Semantic encoders (method.md, Prompt4RE step 2): whatever turns one prompt per region into
 * one vector per region. Every encoder shares the `Encoder` interface below: the offline one
 * (offlineEncoder.ts), imported vectors (importedVectors.ts) and web-llm's in the app. This
 * module holds types only, so that encoders import it without importing one another.
 */

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
