/**
 * The plugin host's supervision (issue 10, items 2 and 3): every plugin call has a deadline, and an
 * error a plugin's code raises where nobody catches it is traced to that backend.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { PluginHost, type HostDeadlines } from '../src/host/host.js';
import type { PreparedBackend } from '../src/host/prepare.js';
import { blameCrash } from '../src/host/supervise.js';
import { createLogger } from '../src/logger.js';
import { DASH_PLUGIN_API_VERSION, type Backend, type BackendContext, type BackendPlugin } from '../src/plugin.js';
import { Store } from '../src/store.js';

const NOW = new Date('2026-11-18T12:00:00Z');
const never = () => new Promise<never>(() => {});

function prepared(id: string, create: (context: BackendContext) => Backend): PreparedBackend {
  const plugin: BackendPlugin<unknown> = { name: 'dash-plugin-test', apiVersion: DASH_PLUGIN_API_VERSION, optionsSchema: z.object({}), createBackend: (_options, context) => create(context) };
  return { config: { index: 0, id, plugin: id, options: {} }, plugin, options: {}, path: 'built-in', packageName: plugin.name, version: undefined };
}

function host(backends: PreparedBackend[], deadlines: Partial<HostDeadlines> = {}) {
  const store = new Store();
  const lines: string[] = [];
  const log = createLogger({ level: 'debug', write: (line) => lines.push(line) });
  return { store, lines, host: new PluginHost({ store, backends, timeZone: 'UTC', weekStart: 'monday', log, now: () => NOW, deadlines }) };
}

const entry = { id: '1', start: '2026-11-18T09:00:00Z', end: '2026-11-18T10:00:00Z' };

/**
 * Runs `fn` with `handler` as the process's only 'uncaughtException' / 'unhandledRejection'
 * listener (vitest's own are put back after), as dash-cli installs it.
 */
async function asProcessHandler(handler: (error: unknown) => void, fn: () => Promise<void>): Promise<void> {
  const saved = { uncaught: process.listeners('uncaughtException'), rejection: process.listeners('unhandledRejection') };
  process.removeAllListeners('uncaughtException').removeAllListeners('unhandledRejection');
  process.on('uncaughtException', handler).on('unhandledRejection', handler);
  try {
    await fn();
  } finally {
    process.removeAllListeners('uncaughtException').removeAllListeners('unhandledRejection');
    for (const listener of saved.uncaught) process.on('uncaughtException', listener);
    for (const listener of saved.rejection) process.on('unhandledRejection', listener);
  }
}

describe('PluginHost deadlines', () => {
  it('stop(): a dispose that never settles is left behind after disposeMs, with a warning; the others are still disposed', async () => {
    const disposed: string[] = [];
    const { host: plugins, lines } = host(
      [
        prepared('first', () => ({ async sync() {}, dispose: () => void disposed.push('first') })),
        prepared('stuck', () => ({ async sync() {}, dispose: never })),
      ],
      { disposeMs: 40 },
    );
    await plugins.syncOnce(undefined, { timeoutMs: 1_000 });
    const started = Date.now();
    await plugins.stop();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(disposed).toEqual(['first']);
    expect(lines).toContain('warning: stuck: dispose did not finish within 40ms; moving on');
  });

  it('stop(): a run() that ignores its signal is waited for stopMs, no longer', async () => {
    let running = false;
    const { host: plugins, lines } = host([prepared('deaf', () => ({ async sync() {}, run: () => ((running = true), never()) }))], { stopMs: 40 });
    await plugins.start();
    // run starts after the host's first sync (the lifecycle rule): stop once it is running.
    await expect.poll(() => running, { timeout: 5_000, interval: 5 }).toBe(true);
    const started = Date.now();
    await plugins.stop();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(lines).toContain('warning: deaf: run did not return within 40ms of being stopped; moving on');
  });

  it('createMs bounds createBackend when no timeout is given (start, as watch calls it)', async () => {
    const { host: plugins, store } = host([prepared('slow', () => never() as unknown as Backend)], { createMs: 40 });
    await plugins.start();
    expect(store.source('slow')).toMatchObject({ status: 'error', error: { code: 'BACKEND_TIMEOUT', message: 'did not start within 40ms' } });
    await plugins.stop();
  });
});

describe('PluginHost supervision: errors nobody caught are blamed on their backend', () => {
  it("a throw in a backend's timer ends its sync at once as BACKEND_CRASHED; the other backend delivers", async () => {
    const blamed: (string | undefined)[] = [];
    const { host: plugins, store } = host([
      prepared('good', (context) => ({ async sync() { context.store.upsert([entry]); } })),
      prepared('crashy', () => ({
        // The callback throws before it can answer: without supervision the sync waits for its deadline.
        sync: () => new Promise<void>((resolve) => setTimeout(() => { JSON.parse('{oops'); resolve(); }, 10)),
      })),
    ]);
    await asProcessHandler((error) => blamed.push(blameCrash(error)), async () => {
      const started = Date.now();
      const outcomes = await plugins.syncOnce(undefined, { timeoutMs: 5_000 });
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(outcomes).toEqual([
        { id: 'good', ok: true },
        { id: 'crashy', ok: false, error: { code: 'BACKEND_CRASHED', message: expect.stringContaining('JSON') } },
      ]);
    });
    expect(blamed).toEqual(['crashy']);
    expect(store.source('crashy')).toMatchObject({ status: 'error', error: { code: 'BACKEND_CRASHED' } });
    expect(store.source('good')).toMatchObject({ status: 'ok' });
    await plugins.stop();
  });

  it('a rejection nobody handles, made after the sync returned, becomes that backend\'s error status', async () => {
    const blamed: (string | undefined)[] = [];
    const { host: plugins, store } = host([
      prepared('a', () => ({ async sync() {} })),
      prepared('b', () => ({
        async sync() {
          setTimeout(() => void Promise.reject(new Error('late and unhandled')), 5);
        },
      })),
    ]);
    await asProcessHandler((error) => blamed.push(blameCrash(error)), async () => {
      await plugins.syncOnce(undefined, { timeoutMs: 1_000 });
      await new Promise((resolve) => setTimeout(resolve, 60));
    });
    expect(blamed).toEqual(['b']);
    expect(store.source('b')).toMatchObject({ status: 'error', error: { code: 'BACKEND_CRASHED', message: 'late and unhandled' } });
    expect(store.source('a')).toMatchObject({ status: 'ok' });
    await plugins.stop();
  });

  it("what the host's own store schedules while a plugin writes is not blamed on the plugin", async () => {
    const { host: plugins, store } = host([prepared('writer', (context) => ({ async sync() { context.store.upsert([entry]); } }))]);
    let fromListener: string | undefined | 'unset' = 'unset';
    store.on('change', () => setTimeout(() => (fromListener = blameCrash(new Error('a redraw bug')))));
    await plugins.syncOnce(undefined, { timeoutMs: 1_000 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(fromListener).toBeUndefined();
    expect(store.source('writer')).toMatchObject({ status: 'ok' });
    expect(blameCrash(new Error('the host itself'))).toBeUndefined();
    await plugins.stop();
  });
});
