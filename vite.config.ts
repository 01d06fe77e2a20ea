import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { serveBenchmark } from './scripts/serveBenchmark.ts';
import { serveLocalModels } from './scripts/serveLocalModels.ts';

export default defineConfig({
  plugins: [react(), serveBenchmark(), serveLocalModels()],
  server: { host: '127.0.0.1', port: 5173 },
  preview: { host: '127.0.0.1', port: 4173 },
  worker: { format: 'es' },
  build: { chunkSizeWarningLimit: 8000 },
});
