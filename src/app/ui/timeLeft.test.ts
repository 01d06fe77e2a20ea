import { describe, expect, it } from 'vitest';
import { aboutLeft, secondsSince, timeLeft } from './timeLeft';

describe('time left', () => {
  it('is the rate so far: a quarter done in 10 s leaves 30 s', () => {
    expect(timeLeft(0.25, 10)).toBe(30);
    expect(secondsSince(1_000, 11_000)).toBe(10);
  });

  it('is unknown before anything is done, before the threshold asked for, and once all is done', () => {
    expect(timeLeft(0, 10)).toBeNull();
    expect(timeLeft(0.005, 10, 0.01)).toBeNull();
    expect(timeLeft(0.02, 1, 0.01)).toBeCloseTo(49);
    expect(timeLeft(1, 10)).toBeNull();
  });

  it('is written as a clock or in seconds, and not at all while unknown', () => {
    expect(aboutLeft(65)).toBe(' · about 1:05 left');
    expect(aboutLeft(3725)).toBe(' · about 1:02:05 left');
    expect(aboutLeft(64.6, 'seconds')).toBe(' · about 65 s left');
    expect(aboutLeft(null)).toBe('');
  });
});
