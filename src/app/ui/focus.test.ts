import { describe, expect, it } from 'vitest';
import { replacementIndex } from './focus';

describe('replacementIndex', () => {
  it('gives the focus to the control now at the same place (Train became Pause)', () => {
    expect(replacementIndex(0, [true, true])).toBe(0);
  });

  it('falls back to the nearest control before it when the group got shorter (Cancel went)', () => {
    expect(replacementIndex(1, [true])).toBe(0);
    expect(replacementIndex(3, [true, true])).toBe(1);
  });

  it('skips disabled controls, looking back first and then forward', () => {
    expect(replacementIndex(1, [true, false, true])).toBe(0);
    expect(replacementIndex(0, [false, true])).toBe(1);
  });

  it('is -1 when no control is left to take the focus', () => {
    expect(replacementIndex(0, [])).toBe(-1);
    expect(replacementIndex(1, [false, false])).toBe(-1);
  });
});
