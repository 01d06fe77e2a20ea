import { describe, expect, it } from 'vitest';
import { cityKeyIntent } from './cityKeys';

describe('cityKeyIntent', () => {
  it('treats arrows, Home, End and Page keys as browsing the list', () => {
    for (const key of [
      'ArrowDown',
      'ArrowUp',
      'ArrowLeft',
      'ArrowRight',
      'Home',
      'End',
      'PageUp',
      'PageDown',
    ])
      expect(cityKeyIntent({ key })).toBe('browse');
  });

  it('treats a typed letter (type-ahead) as browsing', () => {
    expect(cityKeyIntent({ key: 'm' })).toBe('browse');
    expect(cityKeyIntent({ key: 'Ä' })).toBe('browse');
  });

  it('opens the browsed city on Enter and goes back to the open one on Escape', () => {
    expect(cityKeyIntent({ key: 'Enter' })).toBe('open');
    expect(cityKeyIntent({ key: 'Escape' })).toBe('revert');
  });

  it('leaves Tab, Space, modifier combinations (Alt+ArrowDown opens the list) and others alone', () => {
    expect(cityKeyIntent({ key: 'Tab' })).toBeNull();
    expect(cityKeyIntent({ key: ' ' })).toBeNull();
    expect(cityKeyIntent({ key: 'ArrowDown', altKey: true })).toBeNull();
    expect(cityKeyIntent({ key: 'a', ctrlKey: true })).toBeNull();
    expect(cityKeyIntent({ key: 'Shift' })).toBeNull();
  });
});
