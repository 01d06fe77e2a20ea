/**
 * The names of the TensorFlow.js backends and the orders they are tried in, without importing
 * TensorFlow.js: the page shows and stores these names long before (and often without) loading
 * tfjs, which only the workers need.
 */
export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

/** Node: WASM (fast, SIMD) then plain JS. Browsers: WebGPU, WebGL, WASM, CPU. */
export const NODE_BACKENDS: BackendName[] = ['wasm', 'cpu'];
export const BROWSER_BACKENDS: BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

/** The most threads WebAssembly computes on (tfjs-backend-wasm's pool holds 8 workers). */
export const MAX_WASM_THREADS = 8;

/**
 * Threads for WebAssembly on a machine with `cores` logical cores (navigator.hardwareConcurrency;
 * undefined where unknown): one per physical core, taken as half the logical ones, which is
 * also the most tfjs-backend-wasm allows; at least 1, at most MAX_WASM_THREADS. On a 2-core
 * machine that is one thread: two measured slower there (Riverton, a loaded 2-core machine:
 * 1.66 s per epoch with two threads, 1.24 s with one).
 */
export function wasmThreadsFor(cores: number | undefined): number {
  return Math.max(1, Math.min(MAX_WASM_THREADS, Math.floor((cores ?? 1) / 2) || 1));
}
