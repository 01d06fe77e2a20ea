/**
 * `npm test`: the whole suite, in order: type check, lint, formatting, import rules (no cycles,
 * imports follow the data flow), unit and integration tests (Vitest), production build,
 * browser tests (Playwright in Chromium).
 * The four checks that only read the sources run side by side, with caches in .cache/ (a rerun
 * checks only what changed: about 7 s instead of 30). Ends with each step's seconds, then one
 * line "N passed, N failed, N skipped" over all Vitest and Playwright tests.
 * `npm test -- --no-browser` skips the build and the browser tests.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { NO_CHROMIUM_MESSAGE, findChromium } from './findChromium.mjs';

const root = join(import.meta.dirname, '..');
const reports = join(root, 'test-results', 'reports');
const USAGE = `Usage: npm test [-- --no-browser]

The whole suite, in order: type check, lint, formatting, import rules, Vitest, production build,
Playwright in Chromium (long). Ends with one line "N passed, N failed, N skipped".

  --no-browser   skip the build and the browser tests
  --help, -h     this text`;
let flags;
try {
  flags = parseArgs({
    options: { 'no-browser': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  }).values;
} catch (e) {
  // An unknown flag: name it before any step starts (issue 19).
  console.error(`error: ${e instanceof Error ? e.message : String(e)}\n\n${USAGE}`);
  process.exit(2);
}
if (flags.help) {
  console.log(USAGE);
  process.exit(0);
}
const withBrowser = !flags['no-browser'];
const bin = (name) => join(root, 'node_modules', '.bin', name);
/** Caches of the static checks (gitignored): a rerun checks only the files that changed. */
const cache = join(root, '.cache');
/** Each step's title and seconds, printed at the end. */
const times = [];

function step(title, cmd, args, env = {}) {
  console.log(`\n=== ${title} ===`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  const ok = r.status === 0;
  const seconds = (Date.now() - started) / 1000;
  times.push([title, seconds]);
  console.log(`=== ${title}: ${ok ? 'ok' : 'FAILED'} (${seconds.toFixed(1)} s)`);
  return ok;
}

/**
 * Steps that only read the sources (type check, lint, formatting, import rules) run side by
 * side, two cores' worth; each one's output is printed whole, in order, once it ends.
 */
async function sideBySide(steps) {
  const started = Date.now();
  const runs = steps.map(
    ({ title, cmd, args }) =>
      new Promise((resolve) => {
        const child = spawn(cmd, args, { cwd: root, env: { ...process.env, FORCE_COLOR: '1' } });
        let output = '';
        child.stdout.on('data', (d) => (output += d));
        child.stderr.on('data', (d) => (output += d));
        child.on('error', (e) => (output += String(e)));
        child.on('close', (code) =>
          resolve({ title, ok: code === 0, output, seconds: (Date.now() - started) / 1000 }),
        );
      }),
  );
  const ok = [];
  for (const run of runs) {
    const { title, ok: passed, output, seconds } = await run;
    console.log(`\n=== ${title} ===`);
    if (output) process.stdout.write(output.endsWith('\n') ? output : `${output}\n`);
    console.log(`=== ${title}: ${passed ? 'ok' : 'FAILED'} (done after ${seconds.toFixed(1)} s)`);
    ok.push(passed);
  }
  times.push([steps.map((s) => s.title).join(', ') + ' (side by side)', (Date.now() - started) / 1000]);
  return ok;
}

/** A port of 127.0.0.1 that no one listens on, other than 4180. */
function freePort() {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => (port === 4180 ? freePort().then(done, fail) : done(port)));
    });
  });
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

/** Vitest JSON report: numPassedTests / numFailedTests / numPendingTests. */
function vitestCounts(report) {
  if (!report) return null;
  return {
    passed: report.numPassedTests ?? 0,
    failed: report.numFailedTests ?? 0,
    skipped: (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0),
  };
}

/** Playwright JSON report: stats.expected / unexpected / flaky / skipped. */
function playwrightCounts(report) {
  if (!report?.stats) return null;
  const s = report.stats;
  return { passed: (s.expected ?? 0) + (s.flaky ?? 0), failed: s.unexpected ?? 0, skipped: s.skipped ?? 0 };
}

async function main() {
  rmSync(reports, { recursive: true, force: true });
  mkdirSync(reports, { recursive: true });
  const failures = [];
  let chromium = null;
  if (withBrowser) {
    chromium = await findChromium();
    if (!chromium) {
      console.error(NO_CHROMIUM_MESSAGE);
      process.exit(1);
    }
    console.log(`Chromium for browser tests: ${chromium}`);
  }

  const checks = [
    {
      title: 'type check',
      cmd: bin('tsc'),
      args: [
        '-p',
        'tsconfig.json',
        '--noEmit',
        '--incremental',
        '--tsBuildInfoFile',
        join(cache, 'tsc.tsbuildinfo'),
      ],
    },
    {
      title: 'lint',
      cmd: bin('eslint'),
      args: ['.', '--cache', '--cache-strategy', 'content', '--cache-location', join(cache, 'eslint')],
    },
    {
      title: 'formatting',
      cmd: bin('prettier'),
      args: ['--check', '.', '--log-level', 'warn', '--cache', '--cache-location', join(cache, 'prettier')],
    },
    { title: 'import rules', cmd: process.execPath, args: [join(root, 'scripts', 'check-imports.mjs')] },
  ];
  (await sideBySide(checks)).forEach((ok, i) => {
    if (!ok) failures.push(checks[i].title);
  });

  const vitestJson = join(reports, 'vitest.json');
  if (
    !step('unit and integration tests (vitest)', bin('vitest'), [
      'run',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${vitestJson}`,
    ])
  ) {
    failures.push('vitest');
  }
  const counts = [vitestCounts(readJson(vitestJson))];
  if (!counts[0]) failures.push('vitest report missing');

  if (withBrowser) {
    if (!step('production build', bin('vite'), ['build', '--logLevel', 'warn'])) failures.push('build');
    else {
      const pwJson = join(reports, 'playwright.json');
      // Every spec must work on any E2E_PORT (a second checkout runs beside this one): unless one
      // is given, the suite runs on a free port, never the default 4180 the specs fall back to.
      const port = process.env.E2E_PORT ?? String(await freePort());
      console.log(`(browser tests on port ${port}: E2E_PORT)`);
      const ok = step('browser tests (playwright)', bin('playwright'), ['test', '--reporter=list,json'], {
        CHROMIUM_PATH: chromium,
        PLAYWRIGHT_JSON_OUTPUT_NAME: pwJson,
        E2E_PORT: port,
      });
      if (!ok) failures.push('playwright');
      const pw = playwrightCounts(readJson(pwJson));
      if (!pw) failures.push('playwright report missing');
      counts.push(pw);
    }
  }

  const total = counts.filter(Boolean).reduce(
    (a, c) => ({
      passed: a.passed + c.passed,
      failed: a.failed + c.failed,
      skipped: a.skipped + c.skipped,
    }),
    { passed: 0, failed: 0, skipped: 0 },
  );
  console.log('\nSeconds per step:');
  for (const [title, seconds] of times) console.log(`  ${seconds.toFixed(1).padStart(7)}  ${title}`);
  console.log('');
  if (failures.length) console.log(`Failed steps: ${failures.join(', ')}`);
  const failed = total.failed + (failures.length && total.failed === 0 ? failures.length : 0);
  console.log(`${total.passed} passed, ${failed} failed, ${total.skipped} skipped`);
  process.exit(failures.length ? 1 : 0);
}

main();
