import { describe, expect, it } from 'vitest';
import { HEADING_PIXELS, outOfView } from './scroll';

const view = { top: 60, bottom: 800 };

describe('bringing a card into view', () => {
  it('scrolls to a card whose top is above the visible part (the panel was scrolled down)', () => {
    expect(outOfView({ top: -400, bottom: -100 }, view)).toBe(true);
    expect(outOfView({ top: 20, bottom: 500 }, view)).toBe(true);
  });

  it('scrolls to a card whose heading is below the visible part', () => {
    expect(outOfView({ top: 900, bottom: 1300 }, view)).toBe(true);
    expect(outOfView({ top: 800 - HEADING_PIXELS + 1, bottom: 1300 }, view)).toBe(true);
  });

  it('leaves a card alone when its heading already shows, even if its end does not', () => {
    expect(outOfView({ top: 60, bottom: 400 }, view)).toBe(false);
    expect(outOfView({ top: 700, bottom: 1400 }, view)).toBe(false);
    expect(outOfView({ top: 790, bottom: 800 }, view)).toBe(false);
  });
});
