import { type BackendContext } from 'dash-core';
import { PluginHost, Store } from 'dash-core/host';
import { createTestContext, FakeClock, type TestContext } from 'dash-core/testing';
import { createTogglBackend, type BackendInternals, type TogglBackend } from '../src/backend.js';
import plugin from '../src/index.js';
import { TogglOptionsSchema } from '../src/options.js';
import type { Sleep } from '../src/sleep.js';
import { startFakeToggl, type FakeToggl, type FakeTogglOptions } from '../../../test/support/fake-toggl.js';

/** Wednesday 18 Nov 2026, 12:00 UTC: the week is Mon 16 … Mon 23 Nov (UTC, weeks start Monday). */
export const NOW = '2026-11-18T12:00:00Z';
export const WEEK = { from: new Date('2026-11-16T00:00:00Z'), to: new Date('2026-11-23T00:00:00Z') };

/** A sleep on the fake clock: moves time forward instead of waiting; records every wait. */
export function fakeSleep(clock: FakeClock, onSleep?: (ms: number) => void): { sleep: Sleep; waits: number[] } {
  const waits: number[] = [];
  const sleep: Sleep = async (ms, signal) => {
    waits.push(ms);
    if (!signal?.aborted) clock.advance(Math.max(0, ms));
    onSleep?.(ms);
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { sleep, waits };
}

export interface Rig extends TestContext {
  toggl: FakeToggl;
  backend: TogglBackend;
  context: BackendContext;
  waits: number[];
  /** A fresh backend on the same store (a restart that kept the cache). */
  restart(internals?: BackendInternals): TogglBackend;
  close(): Promise<void>;
}

export interface RigOptions {
  options?: Record<string, unknown>;
  fake?: FakeTogglOptions;
  internals?: BackendInternals;
  now?: string;
  timeZone?: string;
  /** Called by the fake sleep after each wait. */
  onSleep?: (ms: number) => void;
}

/** A fake Toggl on loopback + a backend on a real store, sharing one fake clock. */
export async function rig(setup: RigOptions = {}): Promise<Rig> {
  const clock = new FakeClock(setup.now ?? NOW);
  const toggl = await startFakeToggl({ now: clock.now, ...setup.fake });
  const test = createTestContext({ id: 'toggl', plugin: 'dash-plugin-toggl', clock, timeZone: setup.timeZone ?? 'UTC' });
  const { sleep, waits } = fakeSleep(clock, setup.onSleep);
  const options = TogglOptionsSchema.parse({ api_token: toggl.token, api_url: toggl.url, ...setup.options });
  // Fast retries on the fake clock; deterministic jitter.
  const internals: BackendInternals = { sleep, retry: { random: () => 0.5 }, timeoutMs: 2_000, ...setup.internals };
  const backends: TogglBackend[] = [];
  const make = (extra: BackendInternals = {}) => {
    const backend = createTogglBackend(options, test.context, { ...internals, ...extra });
    backends.push(backend);
    return backend;
  };
  return {
    ...test,
    toggl,
    backend: make(),
    waits,
    restart: make,
    async close() {
      for (const backend of backends) await backend.dispose();
      await toggl.close();
    },
  };
}

export function signal(): AbortSignal {
  return new AbortController().signal;
}

/** The Toggl plugin in the real plugin host (its timeouts, its error handling) at `apiUrl`, on a new store. */
export function togglHost(apiUrl: string, token = 'fake-toggl-token-0123456789abcdef'): { host: PluginHost; store: Store } {
  const store = new Store();
  const host = new PluginHost({
    store,
    backends: [
      {
        config: { index: 0, id: 'toggl', plugin: 'toggl', options: {} },
        plugin: plugin as never,
        options: TogglOptionsSchema.parse({ api_token: token, api_url: apiUrl }),
        path: 'test',
        packageName: 'dash-plugin-toggl',
        version: '0.1.0',
      },
    ],
    timeZone: 'UTC',
    weekStart: 'monday',
    now: () => new Date(NOW),
  });
  return { host, store };
}
