/**
 * Choosing and initialising a TensorFlow.js backend: the only place where the browser and
 * Node differ. Tries backends in order and reports every fallback with its reason.
 */
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { NODE_BACKENDS, type BackendName } from './names';

export { BROWSER_BACKENDS, NODE_BACKENDS, type BackendName } from './names';

export interface BackendChoice {
  backend: BackendName;
  /** One line per backend that was tried and failed, e.g. "webgpu: no adapter". */
  notices: string[];
}

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

/**
 * Threads the WebAssembly backend computes on (1 without cross-origin isolation, or in Node);
 * null while another backend is in use.
 */
export function wasmThreads(): number | null {
  if (tf.getBackend() !== 'wasm') return null;
  try {
    return getThreadsCount();
  } catch {
    return null;
  }
}
