import { describe, expect, it } from 'vitest';
import { clock, secondsLeftAt } from './progress';

describe('progress', () => {
  it('gives the time left at the rate so far, and none before any work or after all of it', () => {
    expect(secondsLeftAt(0.25, 10)).toBe(30);
    expect(secondsLeftAt(0, 10)).toBeNull();
    expect(secondsLeftAt(1, 10)).toBeNull();
    expect(secondsLeftAt(Number.NaN, 10)).toBeNull();
  });

  it('writes seconds as a clock', () => {
    expect(clock(42.4)).toBe('0:42');
    expect(clock(725)).toBe('12:05');
    expect(clock(3729)).toBe('1:02:09');
    expect(clock(-3)).toBe('0:00');
  });
});
