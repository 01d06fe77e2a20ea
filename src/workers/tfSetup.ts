/**
 * Browser-side TensorFlow.js setup shared by the workers: where the WASM backend's binaries
 * are (Vite emits them as assets; without this the backend looks next to the script), and how
 * many threads it computes on. The threaded SIMD binary loads only where the page is
 * cross-origin isolated (SharedArrayBuffer exists; the servers send COOP and COEP); elsewhere
 * the backend runs the single-threaded SIMD binary. Threads: one per physical core
 * (wasmThreadsFor).
 */
import { setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { wasmThreadsFor } from '../core/backend/names';

setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
});

setThreadsCount(wasmThreadsFor(globalThis.navigator?.hardwareConcurrency));
