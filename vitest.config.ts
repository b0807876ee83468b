import { defineConfig } from 'vitest/config';

// Two runs of the same tests: every test on SQLite, and the data-layer, app, chat-core,
// scheduler and import tests again on PostgreSQL (PGlite, or the server in NHACVIEC_TEST_PG).
// A test of something only one engine has is named *.sqlite.test.ts or *.pg.test.ts.
// test/browser/ runs on its own (`npm run test:browser`, vitest.browser.config.ts): it needs Chromium.
const common = { testTimeout: 30_000, hookTimeout: 30_000, pool: 'forks' as const };

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          ...common,
          name: 'sqlite',
          include: ['test/**/*.test.ts'],
          exclude: ['test/**/*.pg.test.ts', 'test/browser/**'],
          env: { NHACVIEC_TEST_ENGINE: 'sqlite' },
        },
      },
      {
        test: {
          ...common,
          name: 'postgres',
          include: ['test/{db,app,scheduler}/**/*.test.ts'],
          exclude: ['test/**/*.sqlite.test.ts'],
          env: { NHACVIEC_TEST_ENGINE: 'postgres' },
        },
      },
    ],
  },
});
