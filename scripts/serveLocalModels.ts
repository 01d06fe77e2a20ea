/**
 * Vite plugin: local web-llm models in `models/webllm/<model-id>/` (the hub layout web-llm
 * expects: `resolve/main/{mlc-chat-config.json, tensor-cache.json, params_shard_*.bin,
 * tokenizer.json, ...}` and the model library `<model-id>.wasm`), served under
 * /models/webllm/ in dev and preview with `index.json` listing the model ids found, and copied
 * into the build so static hosting serves them too. The folder is git-ignored: nothing large
 * is committed.
 */
import { cpSync, existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Plugin } from 'vite';
import { folderHandler } from './serveFolder.ts';

/** Model ids with a complete-looking local copy (their mlc-chat-config.json exists). */
export function localModelIds(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((id) => existsSync(join(dir, id, 'resolve', 'main', 'mlc-chat-config.json')))
    .sort();
}

export function serveLocalModels(): Plugin {
  let dir: string | null = null;
  let outDir = 'dist';
  const handler = folderHandler(
    '/models/webllm/',
    () => dir,
    (root) => ({ models: localModelIds(root) }),
  );
  return {
    name: 'topt-serve-local-models',
    configResolved(config) {
      const d = resolve(config.root, 'models/webllm');
      dir = existsSync(d) && statSync(d).isDirectory() ? d : null;
      outDir = resolve(config.root, config.build.outDir);
    },
    configureServer(server) {
      server.middlewares.use(handler);
    },
    configurePreviewServer(server) {
      server.middlewares.use(handler);
    },
    writeBundle() {
      if (!dir) return;
      const target = join(outDir, 'models', 'webllm');
      cpSync(dir, target, { recursive: true, filter: (src) => !src.endsWith('README.md') });
      writeFileSync(join(target, 'index.json'), JSON.stringify({ models: localModelIds(dir) }));
    },
  };
}
