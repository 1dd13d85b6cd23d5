import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // Generous: the suite shares two cores with other work (several engineers, CI neighbours);
    // a hang still fails, and no test asserts on time (benchmarks measure it).
    testTimeout: 90_000,
    hookTimeout: 60_000,
    // expect.poll waits 1 s by default: a browser step under load (the suite shares two cores with
    // Chromium and the embedded servers) could miss it and fail a test that is right; 10 s still
    // fails a wrong one, only later.
    expect: { poll: { timeout: 10_000 } },
    pool: 'forks',
    // Vitest's default is one worker fewer than the cores: a single worker on the 2-core machines
    // the suite runs on, where many files mostly wait (on Chromium, the embedded servers,
    // LibreOffice). Two workers there: 617 s against 759 s for the whole suite, both alone on an
    // AMD EPYC 2-core machine (2026-12-08, every file passing in both runs). Larger machines keep
    // the default.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // The handlers' Powertools log lines (one per request) stay out of the test output unless asked
    // for: POWERTOOLS_LOG_LEVEL=INFO npx vitest run test/api.
    // Likewise the EMF metrics of the functions loaded as Lambda loads them (test/api/lambda-handlers.test.ts).
    env: { POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'SILENT', POWERTOOLS_METRICS_DISABLED: process.env.POWERTOOLS_METRICS_DISABLED ?? 'true' },
    // s3rver answers truncated listings (over 1 000 keys, continuation tokens) with a DES-encrypted
    // token, which OpenSSL 3 only offers through its legacy provider.
    execArgv: ['--openssl-legacy-provider'],
    // Finds Chromium for the browser tests in test/e2e (skipped without one) and builds web/dist when its sources changed.
    globalSetup: ['test/e2e/support/global-setup.ts'],
  },
});
