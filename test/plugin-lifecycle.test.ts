/**
 * The lifecycle rules of `watch` (docs/writing-a-plugin.md#lifecycle), enforced by the host and
 * checked by the contract suite, on dash-core's built host with local fixture plugins:
 *  - a backend with `run` gets one `sync` of the visible range first, then `run`: a run that only
 *    watches for changes does not leave the source "stale (not synced yet)";
 *  - a `run` that returns (or throws) before its signal aborts is reported on the source
 *    (RUN_ENDED with a hint, or its error) and the host polls `sync` every pollInterval instead;
 *  - each sync the host makes in watch gets at most WATCH_SYNC_LIMIT_MS (60 s), or pollInterval.
 */
import { describe, expect, it } from 'vitest';
import { DASH_PLUGIN_API_VERSION, DashError, z, type Backend, type BackendContext, type BackendPlugin } from 'dash-core';
import { createLogger, PluginHost, Store, WATCH_SYNC_LIMIT_MS, type PreparedBackend } from 'dash-core/host';
import { testBackendPlugin } from 'dash-core/testing';

const NOW = new Date('2026-11-18T12:00:00Z');
const WEEK = { from: '2026-11-16T00:00:00.000Z', to: '2026-11-23T00:00:00.000Z' };

function pluginOf(create: (context: BackendContext) => Backend, extra: Partial<BackendPlugin<unknown>> = {}): BackendPlugin<unknown> {
  return { name: 'dash-plugin-lifecycle', version: '1.0.0', apiVersion: DASH_PLUGIN_API_VERSION, optionsSchema: z.strictObject({}), createBackend: (_options, context) => create(context), ...extra };
}

function start(plugin: BackendPlugin<unknown>) {
  const store = new Store();
  const backends: PreparedBackend[] = [{ config: { index: 0, id: 'fixture', plugin: 'fixture', options: {} }, plugin, options: {}, path: 'built-in', packageName: plugin.name, version: '1.0.0' }];
  const host = new PluginHost({ store, backends, timeZone: 'UTC', weekStart: 'monday', now: () => NOW, log: createLogger({ level: 'error', write: () => {} }) });
  return { store, host };
}

const entry = { id: 'a', start: '2026-11-17T08:00:00Z', end: '2026-11-17T09:00:00Z', description: 'a' };

describe('watch: a backend with run', () => {
  it('is synced for the visible range before run starts, so a run that only watches leaves it ok', async () => {
    const calls: string[] = [];
    const { store, host } = start(
      pluginOf((context) => ({
        async sync({ from, to }) {
          calls.push(`sync ${from.toISOString()} ${to.toISOString()}`);
          context.store.replaceRange({ from, to }, [entry]);
        },
        // Only watches for changes (never pushes on its own): the host's first sync is all it gets.
        run: ({ signal }) => new Promise<void>((resolve) => signal.addEventListener('abort', () => (calls.push('run stopped'), resolve()))),
      })),
    );
    await host.start();
    await expect.poll(() => store.source('fixture')?.status, { timeout: 5_000, interval: 5 }).toBe('ok');
    expect(calls).toEqual([`sync ${WEEK.from} ${WEEK.to}`]);
    expect(store.entriesBetween(WEEK.from, WEEK.to).map((item) => item.id)).toEqual(['a']);
    await host.stop();
    expect(calls).toEqual([`sync ${WEEK.from} ${WEEK.to}`, 'run stopped']);
  });

  it('a run that returns early is reported (RUN_ENDED, with a hint) and the host polls sync every pollInterval', async () => {
    let syncs = 0;
    const { store, host } = start(
      pluginOf(
        (context) => ({
          async sync({ from, to }) {
            syncs++;
            context.store.replaceRange({ from, to }, [entry]);
          },
          async run() {},
        }),
        { pollInterval: 0.3 },
      ),
    );
    await host.start();
    await expect.poll(() => store.source('fixture')?.error?.code, { timeout: 5_000, interval: 5 }).toBe('RUN_ENDED');
    expect(store.source('fixture')).toMatchObject({
      status: 'error',
      error: {
        code: 'RUN_ENDED',
        message: 'run returned before watch stopped; polling sync every 300ms instead',
        hint: "a plugin's run must keep going until control.signal aborts (see docs/writing-a-plugin.md#lifecycle)",
      },
    });
    expect(syncs).toBe(1);
    // Then polled: sync again, one interval later, and the source is fine again.
    await expect.poll(() => syncs >= 3 && store.source('fixture')?.status === 'ok', { timeout: 10_000, interval: 5 }).toBe(true);
    await host.stop();
  });

  it('a run that throws early: its error on the source, then polling', async () => {
    let syncs = 0;
    const { store, host } = start(
      pluginOf(
        () => ({
          async sync() {
            syncs++;
          },
          async run() {
            throw new DashError('NETWORK', 'stream closed', { hint: 'check the network' });
          },
        }),
        { pollInterval: 0.2 },
      ),
    );
    await host.start();
    await expect.poll(() => store.source('fixture')?.error, { timeout: 5_000, interval: 5 }).toEqual({ code: 'NETWORK', message: 'stream closed', hint: 'check the network' });
    await expect.poll(() => syncs >= 2 && store.source('fixture')?.status === 'ok', { timeout: 10_000, interval: 5 }).toBe(true);
    await host.stop();
  });

  it('the hung-sync limit is a named 60 s (pollInterval when shorter): a hung first sync times out, then run starts', async () => {
    expect(WATCH_SYNC_LIMIT_MS).toBe(60_000);
    let running = false;
    const { store, host } = start(
      pluginOf(
        () => ({
          sync: () => new Promise<void>(() => {}),
          run: ({ signal }) => ((running = true), new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()))),
        }),
        { pollInterval: 0.2 },
      ),
    );
    await host.start();
    await expect.poll(() => running && store.source('fixture')?.error?.code === 'BACKEND_TIMEOUT', { timeout: 5_000, interval: 5 }).toBe(true);
    expect(store.source('fixture')?.error?.message).toBe('no answer within 200ms');
    await host.stop();
  });
});

describe('the contract suite checks the rule', () => {
  async function runCheck(plugin: BackendPlugin<unknown>): Promise<string> {
    const tests: { name: string; body: () => Promise<void> }[] = [];
    testBackendPlugin(plugin, { describe: (_name, body) => body(), it: (name, body) => tests.push({ name, body }), validOptions: [{}], sync: { minEntries: 0 } });
    const check = tests.find((test) => test.name.startsWith('run (if any)'))!;
    try {
      await check.body();
      return 'ok';
    } catch (error) {
      return (error as Error).message;
    }
  }

  it('a run that returns before its signal aborts fails it, saying what watch does and what to do', async () => {
    const early = pluginOf(() => ({ async sync() {}, async run() {} }));
    expect(await runCheck(early)).toBe(
      'run returned before its signal aborted (within 200 ms): watch reports that on the source (RUN_ENDED) and falls back to polling sync; ' +
        'keep run going until control.signal aborts (see docs/writing-a-plugin.md#lifecycle)',
    );
  });

  it('a run that keeps going until the abort passes it', async () => {
    const good = pluginOf(() => ({ async sync() {}, run: ({ signal }) => new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve())) }));
    expect(await runCheck(good)).toBe('ok');
  });
});
