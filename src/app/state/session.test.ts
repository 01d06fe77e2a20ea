import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAppStore } from './store';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the session slice', () => {
  it('starts once (React runs effects twice in development)', () => {
    const store = createAppStore();
    expect(store.getState().startOnce()).toBe(true);
    expect(store.getState().startOnce()).toBe(false);
  });

  it('says once, on the console, that saved data is unavailable', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const store = createAppStore();
    store.getState().savedDataUnavailable(new Error('indexedDB is not defined'));
    store.getState().savedDataUnavailable(new Error('indexedDB is not defined'));
    expect(warn).toHaveBeenCalledTimes(1);
    expect(store.getState().savedDataWarned).toBe(true);
  });
});
