import { describe, expect, it } from 'vitest';
import { directorySource } from '../../cli/fsSource';
import { loadCity } from '../city/load';
import { taskReport } from '../eval/taskReport';
import { promptCandidates } from '../pipeline/evaluate';
import { createOfflineEncoder } from '../prompt/offlineEncoder';
import { buildPrompts } from '../prompt/promptBuilder';
import { taskFromLabels } from '../tasks/tasks';
import { Rng } from '../random';
import { explainLlmError, storageShortfall } from './models';
import {
  analysesDone,
  analysisRequestMessages,
  analysisRunKey,
  cleanAnalysis,
  EMBEDDING_TEXT_MAX_CHARS,
  promptFeaturesFromVectors,
  startAnalysisRun,
  textsToEncode,
  writeRegionAnalyses,
  type RegionAnalysisState,
} from './regionAnalyses';
import type { ChatMessage } from './templateGeneration';

const prompts = Array.from(
  { length: 10 },
  (_, i) => `Task: Crime.\nRegion: R${i}\nPoints of interest (${i})`,
);

/**
 * Test double for the chat model, standing in for web-llm's engine at its one boundary (the
 * call that turns messages into an answer): answers from the region line of the request,
 * optionally failing on the k-th call.
 */
function fakeChatModel(failOnCall: number | null = null, answer?: (region: string) => string) {
  const calls: ChatMessage[][] = [];
  const generate = (messages: ChatMessage[]): Promise<string> => {
    calls.push(messages);
    if (failOnCall !== null && calls.length === failOnCall)
      return Promise.reject(new Error('Device was lost during generation'));
    const region = /Region: (R\d+)/.exec(messages[1].content)?.[1] ?? '?';
    return Promise.resolve(answer ? answer(region) : `Region ${region} has average risk factors overall.`);
  };
  return { calls, generate };
}

const fresh = (): RegionAnalysisState =>
  startAnalysisRun(analysisRunKey('riverton', 'crime', 'm', prompts), 'm', prompts.length, null);

