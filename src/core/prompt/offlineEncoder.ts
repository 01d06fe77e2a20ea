/**
 * The built-in offline text encoder: no download, deterministic, bit-identical in Node and in
 * browsers, and as meaningful as a lexical method can be. It sees which words, word pairs and
 * word fragments a prompt uses, not what they mean.
 *
 * Pipeline, one function per step:
 *  1. `tokenise`: NFKC, lower case, Unicode words; numbers become log-scale bucket tokens
 *     (two overlapping grids, so 12 and 13 share a token but 2 and 200 share none).
 *  2. `countFeatures`: word unigrams, word bigrams and character 3- to 5-grams of words (with
 *     `<` `>` word-boundary marks), each hashed (FNV-1a over code points, finished with
 *     murmur3's fmix32) to a signed slot: one of 2^hashBits buckets (2^18 by default) and a sign.
 *  3. `documentFrequencies` / `inverseDocumentFrequencies`: smoothed IDF as scikit-learn's
 *     `TfidfTransformer(smooth_idf=True)`, idf = ln((1 + n) / (1 + df)) + 1, **fitted on the
 *     batch being encoded**. A text's vector therefore depends on the other texts of the batch:
 *     that is the point for per-city prompts, where the boilerplate shared by every region's
 *     prompt should weigh little and what sets a region apart should weigh much. Pass
 *     `fitIdf: false` for plain TF (each text then encodes on its own).
 *  4. `weightFeatures`: sublinear TF (1 + ln tf) times IDF; each feature family is L2-normalised
 *     and weighted (`FAMILY_WEIGHTS`), the signed buckets summed, the whole L2-normalised.
 *  5. `SignProjection`: a fixed random projection to `dimension` (384 by default): each bucket
 *     has its own row of ±1 entries (Achlioptas' projection with s = 1), generated lazily from
 *     the bucket number and a fixed seed with the core `Rng`, so no 2^18 x 384 matrix exists.
 *     The result is L2-normalised (a text with no tokens gives the zero vector).
 *
 * Determinism: only operations IEEE 754 rounds exactly (+, -, *, /, sqrt) touch the numbers;
 * logarithms use `detLog` below instead of `Math.log`, whose last bit may differ between
 * JavaScript engines. Tokenising depends on the engine's Unicode tables only for characters
 * newer than the engines compared.
 */
import { Rng } from '../random';
import type { EncodeOptions, Encoder, EncoderInfo, SemanticVectors } from './encoder';

export const OFFLINE_ENCODER_ID = 'offline-lexical';
export const DEFAULT_DIMENSION = 384;
export const DEFAULT_HASH_BITS = 18;
/** Seed of the fixed projection (changing it changes every vector). */
export const PROJECTION_SEED = 20240611;
/** Numbers are bucketed by log_1.5(1 + |x|): a bucket spans a factor 1.5. */
export const NUMBER_BUCKET_BASE = 1.5;
export const CHAR_NGRAM_MIN = 3;
export const CHAR_NGRAM_MAX = 5;
/** Relative weight of the unigram, bigram and character n-gram families (each unit-norm). */
export const FAMILY_WEIGHTS: readonly [number, number, number] = [1, 1, 1];
/** Longest stretch of synchronous work before `encode` yields to the event loop (ms). */
const YIELD_AFTER_MS = 30;

export interface OfflineEncoderOptions {
  /** Output width T (default 384). */
  dimension?: number;
  /** log2 of the number of hash buckets, 10..24 (default 18). */
  hashBits?: number;
  /** Weight by IDF fitted on the batch (default true); false gives plain sublinear TF. */
  fitIdf?: boolean;
  /** Seed of the projection, an integer in [0, 2^29) (default `PROJECTION_SEED`). */
  seed?: number;
}

interface OfflineConfig {
  dimension: number;
  hashBits: number;
  fitIdf: boolean;
  seed: number;
}

// ---------------------------------------------------------------------------------------------
// Deterministic logarithm

