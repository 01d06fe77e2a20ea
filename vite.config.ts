import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { CROSS_ORIGIN_ISOLATION, threadedWasmForMinifiedBuilds } from './scripts/crossOriginIsolation.ts';
import { serveBenchmark } from './scripts/serveBenchmark.ts';
import { serveLocalModels } from './scripts/serveLocalModels.ts';

// Cross-origin isolated (COOP + COEP), so the training worker's WebAssembly runs on threads:
// see scripts/crossOriginIsolation.ts and "Hosting" in the README.
export default defineConfig({
  plugins: [react(), serveBenchmark(), serveLocalModels(), threadedWasmForMinifiedBuilds()],
  server: { host: '127.0.0.1', port: 5173, headers: CROSS_ORIGIN_ISOLATION },
  preview: { host: '127.0.0.1', port: 4173, headers: CROSS_ORIGIN_ISOLATION },
  worker: { format: 'es', plugins: () => [threadedWasmForMinifiedBuilds()] },
  build: { chunkSizeWarningLimit: 8000 },
});
