import { describe, expect, it } from 'vitest';
import { twoSquares } from '../../core/city/fixtures/twoSquares';
import { DEFAULT_TRAIN_SETTINGS } from '../../core/pipeline/settings';
import { newRun } from './training';
import type { City } from '../../core/city/types';
import {
  addDerivedValues,
  initialCity,
  loadFinished,
  removeDerivedValues,
  replaceCity,
  savedIdOf,
  showCity,
  type CitySource,
  type CityState,
  type LoadedCity,
} from './city';
import { createAppStore } from './store';
import type { TrainingRun } from './training';

/** Two squares with POIs and one task, "crime". */
const city: City = {
  ...twoSquares(['shopping']),
  labels: [{ id: 'crime', name: 'Crime', unit: '', values: Float64Array.of(3, 5), missing: 0 }],
};
const fromList = {
  origin: 'Sample cities',
  entryKey: 'sample:two',
  source: { kind: 'entry', key: 'sample:two' },
} as const;

/** The state after showing `city` (the state's own updater). */
const shown = (s: Partial<CityState> = {}): CityState => ({
  ...initialCity,
  ...s,
  ...showCity({ ...initialCity, ...s }, city, fromList),
});
const loadedOf = (s: CityState): LoadedCity => s.current as LoadedCity;

describe('the city slice', () => {
  it('showing a city makes a new load of it with its value options, nothing selected and no derived values', () => {
    const s = shown({ selected: 1, valueId: 'label:crime' });
    expect(loadedOf(s).loadId).toBe('city-1');
    expect(loadedOf(s).options.map((o) => o.id)).toEqual(['poi-total', 'area', 'label:crime', 'poi:0']);
    expect(loadedOf(s).derived).toEqual({});
    expect(s.selected).toBeNull();
    expect(shown(s).current?.loadId).toBe('city-2');
  });

  it('showing a new city drops the run of the old one and keeps the value shown if the new city has it', () => {
    const patch = showCity({ valueId: 'label:crime', loads: 4 }, city, fromList);
    expect(patch.training).toBeNull();
    expect(patch.valueId).toBe('label:crime');
    expect(showCity({ valueId: 'label:rent', loads: 4 }, city, fromList).valueId).toBe('poi-total');
  });

  it('showing a new city while a run is training tells what was stopped', () => {
    const s = shown();
    const training = {
      ...newRun('city-1', DEFAULT_TRAIN_SETTINGS),
      status: 'training' as const,
      epochs: 200,
    };
    const patch = showCity(
      { ...s, training },
      { ...city, metadata: { ...city.metadata, name: 'Other' } },
      fromList,
    );
    expect(patch.training).toBeNull();
    expect(patch.stoppedRun).toEqual({
      city: city.metadata.name,
      opened: 'Other',
      epochsDone: 0,
      epochs: 200,
    });
    expect(showCity({ ...s, training: null }, city, fromList).stoppedRun).toBeNull();
  });

  it('adds derived values to the load they belong to and shows them; a derived value for another load is ignored', () => {
    const s = shown();
    const values = Float64Array.of(1, 2);
    const option = { id: 'predicted:crime', label: 'Crime: predicted', group: 'Predictions' };
    expect(addDerivedValues(s, 'city-9', [option], { 'predicted:crime': values })).toEqual({});
    const added = {
      ...s,
      ...addDerivedValues(s, 'city-1', [option], { 'predicted:crime': values }, option.id),
    };
    expect(added.valueId).toBe('predicted:crime');
    expect(loadedOf(added).derived['predicted:crime']).toBe(values);
    expect(loadedOf(added).options.at(-1)).toEqual(option);
    // Added again (a new run), it replaces the first rather than joining it.
    const again = { ...added, ...addDerivedValues(added, 'city-1', [option], { 'predicted:crime': values }) };
    expect(loadedOf(again).options.filter((o) => o.id === option.id)).toHaveLength(1);
  });

  it('removing a derived value that is shown goes back to the first value, and the city itself stays (the map does not refit)', () => {
    const s = shown();
    const option = { id: 'draft:labels', label: 'x', group: 'g' };
    const added = {
      ...s,
      ...addDerivedValues(s, 'city-1', [option], { 'draft:labels': Float64Array.of(1, NaN) }, option.id),
    };
    const removed = { ...added, ...removeDerivedValues(added, 'city-1', ['draft:labels']) };
    expect(removed.valueId).toBe('poi-total');
    expect(loadedOf(removed).derived).toEqual({});
    expect(loadedOf(removed).city).toBe(loadedOf(s).city);
    expect(removeDerivedValues(added, 'city-2', ['draft:labels'])).toEqual({});
  });

  it('replacing the city keeps the load and adds the new value options once', () => {
    const s = shown();
    const withTask: City = {
      ...city,
      labels: [...city.labels, { ...city.labels[0], id: 'noise', name: 'Noise' }],
    };
    const option = { id: 'label:noise', label: 'Noise', group: 'Task labels' };
    const replaced = { ...s, ...replaceCity(s, 'city-1', withTask, [option]) };
    expect(loadedOf(replaced).loadId).toBe('city-1');
    expect(loadedOf(replaced).city).toBe(withTask);
    expect(loadedOf(replaced).options.filter((o) => o.id === 'label:noise')).toHaveLength(1);
    expect(replaceCity(s, 'city-7', withTask, [option])).toEqual({});
  });

  it('a load overtaken by a newer one changes nothing; a failed one keeps the city shown and reports why', () => {
    const s = { ...shown({ loading: 'x.geojson' }), loadTicket: 2 };
    const problem = { severity: 'error' as const, file: 'x.geojson', message: 'is not JSON' };
    expect(loadFinished(s, 1, 'x.geojson', { city: twoSquares(), problems: [] }, fromList)).toEqual({});
    expect(loadFinished(s, 2, 'x.geojson', { city: null, problems: [problem] }, fromList)).toEqual({
      loading: null,
      report: { subject: 'x.geojson', outcome: 'failed', problems: [problem] },
    });
  });

  it('a load that opens a city shows it, with its source, warnings and notes, or no report at all', () => {
    const s = { ...shown(), loadTicket: 3 };
    const bundle: CitySource = { kind: 'files', files: [{ name: 'city.json', bytes: new Uint8Array(2) }] };
    const warning = { severity: 'warning' as const, file: 'poi.csv', message: '2 rows skipped' };
    const loaded = loadFinished(
      s,
      3,
      'poi.csv into Two squares',
      { city, problems: [warning], notes: ['12 points counted'], source: bundle },
      { origin: 'Your files', entryKey: null, source: { kind: 'files', files: [] } },
    );
    expect(loaded.current?.source).toBe(bundle);
    expect(loaded.current?.loadId).toBe('city-2');
    expect(loaded.report).toEqual({
      subject: 'poi.csv into Two squares',
      outcome: 'loaded',
      problems: [warning],
      notes: ['12 points counted'],
    });
    expect(loadFinished(s, 3, 'two', { city, problems: [] }, fromList).report).toBeNull();
  });

  it("names a city's saved data by its catalog key, or by its files' names and sizes", () => {
    expect(savedIdOf({ kind: 'entry', key: 'sample:riverton' })).toBe('sample:riverton');
    const files = [
      { name: 'regions.geojson', bytes: new Uint8Array(10) },
      { name: 'poi.csv', bytes: new Uint8Array(3) },
    ];
    expect(savedIdOf({ kind: 'files', files })).toBe('files:regions.geojson:10|poi.csv:3');
    expect(savedIdOf({ kind: 'mapped', fileName: 'a.geojson', bytes: new Uint8Array(4), roles: {} })).toBe(
      'mapped:a.geojson:4',
    );
  });
});

