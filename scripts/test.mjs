/**
 * `npm test`: the whole suite, in order: type check, lint, formatting, import rules (no cycles,
 * imports follow the data flow), unit and integration tests (Vitest), production build,
 * browser tests (Playwright in Chromium).
 * Ends with one line "N passed, N failed, N skipped" over all Vitest and Playwright tests.
 * `npm test -- --no-browser` skips the build and the browser tests.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
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

function step(title, cmd, args, env = {}) {
  console.log(`\n=== ${title} ===`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  const ok = r.status === 0;
  console.log(`=== ${title}: ${ok ? 'ok' : 'FAILED'} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return ok;
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

  if (!step('type check', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit'])) failures.push('type check');
  if (!step('lint', bin('eslint'), ['.'])) failures.push('lint');
  if (!step('formatting', bin('prettier'), ['--check', '.', '--log-level', 'warn']))
    failures.push('formatting');
  if (!step('import rules', process.execPath, [join(root, 'scripts', 'check-imports.mjs')]))
    failures.push('import rules');

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
      const ok = step('browser tests (playwright)', bin('playwright'), ['test', '--reporter=list,json'], {
        CHROMIUM_PATH: chromium,
        PLAYWRIGHT_JSON_OUTPUT_NAME: pwJson,
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
  console.log('');
  if (failures.length) console.log(`Failed steps: ${failures.join(', ')}`);
  const failed = total.failed + (failures.length && total.failed === 0 ? failures.length : 0);
  console.log(`${total.passed} passed, ${failed} failed, ${total.skipped} skipped`);
  process.exit(failures.length ? 1 : 0);
}

main();
