import { describe, expect, it } from 'vitest';
import type { MeasuredBackend } from '../../core/pipeline/types';
import { slowTrainingWarning, tripsOverCapacity } from './tripsCapacity';

describe('tripsOverCapacity', () => {
  it('lets trips into a city of up to 20,000 regions, and any city without trips', () => {
    expect(tripsOverCapacity(['trips.csv'], 'Tracts', 20000, 0)).toBeNull();
    expect(tripsOverCapacity([], 'Tracts', 85000, 1)).toBeNull();
  });

  it('refuses trips for a city of 20,001 regions, saying the limit, why, that nothing is lost, and what to do', () => {
    expect(tripsOverCapacity(['trips.csv'], 'Tracts', 20001, 0)).toEqual([
      {
        severity: 'error',
        file: 'trips.csv',
        message:
          'trips are imported for cities of up to 20,000 regions, and Tracts has 20,001. 20,000 regions is the ' +
          'largest city measured to train SREL in the browser (about 50 s per epoch on WebAssembly, one thread), ' +
          'and trips are what its mobility view learns from. Nothing was lost: nothing was imported and Tracts is ' +
          'as it was. To use these trips, cut the study area into coarser cells (20,000 regions or fewer), or ' +
          'import them and train in Node (npm run city -- import, then npm run city -- train), which has no such cap.',
      },
    ]);
  });

  it('names each trips file and says how to import the files dropped with them', () => {
    const one = tripsOverCapacity(['a.csv', 'b.csv'], 'Tracts', 85000, 1);
    expect(one?.map((p) => p.file)).toEqual(['a.csv', 'b.csv']);
    expect(one?.[0].message).toContain(
      'nothing was imported and Tracts is as it was; drop the other file without the trips to import it.',
    );
    expect(tripsOverCapacity(['a.csv'], 'Tracts', 85000, 2)?.[0].message).toContain(
      '; drop the other files without the trips to import them.',
    );
  });
});

describe('slowTrainingWarning', () => {
  it('says nothing below 5,000 regions on WebAssembly, or when no trips came in', () => {
    expect(slowTrainingWarning(['trips.csv'], 4999, 500, 'auto', null)).toBeNull();
    expect(slowTrainingWarning([], 20000, 500, 'auto', null)).toBeNull();
  });

  it('warns from 5,000 regions with the estimate for the epochs chosen', () => {
    expect(slowTrainingWarning(['trips.csv'], 10000, 500, 'wasm', null)).toEqual({
      severity: 'warning',
      file: 'trips.csv',
      message:
        'trips imported; training SREL on 10,000 regions will be slow. WebAssembly: about 22 s per epoch, ' +
        'about 3 h 03 min for 500 epochs at 10,000 regions (measured on 2-core machines, one thread; more ' +
        'threads are faster). Fewer epochs (Training settings) or coarser cells train faster.',
    });
  });

  it('follows the remembered backend: one measured 4x faster than WebAssembly trains 10,000 regions without a word', () => {
    const remembered: MeasuredBackend = {
      backend: 'webgpu',
      order: ['webgpu', 'wasm'],
      reason: 'fastest of 2 working backends',
      notes: [],
      timings: [
        { backend: 'webgpu', secondsPerEpoch: 0.1 },
        { backend: 'wasm', secondsPerEpoch: 0.4 },
      ],
      measuredAt: '2026-12-01T10:00:00.000Z',
    };
    expect(slowTrainingWarning(['trips.csv'], 10000, 500, 'auto', remembered)).toBeNull();
    expect(slowTrainingWarning(['trips.csv'], 10000, 500, 'wasm', remembered)?.severity).toBe('warning');
  });
});
