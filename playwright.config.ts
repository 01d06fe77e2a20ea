import { defineConfig } from '@playwright/test';

/** E2E_PORT lets a second checkout run its browser tests beside this one. */
const port = Number(process.env.E2E_PORT ?? 4180);
/**
 * Two workers (E2E_WORKERS overrides): each test opens its own page in a fresh context (its own
 * IndexedDB) and the server only serves the build, so tests share no state; while one waits on
 * the page (loading, drawing, a reload) the other trains. On a 2-core machine the tests are
 * mostly CPU-bound: each takes up to twice as long beside another, hence the timeouts below.
 */
const workers = Number(process.env.E2E_WORKERS ?? 2);

export default defineConfig({
  testDir: './e2e',
  // Generous, for a loaded machine with two tests side by side (tests that train set their own).
  timeout: 180_000,
  expect: { timeout: 30_000 },
  workers,
  // Tests, not files, are shared out between the workers: with whole files a worker was left
  // alone for the last minute on train.spec's six training tests while the other sat idle.
  fullyParallel: true,
  reporter: 'list',
  outputDir: 'test-results',
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1280, height: 800 },
    launchOptions: {
      // scripts/test.mjs finds a Chromium and sets CHROMIUM_PATH.
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--enable-unsafe-webgpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
  webServer: {
    command: `npx vite preview --port ${port} --strictPort`,
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: false,
    timeout: 60_000,
  },
});
