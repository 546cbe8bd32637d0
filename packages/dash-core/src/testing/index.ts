/**
 * dash-core/testing: helpers for testing backend plugins against the real store and host.
 * (The contract test suite grows here; see docs/writing-a-plugin.md.)
 * @module
 */
export { createTestContext, FakeClock } from './context.js';
export type { TestContext, TestContextOptions } from './context.js';
