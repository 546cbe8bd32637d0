import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { checkConfig, loadConfig, type LoadedConfig } from '../src/config/load.js';
import { ConfigError, DashError } from '../src/errors.js';
import { PluginHost } from '../src/host/host.js';
import { prepareBackends, type PreparedBackend } from '../src/host/prepare.js';
import { normalizePluginName, resolvePlugin } from '../src/host/resolve.js';
import { Redactor } from '../src/redact.js';
import { silentLogger } from '../src/logger.js';
import { DASH_PLUGIN_API_VERSION, defineBackendPlugin, type Backend, type BackendContext, type BackendPlugin } from '../src/plugin.js';
import { Store } from '../src/store.js';

const root = mkdtempSync(join(tmpdir(), 'dash-host-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let counter = 0;

/** A folder with files in it (paths relative to it) and a config.toml. */
function project(files: Record<string, string>, toml: string): { dir: string; loaded: LoadedConfig } {
  const dir = join(root, `p${counter++}`);
  for (const [path, text] of Object.entries({ ...files, 'config.toml': toml })) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return { dir, loaded: loadConfig(join(dir, 'config.toml'), {}) };
}

/** A plugin file that imports nothing: a hand-written Standard Schema requiring `greeting`. */
function pluginSource({ name = 'dash-plugin-hello', apiVersion = DASH_PLUGIN_API_VERSION } = {}): string {
  return `
const optionsSchema = {
  '~standard': {
    version: 1,
    vendor: 'hand-written',
    validate(value) {
      if (typeof value.greeting !== 'string') return { issues: [{ message: 'required', path: ['greeting'] }] };
      return { value: { greeting: value.greeting, times: value.times ?? 1 } };
    },
  },
};
export default {
  name: ${JSON.stringify(name)},
  version: '1.2.3',
  apiVersion: ${apiVersion},
  optionsSchema,
  createBackend(options, context) {
    return {
      async sync() {
        context.store.upsert([{ id: 'hello', start: '2026-11-18T09:00:00Z', end: '2026-11-18T10:00:00Z', description: options.greeting }]);
      },
    };
  },
};
`;
}

async function prepareError(loaded: LoadedConfig, builtins?: Record<string, BackendPlugin<unknown>>): Promise<ConfigError> {
  try {
    await prepareBackends(loaded, builtins ? { builtins } : {});
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected prepareBackends to throw');
}

const zodPlugin = defineBackendPlugin({
  name: 'dash-plugin-zod',
  apiVersion: DASH_PLUGIN_API_VERSION,
  optionsSchema: z.strictObject({ api_token: z.string().min(1), workspace: z.number().int().default(1) }),
  secretOptions: ['api_token'],
  createBackend: () => ({ async sync() {} }),
});

describe('plugin names', () => {
  it('normalizes shorthands, scopes, paths and module:', () => {
    expect(normalizePluginName('toggl')).toEqual({ kind: 'package', specifier: 'dash-plugin-toggl' });
    expect(normalizePluginName('dash-plugin-toggl')).toEqual({ kind: 'package', specifier: 'dash-plugin-toggl' });
    expect(normalizePluginName('@acme')).toEqual({ kind: 'package', specifier: '@acme/dash-plugin' });
    expect(normalizePluginName('@acme/jira')).toEqual({ kind: 'package', specifier: '@acme/dash-plugin-jira' });
    expect(normalizePluginName('@acme/dash-plugin-jira')).toEqual({ kind: 'package', specifier: '@acme/dash-plugin-jira' });
    expect(normalizePluginName('module:some-package')).toEqual({ kind: 'package', specifier: 'some-package' });
    expect(normalizePluginName('./plugins/x.mjs')).toEqual({ kind: 'path', specifier: './plugins/x.mjs' });
    expect(normalizePluginName('../x')).toEqual({ kind: 'path', specifier: '../x' });
    expect(normalizePluginName('/abs/x.js')).toEqual({ kind: 'path', specifier: '/abs/x.js' });
  });

  it('resolves packages from the config folder (and above), then the fallback folders', () => {
    const dir = join(root, `resolve${counter++}`);
    const pkg = (base: string, name: string, json: object) => {
      mkdirSync(join(base, 'node_modules', name, 'dist'), { recursive: true });
      writeFileSync(join(base, 'node_modules', name, 'package.json'), JSON.stringify({ name, version: '0.0.1', ...json }));
      writeFileSync(join(base, 'node_modules', name, 'dist', 'index.js'), 'export default {}');
    };
    pkg(dir, 'dash-plugin-up', { exports: { '.': { import: './dist/index.js' } } });
    pkg(dir, '@acme/dash-plugin-jira', { main: './dist/index.js' });
    pkg(join(dir, 'cli'), 'dash-plugin-fallback', { exports: './dist/index.js' });
    const configDir = join(dir, 'nested', 'config');
    mkdirSync(configDir, { recursive: true });
    expect(resolvePlugin('up', configDir).resolved).toMatchObject({
      file: join(dir, 'node_modules', 'dash-plugin-up', 'dist', 'index.js'),
      packageName: 'dash-plugin-up',
      packageVersion: '0.0.1',
    });
    expect(resolvePlugin('@acme/jira', configDir).resolved?.file).toBe(join(dir, 'node_modules', '@acme', 'dash-plugin-jira', 'dist', 'index.js'));
    expect(resolvePlugin('fallback', configDir).resolved).toBeUndefined();
    expect(resolvePlugin('fallback', configDir, [join(dir, 'cli')]).resolved?.packageName).toBe('dash-plugin-fallback');
  });
});

describe('prepareBackends', () => {
  it('loads a plugin given as a relative path, validates its options and keeps the schema output', async () => {
    const { dir, loaded } = project({ 'plugins/hello.mjs': pluginSource() }, '[[backends]]\nplugin = "./plugins/hello.mjs"\ngreeting = "hi"\n');
    const [prepared, ...rest] = await prepareBackends(loaded);
    expect(rest).toEqual([]);
    expect(prepared).toMatchObject({
      config: { id: 'hello', index: 0 },
      options: { greeting: 'hi', times: 1 },
      path: join(dir, 'plugins', 'hello.mjs'),
      packageName: 'dash-plugin-hello',
      version: '1.2.3',
    });
  });

  it('a plugin that is not installed says how to install it', async () => {
    const { loaded } = project({}, 'timezone = "UTC"\n\n[[backends]]\nplugin = "nonexistent-x"\n');
    const error = await prepareError(loaded);
    expect(error.code).toBe('PLUGIN_NOT_FOUND');
    expect(error.issues).toEqual([
      { path: 'backends[0].plugin', line: 4, column: 1, message: expect.stringContaining('npm install dash-plugin-nonexistent-x') },
    ]);
    expect(error.message).toContain('config.toml:4:1: backends[0].plugin: plugin "nonexistent-x" (dash-plugin-nonexistent-x) is not installed');
  });

  it('a missing plugin file names the path it looked at', async () => {
    const { dir, loaded } = project({}, '[[backends]]\nplugin = "./nope.mjs"\n');
    const error = await prepareError(loaded);
    expect(error.code).toBe('PLUGIN_NOT_FOUND');
    expect(error.issues[0]!.message).toContain(join(dir, 'nope.mjs'));
  });

  it('a plugin for another API version is refused with what to upgrade', async () => {
    const { loaded } = project(
      { 'old.mjs': pluginSource({ apiVersion: 0 }), 'new.mjs': pluginSource({ name: 'dash-plugin-new', apiVersion: 99 }) },
      '[[backends]]\nplugin = "./old.mjs"\ngreeting = "x"\n[[backends]]\nplugin = "./new.mjs"\ngreeting = "x"\n',
    );
    const error = await prepareError(loaded);
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.issues.map((issue) => issue.message)).toEqual([
      expect.stringMatching(/plugin API v0, this Dash speaks v1: upgrade the plugin \(npm install dash-plugin-hello@latest\)/),
      expect.stringMatching(/plugin API v99, this Dash speaks v1: upgrade dash-cli/),
    ]);
  });

  it('a module that does not export a plugin is refused, naming what is missing', async () => {
    const { loaded } = project(
      { 'a.mjs': 'export default 42;', 'b.mjs': 'export default { name: "b", apiVersion: 1 };', 'c.mjs': 'throw new Error("boom at load");' },
      '[[backends]]\nplugin = "./a.mjs"\n[[backends]]\nplugin = "./b.mjs"\n[[backends]]\nplugin = "./c.mjs"\n',
    );
    const error = await prepareError(loaded);
    expect(error.issues.map((issue) => [issue.path, issue.line])).toEqual([
      ['backends[0].plugin', 2],
      ['backends[1].plugin', 4],
      ['backends[2].plugin', 6],
    ]);
    expect(error.issues[0]!.message).toContain('does not default-export a plugin object');
    expect(error.issues[1]!.message).toContain('missing optionsSchema (a zod or other Standard Schema), createBackend (function)');
    expect(error.issues[2]!.message).toContain('failed to load');
    expect(error.issues[2]!.message).toContain('boom at load');
  });

  it('options failing the plugin schema are reported with backends[i].key paths', async () => {
    const { loaded } = project({}, '[[backends]]\nplugin = "zod"\nworkspace = "one"\n');
    const error = await prepareError(loaded, { zod: zodPlugin });
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.issues).toEqual(
      expect.arrayContaining([
        { path: 'backends[0].api_token', message: expect.stringMatching(/^required/), line: 1, column: 1 },
        { path: 'backends[0].workspace', message: expect.stringContaining('expected number'), line: 3, column: 1 },
      ]),
    );
    expect(error.message).toMatch(/config\.toml:1:1: backends\[0\]\.api_token: required/);
  });

  it('unknown plugin options are named', async () => {
    const { loaded } = project({}, '[[backends]]\nplugin = "zod"\napi_token = "abcd"\napi_tokne = "x"\n');
    const error = await prepareError(loaded, { zod: zodPlugin });
    // At the key's own line, not the [[backends]] header's.
    expect(error.issues).toEqual([{ path: 'backends[0].api_tokne', line: 4, column: 1, message: expect.stringContaining('unknown key "api_tokne" for dash-plugin-zod') }]);
  });

  it('reports every problem of the file at once', async () => {
    const { loaded } = project(
      { 'old.mjs': pluginSource({ apiVersion: 0 }), 'bad.mjs': 'export default "nope";' },
      [
        'colour = "red"', // 1
        '[goals]', // 2
        'daily = "lots"', // 3
        '[[backends]]', // 4
        'plugin = "nonexistent-x"', // 5
        '[[backends]]', // 6
        'plugin = "./old.mjs"', // 7
        '[[backends]]', // 8
        'plugin = "./bad.mjs"', // 9
        '[[backends]]', // 10
        'plugin = "zod"', // 11
        'token = "${MISSING_TOKEN}"', // 12
        '',
      ].join('\n'),
    );
    const error = await prepareError(loaded, { zod: zodPlugin });
    const found = error.issues.map((issue) => `${issue.line}: ${issue.path}`).sort();
    expect(found).toEqual(
      [
        '1: colour',
        '3: goals.daily',
        '5: backends[0].plugin',
        '7: backends[1].plugin',
        '9: backends[2].plugin',
        '12: backends[3].token',
        '10: backends[3].api_token',
        '12: backends[3].token',
      ].sort(),
    );
    expect(error.message).toContain('MISSING_TOKEN');
    expect(error.message.split('\n')).toHaveLength(error.issues.length);
  });

  it('a schema message quoting a ${VAR} value is masked', async () => {
    const echoing = defineBackendPlugin({
      name: 'dash-plugin-echo',
      apiVersion: DASH_PLUGIN_API_VERSION,
      optionsSchema: z.object({ token: z.string().refine((value) => value.startsWith('tok_'), { error: (issue) => `token ${String(issue.input)} must start with tok_` }) }),
      createBackend: () => ({ async sync() {} }),
    });
    const dir = join(root, `p${counter++}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'config.toml'), '[[backends]]\nplugin = "echo"\ntoken = "${ECHO_TOKEN}"\n');
    const loaded = loadConfig(join(dir, 'config.toml'), { ECHO_TOKEN: 'very-secret-value' });
    const error = await prepareError(loaded, { echo: echoing });
    expect(error.issues).toEqual([{ path: 'backends[0].token', line: 3, column: 1, message: expect.stringContaining('token *** must start with tok_') }]);
    expect(error.message).not.toContain('very-secret-value');
  });

  it('secret options join the config secrets', async () => {
    const loaded = checkConfig({ backends: [{ plugin: 'zod', api_token: 'plain-token-in-file' }] }, { env: {} });
    await prepareBackends(loaded, { builtins: { zod: zodPlugin } });
    expect(loaded.config.secrets).toContain('plain-token-in-file');
  });
});

// ---------------------------------------------------------------- PluginHost

function prepared(id: string, plugin: BackendPlugin<unknown>, options: unknown = {}): PreparedBackend {
  return { config: { index: 0, id, plugin: id, options: {} }, plugin, options, path: 'built-in', packageName: plugin.name, version: undefined };
}

function pluginOf(create: (context: BackendContext) => Backend, extra: Partial<BackendPlugin<unknown>> = {}): BackendPlugin<unknown> {
  return { name: 'dash-plugin-test', apiVersion: DASH_PLUGIN_API_VERSION, optionsSchema: z.object({}), createBackend: (_options, context) => create(context), ...extra };
}

const NOW = new Date('2026-11-18T12:00:00Z');

function host(backends: PreparedBackend[], store = new Store(), now = () => NOW) {
  return {
    store,
    host: new PluginHost({ store, backends, timeZone: 'UTC', weekStart: 'monday', log: silentLogger, now, dataHome: join(root, 'data') }),
  };
}

describe('PluginHost', () => {
  it('stopping while a sync runs is not the backend failing: the source keeps its last settled status', async () => {
    let started!: () => void;
    const syncing = new Promise<void>((resolve) => (started = resolve));
    const slow = pluginOf(() => ({
      sync({ signal }) {
        started();
        return new Promise<void>((_, reject) => signal.addEventListener('abort', () => reject(new DOMException('This operation was aborted', 'AbortError')), { once: true }));
      },
      async run({ signal }) {
        await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
      },
    }));
    const { host: pluginHost, store } = host([prepared('slow', slow)]);
    await pluginHost.start();
    await syncing;
    await pluginHost.stop();
    expect(store.source('slow')?.status).not.toBe('error');
    expect(store.source('slow')?.error).toBeNull();
  });

  it('a throwing and a hanging backend become error statuses; the good one still delivers', async () => {
    let hungSignal: AbortSignal | undefined;
    const disposed: string[] = [];
    const good = pluginOf((context) => ({
      async sync({ from, to }) {
        expect(from.toISOString()).toBe('2026-11-16T00:00:00.000Z');
        expect(to.toISOString()).toBe('2026-11-23T00:00:00.000Z');
        await new Promise((resolve) => setTimeout(resolve, 20));
        context.store.upsert([{ id: '1', start: '2026-11-18T09:00:00Z', end: '2026-11-18T10:00:00Z' }]);
      },
      dispose: () => void disposed.push(context.id),
    }));
    const throwing = pluginOf((context) => ({
      async sync() {
        throw new DashError('NETWORK', 'connect ECONNREFUSED 127.0.0.1:9');
      },
      dispose: () => void disposed.push(context.id),
    }));
    const syncThrow = pluginOf(() => ({
      sync() {
        throw new TypeError('cannot read properties of undefined');
      },
    }));
    const hanging = pluginOf((context) => ({
      sync({ signal }) {
        hungSignal = signal;
        return new Promise(() => {});
      },
      dispose: () => void disposed.push(context.id),
    }));
    const { host: pluginHost, store } = host([prepared('good', good), prepared('throwing', throwing), prepared('sync-throw', syncThrow), prepared('hanging', hanging)]);
    const started = Date.now();
    const outcomes = await pluginHost.syncOnce(undefined, { timeoutMs: 300 });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(outcomes).toEqual([
      { id: 'good', ok: true },
      { id: 'throwing', ok: false, error: { code: 'NETWORK', message: 'connect ECONNREFUSED 127.0.0.1:9' } },
      { id: 'sync-throw', ok: false, error: { code: 'BACKEND_FAILED', message: 'cannot read properties of undefined' } },
      { id: 'hanging', ok: false, error: { code: 'BACKEND_TIMEOUT', message: 'no answer within 300ms' } },
    ]);
    expect(hungSignal?.aborted).toBe(true);
    expect(store.source('good')).toMatchObject({ status: 'ok', lastSyncAt: NOW.toISOString(), error: null });
    expect(store.source('throwing')).toMatchObject({ status: 'error', error: { code: 'NETWORK' } });
    expect(store.source('hanging')).toMatchObject({ status: 'error', error: { code: 'BACKEND_TIMEOUT' } });
    expect(store.handle('good').entries().map((item) => item.id)).toEqual(['1']);
    await pluginHost.stop();
    expect(disposed).toEqual(['hanging', 'throwing', 'good']);
  });

  it('a backend whose createBackend throws is an error status; the others run', async () => {
    const broken = pluginOf(() => {
      throw new DashError('AUTH_REQUIRED', 'no token: run dash-cli auth broken');
    });
    const good = pluginOf((context) => ({ sync: async () => context.store.upsert([{ id: 'x', start: '2026-11-18T09:00:00Z', end: '2026-11-18T09:30:00Z' }]) }));
    const { host: pluginHost, store } = host([prepared('broken', broken), prepared('good', good)]);
    const outcomes = await pluginHost.syncOnce();
    expect(outcomes[0]).toEqual({ id: 'broken', ok: false, error: { code: 'AUTH_REQUIRED', message: 'no token: run dash-cli auth broken' } });
    expect(outcomes[1]).toEqual({ id: 'good', ok: true });
    expect(store.source('broken')).toMatchObject({ status: 'error', error: { code: 'AUTH_REQUIRED' } });
    expect(store.size).toBe(1);
    await pluginHost.stop();
  });

  it('a createBackend that hangs times out as a status; one that starts late is disposed of', async () => {
    let release!: (backend: Backend) => void;
    let lateDisposed = false;
    const slow = pluginOf(() => new Promise<Backend>((resolve) => (release = resolve)) as unknown as Backend);
    const good = pluginOf((context) => ({ sync: async () => context.store.upsert([{ id: 'x', start: '2026-11-18T09:00:00Z', end: '2026-11-18T09:30:00Z' }]) }));
    const { host: pluginHost, store } = host([prepared('slow', slow), prepared('good', good)]);
    const outcomes = await pluginHost.syncOnce(undefined, { timeoutMs: 200 });
    expect(outcomes).toEqual([
      { id: 'slow', ok: false, error: { code: 'BACKEND_TIMEOUT', message: 'did not start within 200ms' } },
      { id: 'good', ok: true },
    ]);
    expect(store.source('slow')).toMatchObject({ status: 'error', error: { code: 'BACKEND_TIMEOUT' } });
    release({ async sync() {}, dispose: () => void (lateDisposed = true) });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(lateDisposed).toBe(true);
    await pluginHost.stop();
  });

  it('concurrent first calls (start and requestSync) share one creation of each backend', async () => {
    let created = 0;
    let synced = 0;
    const plugin = pluginOf(() => {
      created++;
      return new Promise<Backend>((resolve) => setTimeout(() => resolve({ sync: async () => void synced++ }), 30)) as unknown as Backend;
    });
    const { host: pluginHost, store } = host([prepared('p', plugin)]);
    const [, outcomes] = await Promise.all([pluginHost.start(), pluginHost.requestSync()]);
    expect(outcomes).toEqual([{ id: 'p', ok: true }]);
    expect(created).toBe(1);
    expect(synced).toBeGreaterThanOrEqual(1);
    expect(store.source('p')!.status).not.toBe('error');
    await pluginHost.stop();
  });

  it('masks secrets a backend registered, in the error it throws', async () => {
    const leaky = pluginOf((context) => {
      context.secret('s3cr3t-token-value');
      return {
        async sync() {
          throw new Error('request with token s3cr3t-token-value failed; Authorization: Bearer abc.def');
        },
      };
    });
    const { host: pluginHost, store } = host([prepared('leaky', leaky)]);
    await pluginHost.syncOnce();
    expect(store.source('leaky')!.error!.message).toBe('request with token *** failed; Authorization: Bearer ***');
    await pluginHost.stop();
  });

  it('a backend that sets its own status (rate-limited) keeps it', async () => {
    const limited = pluginOf((context) => ({
      async sync() {
        context.store.setStatus({ status: 'rate-limited', until: '2026-11-18T13:00:00Z', error: { code: 'RATE_LIMITED', message: 'hourly quota used' } });
      },
    }));
    const { host: pluginHost, store } = host([prepared('limited', limited)]);
    const [outcome] = await pluginHost.syncOnce();
    expect(outcome).toEqual({ id: 'limited', ok: false, error: { code: 'RATE_LIMITED', message: 'hourly quota used' } });
    expect(store.source('limited')).toMatchObject({ status: 'rate-limited', rateLimitedUntil: '2026-11-18T13:00:00.000Z' });
    await pluginHost.stop();
  });

  it('start() runs run() backends and polls sync() ones; stop() aborts, waits and disposes', async () => {
    const events: string[] = [];
    const runner = pluginOf((context) => ({
      async sync() {},
      async run({ signal, range }) {
        events.push(`run ${range().from.toISOString()}`);
        context.store.setRunning({ id: 'r', start: '2026-11-18T11:00:00Z', end: null });
        await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
        events.push('run aborted');
      },
      dispose: () => void events.push('runner disposed'),
    }));
    let polls = 0;
    const poller = pluginOf(
      () => ({
        async sync() {
          polls++;
        },
        dispose: () => void events.push('poller disposed'),
      }),
      { pollInterval: 0.02 },
    );
    const crashing = pluginOf(() => ({
      async sync() {},
      async run() {
        throw new DashError('NETWORK', 'stream closed');
      },
    }));
    const { host: pluginHost, store } = host([prepared('runner', runner), prepared('poller', poller), prepared('crashing', crashing)]);
    await pluginHost.start();
    // Polled, not a fixed window: two polls and the crash, however busy the machine.
    await expect.poll(() => polls >= 2 && store.source('crashing')?.status === 'error', { timeout: 5_000, interval: 5 }).toBe(true);
    expect(polls).toBeGreaterThanOrEqual(2);
    expect(store.runningEntries().map((item) => item.id)).toEqual(['r']);
    expect(store.source('crashing')).toMatchObject({ status: 'error', error: { code: 'NETWORK', message: 'stream closed' } });
    await pluginHost.stop();
    const after = polls;
    expect(events).toEqual(['run 2026-11-16T00:00:00.000Z', 'run aborted', 'poller disposed', 'runner disposed']);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(polls).toBe(after);
  });

  it('checkHealth: the healthCheck verdict (masked), a sync of this week without one, BACKEND_TIMEOUT for a hang', async () => {
    const healthy = pluginOf(() => ({ async sync() {}, async healthCheck() { return { ok: false, code: 'AUTH_REQUIRED', message: 'token secret-abc rejected', hint: 'new token' }; } }));
    const syncing = pluginOf((context) => ({
      async sync() {
        context.store.upsert([{ id: 'e', start: '2026-11-17T09:00:00Z', end: '2026-11-17T10:00:00Z' }]);
      },
    }));
    const hanging = pluginOf(() => ({ async sync() {}, healthCheck: () => new Promise(() => {}) }));
    const { host: pluginHost } = host([prepared('a', healthy), prepared('b', syncing), prepared('c', hanging)]);
    const redacted = new PluginHost({ store: new Store(), backends: [prepared('a', healthy)], timeZone: 'UTC', weekStart: 'monday', log: silentLogger, now: () => NOW, dataHome: join(root, 'data'), redactor: new Redactor().add('secret-abc') });
    expect(await redacted.checkHealth({ timeoutMs: 200 })).toEqual([{ id: 'a', check: 'healthCheck', ok: false, code: 'AUTH_REQUIRED', message: 'token *** rejected', hint: 'new token' }]);
    const outcomes = await pluginHost.checkHealth({ timeoutMs: 200 });
    expect(outcomes.map(({ id, check, ok, code }) => ({ id, check, ok, code }))).toEqual([
      { id: 'a', check: 'healthCheck', ok: false, code: 'AUTH_REQUIRED' },
      { id: 'b', check: 'sync', ok: true, code: null },
      { id: 'c', check: 'healthCheck', ok: false, code: 'BACKEND_TIMEOUT' },
    ]);
    expect(outcomes[1]!.message).toBe('synced this week: 1 entry');
    expect(outcomes[2]!.message).toBe('no answer within 200ms');
    await Promise.all([pluginHost.stop(), redacted.stop()]);
  });

  it('keepFresh syncs a range now and keeps it in what run() loops and polls see, until released', async () => {
    const ranges: string[] = [];
    const plugin = pluginOf(() => ({
      async sync({ from, to }) {
        ranges.push(`${from.toISOString()} ${to.toISOString()}`);
      },
    }));
    const { host: pluginHost } = host([prepared('p', plugin)]);
    const current = pluginHost.currentWeek();
    const previous = { from: new Date('2026-11-09T00:00:00Z'), to: new Date('2026-11-16T00:00:00Z') };
    const lease = pluginHost.keepFresh(previous);
    await lease.synced;
    expect(ranges).toEqual(['2026-11-09T00:00:00.000Z 2026-11-16T00:00:00.000Z']);
    // The current week is always kept; the held week joins it in one span (one request per backend).
    expect(pluginHost.range).toEqual({ from: previous.from, to: current.to });
    await pluginHost.requestSync();
    expect(ranges.at(-1)).toBe(`2026-11-09T00:00:00.000Z ${current.to.toISOString()}`);
    lease.release();
    lease.release();
    expect(pluginHost.range).toEqual(current);
    await pluginHost.stop();
  });

  it('two holders on different weeks are both kept fresh; each release drops only its own, and a lifetime ends on its own', async () => {
    let now = new Date('2026-11-18T12:00:00Z');
    const plugin = pluginOf(() => ({ async sync() {} }));
    const { host: pluginHost } = host([prepared('p', plugin)], new Store(), () => now);
    const current = pluginHost.currentWeek();
    const weekA = { from: new Date('2026-11-02T00:00:00Z'), to: new Date('2026-11-09T00:00:00Z') };
    const weekB = { from: new Date('2026-10-19T00:00:00Z'), to: new Date('2026-10-26T00:00:00Z') };
    const tabA = pluginHost.keepFresh(weekA);
    const tabB = pluginHost.keepFresh(weekB, { forMs: 5 * 60_000 });
    await Promise.all([tabA.synced, tabB.synced]);
    expect(pluginHost.range).toEqual({ from: weekB.from, to: current.to });
    tabA.release();
    expect(pluginHost.range).toEqual({ from: weekB.from, to: current.to });
    const tabA2 = pluginHost.keepFresh(weekA);
    now = new Date('2026-11-18T12:05:00Z');
    // B's five minutes are over: only A (held) and the current week remain.
    expect(pluginHost.range).toEqual({ from: weekA.from, to: current.to });
    tabA2.release();
    expect(pluginHost.range).toEqual(current);
    await pluginHost.stop();
  });

  it('the current week follows the clock, across a week rollover, whatever is held', async () => {
    let now = new Date('2026-11-22T23:59:00Z');
    const plugin = pluginOf(() => ({ async sync() {} }));
    const { host: pluginHost } = host([prepared('p', plugin)], new Store(), () => now);
    const lease = pluginHost.keepFresh({ from: new Date('2026-11-09T00:00:00Z'), to: new Date('2026-11-16T00:00:00Z') });
    await lease.synced;
    lease.release();
    now = new Date('2026-11-23T00:01:00Z');
    expect(pluginHost.range).toEqual({ from: new Date('2026-11-23T00:00:00Z'), to: new Date('2026-11-30T00:00:00Z') });
    await pluginHost.stop();
  });
});
