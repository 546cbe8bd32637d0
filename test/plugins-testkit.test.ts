/**
 * dash-core/testing's contract suite must catch broken plugins: it is run here against plugins
 * with one defect each, through a describe/it that records outcomes instead of vitest's.
 */
import { describe, expect, it } from 'vitest';
import { DashError, z, type BackendPlugin } from 'dash-core';
import { testBackendPlugin, type BackendPluginSuite } from 'dash-core/testing';

/** Runs the suite for `plugin` and returns { test name: error message or "ok" }. */
async function outcomes(plugin: BackendPlugin<any>, suite: Omit<BackendPluginSuite, 'describe' | 'it'>): Promise<Record<string, string>> {
  const tests: { name: string; body: () => Promise<void> }[] = [];
  const prefix: string[] = [];
  testBackendPlugin(plugin, {
    ...suite,
    describe: (name, body) => {
      prefix.push(name);
      body();
      prefix.pop();
    },
    it: (name, body) => tests.push({ name: [...prefix.slice(1), name].join(' > '), body }),
  });
  const result: Record<string, string> = {};
  for (const test of tests) {
    try {
      await test.body();
      result[test.name] = 'ok';
    } catch (error) {
      result[test.name] = (error as Error).message;
    }
  }
  return result;
}

const entry = (id: string, start: string, end: string | null) => ({ id, start, end, description: id });

function plugin(overrides: Partial<BackendPlugin<any>> = {}, backend: Record<string, unknown> = {}): BackendPlugin<any> {
  return {
    name: 'dash-plugin-sample',
    version: '1.0.0',
    apiVersion: 1,
    optionsSchema: z.strictObject({ token: z.string().min(1) }),
    secretOptions: ['token'],
    createBackend: (_options, context) => ({
      async sync({ signal }) {
        signal.throwIfAborted();
        context.store.replaceRange({ from: '2026-11-16T00:00:00Z', to: '2026-11-23T00:00:00Z' }, [entry('a', '2026-11-17T08:00:00Z', '2026-11-17T09:00:00Z')]);
      },
      ...backend,
    }),
    ...overrides,
  };
}

const SUITE = { validOptions: [{ token: 'abcd-secret' }], invalidOptions: [{ options: {}, path: 'token' }], sync: {} };

/** The per-test timeout the suite hands the test framework's `it`, by test name. */
function timeouts(suite: Omit<BackendPluginSuite, 'describe' | 'it'>): Record<string, number | undefined> {
  const result: Record<string, number | undefined> = {};
  testBackendPlugin(plugin(), { ...suite, describe: (_name, body) => body(), it: (name, _body, timeout) => (result[name] = timeout) });
  return result;
}

