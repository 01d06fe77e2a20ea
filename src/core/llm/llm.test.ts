import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CHAT_MODEL,
  DEFAULT_EMBEDDING_MODEL,
  defaultModel,
  explainLlmError,
  modelChoices,
  modelPicker,
  modelSizeText,
  softwareGpuWarning,
  type DeviceCapabilities,
} from './models';
import { softwareDevice } from '../pipeline/backends';
import { parseGeneratedTemplate, templateRequestMessages } from './templateGeneration';

const laptop: DeviceCapabilities = {
  webgpu: true,
  features: ['shader-f16'],
  maxStorageBufferBytes: 2 ** 30,
  deviceMemoryMB: 8192,
};
const swiftShader: DeviceCapabilities = { ...laptop, features: [] };

describe('model choices (web-llm prebuilt list)', () => {
  const list = prebuiltAppConfig.model_list;

  it('a picker of one kind offers the models of that kind that fit, starting on the default, or says why none fits', () => {
    const chat = modelPicker(modelChoices(list, laptop), 'chat');
    expect(chat.first?.id).toBe(DEFAULT_CHAT_MODEL);
    expect(chat.fitting.length).toBeGreaterThan(0);
    expect(chat.fitting.every((c) => c.kind === 'chat' && c.fits)).toBe(true);
    expect(chat.none).toBeNull();
    const none = modelPicker(modelChoices(list, { ...laptop, webgpu: false }), 'embedding');
    expect(none).toEqual({
      fitting: [],
      first: null,
      none: 'No embedding model fits this device: this browser has no WebGPU.',
    });
  });

  it('lists chat and embedding models smallest first, vision models left out', () => {
    const choices = modelChoices(list, laptop);
    expect(choices.some((c) => c.kind === 'embedding' && c.id === DEFAULT_EMBEDDING_MODEL)).toBe(true);
    expect(choices.some((c) => c.id === DEFAULT_CHAT_MODEL && c.kind === 'chat')).toBe(true);
    expect(choices.some((c) => /vision/i.test(c.id))).toBe(false);
    choices.slice(1).forEach((c, i) => expect(c.sizeMB).toBeGreaterThanOrEqual(choices[i].sizeMB));
  });

  it('without shader-f16 only f32 builds fit, and each f16 one says why', () => {
    const choices = modelChoices(list, swiftShader);
    const f16 = choices.find((c) => c.id === 'SmolLM2-360M-Instruct-q4f16_1-MLC');
    expect(f16?.fits).toBe(false);
    expect(f16?.reason).toBe('needs the GPU feature shader-f16, which this GPU lacks');
    expect(choices.find((c) => c.id === DEFAULT_CHAT_MODEL)?.fits).toBe(true);
    expect(defaultModel(choices, 'chat')?.id).toBe(DEFAULT_CHAT_MODEL);
    expect(defaultModel(choices, 'embedding')?.id).toBe(DEFAULT_EMBEDDING_MODEL);
  });

  it('nothing fits without WebGPU; big models do not fit in little memory', () => {
    const none = modelChoices(list, { ...laptop, webgpu: false });
    expect(none.every((c) => !c.fits && c.reason === 'this browser has no WebGPU')).toBe(true);
    expect(defaultModel(none, 'chat')).toBeNull();
    const small = modelChoices(list, { ...laptop, deviceMemoryMB: 1024 });
    const big = small.find((c) => c.sizeMB > 1024);
    expect(big?.fits).toBe(false);
    expect(big?.reason).toMatch(/^needs about \d+ MB of memory; this device reports 1024 MB$/);
  });
});

