import type { BackendPreference } from '../../core/pipeline/types';

/** The backends' names in the Train card (the settings, the progress line, the estimate). */
export const BACKEND_NAMES: Record<BackendPreference, string> = {
  auto: 'Automatic (fastest that works)',
  webgpu: 'WebGPU',
  webgl: 'WebGL',
  wasm: 'WebAssembly',
  cpu: 'Plain JavaScript (CPU)',
};
