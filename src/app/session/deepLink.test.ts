import { describe, expect, it } from 'vitest';
import { twoSquares } from '../../core/city/fixtures/twoSquares';
import { createAppStore } from '../state/store';
import { applyLink, linkFor, parseCamera, parseLink, waitingNotice } from './deepLink';

const city = twoSquares(['shopping']);

describe('deep links', () => {
  it('write and read city, value and region', () => {
    const store = createAppStore();
    store.getState().showCity(city, 'Sample cities', 'sample:two', { kind: 'entry', key: 'sample:two' });
    store.getState().setValueId('poi:0');
    store.getState().select(1);
    const link = linkFor(store.getState());
    expect(link).toBe('?city=sample%3Atwo&value=poi%3A0&region=B');
    expect(parseLink(link)).toEqual({ city: 'sample:two', value: 'poi:0', region: 'B', camera: null });
  });

  it('are empty for a city from your own files', () => {
    const store = createAppStore();
    store.getState().showCity(city, 'Your files', null);
    expect(linkFor(store.getState())).toBe('');
  });

  it("apply the link's value and region to the city just opened, ignoring what it does not have", () => {
    const store = createAppStore();
    store.getState().showCity(city, 'Sample cities', 'sample:two');
    applyLink(store, { city: 'sample:two', value: 'label:rent', region: 'B', camera: null });
    expect(store.getState().valueId).toBe('poi-total');
    expect(store.getState().selected).toBe(1);
    applyLink(store, { city: 'sample:two', value: 'area', region: 'Z', camera: null });
    expect(store.getState().valueId).toBe('area');
    expect(store.getState().selected).toBe(1);
  });

  it("keep the map's centre and zoom, rounded, and read them back", () => {
    const store = createAppStore();
    store.getState().showCity(city, 'Sample cities', 'sample:two');
    store.getState().cameraMoved({ lon: -0.127801234, lat: 51.507412345, zoom: 12.3456 });
    const link = linkFor(store.getState());
    expect(new URLSearchParams(link).get('map')).toBe('12.35/51.50741/-0.12780');
    expect(parseLink(link).camera).toEqual({ zoom: 12.35, lat: 51.50741, lon: -0.1278 });
    // A move too small to show in the link is not a change.
    const before = store.getState();
    store.getState().cameraMoved({ lon: -0.127801, lat: 51.507412, zoom: 12.3456 });
    expect(store.getState()).toBe(before);
  });

  it('ignore a map view that is not three numbers in range', () => {
    expect(parseCamera('12/51.5')).toBeNull();
    expect(parseCamera('12/95/0')).toBeNull();
    expect(parseCamera('12/51.5/abc')).toBeNull();
    expect(parseCamera('12//0')).toBeNull();
    expect(parseCamera(null)).toBeNull();
    expect(parseCamera('3/-10/200.5')).toBeNull();
  });

  it("ask the map to move to the link's view once the city is open", () => {
    const store = createAppStore();
    store.getState().showCity(city, 'Sample cities', 'sample:two');
    applyLink(store, { city: 'sample:two', value: null, region: null, camera: { zoom: 14, lat: 1, lon: 2 } });
    expect(store.getState().cameraRequest).toEqual({ zoom: 14, lat: 1, lon: 2 });
  });

  it('say which linked layer waits for training and what is shown instead, until it exists or another is picked', () => {
    const store = createAppStore();
    store.getState().showCity(city, 'Sample cities', 'sample:two');
    store.getState().preferValue('predicted:crime');
    applyLink(store, { city: 'sample:two', value: 'predicted:crime', region: null, camera: null });
    expect(waitingNotice(store.getState())).toBeNull();
    store.getState().noSavedRun();
    expect(store.getState().waitingValue).toEqual({ id: 'predicted:crime', instead: 'poi-total' });
    expect(waitingNotice(store.getState())).toBe(
      '“crime: predicted” appears after training: this browser has no trained run of Two squares. Showing Total POIs until then.',
    );
    // The predictions arrive: nothing waits any more.
    const loadId = store.getState().current?.loadId ?? '';
    store
      .getState()
      .addDerivedValues(loadId, [{ id: 'predicted:crime', label: 'crime: predicted', group: 'P' }], {
        'predicted:crime': new Float64Array([1, 2]),
      });
    expect(waitingNotice(store.getState())).toBeNull();
    store.getState().removeDerivedValues(loadId, ['predicted:crime']);
    expect(waitingNotice(store.getState())).not.toBeNull();
    // The user picks another value: the notice has nothing to say.
    store.getState().setValueId('area');
    expect(waitingNotice(store.getState())).toBeNull();
  });

  it("name a run's LISA layer as waiting for training too", () => {
    const store = createAppStore();
    store.getState().showCity(city, 'Sample cities', 'sample:two');
    store.getState().preferValue('lisa:crime');
    applyLink(store, { city: 'sample:two', value: 'lisa:crime', region: null, camera: null });
    store.getState().noSavedRun();
    expect(waitingNotice(store.getState())).toBe(
      '“crime: where the errors cluster (LISA)” appears after training: this browser has no trained run of Two squares. Showing Total POIs until then.',
    );
  });

  it('wait for nothing when the city has the value asked for, or nothing was asked', () => {
    const store = createAppStore();
    store.getState().showCity(city, 'Sample cities', 'sample:two');
    store.getState().noSavedRun();
    expect(store.getState().waitingValue).toBeNull();
    store.getState().preferValue('area');
    store.getState().noSavedRun();
    expect(store.getState().waitingValue).toBeNull();
  });
});
