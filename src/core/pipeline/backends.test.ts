import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { directorySource } from '../../cli/fsSource';
import { wasmThreadsFor } from '../backend/names';
import { loadCity } from '../city/load';
import type { City } from '../city/types';
import type { SrelInputs } from '../srel/inputs';
import {
  checkBackend,
  planProbe,
  rankBackends,
  rememberedRanking,
  softwareDevice,
  type GpuDevices,
} from './backends';
import { srelInputsOf } from './inputs';
import type { MeasuredBackend } from './types';

const BROWSER = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
const browser = [...BROWSER];

/** What headless Chromium without a GPU reports (research/toolchain-notes.md). */
const SWIFTSHADER: GpuDevices = {
  webgpu: { available: true, isFallbackAdapter: true, description: 'google swiftshader' },
  webgl: {
    available: true,
    description:
      'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)',
  },
};
const REAL_GPU: GpuDevices = {
  webgpu: { available: true, isFallbackAdapter: false, description: 'nvidia ampere' },
  webgl: { available: true, description: 'ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11 vs_5_0 ps_5_0)' },
};

const measured: MeasuredBackend = {
  backend: 'wasm',
  order: ['wasm', 'cpu'],
  reason: 'the only backend worth measuring here',
  notes: ['WebGPU not measured: …'],
  timings: [],
  measuredAt: '2026-12-02T04:00:00.000Z',
};

describe('which devices are software', () => {
  it("WebGPU's fallback adapter is software, whatever it is called", () => {
    expect(softwareDevice({ available: true, isFallbackAdapter: true, description: '' })).toBe(
      "its adapter is the browser's software fallback adapter",
    );
    expect(softwareDevice(SWIFTSHADER.webgpu!)).toBe(
      "its adapter is the browser's software fallback adapter (google swiftshader)",
    );
  });

  it('an adapter or renderer named SwiftShader, llvmpipe or a software driver is software', () => {
    for (const description of [
      'google swiftshader',
      'llvmpipe (LLVM 15.0.6, 256 bits)',
      'Mesa lavapipe',
      'Microsoft Basic Render Driver',
      'Software Adapter',
    ])
      expect(softwareDevice({ available: true, description })).toBe(
        `it runs on a software renderer (${description})`,
      );
  });

  it('a hardware adapter or renderer is not software', () => {
    expect(softwareDevice(REAL_GPU.webgpu!)).toBeNull();
    expect(softwareDevice(REAL_GPU.webgl!)).toBeNull();
    expect(softwareDevice({ available: true, description: '' })).toBeNull();
  });
});

describe('what the automatic choice measures', () => {
  it('on a software WebGPU and WebGL it measures nothing: WebAssembly is the only candidate', () => {
    expect(planProbe(browser, SWIFTSHADER)).toEqual({
      probe: ['wasm'],
      skipped: [
        {
          backend: 'webgpu',
          reason:
            "WebGPU not measured: its adapter is the browser's software fallback adapter (google swiftshader), no GPU (choose it under Training settings to use it anyway)",
        },
        {
          backend: 'webgl',
          reason:
            'WebGL not measured: it runs on a software renderer (ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)), no GPU (choose it under Training settings to use it anyway)',
        },
        { backend: 'cpu', reason: 'plain JavaScript not measured: never faster than WebAssembly' },
      ],
    });
  });

  it('on a real GPU it measures WebGPU, WebGL and WebAssembly, not plain JavaScript', () => {
    expect(planProbe(browser, REAL_GPU)).toEqual({
      probe: ['webgpu', 'webgl', 'wasm'],
      skipped: [{ backend: 'cpu', reason: 'plain JavaScript not measured: never faster than WebAssembly' }],
    });
  });

  it('a backend without an adapter or context is not measured, and says so', () => {
    expect(
      planProbe(browser, { webgpu: { available: false, description: '' }, webgl: REAL_GPU.webgl }),
    ).toEqual({
      probe: ['webgl', 'wasm'],
      skipped: [
        { backend: 'webgpu', reason: 'WebGPU is not available in this browser' },
        { backend: 'cpu', reason: 'plain JavaScript not measured: never faster than WebAssembly' },
      ],
    });
  });

  it('devices it was not told about are measured; plain JavaScript alone is the candidate', () => {
    expect(planProbe(browser, {}).probe).toEqual(['webgpu', 'webgl', 'wasm']);
    expect(planProbe(['cpu'], {})).toEqual({ probe: ['cpu'], skipped: [] });
  });
});

