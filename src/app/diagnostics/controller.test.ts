/**
 * Testing a map layer for spatial clustering: the real spatial worker module behind the
 * controller, over MessageChannels, on Riverton.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { directorySource } from '../../cli/fsSource';
import { loadCity } from '../../core/city/load';
import type { City } from '../../core/city/types';
import { layerPattern, LISA_KINDS } from '../../core/spatial/moran';
import { loadWorkerModule, workerPool } from '../../test/workerChannel';
import { createAppStore } from '../state/store';
import { clusterLayer, diagnosticsController } from './controller';
import { layerTester } from './spatialWorker';

const pool = workerPool();
const city = (await loadCity(directorySource(join(import.meta.dirname, '../../../sample-cities/riverton'))))
  .city as City;

beforeAll(async () => {
  await loadWorkerModule(pool.scope, () => import('../../workers/spatial.worker'));
});

describe('testing the layer shown for spatial clustering', () => {
  it("computes Moran's I of the values shown in the worker and shows their LISA map as a layer of its own", async () => {
    const store = createAppStore();
    store.getState().showCity(city, 'Sample cities', 'sample:riverton');
    store.getState().setValueId('label:crime');
    const pattern = await diagnosticsController(store, layerTester(pool.create)).testShownLayer();
    // The same figures as core's, on the same values with the city's weights.
    const crime = city.labels.find((l) => l.id === 'crime')!.values;
    const direct = layerPattern(city, crime);
    expect(pattern.moransI).toBe(direct.moransI);
    expect(pattern.moransIPValue).toBe(direct.moransIPValue);
    expect(Array.from(pattern.lisa)).toEqual(Array.from(direct.lisa));
    const s = store.getState();
    expect(s.valueId).toBe('lisa-of:label:crime');
    const option = s.current!.options.find((o) => o.id === 'lisa-of:label:crime')!;
    expect(option.group).toBe('Your tests');
    expect(option.note).toContain(`Global Moran’s I ${direct.moransI.toFixed(3)}`);
    const codes = s.current!.derived['lisa-of:label:crime'];
    expect(codes).toHaveLength(city.regions.length);
    expect(Array.from(codes).every((c) => Number.isNaN(c) || (c >= 0 && c < LISA_KINDS.length))).toBe(true);
  });

  it('refuses a cluster map itself, saying what can be tested', async () => {
    const store = createAppStore();
    store.getState().showCity(city, 'Sample cities', 'sample:riverton');
    const pattern = layerPattern(city, city.labels[0].values);
    const layer = clusterLayer({ id: 'label:crime', label: 'Crime' }, pattern);
    store
      .getState()
      .addDerivedValues(
        store.getState().current!.loadId,
        [layer.option],
        { [layer.option.id]: layer.values },
        layer.option.id,
      );
    await expect(diagnosticsController(store, layerTester(pool.create)).testShownLayer()).rejects.toThrow(
      'choose a data, label, prediction or residual layer to test',
    );
  });
});
