/**
 * Task-attended composition: the task's own text chooses which parts of a region's data to
 * look at (issue 4's idea "let the task text weight the region's own categories").
 *
 * Items are the named parts of a region's composition: its POI categories, its land-use
 * classes and its trips in and out, each with a value per region, v_ik = log1p(count).
 * Queries are the task's own words: its description and each phrase of the template's
 * "what to look at". Queries and item names are encoded with the same text encoder, and
 *   a_qk = softmax_k( cos(enc(query_q), enc(name_k)) / tau )     attention of query q over items
 *   f_iq = sum_k a_qk v_ik                                       [N, Q] task-attended features
 * so the crime template's "nightlife, bars and entertainment" line becomes a feature that
 * counts mostly the region's nightlife and entertainment POIs. Only text and the region's own
 * data enter: no label is read, so the features are inputs like the semantic vectors, and the
 * semantic ridge head (ridgeHead.ts) decides on inner folds whether they help.
 *
 * The control keeps everything but the meaning: the same attention weights with the items'
 * names shuffled (`permutedAttention`), so a query attends to as few items as before, but to
 * the wrong ones.
 */
import type { City } from '../city/types';
import { sparseColumnSums, sparseRowSums } from '../math/sparse';
import { standardiseColumns } from '../math/stats';
import { createOfflineEncoder } from './offlineEncoder';
import { Rng } from '../random';
import type { Encoder } from './encoder';
import { humanise } from './promptBuilder';
import type { TaskText } from '../tasks/types';

/** Softmax temperature over cosine similarities (cosines lie in [-1, 1]). */
export const DEFAULT_ATTENTION_TEMPERATURE = 0.05;

export interface CompositionItems {
  /** Human names of the items, e.g. "nightlife", "trips into the region". */
  names: string[];
  /** N x K, log1p of the counts. */
  values: Float64Array;
  n: number;
  k: number;
}

/** The named parts of every region's composition, N x K (POI categories, land use, trips in and out). */
export function compositionItems(city: City): CompositionItems {
  const n = city.regions.length;
  const columns: { name: string; value: (i: number) => number }[] = [];
  const { poi, landUse, trips } = city.views;
  if (poi)
    city.views.poiCategories.forEach((c, k) =>
      columns.push({ name: humanise(c), value: (i) => poi.data[i * poi.cols + k] }),
    );
  if (landUse)
    city.views.landUseClasses.forEach((c, k) =>
      columns.push({
        name: /land use/.test(humanise(c)) ? humanise(c) : `${humanise(c)} land use`,
        value: (i) => landUse.data[i * landUse.cols + k],
      }),
    );
  if (trips) {
    const out = sparseRowSums(trips);
    const into = sparseColumnSums(trips);
    columns.push({ name: 'trips out of the region', value: (i) => out[i] });
    columns.push({ name: 'trips into the region', value: (i) => into[i] });
  }
  const k = columns.length;
  const values = new Float64Array(n * k);
  for (let i = 0; i < n; i++)
    for (let c = 0; c < k; c++) values[i * k + c] = Math.log1p(Math.max(0, columns[c].value(i)));
  return { names: columns.map((c) => c.name), values, n, k };
}

/**
 * The task's queries: its description, then each comma-separated phrase of "what to look at"
 * ("food and drink, shopping, arts, tourism and entertainment venues" is four queries, so each
 * named thing can find its item).
 */
export function taskQueries(task: TaskText): string[] {
  const phrases = task.template.focus.flatMap((line) => line.split(/[,;:]/));
  return [task.description, ...phrases].map((p) => p.trim()).filter((p) => p.length >= 3);
}

function cosine(a: Float32Array, ai: number, b: Float32Array, bi: number, t: number): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let k = 0; k < t; k++) {
    dot += a[ai * t + k] * b[bi * t + k];
    na += a[ai * t + k] ** 2;
    nb += b[bi * t + k] ** 2;
  }
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}

