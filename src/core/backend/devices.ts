/**
 * What the environment says about a GPU backend's device, and whether it is software: plain
 * data and a test, without TensorFlow.js, so the page's LLM pickers can warn of a software
 * adapter without loading tfjs on first view.
 */

/** What the environment says about the device behind a GPU backend (the worker asks it). */
export interface GpuDevice {
  /** False: no WebGPU adapter, or no WebGL context. */
  available: boolean;
  /** WebGPU: the adapter is the browser's fallback adapter (GPUAdapter.isFallbackAdapter). */
  isFallbackAdapter?: boolean;
  /** WebGPU: the adapter info's vendor, architecture, device and description; WebGL: the renderer. */
  description: string;
}

/** The GPU backends' devices, where they were asked (a backend without an entry is not known). */
export type GpuDevices = Partial<Record<'webgpu' | 'webgl', GpuDevice>>;

const SOFTWARE_RENDERER = /swiftshader|llvmpipe|lavapipe|softpipe|software|basic render driver/i;

/** Why the device is software rather than a GPU, or null when it does not say so. */
export function softwareDevice(device: GpuDevice): string | null {
  const named = device.description ? ` (${device.description})` : '';
  if (device.isFallbackAdapter) return `its adapter is the browser's software fallback adapter${named}`;
  if (SOFTWARE_RENDERER.test(device.description)) return `it runs on a software renderer${named}`;
  return null;
}
