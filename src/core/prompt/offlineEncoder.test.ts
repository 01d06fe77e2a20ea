import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BENCHMARK_DIR, BENCHMARK_SKIP_REASON } from '../../test/benchmark';
import { diversityReport } from './diversity';
import type { SemanticVectors } from './encoder';
import {
  OFFLINE_ENCODER_ID,
  countFeatures,
  createOfflineEncoder,
  detLog,
  hashString,
  numberForms,
  tokenise,
} from './offlineEncoder';

/** Row i of the vectors. */
const row = (v: SemanticVectors, i: number): Float32Array =>
  v.data.subarray(i * v.dimension, (i + 1) * v.dimension);

/** Cosine of two rows (the encoder's rows are unit vectors, so this is their dot product). */
function cosine(v: SemanticVectors, i: number, j: number): number {
  let s = 0;
  for (let k = 0; k < v.dimension; k++) s += v.data[i * v.dimension + k] * v.data[j * v.dimension + k];
  return s;
}

describe('offline encoder building blocks', () => {
  it('detLog matches Math.log to 1e-15 relative and is exact at 1', () => {
    expect(detLog(1)).toBe(0);
    for (const x of [1e-310, 1e-300, 0.001, 0.5, 0.7071, 1.5, 2, 3, 10, 12345.678, 1e200]) {
      expect(Math.abs(detLog(x) - Math.log(x))).toBeLessThanOrEqual(
        2e-15 * Math.max(1, Math.abs(Math.log(x))),
      );
    }
    expect(detLog(0)).toBe(-Infinity);
    expect(detLog(-1)).toBeNaN();
  });

  it('hashes strings with a fixed 32-bit hash', () => {
    expect(hashString('restaurant')).toBe(hashString('restaurant'));
    expect(hashString('restaurant')).not.toBe(hashString('restaurants'));
    expect(Number.isInteger(hashString('é')) && hashString('é') >= 0 && hashString('é') < 2 ** 32).toBe(true);
  });

  it('tokenises Unicode words in lower case and buckets numbers', () => {
    const tokens = tokenise('Café ÜBER-Straße: 1,234 POIs (2.87%), -87.67 and covid19.');
    expect(tokens.map((t) => (t.kind === 'word' ? t.forms[0] : t.forms.join('|')))).toEqual([
      'café',
      'über',
      'straße',
      numberForms(1234).join('|'),
      'pois',
      numberForms(2.87, true).join('|'),
      numberForms(-87.67).join('|'),
      'and',
      'covid19',
    ]);
  });

  it('puts close numbers in a shared bucket and distant ones in none', () => {
    const shared = (a: number, b: number): boolean => numberForms(a).some((f) => numberForms(b).includes(f));
    expect(shared(12, 13)).toBe(true);
    expect(shared(11, 12)).toBe(true);
    expect(shared(16, 17)).toBe(true);
    expect(shared(100, 115)).toBe(true);
    expect(shared(2, 200)).toBe(false);
    expect(shared(10, 30)).toBe(false);
    // A whole neighbourhood of factors below 1.22 always shares a token.
    for (let a = 1; a < 3000; a += 7) expect(shared(a, Math.floor((1 + a) * 1.2) - 1)).toBe(true);
    expect(numberForms(5, true)[0]).not.toBe(numberForms(5)[0]); // 5% is not 5 of something
  });

  it('counts unigrams, bigrams and character 3- to 5-grams', () => {
    const [uni, bi, chars] = countFeatures(tokenise('cat cat'));
    expect([...uni.values()]).toEqual([2]);
    expect([...bi.values()]).toEqual([1]);
    // "<cat>": 3 trigrams, 2 four-grams, 1 five-gram, each twice.
    expect([...chars.values()].reduce((a, b) => a + b, 0)).toBe(12);
  });
});

/** hashString of the Float32 bits of the four texts below, encoded with the defaults. */
const GOLDEN_CHECKSUM = 781927468;

