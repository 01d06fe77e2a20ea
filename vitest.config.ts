import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Only unit and integration tests; Playwright specs live in e2e/ and run separately.
    include: ['src/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
