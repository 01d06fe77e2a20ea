/**
 * `npm run bench:first-view`: what the first page view downloads before anything is clicked.
 * Reads a finished build in dist/ (it builds nothing itself): index.html's entry script, its
 * modulepreload links and stylesheets, and every chunk those import statically, then prints
 * each file's bytes (raw and gzip) and whether any of it contains TensorFlow.js. Chunks that
 * are only imported dynamically (`import()`) or run in workers are not part of the first view.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';

const HELP = `Usage: node scripts/first-view-size.mjs [--build] [--dist <folder>] [--json] [--check]

Prints the bytes (raw and gzip) of what the first page view loads statically from a
finished build: index.html's entry script, its modulepreload links, its stylesheets and
every chunk they import statically (dynamic imports and workers are left out), and
whether any of it contains TensorFlow.js. Run \`vite build\` first, or give --build
(npm run bench:first-view does).

  --build          run \`vite build\` first
  --dist <folder>  the build folder (default: dist)
  --json           print one JSON object instead of the table
  --check          exit with status 1 when the first view contains TensorFlow.js
  --help           this text`;

/**
 * Strings that only TensorFlow.js puts in a bundle, minified or not: the URL flag name of
 * tfjs-core's environment, the IndexedDB/localStorage store names of tfjs-core's model I/O,
 * and the package scope (kept in some comments and error messages).
 */
const TFJS_MARKERS = ['tfjsflags', 'tensorflowjs_models', '@tensorflow/tfjs'];

/** Attributes of the tags in index.html that the browser loads on its own. */
function htmlReferences(html) {
  const refs = [];
  for (const tag of html.match(/<(script|link)\b[^>]*>/g) ?? []) {
    const attr = (name) => tag.match(new RegExp(`\\b${name}="([^"]*)"`))?.[1];
    if (tag.startsWith('<script') && attr('type') === 'module' && attr('src')) refs.push(attr('src'));
    if (tag.startsWith('<link') && ['modulepreload', 'stylesheet'].includes(attr('rel') ?? ''))
      refs.push(attr('href'));
  }
  return refs.filter((r) => r && !/^[a-z]+:/i.test(r));
}

/**
 * Relative specifiers a minified ES chunk imports statically: `import{a as b}from"./x.js"`,
 * `import"./x.js"`, `export{a}from"./x.js"`. `import("./x.js")` (a lazy chunk) does not match.
 */
function staticImports(code) {
  const found = [];
  const re = /(?:^|[;}\s])(?:import|export)\s*(?:[\w$*{}\s,]*?\s*from\s*)?["'](\.{1,2}\/[^"']+)["']/g;
  for (const m of code.matchAll(re)) found.push(m[1]);
  return found;
}

function firstViewFiles(dist) {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const queue = htmlReferences(html).map((r) => posix.normalize(r.replace(/^\//, '')));
  const seen = new Set();
  while (queue.length > 0) {
    const file = queue.shift();
    if (seen.has(file)) continue;
    seen.add(file);
    if (!file.endsWith('.js')) continue;
    const code = readFileSync(join(dist, file), 'utf8');
    for (const spec of staticImports(code)) queue.push(posix.join(posix.dirname(file), spec));
  }
  return [...seen].map((file) => {
    const bytes = readFileSync(join(dist, file));
    const text = bytes.toString('utf8');
    return {
      file,
      raw: bytes.length,
      gzip: gzipSync(bytes).length,
      tfjs: TFJS_MARKERS.filter((m) => text.includes(m)),
    };
  });
}

const kB = (n) => `${(n / 1000).toFixed(2)} kB`;

function main(argv) {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(HELP);
    return 0;
  }
  let values;
  try {
    values = parseArgs({
      args: argv,
      options: {
        build: { type: 'boolean' },
        dist: { type: 'string', default: 'dist' },
        json: { type: 'boolean' },
        check: { type: 'boolean' },
      },
      strict: true,
    }).values;
  } catch (e) {
    console.error(`error: ${e instanceof Error ? e.message : String(e)}\n\n${HELP}`);
    return 2;
  }
  if (values.build) {
    const vite = join(import.meta.dirname, '..', 'node_modules', '.bin', 'vite');
    const built = spawnSync(vite, ['build', '--outDir', values.dist, '--emptyOutDir'], { stdio: 'inherit' });
    if (built.status !== 0) return built.status ?? 1;
  }
  const dist = values.dist;
  if (!dist || !existsSync(join(dist, 'index.html'))) {
    console.error(`no build in ${dist ?? '(missing folder)'}/: run \`npx vite build\` first (see --help)`);
    return 2;
  }
  const files = firstViewFiles(dist);
  const total = { raw: 0, gzip: 0 };
  for (const f of files) {
    total.raw += f.raw;
    total.gzip += f.gzip;
  }
  const withTfjs = files.filter((f) => f.tfjs.length > 0);
  if (values.json) {
    console.log(JSON.stringify({ dist, files, total, tensorflowjs: withTfjs.map((f) => f.file) }, null, 2));
  } else {
    const width = Math.max(...files.map((f) => f.file.length), 'total'.length);
    console.log(`First view of ${dist}/ (index.html and its static imports):`);
    for (const f of files) {
      const mark = f.tfjs.length > 0 ? `  TensorFlow.js (${f.tfjs.join(', ')})` : '';
      console.log(
        `  ${f.file.padEnd(width)}  ${kB(f.raw).padStart(12)}  gzip ${kB(f.gzip).padStart(11)}${mark}`,
      );
    }
    console.log(
      `  ${'total'.padEnd(width)}  ${kB(total.raw).padStart(12)}  gzip ${kB(total.gzip).padStart(11)}`,
    );
    console.log(
      withTfjs.length > 0
        ? `TensorFlow.js: in the first view (${withTfjs.map((f) => f.file).join(', ')})`
        : 'TensorFlow.js: not in the first view',
    );
  }
  return values.check && withTfjs.length > 0 ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
