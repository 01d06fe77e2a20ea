/**
 * Trained runs of the benchmark kept on disk (bench-results/, git-ignored), so that scoring
 * them on another split or with another combiner does not train SREL again (a full benchmark
 * trains for most of an hour on these machines). `npm run bench -- --reuse-runs` reads them;
 * without it every run is trained and written afresh. A run is keyed by city, row, seed and
 * epoch count only: after a change to the model, train again (leave out --reuse-runs).
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EpochReport } from '../core/srel/train';
import { writeAtomic } from './writeAtomic';

/** What the benchmark keeps of a training run: its history and embeddings (N x d each). */
export interface StoredRun {
  history: EpochReport[];
  d: number;
  embedding: Float32Array;
  snapshots: Float32Array[];
  kept: Map<number, Float32Array>;
}

interface StoredMeta {
  history: EpochReport[];
  d: number;
  length: number;
  snapshots: number;
  kept: number[];
}

const fileStem = (dir: string, key: string): string => join(dir, key.replace(/[^a-z0-9.-]+/gi, '_'));

/** Write `run` as KEY.json (history, shapes) and KEY.bin (float32 embeddings, in order). */
export function saveRun(dir: string, key: string, run: StoredRun): void {
  mkdirSync(dir, { recursive: true });
  const kept = [...run.kept.keys()];
  const arrays = [run.embedding, ...run.snapshots, ...kept.map((e) => run.kept.get(e)!)];
  const meta: StoredMeta = {
    history: run.history,
    d: run.d,
    length: run.embedding.length,
    snapshots: run.snapshots.length,
    kept,
  };
  const bytes = new Float32Array(arrays.length * meta.length);
  arrays.forEach((a, i) => bytes.set(a, i * meta.length));
  const stem = fileStem(dir, key);
  // The .json last: where it is, the .bin beside it is whole (a queue's job process may die
  // mid-write, and another process reads the folder).
  writeAtomic(`${stem}.bin`, new Uint8Array(bytes.buffer));
  writeAtomic(`${stem}.json`, JSON.stringify(meta));
}

/** Whether a whole run is saved under `key` (its .json is written last). */
export const hasRun = (dir: string, key: string): boolean => {
  const stem = fileStem(dir, key);
  return existsSync(`${stem}.json`) && existsSync(`${stem}.bin`);
};

/** The file that says where the run saved under `key` is (for messages). */
export const runFile = (dir: string, key: string): string => `${fileStem(dir, key)}.json`;

/** The run saved under `key`, or null when there is none. */
export function loadRun(dir: string, key: string): StoredRun | null {
  if (!hasRun(dir, key)) return null;
  const stem = fileStem(dir, key);
  const meta = JSON.parse(readFileSync(`${stem}.json`, 'utf8')) as StoredMeta;
  const raw = readFileSync(`${stem}.bin`);
  const all = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  const at = (i: number): Float32Array => all.slice(i * meta.length, (i + 1) * meta.length);
  return {
    history: meta.history,
    d: meta.d,
    embedding: at(0),
    snapshots: Array.from({ length: meta.snapshots }, (_, k) => at(1 + k)),
    kept: new Map(meta.kept.map((epoch, k) => [epoch, at(1 + meta.snapshots + k)])),
  };
}
