import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { directorySource } from '../../cli/fsSource';
import { loadCity } from '../city/load';
import type { City } from '../city/types';
import { createOfflineEncoder } from './offlineEncoder';
import {
  attendedFeatures,
  attentionWeights,
  compositionItems,
  permutedAttention,
  taskAttention,
  taskPromptFeatures,
  taskQueries,
  topItems,
} from './taskAttention';
import { builtinTask } from '../tasks/builtin';
import { customTask } from '../tasks/tasks';

let riverton: City;
beforeAll(async () => {
  riverton = (await loadCity(directorySource(join(import.meta.dirname, '../../../sample-cities/riverton'))))
    .city as City;
});

describe('task-attended composition', () => {
  it('lists the named parts of each region: POI categories, land-use classes, trips in and out', () => {
    const items = compositionItems(riverton);
    const { poi, landUse, trips } = riverton.views;
    expect(items.k).toBe(poi!.cols + landUse!.cols + 2);
    expect(items.names).toContain('nightlife');
    expect(items.names).toContain('residential land use');
    expect(items.names.slice(-2)).toEqual(['trips out of the region', 'trips into the region']);
    const k = items.names.indexOf('nightlife');
    expect(items.values[5 * items.k + k]).toBeCloseTo(Math.log1p(poi!.data[5 * poi!.cols + k]), 12);
    let out = 0;
    for (let e = trips!.rowStart[5]; e < trips!.rowStart[6]; e++) out += trips!.values[e];
    expect(items.values[5 * items.k + items.k - 2]).toBeCloseTo(Math.log1p(out), 12);
  });

  it('makes one query per phrase of the task text', () => {
    const queries = taskQueries(builtinTask('checkIn')!);
    expect(queries[0]).toBe(builtinTask('checkIn')!.description);
    expect(queries).toContain('food and drink');
    expect(queries).toContain('shopping');
    expect(queries).toContain('tourism and entertainment venues');
  });

  it('attends from a phrase to the items its words name', async () => {
    const attention = await taskAttention(riverton, builtinTask('crime')!, createOfflineEncoder());
    const { k, names } = attention.items;
    for (let q = 0; q < attention.queries.length; q++) {
      const row = attention.weights.subarray(q * k, (q + 1) * k);
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    }
    const top = (query: string): string => {
      const q = attention.queries.indexOf(query);
      let best = 0;
      for (let c = 1; c < k; c++)
        if (attention.weights[q * k + c] > attention.weights[q * k + best]) best = c;
      return names[best];
    };
    expect(top('nightlife')).toBe('nightlife');
    expect(top('bars and entertainment')).toBe('entertainment');
    expect(top('retail and transport hubs')).toBe('transport');
    expect(topItems(attention, attention.queries.indexOf('nightlife'), 1)).toMatch(/^nightlife \d\.\d\d$/);
    // Different task text, different features.
    const other = await taskAttention(riverton, builtinTask('serviceCall')!, createOfflineEncoder());
    expect(other.features).not.toEqual(attention.features);
    // A custom task's description is a query too.
    const custom = await taskAttention(
      riverton,
      customTask('Parking fines', 'Parking tickets issued near parking facilities.'),
      createOfflineEncoder(),
    );
    expect(custom.queries[0]).toMatch(/Parking tickets/);
  });

  it('computes f_iq = sum_k a_qk v_ik', () => {
    const items = { names: ['a', 'b', 'c'], values: Float64Array.from([1, 2, 3, 4, 5, 6]), n: 2, k: 3 };
    const weights = Float64Array.from([0.5, 0.5, 0, 0, 0, 1]); // Q = 2
    expect([...attendedFeatures(items, weights, 2)]).toEqual([1.5, 3, 4.5, 6]);
  });

  it('softmax over cosines: identical texts get the largest weight, temperature sharpens', () => {
    const t = 2;
    const queries = Float32Array.from([1, 0]);
    const names = Float32Array.from([1, 0, 0, 1, -1, 0]);
    const soft = attentionWeights(queries, 1, names, 3, t, 1);
    const sharp = attentionWeights(queries, 1, names, 3, t, 0.05);
    expect(soft[0]).toBeGreaterThan(soft[1]);
    expect(soft[1]).toBeGreaterThan(soft[2]);
    expect(sharp[0]).toBeGreaterThan(0.999);
    expect(soft.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('the shuffled control keeps each query as sharp but moves its weight to other items', () => {
    const weights = Float64Array.from([0.7, 0.2, 0.1, 0, 0, 0.05, 0.05, 0.9, 0, 0]); // Q = 2, K = 5
    const shuffled = permutedAttention(weights, 2, 5, 3);
    for (let q = 0; q < 2; q++) {
      const row = [...weights.subarray(q * 5, q * 5 + 5)].sort();
      expect([...shuffled.subarray(q * 5, q * 5 + 5)].sort()).toEqual(row);
    }
    expect([...shuffled]).not.toEqual([...weights]);
    expect([...permutedAttention(weights, 2, 5, 3)]).toEqual([...shuffled]);
  });

  it('prompt features: N x Q standardised columns, named after the encoder that made them', async () => {
    const task = builtinTask('crime')!;
    const offline = await taskPromptFeatures(riverton, task);
    const n = riverton.regions.length;
    expect(offline.name).toBe('task-attended composition (offline encoder)');
    expect(offline.data).toHaveLength(n * offline.t);
    let mean = 0;
    for (let i = 0; i < n; i++) mean += offline.data[i * offline.t + 1] / n;
    expect(mean).toBeCloseTo(0, 9);
    const base = createOfflineEncoder();
    const other = { ...base, info: { ...base.info, id: 'web-llm:x', name: 'x-embed', offline: false } };
    expect((await taskPromptFeatures(riverton, task, other)).name).toBe(
      'task-attended composition (x-embed)',
    );
  });
});