describe('what the model pickers say', () => {
  it('shows each size in MB below 1,000 MB and in GB above, so a 9.1 GB model reads as one', () => {
    expect(modelSizeText(376.4)).toBe('376 MB');
    expect(modelSizeText(999.4)).toBe('999 MB');
    expect(modelSizeText(1000)).toBe('1.0 GB');
    expect(modelSizeText(9085.2)).toBe('9.1 GB');
    expect(modelSizeText(0)).toBe('size unknown');
  });

  it('says a chat model would crawl on a software WebGPU adapter, and nothing on a GPU', () => {
    const swiftShader = softwareDevice({ available: true, description: 'google swiftshader' });
    expect(softwareGpuWarning(swiftShader)).toBe(
      'WebGPU here is not a GPU: it runs on a software renderer (google swiftshader). A chat model would run at a crawl (minutes for one answer, longer the bigger the model); the smallest is the only one worth trying.',
    );
    const fallback = softwareDevice({ available: true, isFallbackAdapter: true, description: '' });
    expect(softwareGpuWarning(fallback)).toContain("its adapter is the browser's software fallback adapter");
    expect(softwareGpuWarning(softwareDevice({ available: true, description: 'nvidia ampere' }))).toBeNull();
  });
});

describe('template generation', () => {
  it('asks for the three keys, with the crime template as the worked example', () => {
    const messages = templateRequestMessages(' Noise complaints ', 'Noise complaints per year. ');
    expect(messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(messages[0].content).toMatch(/"persona".*"focus".*"outputStructure"/s);
    expect(JSON.parse(messages[2].content).persona).toMatch(/criminologist/);
    expect(messages[3].content).toBe('Task: Noise complaints. What it measures: Noise complaints per year.');
  });

  it('accepts a valid answer even inside a code fence, and trims it', () => {
    const answer =
      'Here it is:\n```json\n{"persona": " You are an acoustics expert. ", "focus": ["nightlife", "traffic {busy} roads"], "outputStructure": "Say low, average or high."}\n```';
    expect(parseGeneratedTemplate(answer)).toEqual({
      template: {
        persona: 'You are an acoustics expert.',
        focus: ['nightlife', 'traffic {busy} roads'],
        outputStructure: 'Say low, average or high.',
      },
    });
  });

  it('says specifically what is wrong with a bad answer', () => {
    const bad = (o: unknown): string => {
      const r = parseGeneratedTemplate(typeof o === 'string' ? o : JSON.stringify(o));
      return 'error' in r ? r.error : 'ok';
    };
    const good = { persona: 'You are x.', focus: ['a', 'b'], outputStructure: 'y' };
    expect(bad('I cannot help with that.')).toBe('the model did not answer with a JSON object');
    expect(bad('{"persona": "x", }')).toMatch(/^the model's JSON does not parse/);
    expect(bad({ ...good, persona: '' })).toBe('the template has no "persona" sentence');
    expect(bad({ ...good, focus: 'a, b' })).toBe('the template has no "focus" list');
    expect(bad({ ...good, focus: ['a'] })).toBe('"focus" needs 2 to 8 phrases, got 1');
    expect(bad({ ...good, focus: ['a', 3] })).toBe('every "focus" entry must be a non-empty text');
    expect(bad({ ...good, outputStructure: undefined })).toBe('the template has no "outputStructure"');
    expect(bad(good)).toBe('ok');
  });
});

describe('explainLlmError', () => {
  it('turns the failures seen offline and on weak devices into specific messages', () => {
    expect(explainLlmError('TypeError: Failed to fetch')).toMatch(
      /^The model could not be downloaded: .*offline/,
    );
    expect(explainLlmError(`SyntaxError: Unexpected token '<', "<!doctype "... is not valid JSON`)).toMatch(
      /^A model file is missing from the local model folder/,
    );
    expect(explainLlmError('WebGPU is not supported in your current environment')).toMatch(
      /no usable WebGPU/,
    );
    expect(explainLlmError('ShaderF16SupportError: shader-f16 not supported')).toMatch(/shader-f16/);
    expect(explainLlmError('Device was lost')).toMatch(/ran out of memory or was lost/);
    expect(explainLlmError('something odd')).toBe(
      'The in-browser LLM failed: something odd. The task goes on with the built-in offline encoder and template; nothing is lost.',
    );
  });
});
