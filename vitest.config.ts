import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'examples/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // One fast-check seed per run, printed (FC_SEED=<seed> repeats it): see test/support/fc-seed.ts.
    globalSetup: ['test/support/fc-seed.global.ts'],
    // The build runs first (npm test); tests use the built packages like users do.
    reporters: ['default'],
  },
});
