import { describe, expect, it } from 'vitest';
import {
  MAX_NEW_CITY_REGIONS,
  MAX_TRIPS_REGIONS,
  WASM_EPOCH_SECONDS,
  WASM_MEMORY_LIMIT_BYTES,
  estimateEpochSeconds,
  isSlowTraining,
  wasmEpochSeconds,
  wasmHeapBytes,
} from './capacity';

describe('wasmEpochSeconds', () => {
  it('gives the measured seconds at each measured size', () => {
    expect([150, 2000, 5000, 10000, 20000, 100000].map(wasmEpochSeconds)).toEqual([
      0.4, 2.2, 6.9, 22, 50, 226,
    ]);
  });

  it('is linear between two measured sizes', () => {
    expect(wasmEpochSeconds(3500)).toBeCloseTo(4.55, 10);
    expect(wasmEpochSeconds(7500)).toBeCloseTo(14.45, 10);
  });

  it('adds 2.2 ms per region past 100,000 regions', () => {
    expect(wasmEpochSeconds(110000)).toBeCloseTo(248, 10);
  });

  it('takes the figure at 150 regions for smaller cities', () => {
    expect(wasmEpochSeconds(20)).toBe(0.4);
  });
});

describe('wasmHeapBytes', () => {
  it('gives the measured heap at each measured size, and the figure at 2,000 below it', () => {
    expect([150, 2000, 5000, 10000, 20000, 100000].map(wasmHeapBytes)).toEqual([
      1.25e9, 1.25e9, 1.33e9, 0.75e9, 0.76e9, 0.89e9,
    ]);
  });

  it('fits WebAssembly memory at every measured size and the new-city cap, in mini-batches', () => {
    expect(wasmHeapBytes(MAX_NEW_CITY_REGIONS)).toBeLessThan(WASM_MEMORY_LIMIT_BYTES / 4);
    expect(wasmHeapBytes(100000)).toBeLessThan(WASM_MEMORY_LIMIT_BYTES / 4);
  });
});

describe('estimateEpochSeconds', () => {
  it('gives the measured WebAssembly figure for WebAssembly', () => {
    expect(estimateEpochSeconds(5000, 'wasm')).toEqual({ seconds: 6.9, backend: 'wasm', basis: 'measured' });
  });

  it('scales the WebAssembly figure by how the backend compared with WebAssembly in a measurement here', () => {
    const timings = [
      { backend: 'webgpu' as const, secondsPerEpoch: 0.05 },
      { backend: 'wasm' as const, secondsPerEpoch: 0.2 },
    ];
    expect(estimateEpochSeconds(10000, 'webgpu', timings)).toEqual({
      seconds: 5.5,
      backend: 'webgpu',
      basis: 'scaled',
    });
  });

  it('says the figure is for WebAssembly when no measurement relates the backend to it', () => {
    expect(estimateEpochSeconds(5000, 'webgl')).toEqual({
      seconds: 6.9,
      backend: 'wasm',
      basis: 'wasm-only',
    });
    expect(
      estimateEpochSeconds(5000, 'webgl', [
        { backend: 'webgl', secondsPerEpoch: 0.1 },
        { backend: 'wasm', secondsPerEpoch: null },
      ]),
    ).toEqual({ seconds: 6.9, backend: 'wasm', basis: 'wasm-only' });
  });
});

describe('MAX_TRIPS_REGIONS', () => {
  it('is 20,000 regions, the largest city measured to train in the browser, as the new-city cap', () => {
    expect(MAX_TRIPS_REGIONS).toBe(20000);
    expect(MAX_TRIPS_REGIONS).toBe(MAX_NEW_CITY_REGIONS);
    expect(WASM_EPOCH_SECONDS.some((p) => p.regions === MAX_TRIPS_REGIONS)).toBe(true);
  });
});

describe('isSlowTraining', () => {
  it('is slow from 6.9 s per epoch (WebAssembly at 5,000 regions) on', () => {
    expect(isSlowTraining({ seconds: 6.9 })).toBe(true);
    expect(isSlowTraining({ seconds: 6.89 })).toBe(false);
    expect(isSlowTraining(estimateEpochSeconds(5000, 'wasm'))).toBe(true);
    expect(isSlowTraining(estimateEpochSeconds(4999, 'wasm'))).toBe(false);
  });

  it('follows the backend: a backend measured 4x faster than WebAssembly makes 10,000 regions quick enough', () => {
    const timings = [
      { backend: 'wasm' as const, secondsPerEpoch: 0.4 },
      { backend: 'webgpu' as const, secondsPerEpoch: 0.1 },
    ];
    expect(isSlowTraining(estimateEpochSeconds(10000, 'webgpu', timings))).toBe(false);
    expect(isSlowTraining(estimateEpochSeconds(10000, 'wasm', timings))).toBe(true);
  });
});
