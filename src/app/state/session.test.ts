import { afterEach, describe, expect, it, vi } from 'vitest';
import { storageFailed, storageReason } from './session';
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

  it('tells the user at once what a failed save did not keep, each thing once, and forgets it when dismissed', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const store = createAppStore();
    const quota = new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    store.getState().savedDataUnavailable(new Error('no IndexedDB')); // a read: console only
    expect(store.getState().storageFailure).toBeNull();
    store.getState().savedDataUnavailable(quota, 'the session');
    store.getState().savedDataUnavailable(quota, 'the trained run of Riverton');
    store.getState().savedDataUnavailable(quota, 'the session');
    expect(store.getState().storageFailure).toEqual({
      what: ['the session', 'the trained run of Riverton'],
      reason: "the browser's storage for this site is full (QuotaExceededError)",
    });
    store.getState().dismissStorageFailure();
    expect(store.getState().storageFailure).toBeNull();
  });

  it('says why saving failed in words', () => {
    expect(storageReason(new DOMException('denied', 'InvalidStateError'))).toBe('InvalidStateError: denied');
    expect(storageReason(new Error('indexedDB is not defined'))).toBe('indexedDB is not defined');
    expect(storageReason('odd')).toBe('odd');
    const failure = { what: ['a'], reason: 'r' };
    expect(storageFailed('a', 'r')({ storageFailure: failure })).toEqual({});
  });
});
