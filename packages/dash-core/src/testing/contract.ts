import { TimeEntrySchema, toEpochSeconds } from '../model.js';
import { DASH_PLUGIN_API_VERSION, type Backend, type BackendPlugin } from '../plugin.js';
import { checkPluginShape } from '../host/prepare.js';
import { createTestContext, type TestContext } from './context.js';
import { validateOptions } from './options.js';
import { DEFAULT_SYNC_TIMEOUT_MS, syncPlugin, weekAround, withTimeout, type SyncPluginResult } from './sync.js';

/** Per-test allowance on top of the syncs, for the case's set-up and teardown (a fake server). */
const SETUP_MARGIN_MS = 5_000;

/** How long `run` must stay running (until its signal aborts) for the contract's check. */
const RUN_ALIVE_MS = 200;

/** The `describe` of your test framework (vitest, jest, node:test, mocha all fit). */
export type DescribeFn = (name: string, body: () => void) => void;
/** The `it`/`test` of your test framework; the third argument is a timeout in ms. */
export type ItFn = (name: string, body: () => Promise<void>, timeout?: number) => void;

/** Options the schema must reject, and optionally where. */
export interface InvalidOptionsCase {
  options: unknown;
  /** An issue must be reported at this path ("api_token", "projects.acme", "" for the root). */
  path?: string;
  /** An issue's message must match. */
  message?: string | RegExp;
}

/** What a sync case needs that the suite cannot know: a server, a folder, the options that reach them. */
export interface SyncSetup {
  /** The options to sync with (default: the case's `options`, else `validOptions[0]`). */
  options?: unknown;
  /** Called after the test, even when it failed. */
  teardown?: () => void | Promise<void>;
  /** The backend's context.dataDir (where it keeps tokens), e.g. a temp dir holding a token file. */
  dataDir?: string;
  /** The backend's context.configDir (what relative paths in options are relative to). */
  configDir?: string;
}

export interface SyncCase {
  /** Runs before each test that creates a backend (start a loopback server, write fixtures). */
  setup?: () => SyncSetup | Promise<SyncSetup>;
  options?: unknown;
  /** [from, to) to sync (default: the Monday-to-Monday UTC week around `now`). */
  range?: { from: Date | string; to: Date | string };
  /** The backend's clock (default 2026-11-18T12:00:00Z). */
  now?: Date | string;
  timeZone?: string;
  /** At least this many entries must be in the store after sync (default 1). */
  minEntries?: number;
  /** Extra checks on the store after a sync. */
  check?: (result: SyncPluginResult) => void | Promise<void>;
  /**
   * Per sync (default 10 s). The kit's checks then get this much per sync they make, plus
   * SETUP_MARGIN_MS for set-up and teardown, as the test framework's per-test timeout (vitest's
   * own 5 s default would cut an honest 3 s sync's "sync is repeatable" short).
   */
  timeoutMs?: number;
}

export interface BackendPluginSuite {
  describe: DescribeFn;
  it: ItFn;
  /** Options (a [[backends]] table without plugin/id) the schema must accept; at least one. */
  validOptions: readonly unknown[];
  invalidOptions?: readonly InvalidOptionsCase[];
  /** How to run a real sync, or `false` for a plugin that cannot sync in a test (say why in a comment). */
  sync: SyncCase | false;
  /** How long `sync` with an aborted signal, or `run` after its signal aborts, may take (default 1000 ms). */
  abortWithinMs?: number;
  /** Suite title (default: the plugin's name). */
  title?: string;
}

const NAME = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?dash-plugin(?:-[a-z0-9][a-z0-9._~-]*)?$/;
const SEMVER = /^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]+)?$/;

function fail(message: string): never {
  throw new Error(message);
}