describe('offline encoder', () => {
  const texts = [
    'Many restaurants, bars and nightclubs near the busy train station.',
    'Bars, restaurants and a nightclub close to the train station, busy at night.',
    'Quiet residential streets with detached houses, a school and a small park.',
    'Warehouses, factories and freight rail yards along the river.',
  ];

  it('gives unit vectors of the requested dimension', async () => {
    const enc = createOfflineEncoder();
    expect(enc.info).toMatchObject({ id: OFFLINE_ENCODER_ID, dimension: 384, offline: true });
    const v = await enc.encode(texts);
    expect(v).toMatchObject({ n: 4, dimension: 384, encoder: OFFLINE_ENCODER_ID });
    expect(v.data.length).toBe(4 * 384);
    for (let i = 0; i < 4; i++) expect(cosine(v, i, i)).toBeCloseTo(1, 6);
    const small = await createOfflineEncoder({ dimension: 64 }).encode(texts);
    expect(small.dimension).toBe(64);
    expect(small.encoder).toBe(`${OFFLINE_ENCODER_ID}-d64`);
  });

  it('is deterministic: the same batch gives bit-identical vectors', async () => {
    const a = await createOfflineEncoder().encode(texts);
    const b = await createOfflineEncoder().encode(texts);
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    // A golden checksum of the bits: the same in every engine (update only on a deliberate change).
    expect(hashString(Array.from(new Uint32Array(a.data.buffer)).join(','))).toBe(GOLDEN_CHECKSUM);
  });

  it('depends on the order of the batch only through IDF', async () => {
    const enc = createOfflineEncoder();
    const forward = await enc.encode(texts);
    const shuffled = await enc.encode([texts[2], texts[0], texts[3], texts[1]]);
    expect(Array.from(row(shuffled, 1))).toEqual(Array.from(row(forward, 0)));
    expect(Array.from(row(shuffled, 0))).toEqual(Array.from(row(forward, 2)));
    // A different batch changes IDF and so the vector ...
    const fewer = await enc.encode(texts.slice(0, 2));
    expect(Array.from(row(fewer, 0))).not.toEqual(Array.from(row(forward, 0)));
    // ... unless IDF is off.
    const tf = createOfflineEncoder({ fitIdf: false });
    expect(tf.info.id).toBe(`${OFFLINE_ENCODER_ID}-tf`);
    const tfAll = await tf.encode(texts);
    const tfOne = await tf.encode([texts[0]]);
    expect(Array.from(row(tfOne, 0))).toEqual(Array.from(row(tfAll, 0)));
  });

  it('puts similar texts closer than dissimilar ones', async () => {
    const v = await createOfflineEncoder().encode(texts);
    const similar = cosine(v, 0, 1);
    expect(similar).toBeGreaterThan(cosine(v, 0, 2) + 0.2);
    expect(similar).toBeGreaterThan(cosine(v, 0, 3) + 0.2);
    expect(similar).toBeGreaterThan(cosine(v, 1, 2) + 0.2);
  });

  it('treats 12 and 13 restaurants as close, 2 and 200 as far', async () => {
    const v = await createOfflineEncoder({ fitIdf: false }).encode([
      'there are 12 restaurants',
      'there are 13 restaurants',
      'there are 2 restaurants',
      'there are 200 restaurants',
    ]);
    expect(cosine(v, 0, 1)).toBeGreaterThan(cosine(v, 2, 3) + 0.15);
  });

  it('encodes an empty text as the zero vector and reports progress', async () => {
    const seen: string[] = [];
    const v = await createOfflineEncoder().encode(['', 'a park'], {
      onProgress: (done, total) => seen.push(`${done}/${total}`),
    });
    expect(Array.from(row(v, 0)).every((x) => x === 0)).toBe(true);
    expect(seen).toEqual(['0/2', '1/2', '2/2']);
  });

  it('stops when the signal aborts', async () => {
    const controller = new AbortController();
    const many = Array.from({ length: 50 }, (_, i) => `${texts[i % 4]} ${i}`);
    const run = createOfflineEncoder().encode(many, {
      signal: controller.signal,
      onProgress: (done) => {
        if (done === 3) controller.abort();
      },
    });
    await expect(run).rejects.toThrow(/abort/i);
    const aborted = new AbortController();
    aborted.abort();
    await expect(createOfflineEncoder().encode(texts, { signal: aborted.signal })).rejects.toThrow(/abort/i);
  });

  it('rejects bad options', () => {
    expect(() => createOfflineEncoder({ dimension: 0 })).toThrow(/dimension/);
    expect(() => createOfflineEncoder({ hashBits: 30 })).toThrow(/hashBits/);
    expect(() => createOfflineEncoder({ seed: -1 })).toThrow(/seed/);
  });
});

describe.skipIf(!BENCHMARK_DIR)('offline encoder on the Chicago region descriptions', () => {
  if (!BENCHMARK_DIR) console.warn(BENCHMARK_SKIP_REASON);

  it('varies between regions and is fast enough', async () => {
    const descriptions = JSON.parse(
      readFileSync(join(BENCHMARK_DIR as string, 'chicago/region_descriptions.json'), 'utf8'),
    ) as { index: number; text: string }[];
    const texts = descriptions.map((d) => d.text);
    const report = diversityReport(await createOfflineEncoder().encode(texts), texts);
    console.log(
      `offline encoder, Chicago descriptions: mean cosine ${report.meanCosine.toFixed(4)}, min ${report.minCosine.toFixed(4)}, ` +
        `max ${report.maxCosine.toFixed(4)}, effective rank ${report.effectiveRank.toFixed(1)}, PC1 share ${report.pc1Share.toFixed(3)}, ` +
        `length R² ${report.lengthR2?.toFixed(2)}; flags: ${report.flags.join('; ') || 'none'}`,
    );
    expect(report.meanCosine).toBeLessThan(0.9);
    // Speed on ~150 prompt-length texts: each description with two task preambles.
    const preamble = [
      'You are an experienced criminologist who advises a city on where public-safety resources are needed. Consider nightlife, retail and transport hubs, the residential share and travel into and out of the region.',
      'You are an urban planner and social-media analyst who studies where people go out, shop and meet. Consider food and drink, shopping, arts, tourism and entertainment venues and how many trips arrive.',
    ];
    const prompts = preamble.flatMap((p) => texts.map((t) => `${p}\n${t}\nSummarise in three short parts.`));
    const start = performance.now();
    await createOfflineEncoder().encode(prompts);
    const seconds = (performance.now() - start) / 1000;
    const meanLength = prompts.reduce((a, p) => a + p.length, 0) / prompts.length;
    console.log(
      `offline encoder speed: ${prompts.length} prompts of ${meanLength.toFixed(0)} characters in ${seconds.toFixed(2)} s = ${(prompts.length / seconds).toFixed(0)} texts/s`,
    );
  });
});
