/**
 * A new city from a study area in Node: the real tessellate worker module behind the
 * controller's client, over a MessageChannel.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadWorkerModule, workerPool } from '../../test/workerChannel';
import { createAppStore } from '../state/store';
import { ImportClient } from './importWorker';
import { cityLoader } from './loading';
import { newCityController } from './newCity';
import { tessellateClient } from './tessellateWorker';

const pool = workerPool();

beforeAll(async () => {
  await loadWorkerModule(pool.scope, () => import('../../workers/tessellate.worker'));
});

function setUp() {
  const store = createAppStore();
  const cities = cityLoader(
    store,
    new ImportClient(() => {
      throw new Error('no import here');
    }),
  );
  return { store, newCity: newCityController(store, tessellateClient(pool.create), cities) };
}

const area = { bbox: [8.5, 47.36, 8.56, 47.4] as [number, number, number, number] };

describe('a new city from a study area', () => {
  it('counts the cells in the worker, then opens the tessellated city as your files', async () => {
    const { store, newCity } = setUp();
    store.getState().setStudyArea({ corners: [[8.5, 47.36]], drawing: false });
    const count = await newCity.countAreaCells(area, { kind: 'grid', sizeMeters: 1000 });
    if (!('count' in count)) throw new Error(count.error);
    expect(count.exact).toBe(true);
    expect(count.count).toBeGreaterThan(10);
    expect(count.cellKm2).toBeCloseTo(1);
    expect(
      await newCity.createCityFromArea(area, { kind: 'grid', sizeMeters: 1000 }, 'Test town'),
    ).toBeNull();
    const s = store.getState();
    expect(s.current?.city.metadata.name).toBe('Test town');
    expect(s.current?.city.regions).toHaveLength(count.count);
    expect(s.current?.origin).toBe('Your files');
    expect(s.current?.source?.kind).toBe('files');
    expect(s.studyArea).toBeNull();
    expect(s.loading).toBeNull();
    // Both jobs ran in one worker, kept between them.
    expect(pool.created()).toBe(1);
  });

  it('says why an area cannot be tessellated, and the city shown stays', async () => {
    const { store, newCity } = setUp();
    // Far too many cells to enumerate: an estimate from the area.
    const tooFine = await newCity.countAreaCells({ bbox: [0, 0, 80, 80] }, { kind: 'grid', sizeMeters: 10 });
    expect(tooFine).toMatchObject({ exact: false });
    const error = await newCity.createCityFromArea(
      { bbox: [0, 0, 80, 80] },
      { kind: 'grid', sizeMeters: 10 },
      'Huge',
    );
    expect(error).toBe(
      'a 10 m grid over this area gives about 558,129,815,699 cells, over the limit of 20,000: 56,000 m cells give about 17,798',
    );
    expect(store.getState().current).toBeNull();
    expect(store.getState().loading).toBeNull();
  });
});
