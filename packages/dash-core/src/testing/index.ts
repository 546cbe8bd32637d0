/**
 * dash-core/testing: test a backend plugin the way the host runs it, on a real Store.
 *
 * - `testBackendPlugin(plugin, { describe, it, validOptions, invalidOptions, sync })`: the
 *   contract suite (RuleTester-style), one call in a test file.
 * - `syncPlugin(plugin, options, settings)`: validate, create, sync once; returns the store.
 * - `validateOptions(plugin, input)`: `{ ok, value }` or `{ ok: false, issues: [{ path, message }] }`.
 * - `createTestContext()` / `FakeClock`: a BackendContext on a real Store with a clock you move.
 * - `createOutputTestContext()` / `runOutputPlugin(plugin, options, { events, entries })`: the
 *   same for an [[outputs]] plugin (a temp dataDir, captured logs).
 *
 * See docs/writing-a-plugin.md, "Testing".
 * @module
 */
export { createTestContext, FakeClock } from './context.js';
export type { TestContext, TestContextOptions } from './context.js';
export { validateOptions } from './options.js';
export type { OptionsIssue, OptionsResult } from './options.js';
export { syncPlugin, weekAround } from './sync.js';
export type { SyncPluginOptions, SyncPluginResult } from './sync.js';
export { testBackendPlugin } from './contract.js';
export { createOutputTestContext, runOutputPlugin } from './output.js';
export type { OutputTestContext, OutputTestContextOptions, RunOutputOptions } from './output.js';
export type { BackendPluginSuite, DescribeFn, ItFn, InvalidOptionsCase, SyncCase, SyncSetup } from './contract.js';
