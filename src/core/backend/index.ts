/**
 * Choosing and initialising a TensorFlow.js backend: the only place where the browser and
 * Node differ. Tries backends in order and reports every fallback with its reason.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

export interface BackendChoice {
  backend: BackendName;
  /** One line per backend that was tried and failed, e.g. "webgpu: no adapter". */
  notices: string[];
}

/** Node: WASM (fast, SIMD) then plain JS. Browsers: WebGPU, WebGL, WASM, CPU. */
export const NODE_BACKENDS: BackendName[] = ['wasm', 'cpu'];
export const BROWSER_BACKENDS: BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

async function register(name: BackendName): Promise<void> {
  // WebGPU registers itself on import; only load it where it is asked for.
  if (name === 'webgpu') await import('@tensorflow/tfjs-backend-webgpu');
}

export async function useBackend(order: BackendName[] = NODE_BACKENDS): Promise<BackendChoice> {
  const notices: string[] = [];
  for (const name of order) {
    try {
      await register(name);
      if (await tf.setBackend(name)) {
        await tf.ready();
        return { backend: name, notices };
      }
      notices.push(`${name}: could not be initialised`);
    } catch (e) {
      notices.push(`${name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  throw new Error(`no TensorFlow.js backend could be initialised (${notices.join('; ')})`);
}
