import { join } from 'node:path';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { directorySource } from '../../cli/fsSource';
import { loadCity } from '../../core/city/load';
import type { City } from '../../core/city/types';
import { linkFor, parseLink } from '../session/deepLink';
import { DEFAULT_TRAIN_SETTINGS, useApp, type TrainingState } from './store';
import { secondsLeft } from '../training/controller';

let city: City;

beforeAll(async () => {
  city = (await loadCity(directorySource(join(import.meta.dirname, '../../../sample-cities/riverton'))))
    .city as City;
});

beforeEach(() => {
  useApp
    .getState()
    .showCity(city, 'Sample cities', 'sample:riverton', { kind: 'entry', key: 'sample:riverton' });
});

describe('app store', () => {
  it('shows a city with its value options and no derived values, training or draft', () => {
    const s = useApp.getState();
    expect(s.current?.city.regions).toHaveLength(150);
    expect(s.current?.options.some((o) => o.id === 'label:crime')).toBe(true);
    expect(s.current?.derived).toEqual({});
    expect(s.training).toBeNull();
    expect(s.draftTask).toBeNull();
  });

  it('adds derived values (predictions) to the city they belong to only, and removes them again', () => {
    const key = useApp.getState().current?.key ?? '';
    const values = new Float64Array(150).fill(1);
    useApp.getState().addDerivedValues('another-city', [{ id: 'predicted:x', label: 'x', group: 'g' }], {
      'predicted:x': values,
    });
    expect(useApp.getState().current?.derived['predicted:x']).toBeUndefined();
    useApp
      .getState()
      .addDerivedValues(
        key,
        [{ id: 'predicted:x', label: 'x', group: 'g' }],
        { 'predicted:x': values },
        'predicted:x',
      );
    expect(useApp.getState().valueId).toBe('predicted:x');
    expect(useApp.getState().current?.derived['predicted:x']).toBe(values);
    const cityBefore = useApp.getState().current?.city;
    useApp.getState().removeDerivedValues(key, ['predicted:x']);
    expect(useApp.getState().current?.options.some((o) => o.id === 'predicted:x')).toBe(false);
    expect(useApp.getState().valueId).not.toBe('predicted:x');
    expect(useApp.getState().current?.city).toBe(cityBefore); // the map does not refit
  });

  it('a new city drops the previous run', () => {
    useApp.getState().setTraining(() => ({ cityKey: 'x' }) as TrainingState);
    useApp.getState().showCity(city, 'Sample cities', 'sample:riverton');
    expect(useApp.getState().training).toBeNull();
  });
});

describe('deep links', () => {
  it('write and read city, value and region', () => {
    const s = useApp.getState();
    s.setValueId('label:crime');
    s.select(1);
    const link = linkFor(useApp.getState());
    expect(link).toBe('?city=sample%3Ariverton&value=label%3Acrime&region=R002');
    expect(parseLink(link)).toEqual({ city: 'sample:riverton', value: 'label:crime', region: 'R002' });
  });

  it('are empty for a city from your own files', () => {
    useApp.getState().showCity(city, 'Your files', null);
    expect(linkFor(useApp.getState())).toBe('');
  });
});

describe('time left', () => {
  it('comes from the recent epochs and the epochs still to go', () => {
    const epoch = (e: number, seconds: number) => ({
      epoch: e,
      epochs: 100,
      loss: 1,
      mobility: 1,
      poi: 0,
      landUse: 0,
      seconds,
      elapsedSeconds: e * seconds,
    });
    const t = {
      epochs: 100,
      history: [epoch(1, 2), epoch(2, 0.5), epoch(3, 0.5)],
      settings: DEFAULT_TRAIN_SETTINGS,
    } as TrainingState;
    expect(secondsLeft(t)).toBeCloseTo(1 * 97, 6);
    expect(secondsLeft({ ...t, history: [] })).toBeNull();
  });
});