function describeValue(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

/**
 * The contract suite, in the spirit of ESLint's RuleTester: one call registers every check a
 * Dash backend plugin must pass, with your test framework's own `describe`/`it`:
 *
 * ```ts
 * import { describe, it } from 'vitest';
 * import { testBackendPlugin } from 'dash-core/testing';
 * import plugin from '../src/index.js';
 *
 * testBackendPlugin(plugin, {
 *   describe, it,
 *   validOptions: [{ api_token: 'x' }],
 *   invalidOptions: [{ options: {}, path: 'api_token' }],
 *   sync: { setup: async () => { const server = await startFake(); return { options: { api_token: 'x', base_url: server.url }, teardown: () => server.close() }; } },
 * });
 * ```
 *
 * Checks: the plugin object (name, apiVersion, shape), the schema accepting and rejecting
 * options, sync pushing valid entries into a real Store (twice, without duplicates), no secret
 * option in the logs, an aborted signal honoured, `run` running until its signal aborts and then
 * stopping, `healthCheck`'s
 * verdict, and `dispose` being safe to call twice.
 */
export function testBackendPlugin<Options>(plugin: BackendPlugin<Options>, suite: BackendPluginSuite): void {
  const { describe, it } = suite;
  const abortWithin = suite.abortWithinMs ?? 1_000;
  if (suite.validOptions.length === 0) fail('testBackendPlugin: give at least one entry in validOptions');

  describe(suite.title ?? `${plugin?.name ?? 'plugin'} (Dash plugin contract)`, () => {
    describe('plugin object', () => {
      it('has the shape the host loads', async () => {
        const checked = checkPluginShape(plugin, `plugin ${describeValue(plugin?.name)}`);
        if (!checked.plugin) fail(checked.problem!);
      });
      it(`speaks plugin API v${DASH_PLUGIN_API_VERSION}`, async () => {
        if (plugin.apiVersion !== DASH_PLUGIN_API_VERSION) {
          fail(
            `apiVersion is ${describeValue(plugin.apiVersion)}, this dash-core speaks ${DASH_PLUGIN_API_VERSION}: ` +
              'set apiVersion: DASH_PLUGIN_API_VERSION (imported from dash-core)',
          );
        }
      });
      it('is named dash-plugin-<name> or @scope/dash-plugin[-<name>]', async () => {
        if (!NAME.test(plugin.name)) {
          fail(`name "${plugin.name}" should be the npm package name: dash-plugin-<name> or @scope/dash-plugin-<name>`);
        }
      });
      it('declares version, secretOptions and pollInterval correctly (when given)', async () => {
        if (plugin.version !== undefined && (typeof plugin.version !== 'string' || !SEMVER.test(plugin.version))) {
          fail(`version ${describeValue(plugin.version)} is not a semver version like "1.2.3" (use your package.json version)`);
        }
        if (plugin.description !== undefined && typeof plugin.description !== 'string') fail('description must be a string');
        if (plugin.secretOptions !== undefined) {
          if (!Array.isArray(plugin.secretOptions) || plugin.secretOptions.some((key) => typeof key !== 'string')) {
            fail('secretOptions must be an array of option names');
          }
        }
        if (plugin.pollInterval !== undefined && !(typeof plugin.pollInterval === 'number' && plugin.pollInterval > 0)) {
          fail(`pollInterval ${describeValue(plugin.pollInterval)} must be a positive number of seconds`);
        }
        if (plugin.auth !== undefined && typeof plugin.auth !== 'function') fail('auth must be a function');
      });
    });

    describe('options schema', () => {
      suite.validOptions.forEach((options, index) => {
        it(`accepts validOptions[${index}]`, async () => {
          const result = await validateOptions(plugin, options);
          if (!result.ok) {
            fail(
              `${describeValue(options)} was rejected: ` +
                result.issues.map((issue) => `${issue.path || '(root)'}: ${issue.message}`).join('; '),
            );
          }
        });
      });
      (suite.invalidOptions ?? []).forEach((item, index) => {
        it(`rejects invalidOptions[${index}]${item.path !== undefined ? ` at "${item.path}"` : ''}`, async () => {
          const result = await validateOptions(plugin, item.options);
          if (result.ok) fail(`${describeValue(item.options)} was accepted, expected it to be rejected`);
          const found = result.issues.filter((issue) => item.path === undefined || issue.path === item.path);
          if (found.length === 0) {
            fail(`no issue at "${item.path}"; the schema reported: ${result.issues.map((issue) => `${issue.path || '(root)'}: ${issue.message}`).join('; ')}`);
          }
          if (item.message !== undefined) {
            const matches = (text: string) => (typeof item.message === 'string' ? text.includes(item.message) : item.message!.test(text));
            if (!found.some((issue) => matches(issue.message))) {
              fail(`no issue message matches ${String(item.message)}; got: ${found.map((issue) => issue.message).join('; ')}`);
            }
          }
        });
      });
    });

    const sync = suite.sync;
    if (sync === false) return;
    const syncMs = sync.timeoutMs ?? DEFAULT_SYNC_TIMEOUT_MS;
    /** The per-test timeout for a check that makes `syncs` syncs: the kit's own limits fire first. */
    const budget = (syncs: number) => syncs * syncMs + SETUP_MARGIN_MS;

    let dirs: { dataDir?: string; configDir?: string } = {};
    /** Runs body with the case's set-up and teardown around it. */
    const withSetup = async (body: (options: unknown) => Promise<void>) => {
      const setup = (await sync.setup?.()) ?? {};
      dirs = { dataDir: setup.dataDir, configDir: setup.configDir };
      try {
        await body(setup.options ?? sync.options ?? suite.validOptions[0]);
      } finally {
        await setup.teardown?.();
      }
    };
    /** Creates the backend on a fresh test context, runs body, and always disposes of it. */
    const withBackend = async (options: unknown, body: (backend: Backend, test: TestContext) => Promise<void>) => {
      const validated = await validateOptions(plugin, options);
      if (!validated.ok) fail(`options rejected: ${validated.issues.map((issue) => issue.message).join('; ')}`);
      const test = createTestContext({ plugin: plugin.name, timeZone: sync.timeZone, ...dirs });
      if (sync.now !== undefined) test.clock.set(sync.now);
      const backend = await plugin.createBackend(validated.value, test.context);
      try {
        await body(backend, test);
        await backend.dispose?.();
      } catch (error) {
        await Promise.resolve(backend.dispose?.()).catch(() => {});
        throw error;
      }
    };
    /** The range the case syncs: its own, or the week around the clock. */
    const rangeFor = (now: Date) =>
      sync.range ? { from: new Date(sync.range.from), to: new Date(sync.range.to) } : weekAround(now);
    const settings = () => ({
      range: sync.range,
      now: sync.now,
      timeZone: sync.timeZone,
      timeoutMs: sync.timeoutMs,
      ...dirs,
    });

    describe('backend', () => {
      it('sync pushes valid entries into the store', async () => {
        await withSetup(async (options) => {
          const result = await syncPlugin(plugin, options, settings());
          try {
            const min = sync.minEntries ?? 1;
            if (result.entries.length < min) fail(`sync pushed ${result.entries.length} entries, expected at least ${min}`);
            const range = rangeFor(result.clock.now());
            for (const entry of result.entries) {
              const parsed = TimeEntrySchema.safeParse(entry);
              if (!parsed.success) fail(`entry ${entry.id} is not a valid TimeEntry: ${parsed.error.message}`);
              if (entry.end !== null && toEpochSeconds(entry.end) < toEpochSeconds(entry.start)) {
                fail(`entry ${entry.id} ends (${entry.end}) before it starts (${entry.start})`);
              }
              const overlaps =
                entry.end === null ||
                (toEpochSeconds(entry.start) < range.to.getTime() / 1000 && toEpochSeconds(entry.end) > range.from.getTime() / 1000);
              if (!overlaps) fail(`entry ${entry.id} (${entry.start} … ${entry.end}) is outside the requested range`);
            }
            if (result.entries.filter((entry) => entry.end === null).length > 1) {
              fail('more than one running entry: use setRunning for the one timer that runs now');
            }
            if (result.source.status === 'error') {
              fail(`sync resolved but set status "error": ${result.source.error?.code}: ${result.source.error?.message}`);
            }
            const secrets = (plugin.secretOptions ?? [])
              .map((key) => (options as Record<string, unknown> | null)?.[key])
              .filter((value): value is string => typeof value === 'string' && value.length >= 4);
            for (const line of result.logs) {
              const leaked = secrets.find((secret) => line.includes(secret));
              if (leaked) fail(`the value of a secret option appears in a log line (${line.length} chars); never log secrets`);
            }
            await sync.check?.(result);
            await result.dispose();
          } catch (error) {
            await result.dispose().catch(() => {});
            throw error;
          }
        });
      }, budget(1));

      it('sync is repeatable: a second sync leaves the same entries (no duplicates)', async () => {
        await withSetup(async (options) => {
          const result = await syncPlugin(plugin, options, settings());
          try {
            const first = result.entries.map((entry) => entry.id).sort();
            const range = rangeFor(result.clock.now());
            await withTimeout(
              result.backend.sync({ ...range, signal: new AbortController().signal }),
              syncMs,
              'second sync',
            );
            const second = result.context.store.entries().map((entry) => entry.id).sort();
            if (describeValue(first) !== describeValue(second)) {
              fail(`the second sync changed the entries: ${describeValue(first)} then ${describeValue(second)}`);
            }
            await result.dispose();
          } catch (error) {
            await result.dispose().catch(() => {});
            throw error;
          }
        });
      }, budget(2));

      it(`sync with an already aborted signal settles within ${abortWithin} ms`, async () => {
        await withSetup(async (options) => {
          await withBackend(options, async (backend, test) => {
            const range = rangeFor(test.clock.now());
            const controller = new AbortController();
            controller.abort();
            await withTimeout(
              backend.sync({ ...range, signal: controller.signal }).catch(() => {}),
              abortWithin,
              'sync with an aborted signal',
            );
          });
        });
      }, abortWithin + SETUP_MARGIN_MS);

      it('run (if any) keeps going until its signal aborts, then returns; healthCheck (if any) gives a verdict', async () => {
        await withSetup(async (options) => {
          await withBackend(options, async (backend, test) => {
            if (backend.run) {
              const controller = new AbortController();
              const range = weekAround(test.clock.now());
              let ended: 'returned' | 'threw' | undefined;
              const running = backend.run({ signal: controller.signal, range: () => range }).then(
                () => void (ended ??= 'returned'),
                () => void (ended ??= 'threw'),
              );
              await new Promise((resolve) => setTimeout(resolve, RUN_ALIVE_MS));
              if (ended !== undefined) {
                controller.abort();
                fail(
                  `run ${ended} before its signal aborted (within ${RUN_ALIVE_MS} ms): watch reports that on the source (RUN_ENDED) ` +
                    'and falls back to polling sync; keep run going until control.signal aborts (see docs/writing-a-plugin.md#lifecycle)',
                );
              }
              controller.abort();
              await withTimeout(running, abortWithin, 'run after its signal aborted');
            }
            if (backend.healthCheck) {
              const verdict = await withTimeout(backend.healthCheck(new AbortController().signal), syncMs, 'healthCheck');
              if (typeof verdict?.ok !== 'boolean') fail(`healthCheck returned ${describeValue(verdict)}, expected { ok: true } or { ok: false, code, message }`);
              if (!verdict.ok && (typeof verdict.code !== 'string' || typeof verdict.message !== 'string')) {
                fail(`healthCheck said not ok without a code and message: ${describeValue(verdict)}`);
              }
            }
          });
        });
      }, budget(1) + abortWithin);

      it('dispose can be called twice', async () => {
        await withSetup(async (options) => {
          const result = await syncPlugin(plugin, options, settings());
          await result.backend.dispose?.();
          await result.backend.dispose?.();
        });
      }, budget(1));
    });
  });
}
