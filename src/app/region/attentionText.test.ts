import { describe, expect, it } from 'vitest';
import { attentionText } from './RegionDetails';

describe('attention in the inspector', () => {
  it('gives the share and how many times the share the average region gives the same place', () => {
    expect(attentionText(0.016, 0.0067)).toBe('1.6% · 2.4× usual');
  });

  it('gives the share alone for runs saved before lifts', () => {
    expect(attentionText(0.016, undefined)).toBe('1.6%');
  });
});
