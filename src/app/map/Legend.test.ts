import { describe, expect, it } from 'vitest';
import { uniformSentence } from './Legend';

describe('the legend of a layer with one class', () => {
  it('says every region with a value has it when there is one value and some regions have none', () => {
    expect(uniformSentence(4, 4, true)).toBe('Every region with a value has 4: one class.');
  });

  it('says the values differ by less than the legend shows when they are only nearly equal', () => {
    expect(uniformSentence(0.70601, 0.70649, false)).toBe(
      'Every region has about 0.706: the values differ by less than the legend shows, so one class.',
    );
  });
});