describe('testBackendPlugin', () => {
  it("gives each check that syncs the test framework's timeout for its syncs (sync.timeoutMs), beyond vitest's 5 s default", () => {
    const given = timeouts({ ...SUITE, sync: { timeoutMs: 3_000 } });
    const repeatable = Object.keys(given).find((name) => name.startsWith('sync is repeatable'))!;
    // Two honest 3 s syncs and the set-up fit; the kit's own per-sync limit fires first.
    expect(given[repeatable]).toBeGreaterThanOrEqual(2 * 3_000 + 1_000);
    const pushes = Object.keys(given).find((name) => name.startsWith('sync pushes'))!;
    expect(given[pushes]).toBeGreaterThan(3_000 + 1_000);
    expect(timeouts({ ...SUITE, sync: { timeoutMs: 30_000 } })[repeatable]).toBeGreaterThanOrEqual(60_000);
  });

  it('passes a correct plugin in every check', async () => {
    const result = await outcomes(plugin(), SUITE);
    expect(Object.keys(result).length).toBeGreaterThanOrEqual(10);
    expect(Object.entries(result).filter(([, outcome]) => outcome !== 'ok')).toEqual([]);
  });

  it('fails a wrong apiVersion, a bad name and a bad version, saying what to do', async () => {
    const result = await outcomes(plugin({ apiVersion: 2, name: 'sample', version: 'latest' }), SUITE);
    expect(result['plugin object > speaks plugin API v1']).toBe('apiVersion is 2, this dash-core speaks 1: set apiVersion: DASH_PLUGIN_API_VERSION (imported from dash-core)');
    expect(result['plugin object > is named dash-plugin-<name> or @scope/dash-plugin[-<name>]']).toContain('should be the npm package name');
    expect(result['plugin object > declares version, secretOptions and pollInterval correctly (when given)']).toContain('"latest" is not a semver version');
  });

  it('fails a schema that accepts what it should reject, or reports the wrong path', async () => {
    const loose = await outcomes(plugin({ optionsSchema: z.object({ token: z.string().optional() }) }), SUITE);
    expect(loose['options schema > rejects invalidOptions[0] at "token"']).toBe('{} was accepted, expected it to be rejected');
    const elsewhere = await outcomes(plugin(), { ...SUITE, invalidOptions: [{ options: {}, path: 'api_token' }] });
    expect(elsewhere['options schema > rejects invalidOptions[0] at "api_token"']).toMatch(/^no issue at "api_token"; the schema reported: token: /);
  });

  it('fails a sync that pushes nothing, entries outside the range, or duplicates on the second sync', async () => {
    const empty = await outcomes(plugin({}, { sync: async () => {} }), SUITE);
    expect(empty['backend > sync pushes valid entries into the store']).toBe('sync pushed 0 entries, expected at least 1');
    let calls = 0;
    const growing = plugin({
      createBackend: (_options, context) => ({
        async sync() {
          calls++;
          context.store.upsert([entry(`e${calls}`, '2026-11-17T08:00:00Z', '2026-11-17T09:00:00Z')]);
        },
      }),
    });
    const dupes = await outcomes(growing, SUITE);
    expect(dupes['backend > sync is repeatable: a second sync leaves the same entries (no duplicates)']).toMatch(/^the second sync changed the entries/);
    const outside = await outcomes(
      plugin({
        createBackend: (_o, context) => ({ sync: async () => context.store.upsert([entry('old', '2020-01-01T08:00:00Z', '2020-01-01T09:00:00Z')]) }),
      }),
      SUITE,
    );
    expect(outside['backend > sync pushes valid entries into the store']).toBe('entry old (2020-01-01T08:00:00Z … 2020-01-01T09:00:00Z) is outside the requested range');
  });

  it('fails a backend that logs a secret option, ignores an aborted signal, never stops running, or breaks on a second dispose', async () => {
    const leaky = await outcomes(
      plugin({
        createBackend: (options: { token: string }, context) => ({
          async sync() {
            context.log.debug(`using token ${options.token}`);
            context.store.upsert([entry('a', '2026-11-17T08:00:00Z', '2026-11-17T09:00:00Z')]);
          },
        }),
      }),
      SUITE,
    );
    expect(leaky['backend > sync pushes valid entries into the store']).toContain('the value of a secret option appears in a log line');

    const stubborn = await outcomes(
      plugin({
        createBackend: () => {
          let disposed = false;
          return {
            sync: () => new Promise(() => {}),
            run: () => new Promise(() => {}),
            dispose() {
              if (disposed) throw new DashError('USAGE', 'already disposed');
              disposed = true;
            },
          };
        },
      }),
      { ...SUITE, abortWithinMs: 200, sync: { timeoutMs: 300 } },
    );
    expect(stubborn['backend > sync with an already aborted signal settles within 200 ms']).toBe('sync with an aborted signal did not settle within 200 ms');
    expect(stubborn['backend > run (if any) keeps going until its signal aborts, then returns; healthCheck (if any) gives a verdict']).toBe('run after its signal aborted did not settle within 200 ms');
    expect(stubborn['backend > sync pushes valid entries into the store']).toBe('dash-plugin-sample: sync did not settle within 300 ms');
    const twice = await outcomes(
      plugin({
        createBackend: (_options, context) => {
          let disposed = false;
          return {
            sync: async () => context.store.upsert([entry('a', '2026-11-17T08:00:00Z', '2026-11-17T09:00:00Z')]),
            dispose() {
              if (disposed) throw new DashError('USAGE', 'already disposed');
              disposed = true;
            },
          };
        },
      }),
      SUITE,
    );
    expect(twice['backend > dispose can be called twice']).toBe('already disposed');
  });

  it('fails a healthCheck without a verdict', async () => {
    const result = await outcomes(plugin({}, { healthCheck: async () => ({ ok: false }) }), SUITE);
    expect(result['backend > run (if any) keeps going until its signal aborts, then returns; healthCheck (if any) gives a verdict']).toBe('healthCheck said not ok without a code and message: {"ok":false}');
  });
});
