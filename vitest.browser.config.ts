import { defineConfig } from 'vitest/config';

// `npm run test:browser`: the dashboard driven in Debian's Chromium (test/browser/), kept out
// of `npm test` (vitest.config.ts excludes the folder). One file at a time: a browser each.
export default defineConfig({
  test: {
    name: 'browser',
    include: ['test/browser/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
    env: { NHACVIEC_TEST_ENGINE: 'sqlite' },
  },
});
