/// <reference lib="webworker" />
/**
 * What the GPU backends would run on, asked of the browser from a worker: WebGPU's adapter
 * (is it the fallback adapter, and what its info says) and WebGL's renderer. The rule about
 * what to make of it is core/pipeline/backends (planProbe). Where an API is missing (Node, an
 * old browser) the backend is reported unavailable; nothing here throws.
 */
import type { GpuDevice, GpuDevices } from '../core/pipeline/backends';

interface AdapterInfoLike {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}
interface AdapterLike {
  isFallbackAdapter?: boolean;
  info?: AdapterInfoLike;
  requestAdapterInfo?: () => Promise<AdapterInfoLike>;
}
interface GpuLike {
  requestAdapter(): Promise<AdapterLike | null>;
}

async function webgpuDevice(): Promise<GpuDevice> {
  const gpu = (globalThis.navigator as { gpu?: GpuLike } | undefined)?.gpu;
  if (!gpu) return { available: false, description: '' };
  try {
    const adapter = await gpu.requestAdapter();
    if (!adapter) return { available: false, description: '' };
    const info = adapter.info ?? (await adapter.requestAdapterInfo?.()) ?? {};
    const description = [info.vendor, info.architecture, info.device, info.description]
      .filter((s) => !!s)
      .join(' ');
    return {
      available: true,
      isFallbackAdapter: !!(adapter.isFallbackAdapter ?? info.isFallbackAdapter),
      description,
    };
  } catch {
    return { available: false, description: '' };
  }
}

function webglDevice(): GpuDevice {
  if (typeof OffscreenCanvas === 'undefined') return { available: false, description: '' };
  try {
    const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
    if (!gl) return { available: false, description: '' };
    const debug = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(gl.getParameter(debug ? debug.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? '');
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return { available: true, description: renderer };
  } catch {
    return { available: false, description: '' };
  }
}

export async function gpuDevices(): Promise<GpuDevices> {
  return { webgpu: await webgpuDevice(), webgl: webglDevice() };
}