describe('region analyses', () => {
  it('asks with the filled template itself as the request', () => {
    const messages = analysisRequestMessages(prompts[3]);
    expect(messages[0].role).toBe('system');
    expect(messages[1]).toEqual({ role: 'user', content: prompts[3] });
  });

  it('writes one analysis per region, in row order, saving after every batch', async () => {
    const model = fakeChatModel();
    const state = fresh();
    const saves: number[] = [];
    const progress: number[] = [];
    const outcome = await writeRegionAnalyses(prompts, state, model.generate, {
      batchSize: 4,
      onBatch: (_s, done) => void saves.push(done),
      onProgress: (done) => progress.push(done),
    });
    expect(outcome).toEqual({ status: 'done' });
    expect(state.analyses).toEqual(prompts.map((_, i) => `Region R${i} has average risk factors overall.`));
    expect(saves).toEqual([4, 8, 10]);
    expect(progress).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('keeps what was written when the model fails midway, and resumes from the failed region', async () => {
    const failing = fakeChatModel(4);
    const state = fresh();
    const saved: RegionAnalysisState[] = [];
    const outcome = await writeRegionAnalyses(prompts, state, failing.generate, {
      onBatch: (s) => void saved.push(structuredClone(s)),
    });
    expect(outcome).toEqual({ status: 'failed', region: 3, message: 'Device was lost during generation' });
    expect(analysesDone(state)).toBe(3);
    expect(saved.at(-1)?.analyses.slice(0, 4)).toEqual([
      'Region R0 has average risk factors overall.',
      'Region R1 has average risk factors overall.',
      'Region R2 has average risk factors overall.',
      null,
    ]);
    expect(explainLlmError(outcome.status === 'failed' ? outcome.message : '')).toMatch(
      /ran out of memory or was lost/,
    );

    // A reload: the saved state of the same run is taken up, and only the rest is asked for.
    const resumed = startAnalysisRun(state.runKey, 'm', prompts.length, saved.at(-1));
    const model = fakeChatModel();
    expect(await writeRegionAnalyses(prompts, resumed, model.generate)).toEqual({ status: 'done' });
    expect(model.calls.map((m) => /R\d+/.exec(m[1].content)?.[0])).toEqual([
      'R3',
      'R4',
      'R5',
      'R6',
      'R7',
      'R8',
      'R9',
    ]);
    expect(analysesDone(resumed)).toBe(10);
  });

  it('pauses before the next region when aborted, and a paused run resumes', async () => {
    const controller = new AbortController();
    const model = fakeChatModel();
    const state = fresh();
    const outcome = await writeRegionAnalyses(prompts, state, model.generate, {
      signal: controller.signal,
      onProgress: (done) => {
        if (done === 2) controller.abort();
      },
    });
    expect(outcome).toEqual({ status: 'paused' });
    expect(analysesDone(state)).toBe(2);
    expect(await writeRegionAnalyses(prompts, state, model.generate)).toEqual({ status: 'done' });
    expect(model.calls).toHaveLength(10);
  });

  it('records an unusable answer as skipped and goes on', async () => {
    const model = fakeChatModel(null, (r) =>
      r === 'R5' ? '   ' : `Region ${r} looks calm and residential.`,
    );
    const state = fresh();
    await writeRegionAnalyses(prompts, state, model.generate);
    expect(state.analyses[5]).toBe('');
    expect(state.skipped[5]).toBe('the model wrote nothing');
    expect(analysesDone(state)).toBe(10);
    const texts = textsToEncode(prompts, state.analyses);
    expect(texts[5]).toBe(prompts[5]);
    expect(texts[4].startsWith('Analysis: Region R4 looks calm')).toBe(true);
    expect(texts[4].endsWith(prompts[4])).toBe(true);
  });

  it('does not take up a saved run of other prompts, another model or another city', () => {
    const key = analysisRunKey('riverton', 'crime', 'm', prompts);
    const saved = { ...fresh(), analyses: prompts.map(() => 'x') };
    expect(startAnalysisRun(key, 'm', 10, saved)).toBe(saved);
    const edited = analysisRunKey('riverton', 'crime', 'm', [...prompts.slice(0, 9), 'changed']);
    expect(edited).not.toBe(key);
    expect(analysisRunKey('riverton', 'crime', 'other', prompts)).not.toBe(key);
    expect(analysisRunKey('metropolis', 'crime', 'm', prompts)).not.toBe(key);
    expect(analysesDone(startAnalysisRun(edited, 'm', 10, saved))).toBe(0);
  });

  it('cleans answers: thinking, code fences, whitespace; refuses empty and too short ones; cuts long ones at a sentence', () => {
    expect(cleanAnalysis('<think>hmm</think>\n```text\nRisk is high near the station.\n```')).toEqual({
      text: 'Risk is high near the station.',
    });
    expect(cleanAnalysis('')).toEqual({ error: 'the model wrote nothing' });
    expect(cleanAnalysis('High.')).toEqual({ error: 'the answer is too short to be an analysis ("High.")' });
    const long = cleanAnalysis('Many bars and a busy station raise the risk. '.repeat(40));
    expect('text' in long && long.text.length <= 900 && long.text.endsWith('.')).toBe(true);
  });

  it('cuts texts for the embedding model to its context', () => {
    const texts = textsToEncode(['x'.repeat(5000)], [null]);
    expect(texts[0]).toHaveLength(EMBEDDING_TEXT_MAX_CHARS);
    expect(textsToEncode(prompts, null)).toEqual(prompts);
  });
});

describe('browser storage before a download', () => {
  it('says how much is needed and free when the model does not fit the quota', () => {
    const mb = 2 ** 20;
    expect(storageShortfall(580, { usage: 100 * mb, quota: 400 * mb })).toBe(
      'This model needs about 580 MB of browser storage and this site may use only 300 MB more: delete cached models, free disk space, or pick a smaller model.',
    );
    expect(storageShortfall(580, { usage: 0, quota: 4000 * mb })).toBeNull();
    expect(storageShortfall(580, { usage: 100 * mb, quota: 400 * mb }, true)).toBeNull();
    expect(storageShortfall(580, null)).toBeNull();
    expect(storageShortfall(580, {})).toBeNull();
  });

  it('explains a text over the context window and a storage shortfall', () => {
    expect(
      explainLlmError('The embedding model you are using only supports up to 512 context size.'),
    ).toMatch(/longer than the model can read at once/);
    expect(explainLlmError('This model needs about 580 MB of browser storage', ' X.')).toBe(
      'This model needs about 580 MB of browser storage X.',
    );
  });
});

describe('from region analyses to the task report', () => {
  it('analyses encoded into vectors reach the semantic ridge head as the task prompt features', async () => {
    const riverton = (
      await loadCity(directorySource(new URL('../../../sample-cities/riverton', import.meta.url).pathname))
    ).city!;
    const crime = riverton.labels.find((l) => l.id === 'crime')!;
    const cityPrompts = buildPrompts(riverton, taskFromLabels(crime), riverton.adjacency);
    const n = riverton.regions.length;
    // The chat model's double here writes, on purpose, what the label says (high or low crime),
    // so the analyses carry a signal the noise embedding lacks: the test checks the plumbing.
    const sorted = [...crime.values].sort((a, b) => a - b);
    const median = sorted[Math.floor(n / 2)];
    const byPrompt = new Map(cityPrompts.map((p, i) => [p, i]));
    const state = startAnalysisRun(
      analysisRunKey('riverton', 'crime', 'double', cityPrompts),
      'double',
      n,
      null,
    );
    const outcome = await writeRegionAnalyses(cityPrompts, state, (messages) => {
      const i = byPrompt.get(messages[1].content)!;
      return Promise.resolve(
        crime.values[i] > median
          ? 'Overall judgement: crime is high here, well above the city average.'
          : 'Overall judgement: crime is low here, well below the city average.',
      );
    });
    expect(outcome.status).toBe('done');
    const vectors = await createOfflineEncoder().encode(textsToEncode(cityPrompts, state.analyses));
    const prompt = promptFeaturesFromVectors(vectors, 'region analyses (test double)', n);
    expect(prompt?.t).toBe(vectors.dimension);
    expect(promptFeaturesFromVectors(vectors, 'x', n + 1)).toBeNull();
    const rng = new Rng(7);
    const noise = Float64Array.from({ length: n * 8 }, () => rng.normal());
    const embedding = { data: noise, d: 8 };
    const report = taskReport('crime', crime.values, embedding, null, {
      prompt: promptCandidates(embedding, prompt!),
    });
    expect(report.prompt?.name).toBe('region analyses (test double)');
    expect(report.prompt?.llmVectors).toBe(true);
    expect(report.prompt?.foldsUsingPrompt).toBeGreaterThan(5);
    expect(report.prompt!.metrics.r2).toBeGreaterThan(report.embedding.r2 + 0.2);
  });
});
