import { defineConfig } from 'vitest/config';
import base from './vitest.config.ts';

/**
 * `npm run test:fast`: the use-case tests and the contract suites on the fakes. No server, no
 * browser, no real renderer, so no global setup (the browser lookup and the web build are for
 * test/e2e) and no isolation between files (nothing here touches global state): seconds.
 */
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['test/use-cases/**/*.test.ts', 'test/contracts/in-process.test.ts'],
    globalSetup: [],
    isolate: false,
  },
});
