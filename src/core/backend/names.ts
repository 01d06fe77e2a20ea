/**
 * The names of the TensorFlow.js backends and the orders they are tried in, without importing
 * TensorFlow.js: the page shows and stores these names long before (and often without) loading
 * tfjs, which only the workers need.
 */
export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

/** Node: WASM (fast, SIMD) then plain JS. Browsers: WebGPU, WebGL, WASM, CPU. */
export const NODE_BACKENDS: BackendName[] = ['wasm', 'cpu'];
export const BROWSER_BACKENDS: BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];