const LOG_VIEW = new DataView(new ArrayBuffer(8));
const SMALLEST_NORMAL = 2.2250738585072014e-308;
/** 1 / (2k + 1) for k = 0..12: the series of atanh below. */
const ATANH_COEFFICIENTS = Array.from({ length: 13 }, (_, k) => 1 / (2 * k + 1));

/**
 * Natural logarithm computed with exactly rounded operations only, so every engine returns
 * the same bits (`Math.log` is only approximately specified). Accurate to about 1e-16
 * relative. x = m 2^e with m in [sqrt(2)/2, sqrt(2)], ln m = 2 atanh((m - 1) / (m + 1)).
 */
export function detLog(x: number): number {
  if (Number.isNaN(x) || x < 0) return NaN;
  if (x === 0) return -Infinity;
  if (x === Infinity) return Infinity;
  let e = 0;
  if (x < SMALLEST_NORMAL) {
    x *= 18014398509481984; // 2^54, exact: brings subnormals into the normal range
    e = -54;
  }
  LOG_VIEW.setFloat64(0, x);
  const high = LOG_VIEW.getUint32(0);
  e += ((high >>> 20) & 0x7ff) - 1023;
  LOG_VIEW.setUint32(0, (high & 0x000fffff) | 0x3ff00000);
  let m = LOG_VIEW.getFloat64(0); // mantissa in [1, 2)
  if (m > Math.SQRT2) {
    m /= 2;
    e += 1;
  }
  const f = (m - 1) / (m + 1); // |f| <= 0.1716, f^2 <= 0.0295: 13 terms reach 1e-20
  const s = f * f;
  let series = ATANH_COEFFICIENTS[ATANH_COEFFICIENTS.length - 1];
  for (let k = ATANH_COEFFICIENTS.length - 2; k >= 0; k--) series = series * s + ATANH_COEFFICIENTS[k];
  return e * Math.LN2 + 2 * f * series;
}

const LOG_NUMBER_BASE = detLog(NUMBER_BUCKET_BASE);

// ---------------------------------------------------------------------------------------------
// Step 1: tokens

export interface Token {
  kind: 'word' | 'number';
  /** What the token contributes: the word itself, or a number's two bucket tokens. */
  forms: string[];
}

/**
 * A number (optional minus not glued to a word, digits with optional thousands commas and
 * decimals, optional %) or a word (Unicode letters, marks and digits). A number glued after a
 * letter stays part of the word ("covid19").
 */
const TOKEN_PATTERN =
  /(?<![\p{L}\p{M}\p{N}])(-?)([0-9]+(?:,[0-9]{3}(?![0-9]))*(?:\.[0-9]+)?)(%?)|[\p{L}\p{M}\p{N}]+/gu;

/**
 * The bucket tokens of a number: level = log_1.5(1 + |x|), tokens floor(level) and
 * round(level) (sign and % kept). Two numbers whose levels differ by less than 0.5 (a factor
 * below about 1.22) always share a token; levels more than 2 apart (a factor above 2.25)
 * never do.
 */
export function numberForms(value: number, percent = false): string[] {
  const level = detLog(1 + Math.abs(value)) / LOG_NUMBER_BASE;
  const prefix = (value < 0 ? '-' : '') + (percent ? '%' : '');
  return [`#${prefix}${Math.floor(level)}`, `~${prefix}${Math.floor(level + 0.5)}`];
}

/** Split a text into word and number tokens (NFKC-normalised, lower case). */
export function tokenise(text: string): Token[] {
  const tokens: Token[] = [];
  for (const match of text.normalize('NFKC').toLowerCase().matchAll(TOKEN_PATTERN)) {
    if (match[2] !== undefined) {
      const magnitude = Number(match[2].replace(/,/g, ''));
      const value = match[1] === '-' ? -magnitude : magnitude;
      tokens.push({ kind: 'number', forms: numberForms(value, match[3] === '%') });
    } else {
      tokens.push({ kind: 'word', forms: [match[0]] });
    }
  }
  return tokens;
}

