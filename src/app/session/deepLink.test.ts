import { describe, expect, it } from 'vitest';
import { twoSquares } from '../../core/city/fixtures/twoSquares';
import { createAppStore } from '../state/store';
import { applyLink, linkFor, parseLink } from './deepLink';

const city = twoSquares(['shopping']);

describe('deep links', () => {
  it('write and read city, value and region', () => {
    const store = createAppStore();
    store.getState().showCity(city, 'Sample cities', 'sample:two', { kind: 'entry', key: 'sample:two' });
    store.getState().setValueId('poi:0');
    store.getState().select(1);
    const link = linkFor(store.getState());
    expect(link).toBe('?city=sample%3Atwo&value=poi%3A0&region=B');
    expect(parseLink(link)).toEqual({ city: 'sample:two', value: 'poi:0', region: 'B' });
  });

  it('are empty for a city from your own files', () => {
    const store = createAppStore();
    store.getState().showCity(city, 'Your files', null);
    expect(linkFor(store.getState())).toBe('');
  });

  it("apply the link's value and region to the city just opened, ignoring what it does not have", () => {
    const store = createAppStore();
    store.getState().showCity(city, 'Sample cities', 'sample:two');
    applyLink(store, { city: 'sample:two', value: 'label:rent', region: 'B' });
    expect(store.getState().valueId).toBe('poi-total');
    expect(store.getState().selected).toBe(1);
    applyLink(store, { city: 'sample:two', value: 'area', region: 'Z' });
    expect(store.getState().valueId).toBe('area');
    expect(store.getState().selected).toBe(1);
  });
});
