import { defineConfig } from 'vitest/config';

/**
 * The tests `npm run mutation` (StrykerJS, stryker.config.json) runs against each mutant:
 * dash-core's unit tests only (no built CLI, no processes), with a fixed fast-check seed so
 * a mutant's verdict does not change from one run to the next, and fewer cases per property.
 */
export default defineConfig({
  test: {
    // The tests of the files stryker.config.json mutates (widen both together). pace*: core.ts
    // computes each day's and the week's pace (l. 308–325); without them those mutants survive.
    include: ['packages/dash-core/test/{snapshot,snapshot-edges,snapshot.property,pace,pace.property,calendar,calendar.property,epoch,week-table}.test.ts'],
    testTimeout: 60_000,
    pool: 'forks',
    env: { FC_SEED: '20261122', FC_RUNS: '15' },
  },
});
