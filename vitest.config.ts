import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Builds web/dist when its sources changed, for the browser tests in test/e2e.
    globalSetup: ['test/e2e/support/build-web.ts'],
  },
});
