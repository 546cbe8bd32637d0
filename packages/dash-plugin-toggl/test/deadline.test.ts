import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type BackendContext } from 'dash-core';
import { PluginHost, Store } from 'dash-core/host';
import { createTestContext } from 'dash-core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createTogglBackend, DEFAULT_SYNC_DEADLINE_MS, type BackendInternals, type TogglBackend } from '../src/backend.js';
import { MIN_ATTEMPT_MS } from '../src/http.js';
import plugin from '../src/index.js';
import { TogglOptionsSchema, type TogglOptions } from '../src/options.js';
import { realSleep } from '../src/sleep.js';
import { NOW, rig, signal, WEEK, type Rig } from './support.js';

/** A server that accepts every request and never answers (a dead proxy, a black-holed route). */
async function startSilentServer(): Promise<{ url: string; hits: () => number; close: () => Promise<void> }> {
  let hits = 0;
  const server: Server = createServer(() => {
    hits++;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/v9`,
    hits: () => hits,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const cleanups: (() => Promise<void>)[] = [];
let current: Rig | undefined;
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await current?.close();
  current = undefined;
});

function backendFor(url: string, internals: BackendInternals): { backend: TogglBackend; store: Store } {
  const test = createTestContext({ id: 'toggl', plugin: 'dash-plugin-toggl' });
  test.clock.set(NOW);
  const options = TogglOptionsSchema.parse({ api_token: 'fake-toggl-token-0123456789abcdef', api_url: url });
  const backend = createTogglBackend(options, test.context, internals);
  cleanups.push(() => backend.dispose());
  return { backend, store: test.store };
}

describe('one-shot sync: an overall deadline', () => {
  it('gives up with NETWORK inside the deadline when Toggl never answers (scaled down)', async () => {
    const silent = await startSilentServer();
    cleanups.push(silent.close);
    // Per attempt 10 s, sync 1 s: the one attempt is cut to the deadline and no retry fits after it.
    const { backend, store } = backendFor(silent.url, { sleep: realSleep, timeoutMs: 10_000, deadlineMs: 1_000, retry: { random: () => 0.5 } });
    const started = performance.now();
    const error = (await backend.sync({ ...WEEK, signal: signal() }).catch((caught: unknown) => caught)) as { code: string; message: string };
    const took = performance.now() - started;
    expect(error.code).toBe('NETWORK');
    expect(error.message).toMatch(/^could not reach Toggl at 127\.0\.0\.1:\d+: no answer within 1s \(1 attempt\)/);
    expect(took).toBeGreaterThanOrEqual(900);
    expect(took).toBeLessThan(5_000); // far from the 10 s of the attempt's own timeout, on a busy machine too
    expect(silent.hits()).toBe(1);
    expect(store.source('toggl')?.error?.code).toBe('NETWORK');
  });

  it('does not start a retry whose back-off would outlast the deadline: SERVER_ERROR at once', async () => {
    // Back-offs are 1 s then 2 s (random fixed at 0.5). With 2.5 s for the sync, the 1 s wait
    // leaves room for another attempt; after the 2 s one there would be none.
    current = await rig({ internals: { deadlineMs: 2_500 } });
    const r = current;
    r.toggl.script({ status: 500 }, { status: 503 }, { status: 502 });
    await expect(r.backend.sync({ ...WEEK, signal: signal() })).rejects.toMatchObject({
      code: 'SERVER_ERROR',
      message: expect.stringMatching(/^Toggl answered HTTP 503 \(2 attempts\)/),
    });
    expect(r.waits).toEqual([1_000]);
    expect(r.toggl.requests.map((request) => request.status)).toEqual([500, 503]);
  });

  it('run() keeps its retries (no deadline while polling)', async () => {
    current = await rig({ internals: { deadlineMs: 2_500 } });
    const r = current;
    r.toggl.addEntry({ id: 1, start: '2026-11-16T09:00:00Z', stop: '2026-11-16T10:00:00Z' });
    r.toggl.script({ status: 500 }, { status: 503 });
    const controller = new AbortController();
    const running = r.backend.run({ signal: controller.signal, range: () => WEEK });
    while (r.toggl.requests.filter((request) => request.status === 200).length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    await running;
    expect(r.toggl.requests.slice(0, 3).map((request) => request.status)).toEqual([500, 503, 200]);
    expect(r.waits.slice(0, 2)).toEqual([1_000, 2_000]);
  });

  it('a sync queued behind a polling retry still honours its own signal', async () => {
    // run() hits a 500 and waits 15 s (a real timer, the longest back-off) before retrying; a "sync now" meanwhile is
    // cancelled after 50 ms and must not sit in the queue until the poll is done.
    current = await rig({ internals: { sleep: realSleep, retry: { baseDelayMs: 20_000, random: () => 0.5 } } });
    const r = current;
    r.toggl.script({ status: 500 });
    const polling = new AbortController();
    const running = r.backend.run({ signal: polling.signal, range: () => WEEK });
    while (r.toggl.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const started = performance.now();
    await expect(r.backend.sync({ ...WEEK, signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(r.store.source('toggl')?.error?.code).not.toBe('BACKEND_TIMEOUT');
    polling.abort();
    await running;
  });
});

describe('through the host', () => {
  it('the default deadline (12 s, plus at most one last 1 s attempt) ends before the host gives up at 20 s', () => {
    // The behaviour is the scaled-down test below; these are the numbers it stands for.
    expect(DEFAULT_SYNC_DEADLINE_MS).toBe(12_000);
    expect(DEFAULT_SYNC_DEADLINE_MS + MIN_ATTEMPT_MS).toBeLessThan(15_000);
  });

  it('a one-shot sync against a silent Toggl ends in NETWORK, not BACKEND_TIMEOUT, when the deadline is inside the host\'s timeout (scaled down)', async () => {
    const silent = await startSilentServer();
    cleanups.push(silent.close);
    const store = new Store();
    // The plugin as the host loads it, with the deadline scaled from 12 s to 0.3 s; the host's 20 s to 2.5 s.
    const scaled = { ...plugin, createBackend: (options: TogglOptions, context: BackendContext) => createTogglBackend(options, context, { deadlineMs: 300 }) };
    const host = new PluginHost({
      store,
      backends: [
        {
          config: { index: 0, id: 'toggl', plugin: 'toggl', options: {} },
          plugin: scaled as never,
          options: TogglOptionsSchema.parse({ api_token: 'fake-toggl-token-0123456789abcdef', api_url: silent.url }),
          path: 'test',
          packageName: 'dash-plugin-toggl',
          version: '0.1.0',
        },
      ],
      timeZone: 'UTC',
      weekStart: 'monday',
      now: () => new Date(NOW),
    });
    cleanups.push(() => host.stop());
    const outcome = await host.syncOnce(WEEK, { timeoutMs: 2_500 });
    expect(outcome).toEqual([{ id: 'toggl', ok: false, error: expect.objectContaining({ code: 'NETWORK' }) }]);
    expect(outcome[0]!.error!.message).toMatch(/no answer within 1s \(1 attempt\)/);
    expect(store.source('toggl')).toMatchObject({ status: 'error', error: { code: 'NETWORK' } });
  });
});
