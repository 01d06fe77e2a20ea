import { describe, expect, it } from 'vitest';
import type { Encoder } from '../../core/prompt/encoder';
import { promptEncoderSet, taskVectorsFound } from './llm';

describe('the llm slice', () => {
  it('learns which tasks have LLM vectors, and changes nothing when it already knew', () => {
    const s = { taskVectors: { 'sample:riverton:crime': 'region prompts encoded by e5' } };
    expect(taskVectorsFound(s, 'sample:riverton:crime', 'region prompts encoded by e5')).toEqual({});
    expect(taskVectorsFound(s, 'sample:riverton:checkIn', 'region analyses')).toEqual({
      taskVectors: {
        'sample:riverton:crime': 'region prompts encoded by e5',
        'sample:riverton:checkIn': 'region analyses',
      },
    });
    expect(taskVectorsFound(s, 'sample:riverton:crime', null)).toEqual({ taskVectors: {} });
    expect(taskVectorsFound(s, 'sample:riverton:rent', null)).toEqual({});
  });

  it('holds the web-llm encoder with its model, or neither (the offline encoder)', () => {
    const encoder = { info: { id: 'web-llm:e5' } } as Encoder;
    expect(promptEncoderSet({ id: 'e5', encoder })).toEqual({ encoderModel: 'e5', promptEncoder: encoder });
    expect(promptEncoderSet(null)).toEqual({ encoderModel: null, promptEncoder: null });
  });
});