// ---------------------------------------------------------------------------------------------
// Step 2: hashed features

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const FAMILY_UNIGRAM = 1;
const FAMILY_BIGRAM = 2;
const FAMILY_CHAR = 3;
const WORD_START = 0x3c; // '<'
const WORD_END = 0x3e; // '>'

/** One FNV-1a step on a whole code point (32-bit unsigned state). */
function fnvStep(hash: number, unit: number): number {
  return Math.imul(hash ^ unit, FNV_PRIME) >>> 0;
}

/** Feed every code point of a string to FNV-1a. */
function fnvString(hash: number, text: string): number {
  let h = hash;
  for (const ch of text) h = fnvStep(h, ch.codePointAt(0) as number);
  return h;
}

/** murmur3's 32-bit finaliser: spreads every input bit over every output bit. */
function fmix32(hash: number): number {
  let h = hash;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The fixed 32-bit hash of a string (FNV-1a over code points, then fmix32). */
export function hashString(text: string): number {
  return fmix32(fnvString(FNV_OFFSET, text));
}

/** A signed slot from a hash: bucket = slot >>> 1, sign = slot & 1 ? -1 : +1. */
function slotOf(hash: number, hashBits: number): number {
  return fmix32(hash) >>> (31 - hashBits);
}

/** Count one slot in a map. */
function bump(counts: Map<number, number>, slot: number): void {
  counts.set(slot, (counts.get(slot) ?? 0) + 1);
}

/** Term counts per signed slot, one map per family: [unigrams, bigrams, character n-grams]. */
export type FeatureCounts = [Map<number, number>, Map<number, number>, Map<number, number>];

/** Hash the unigrams, bigrams and character n-grams of a token list into signed-slot counts. */
export function countFeatures(tokens: Token[], hashBits = DEFAULT_HASH_BITS): FeatureCounts {
  const unigrams = new Map<number, number>();
  const bigrams = new Map<number, number>();
  const chars = new Map<number, number>();
  const unigramStart = fnvStep(FNV_OFFSET, FAMILY_UNIGRAM);
  const bigramStart = fnvStep(FNV_OFFSET, FAMILY_BIGRAM);
  const charStart = fnvStep(FNV_OFFSET, FAMILY_CHAR);
  for (let t = 0; t < tokens.length; t++) {
    const token = tokens[t];
    for (const form of token.forms) bump(unigrams, slotOf(fnvString(unigramStart, form), hashBits));
    if (t + 1 < tokens.length) {
      for (const left of token.forms) {
        const leftHash = fnvStep(fnvString(bigramStart, left), 0);
        for (const right of tokens[t + 1].forms) bump(bigrams, slotOf(fnvString(leftHash, right), hashBits));
      }
    }
    if (token.kind === 'word') {
      const points = [WORD_START, ...Array.from(token.forms[0], (c) => c.codePointAt(0) as number), WORD_END];
      for (let i = 0; i < points.length; i++) {
        let h = charStart;
        const end = Math.min(points.length, i + CHAR_NGRAM_MAX);
        for (let j = i; j < end; j++) {
          h = fnvStep(h, points[j]);
          if (j - i + 1 >= CHAR_NGRAM_MIN) bump(chars, slotOf(h, hashBits));
        }
      }
    }
  }
  return [unigrams, bigrams, chars];
}

// ---------------------------------------------------------------------------------------------
// Step 3: document frequencies and IDF over the batch

/** In how many texts of the batch each signed slot occurs (any family). */
export function documentFrequencies(batch: FeatureCounts[]): Map<number, number> {
  const df = new Map<number, number>();
  for (const families of batch) {
    const seen = new Set<number>();
    for (const counts of families) for (const slot of counts.keys()) seen.add(slot);
    for (const slot of seen) bump(df, slot);
  }
  return df;
}

/** Smoothed IDF per slot, ln((1 + n) / (1 + df)) + 1, as scikit-learn's `smooth_idf=True`. */
export function inverseDocumentFrequencies(df: Map<number, number>, n: number): Map<number, number> {
  const idf = new Map<number, number>();
  for (const [slot, count] of df) idf.set(slot, detLog((1 + n) / (1 + count)) + 1);
  return idf;
}

// ---------------------------------------------------------------------------------------------
// Step 4: weights

/** 1 + ln(tf) for the small counts that make up nearly every feature. */
const SUBLINEAR_TF = Array.from({ length: 64 }, (_, tf) => 1 + detLog(tf));

/** Sublinear term frequency 1 + ln(tf) (tf >= 1). */
function sublinearTf(tf: number): number {
  return tf < SUBLINEAR_TF.length ? SUBLINEAR_TF[tf] : 1 + detLog(tf);
}

/**
 * The sparse vector of one text: bucket -> value. Each family's weights (1 + ln tf) x idf are
 * L2-normalised and scaled by `FAMILY_WEIGHTS`, signs applied, buckets summed, and the whole
 * L2-normalised. `idf` null means plain TF.
 */
export function weightFeatures(
  families: FeatureCounts,
  idf: Map<number, number> | null,
): Map<number, number> {
  const sparse = new Map<number, number>();
  families.forEach((counts, family) => {
    let norm2 = 0;
    const weights: number[] = [];
    for (const [slot, tf] of counts) {
      const w = sublinearTf(tf) * (idf ? (idf.get(slot) ?? 1) : 1);
      weights.push(w);
      norm2 += w * w;
    }
    if (norm2 === 0) return;
    const scale = FAMILY_WEIGHTS[family] / Math.sqrt(norm2);
    let k = 0;
    for (const slot of counts.keys()) {
      const bucket = slot >>> 1;
      const value = (slot & 1 ? -1 : 1) * weights[k++] * scale;
      sparse.set(bucket, (sparse.get(bucket) ?? 0) + value);
    }
  });
  let norm2 = 0;
  for (const v of sparse.values()) norm2 += v * v;
  if (norm2 > 0) {
    const inv = 1 / Math.sqrt(norm2);
    for (const [bucket, v] of sparse) sparse.set(bucket, v * inv);
  }
  return sparse;
}

// ---------------------------------------------------------------------------------------------
// Step 5: fixed random projection

/**
 * The fixed projection from 2^hashBits buckets to `dimension` numbers: bucket b's row holds
 * ±1 entries drawn by `new Rng(seed * 2^24 + b)`, 32 signs per `nextUint32()`. Rows are made
 * on first use and cached for the life of this object.
 */
export class SignProjection {
  private readonly rows = new Map<number, Uint32Array>();
  private readonly words: number;

  constructor(
    readonly dimension: number,
    readonly seed: number,
  ) {
    this.words = Math.ceil(dimension / 32);
  }

  /** The sign bits of one bucket's row (bit k of word k >> 5 set means -1). */
  row(bucket: number): Uint32Array {
    let bits = this.rows.get(bucket);
    if (!bits) {
      const rng = new Rng(this.seed * 16777216 + bucket);
      bits = new Uint32Array(this.words);
      for (let w = 0; w < this.words; w++) bits[w] = rng.nextUint32();
      this.rows.set(bucket, bits);
    }
    return bits;
  }

  /** Project a sparse bucket vector and L2-normalise (the zero vector stays zero). */
  project(sparse: Map<number, number>): Float32Array {
    const d = this.dimension;
    const acc = new Float64Array(d);
    for (const [bucket, value] of sparse) {
      const bits = this.row(bucket);
      // Branch-free: entry k is value * (1 - 2 bit_k).
      const twice = 2 * value;
      for (let w = 0, k = 0; w < bits.length; w++) {
        let word = bits[w];
        const end = Math.min(d, k + 32);
        for (; k < end; k++) {
          acc[k] += value - twice * (word & 1);
          word >>>= 1;
        }
      }
    }
    let norm2 = 0;
    for (let k = 0; k < d; k++) norm2 += acc[k] * acc[k];
    const out = new Float32Array(d);
    if (norm2 > 0) {
      const inv = 1 / Math.sqrt(norm2);
      for (let k = 0; k < d; k++) out[k] = acc[k] * inv;
    }
    return out;
  }
}

// ---------------------------------------------------------------------------------------------
// The encoder

/** Defaults filled in and checked. */
function resolveConfig(options: OfflineEncoderOptions): OfflineConfig {
  const config: OfflineConfig = {
    dimension: options.dimension ?? DEFAULT_DIMENSION,
    hashBits: options.hashBits ?? DEFAULT_HASH_BITS,
    fitIdf: options.fitIdf ?? true,
    seed: options.seed ?? PROJECTION_SEED,
  };
  if (!Number.isInteger(config.dimension) || config.dimension < 1 || config.dimension > 65536)
    throw new Error(`offline encoder: dimension must be an integer in 1..65536, got ${config.dimension}`);
  if (!Number.isInteger(config.hashBits) || config.hashBits < 10 || config.hashBits > 24)
    throw new Error(`offline encoder: hashBits must be an integer in 10..24, got ${config.hashBits}`);
  if (!Number.isInteger(config.seed) || config.seed < 0 || config.seed >= 2 ** 29)
    throw new Error(`offline encoder: seed must be an integer in [0, 2^29), got ${config.seed}`);
  return config;
}

/** The id names every non-default setting, so stored results say exactly what made them. */
function offlineEncoderInfo(config: OfflineConfig): EncoderInfo {
  let id = OFFLINE_ENCODER_ID;
  if (config.dimension !== DEFAULT_DIMENSION) id += `-d${config.dimension}`;
  if (config.hashBits !== DEFAULT_HASH_BITS) id += `-h${config.hashBits}`;
  if (!config.fitIdf) id += '-tf';
  if (config.seed !== PROJECTION_SEED) id += `-s${config.seed}`;
  return {
    id,
    name: 'Built-in lexical encoder (offline)',
    dimension: config.dimension,
    offline: true,
    description:
      `Words, word pairs and word fragments of each prompt, weighted by ${config.fitIdf ? "TF-IDF over the city's prompts" : 'term frequency'} ` +
      `and projected to ${config.dimension} numbers. No download, the same result everywhere; it sees wording, not meaning.`,
  };
}

export const OFFLINE_ENCODER_INFO: EncoderInfo = offlineEncoderInfo(resolveConfig({}));

/** Let the event loop run (so an abort or a UI update can get through). */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Encode a batch: features and DF (pass 1), weights and projection (pass 2). */
async function encodeBatch(
  texts: string[],
  config: OfflineConfig,
  options: EncodeOptions,
): Promise<Float32Array> {
  const { signal, onProgress } = options;
  const n = texts.length;
  const d = config.dimension;
  let lastYield = Date.now();
  const pause = async (): Promise<void> => {
    if (Date.now() - lastYield > YIELD_AFTER_MS) {
      await yieldToEventLoop();
      lastYield = Date.now();
    }
    signal?.throwIfAborted();
  };
  signal?.throwIfAborted();
  onProgress?.(0, n);
  const batch: FeatureCounts[] = [];
  for (let i = 0; i < n; i++) {
    if (typeof texts[i] !== 'string') throw new Error(`offline encoder: text ${i} is not a string`);
    batch.push(countFeatures(tokenise(texts[i]), config.hashBits));
    await pause();
  }
  const idf = config.fitIdf ? inverseDocumentFrequencies(documentFrequencies(batch), n) : null;
  const projection = new SignProjection(d, config.seed);
  const data = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    data.set(projection.project(weightFeatures(batch[i], idf)), i * d);
    onProgress?.(i + 1, n);
    if (i + 1 < n) await pause();
  }
  return data;
}

/** The built-in offline encoder (see the file comment for what it computes). */
export function createOfflineEncoder(options: OfflineEncoderOptions = {}): Encoder {
  const config = resolveConfig(options);
  const info = offlineEncoderInfo(config);
  return {
    info,
    async encode(texts: string[], encodeOptions: EncodeOptions = {}): Promise<SemanticVectors> {
      const data = await encodeBatch(texts, config, encodeOptions);
      return { n: texts.length, dimension: config.dimension, data, encoder: info.id };
    },
  };
}
