/**
 * Vite plugins for threaded WebAssembly in the browser.
 *
 * `CROSS_ORIGIN_ISOLATION`: the headers that make the page cross-origin isolated, so that
 * SharedArrayBuffer exists and tfjs-backend-wasm loads its threaded SIMD binary. COEP is
 * `credentialless` rather than `require-corp`: every cross-origin request the app makes
 * (web-llm's model and library downloads from huggingface.co and raw.githubusercontent.com,
 * the optional OpenStreetMap tiles) is a CORS request, which both allow, but `credentialless`
 * also lets a no-CORS resource without a Cross-Origin-Resource-Policy header load (sent
 * without cookies), so a CDN redirect without CORP cannot break a download. Browsers without
 * `credentialless` (Safari) are simply not isolated and train on one thread.
 *
 * `threadedWasmForMinifiedBuilds`: the threaded binary's pthread workers evaluate the source
 * text of Emscripten's module factory (`wasmFactoryThreadedSimd.toString()`), outside the
 * closure that declares `_scriptDir`. The factory guards it (`typeof _scriptDir !==
 * "undefined" && _scriptDir`), but a minifier that sees the declaration drops the guard, and
 * every pthread worker then dies with "ReferenceError: e is not defined". In a worker (and in
 * an ES module) `_scriptDir` is always undefined, so the plugin replaces the two uses with
 * undefined; it fails the build when the pattern is gone (a tfjs upgrade to look at).
 */
import type { Plugin } from 'vite';

export const CROSS_ORIGIN_ISOLATION: Record<string, string> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'credentialless',
};

const THREADED_FACTORY = /tfjs-backend-wasm[\\/]wasm-out[\\/]tfjs-backend-wasm-threaded-simd\.js$/;
const USES = [
  ['typeof _scriptDir !== "undefined" && _scriptDir', 'undefined'],
  ['Module["mainScriptUrlOrBlob"]||_scriptDir', 'Module["mainScriptUrlOrBlob"]'],
] as const;

/** The transformed factory source, or an error naming the use that is missing. */
export function withoutScriptDir(code: string): string {
  let out = code;
  for (const [use, replacement] of USES) {
    if (!out.includes(use))
      throw new Error(`tfjs-backend-wasm's threaded factory no longer contains ${JSON.stringify(use)}`);
    out = out.split(use).join(replacement);
  }
  return out;
}

export function threadedWasmForMinifiedBuilds(): Plugin {
  return {
    name: 'topt-threaded-wasm-for-minified-builds',
    transform(code, id) {
      if (!THREADED_FACTORY.test(id.split('?')[0])) return null;
      return { code: withoutScriptDir(code), map: null };
    },
  };
}