describe('a remembered choice', () => {
  it('orders its backend first, then its measured order, then the rest of what is available', () => {
    expect(rememberedRanking(measured, browser)).toEqual({
      order: ['wasm', 'cpu', 'webgpu', 'webgl'],
      reason: 'remembered from 2026-12-02: the only backend worth measuring here',
      timings: [],
      notes: ['WebGPU not measured: …'],
      measured: null,
    });
  });

  it('is not used where its backend is not available', () => {
    expect(
      rememberedRanking({ ...measured, backend: 'webgpu', order: ['webgpu'] }, ['wasm', 'cpu']),
    ).toBeNull();
  });
});

describe('ranking the backends', () => {
  const inputs = {} as SrelInputs; // nothing here trains: no probe is needed

  it('a backend chosen in the settings comes first, the others follow', async () => {
    expect(await rankBackends(inputs, 'webgl', browser)).toEqual({
      order: ['webgl', 'webgpu', 'wasm', 'cpu'],
      reason: 'chosen in the settings',
      timings: [],
      notes: [],
      measured: null,
    });
  });

  it('auto with a remembered choice asks nothing of the devices and probes nothing', async () => {
    let asked = 0;
    const probed: string[] = [];
    const ranking = await rankBackends(inputs, 'auto', browser, {
      remembered: measured,
      devices: async () => (asked++, SWIFTSHADER),
      onProbe: (b) => probed.push(b),
    });
    expect([asked, probed, ranking.order, ranking.measured]).toEqual([
      0,
      [],
      ['wasm', 'cpu', 'webgpu', 'webgl'],
      null,
    ]);
  });

  it('auto on software GPUs picks WebAssembly without a probe and returns the choice to remember', async () => {
    const probed: string[] = [];
    const ranking = await rankBackends(inputs, 'auto', browser, {
      devices: async () => SWIFTSHADER,
      onProbe: (b) => probed.push(b),
      now: () => new Date('2026-12-02T05:00:00Z'),
    });
    expect(probed).toEqual([]);
    expect(ranking.order).toEqual(['wasm', 'webgpu', 'webgl', 'cpu']);
    expect(ranking.reason).toBe('the only backend worth measuring here');
    expect(ranking.notes).toHaveLength(3);
    expect(ranking.measured).toEqual({
      backend: 'wasm',
      order: ['wasm', 'webgpu', 'webgl', 'cpu'],
      reason: 'the only backend worth measuring here',
      notes: ranking.notes,
      timings: [],
      measuredAt: '2026-12-02T05:00:00.000Z',
    });
  });
});

describe('a probe', () => {
  let inputs: SrelInputs;
  beforeAll(async () => {
    const city = (
      await loadCity(directorySource(join(import.meta.dirname, '../../../sample-cities/riverton')))
    ).city as City;
    inputs = srelInputsOf(city);
  });

  it('whose first epoch exceeds its time budget is abandoned after that epoch', async () => {
    const check = await checkBackend(inputs, 'cpu', 3, 0);
    expect(check.status).toBe('slow');
    expect(check.status === 'slow' && check.reason).toMatch(
      /^abandoned: its first probe epoch took \d+\.\d s, over the 0 s budget$/,
    );
  });

  it('within its budget trains every epoch', async () => {
    const check = await checkBackend(inputs, 'wasm', 2, 60);
    expect(check.status).toBe('ok');
  });
});

describe('WebAssembly threads', () => {
  it('one per physical core (half the logical ones), at least one, at most eight', () => {
    expect([undefined, 0, 1, 2, 3, 4, 8, 12, 64].map(wasmThreadsFor)).toEqual([1, 1, 1, 1, 1, 2, 4, 6, 8]);
  });
});
