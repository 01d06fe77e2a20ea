import { describe, expect, it } from 'vitest';
import type { MeasuredBackend } from '../../core/pipeline/types';
import { expectedBackend, largeCityHint, roughDuration, trainEstimateText } from './estimate';

const measured = (
  backend: MeasuredBackend['backend'],
  timings: MeasuredBackend['timings'],
): MeasuredBackend => ({
  backend,
  order: [backend, 'wasm'],
  reason: 'fastest of 2 working backends',
  notes: [],
  timings,
  measuredAt: '2026-12-01T10:00:00.000Z',
});

describe('roughDuration', () => {
  it('says seconds under a minute, minutes under an hour, and hours with minutes beyond', () => {
    expect([0.4, 6.9, 59.4, 59.6, 345, 3599, 7500].map(roughDuration)).toEqual([
      'under 1 s',
      'about 7 s',
      'about 59 s',
      'about 1 min',
      'about 6 min',
      'about 1 h 00 min',
      'about 2 h 05 min',
    ]);
  });
});

describe('expectedBackend', () => {
  it('is the backend chosen in the settings, else the remembered automatic choice, else unknown', () => {
    expect(expectedBackend('webgl', measured('webgpu', []))).toBe('webgl');
    expect(expectedBackend('auto', measured('webgpu', []))).toBe('webgpu');
    expect(expectedBackend('auto', null)).toBeNull();
  });
});

describe('trainEstimateText', () => {
  it('gives WebAssembly its measured seconds per epoch and the total for the epochs', () => {
    expect(trainEstimateText(5000, 50, 'wasm', null)).toBe(
      'WebAssembly: about 7 s per epoch, about 6 min for 50 epochs at 5,000 regions (measured on 2-core machines, one thread; more threads are faster).',
    );
  });

  it('scales the figure for a GPU backend by the remembered measurement in this browser', () => {
    const choice = measured('webgpu', [
      { backend: 'webgpu', secondsPerEpoch: 0.05 },
      { backend: 'wasm', secondsPerEpoch: 0.2 },
    ]);
    expect(trainEstimateText(10000, 300, 'auto', choice)).toBe(
      "WebGPU: about 6 s per epoch, about 28 min for 300 epochs at 10,000 regions (WebAssembly's measured figure, scaled by how WebGPU compared with it in this browser).",
    );
  });

  it('says the figure is for WebAssembly when the chosen backend was not measured against it', () => {
    expect(trainEstimateText(2000, 1, 'webgl', null)).toBe(
      'WebAssembly: about 2 s per epoch, about 2 s for 1 epoch at 2,000 regions (the figure for WebAssembly: WebGL has not been measured against it in this browser).',
    );
  });

  it('says so when the automatic choice is still to be measured', () => {
    expect(trainEstimateText(150, 300, 'auto', null)).toBe(
      'WebAssembly: under 1 s per epoch, about 2 min for 300 epochs at 150 regions (the automatic choice measures the backends first; this is the figure for WebAssembly, measured on 2-core machines, one thread).',
    );
  });

  it('gives the time past the new-city cap without a memory warning: such cities train in mini-batches', () => {
    expect(trainEstimateText(30000, 10, 'wasm', null)).toBe(
      'WebAssembly: about 1 min per epoch, about 12 min for 10 epochs at 30,000 regions (measured on 2-core machines, one thread; more threads are faster).',
    );
  });
});

describe('largeCityHint', () => {
  it('says nothing under 5,000 cells', () => {
    expect(largeCityHint(4999)).toBeNull();
  });

  it('says how long an epoch and the default run take on WebAssembly from 5,000 cells on', () => {
    expect(largeCityHint(12000)).toBe(
      '12,000 regions: the map copes, but training SREL takes about 28 s per epoch on WebAssembly (about 2 h 18 min for the default 300 epochs; measured on 2-core machines, one thread); coarser cells train faster.',
    );
  });
});
