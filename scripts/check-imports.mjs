/**
 * `npm run check:imports`: the import rules of src/, checked from the code itself (run by
 * `npm test` after lint). Reads every .ts/.tsx file's static imports and re-exports (type-only
 * ones too: a cycle of types is still a tangle) and dynamic `import('...')` of a literal path,
 * resolves the relative ones, and fails with a list when
 *   - any files import each other in a circle, or
 *   - an import runs against the data flow: core imports nothing from app, workers or cli;
 *     workers nothing from app or cli; core/eval nothing from core/prompt (evaluation takes
 *     the candidates its caller builds). Tests may use Node helpers from cli/.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

if (process.argv.includes('--help')) {
  console.log(`Usage: node scripts/check-imports.mjs [--verbose]

Checks src/ for import cycles and for imports against the data flow (core must not import
app, workers or cli; workers must not import app or cli; core/eval must not import
core/prompt). Prints what breaks a rule and exits 1, else one line and exits 0.
  --verbose  also print the number of files and imports read`);
  process.exit(0);
}
const unknown = process.argv.slice(2).find((a) => a !== '--verbose');
if (unknown !== undefined) {
  console.error(
    `error: unknown option '${unknown}'\nUsage: node scripts/check-imports.mjs [--verbose] [--help]`,
  );
  process.exit(2);
}

const root = resolve(import.meta.dirname, '..');
const src = join(root, 'src');

/** Layers a folder may not import, and why. */
const FORBIDDEN = [
  {
    from: 'src/core/',
    to: ['src/app/', 'src/workers/', 'src/cli/'],
    why: 'the core is shared by every shell',
  },
  { from: 'src/workers/', to: ['src/app/', 'src/cli/'], why: 'workers are thin adapters over the core' },
  {
    from: 'src/core/eval/',
    to: ['src/core/prompt/'],
    why: 'evaluation takes the candidates its caller builds',
  },
];

function sourceFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.tsx?$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** Module specifiers of a file's static imports, re-exports and literal dynamic imports. */
function specifiers(text) {
  // Comments out first (doc comments quote import lines).
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  const found = [];
  const patterns = [
    /\bimport\s+(?:type\s+)?[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bexport\s+(?:type\s+)?(?:\*|\{[^}]*\})\s*(?:as\s+\w+\s*)?from\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const re of patterns) for (const m of code.matchAll(re)) found.push(m[1]);
  return found;
}

function resolveImport(fromFile, spec) {
  if (!spec.startsWith('.')) return null;
  const base = resolve(dirname(fromFile), spec.replace(/\?.*$/, ''));
  for (const candidate of [
    base,
    `${base}.ts`,
    `${base}.tsx`,
    join(base, 'index.ts'),
    join(base, 'index.tsx'),
  ])
    if (existsSync(candidate) && statSync(candidate).isFile() && /\.tsx?$/.test(candidate)) return candidate;
  return null;
}

const files = sourceFiles(src);
const graph = new Map();
let edges = 0;
for (const file of files) {
  const targets = [
    ...new Set(
      specifiers(readFileSync(file, 'utf8'))
        .map((s) => resolveImport(file, s))
        .filter(Boolean),
    ),
  ];
  graph.set(file, targets);
  edges += targets.length;
}

const rel = (f) => relative(root, f);
const problems = [];

// Tests may reach for Node helpers (cli/fsSource.ts reads sample cities from disk).
for (const [file, targets] of graph)
  if (!/\.test\.tsx?$/.test(file))
    for (const target of targets)
      for (const rule of FORBIDDEN)
        if (rel(file).startsWith(rule.from) && rule.to.some((t) => rel(target).startsWith(t)))
          problems.push(
            `${rel(file)} imports ${rel(target)}: ${rule.from} must not import ${rule.to.join(', ')} (${rule.why})`,
          );

// Cycles: Tarjan's strongly connected components; every component of two or more files (or a
// file importing itself) is a circle.
let index = 0;
const indices = new Map();
const lowlinks = new Map();
const stack = [];
const onStack = new Set();
const components = [];
function connect(v) {
  indices.set(v, index);
  lowlinks.set(v, index);
  index++;
  stack.push(v);
  onStack.add(v);
  for (const w of graph.get(v) ?? []) {
    if (!indices.has(w)) {
      connect(w);
      lowlinks.set(v, Math.min(lowlinks.get(v), lowlinks.get(w)));
    } else if (onStack.has(w)) lowlinks.set(v, Math.min(lowlinks.get(v), indices.get(w)));
  }
  if (lowlinks.get(v) === indices.get(v)) {
    const component = [];
    let w;
    do {
      w = stack.pop();
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || (graph.get(v) ?? []).includes(v)) components.push(component);
  }
}
for (const v of graph.keys()) if (!indices.has(v)) connect(v);
for (const component of components) {
  const names = component.map(rel).sort();
  problems.push(`import cycle among ${names.length} files: ${names.join(', ')}`);
}

if (process.argv.includes('--verbose')) console.log(`${files.length} files, ${edges} imports within src/`);
if (problems.length) {
  console.error(`Import rules broken (${problems.length}):`);
  for (const p of problems) console.error(`- ${p}`);
  process.exit(1);
}
console.log(`Import rules hold: ${files.length} files in src/, no cycle, imports follow the data flow.`);