describe('the store', () => {
  it('an action whose updater changes nothing leaves the state object as it was (nobody hears of it)', () => {
    const store = createAppStore();
    store.getState().showCity(city, 'Sample cities', 'sample:two');
    const before = store.getState();
    let heard = 0;
    store.subscribe(() => heard++);
    store.getState().addDerivedValues('city-5', [], {});
    store.getState().runEvent('city-1', { type: 'paused', epoch: 1 });
    expect(store.getState()).toBe(before);
    expect(heard).toBe(0);
  });

  it('a load ticket is taken when a load begins, and only the latest load may open its city', () => {
    const store = createAppStore();
    const first = store.getState().beginLoad('first');
    const second = store.getState().beginLoad('second');
    expect(store.getState().loading).toBe('second');
    expect(store.getState().loadFinished(first, 'first', { city, problems: [] }, fromList)).toBe(false);
    expect(store.getState().current).toBeNull();
    expect(store.getState().loadFinished(second, 'second', { city, problems: [] }, fromList)).toBe(true);
    expect(store.getState().current?.city).toBe(city);
    expect(store.getState().loading).toBeNull();
  });

  it('a new city drops the run of the city before', () => {
    const store = createAppStore();
    store.getState().showCity(city, 'Sample cities', 'sample:two');
    store.getState().runStarted('city-1', store.getState().trainSettings);
    expect((store.getState().training as TrainingRun).loadId).toBe('city-1');
    store.getState().showCity(city, 'Sample cities', 'sample:two');
    expect(store.getState().training).toBeNull();
  });
});