/** a_qk = softmax_k(cos(query_q, name_k) / tau), Q x K, from encoded queries and names. */
export function attentionWeights(
  queries: Float32Array,
  q: number,
  names: Float32Array,
  k: number,
  t: number,
  temperature = DEFAULT_ATTENTION_TEMPERATURE,
): Float64Array {
  const weights = new Float64Array(q * k); // [Q, K]
  for (let a = 0; a < q; a++) {
    const logits = Array.from({ length: k }, (_, c) => cosine(queries, a, names, c, t) / temperature);
    const top = Math.max(...logits);
    const exps = logits.map((l) => Math.exp(l - top));
    const total = exps.reduce((s, v) => s + v, 0);
    exps.forEach((v, c) => (weights[a * k + c] = v / total));
  }
  return weights;
}

/** The same weights with the items shuffled (one permutation for all queries): the control. */
export function permutedAttention(weights: Float64Array, q: number, k: number, seed: number): Float64Array {
  const order = new Rng(seed).shuffle(Array.from({ length: k }, (_, c) => c));
  const out = new Float64Array(q * k);
  for (let a = 0; a < q; a++) for (let c = 0; c < k; c++) out[a * k + order[c]] = weights[a * k + c];
  return out;
}

/** f_iq = sum_k a_qk v_ik: [N, K] x [Q, K]^T -> [N, Q]. */
export function attendedFeatures(items: CompositionItems, weights: Float64Array, q: number): Float64Array {
  const { n, k, values } = items;
  const features = new Float64Array(n * q); // [N, Q]
  for (let i = 0; i < n; i++)
    for (let a = 0; a < q; a++) {
      let f = 0;
      for (let c = 0; c < k; c++) f += weights[a * k + c] * values[i * k + c];
      features[i * q + a] = f;
    }
  return features;
}

export interface TaskAttention {
  queries: string[];
  items: CompositionItems;
  /** Q x K attention of each query over the items. */
  weights: Float64Array;
  /** N x Q task-attended features. */
  features: Float64Array;
}

/** Encode the task's queries and the item names with `encoder`, attend, and return the features. */
export async function taskAttention(
  city: City,
  task: TaskText,
  encoder: Encoder,
  temperature = DEFAULT_ATTENTION_TEMPERATURE,
): Promise<TaskAttention> {
  const items = compositionItems(city);
  const queries = taskQueries(task);
  const encoded = await encoder.encode([...queries, ...items.names]);
  const t = encoded.dimension;
  const q = queries.length;
  const weights = attentionWeights(
    encoded.data.subarray(0, q * t),
    q,
    encoded.data.subarray(q * t),
    items.k,
    t,
    temperature,
  );
  return { queries, items, weights, features: attendedFeatures(items, weights, q) };
}

/** The items a query attends to most, for reports: "nightlife 0.41, entertainment 0.38, ...". */
export function topItems(attention: TaskAttention, query: number, count = 3): string {
  const { k, names } = attention.items;
  return Array.from({ length: k }, (_, c) => c)
    .sort((x, y) => attention.weights[query * k + y] - attention.weights[query * k + x])
    .slice(0, count)
    .map((c) => `${names[c]} ${attention.weights[query * k + c].toFixed(2)}`)
    .join(', ');
}

/** Task-specific features from the task's text (the task-attended composition, or LLM vectors), N x t. */
export interface TaskPromptFeatures {
  data: Float64Array;
  t: number;
  /** What they are, for the report, e.g. "task-attended composition (offline encoder)". */
  name: string;
  /** LLM vectors of the regions (written and encoded in the browser), not the composition. */
  llmVectors: boolean;
}

/** What the app and reports call the task-attended composition. */
export const TASK_ATTENDED_NAME = 'task-attended composition (offline encoder)';

/**
 * The task-attended composition of every region as prompt features for the semantic ridge
 * head (taskReport's `prompt`): N x Q, each column standardised over the regions.
 */
export async function taskPromptFeatures(
  city: City,
  task: TaskText,
  encoder: Encoder = createOfflineEncoder(),
): Promise<TaskPromptFeatures> {
  const attention = await taskAttention(city, task, encoder);
  const q = attention.queries.length;
  return {
    data: standardiseColumns(attention.features, city.regions.length, q),
    t: q,
    name: encoder.info.offline ? TASK_ATTENDED_NAME : `task-attended composition (${encoder.info.name})`,
    llmVectors: false,
  };
}
