import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BackendContext } from 'dash-core';
import { PluginHost, Store } from 'dash-core/host';
import { createTestContext } from 'dash-core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeUpwork, writeTokenFile } from '../../../test/support/fake-upwork.js';
import { createUpworkBackend, DEFAULT_SYNC_DEADLINE_MS } from '../src/backend.js';
import plugin from '../src/index.js';
import { UpworkOptionsSchema, type UpworkOptions } from '../src/options.js';

const NOW = '2026-11-18T12:00:00Z';
const WEEK = { from: new Date('2026-11-16T00:00:00Z'), to: new Date('2026-11-23T00:00:00Z') };

/** A GraphQL endpoint that takes every request and never answers. */
async function startSilentServer(): Promise<{ url: string; hits: () => number; close: () => Promise<void> }> {
  let hits = 0;
  const server: Server = createServer(() => {
    hits++;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    hits: () => hits,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

let fake: FakeUpwork;
let dir: string;
const cleanups: (() => Promise<void>)[] = [];

beforeEach(async () => {
  fake = await FakeUpwork.start({ now: () => Date.parse(NOW) });
  fake.contracts = [{ id: '38201457', title: 'Acme checkout redesign', client: 'Acme Corp' }];
  fake.addSession('38201457', '2026-11-16T09:00:00Z', 60);
  dir = await mkdtemp(join(tmpdir(), 'dash-upwork-deadline-'));
  await writeTokenFile(join(dir, 'token.json'), fake.issueTokens(), new Date(NOW));
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await fake.close();
  await rm(dir, { recursive: true, force: true });
});

function options(extra: Record<string, unknown> = {}) {
  return UpworkOptionsSchema.parse(fake.backendOptions({ token_file: join(dir, 'token.json'), ...extra }));
}

describe('one-shot sync: an overall deadline', () => {
  it('gives up with NETWORK inside the deadline when Upwork never answers (scaled down)', async () => {
    const silent = await startSilentServer();
    cleanups.push(silent.close);
    const test = createTestContext({ id: 'upwork' });
    test.clock.set(NOW);
    const backend = createUpworkBackend(options({ api_url: silent.url }), test.context, { deadlineMs: 1_500 });
    const started = performance.now();
    const error = (await backend.sync({ ...WEEK, signal: new AbortController().signal }).catch((caught: unknown) => caught)) as { code: string; message: string };
    const took = performance.now() - started;
    expect(error.code).toBe('NETWORK');
    expect(error.message).toMatch(/^cannot reach 127\.0\.0\.1:\d+: no answer within 1\.5s/);
    expect(took).toBeGreaterThanOrEqual(1_300);
    expect(took).toBeLessThan(5_000); // far from the 30 s of an attempt's own timeout, on a busy machine too
    expect(silent.hits()).toBe(1);
  });

  it('does not start a retry whose back-off would outlast the deadline', async () => {
    // Back-offs are 1 s, 2 s, 4 s; with 2.5 s for the sync only the first retry fits. Yesterday
    // and today only: one diary request, no workDays (whose failure would be skipped over).
    const recent = { from: new Date('2026-11-17T00:00:00Z'), to: new Date('2026-11-19T00:00:00Z') };
    fake.inject.push({ kind: '500' }, { kind: '500' }, { kind: '500' }, { kind: '500' });
    const test = createTestContext({ id: 'upwork' });
    test.clock.set(NOW);
    const backend = createUpworkBackend(options({ contracts: [{ id: '38201457', title: 'Acme checkout redesign', client: 'Acme Corp' }] }), test.context, { deadlineMs: 2_500 });
    const started = performance.now();
    await expect(backend.sync({ ...recent, signal: new AbortController().signal })).rejects.toMatchObject({
      code: 'NETWORK',
      message: expect.stringMatching(/failed \(HTTP 500\), 2 attempts$/),
    });
    expect(performance.now() - started).toBeLessThan(2_500);
    expect(fake.counts.graphql).toBe(2);
  });

  it('a sync without a deadline problem still retries and succeeds', async () => {
    fake.inject.push({ kind: '500' });
    const test = createTestContext({ id: 'upwork' });
    test.clock.set(NOW);
    const backend = createUpworkBackend(options({ contracts: [{ id: '38201457', title: 'Acme checkout redesign', client: 'Acme Corp' }] }), test.context, { deadlineMs: 5_000, minBackoffMs: 100 });
    await backend.sync({ ...WEEK, signal: new AbortController().signal });
    expect(test.context.store.entries().map((entry) => entry.start)).toEqual(['2026-11-16T09:00:00Z']);
  });
});

describe('through the host', () => {
  it('the default deadline (12 s) ends before the host gives up at 20 s', () => {
    // The behaviour is the scaled-down test below; this is the number it stands for.
    expect(DEFAULT_SYNC_DEADLINE_MS).toBe(12_000);
  });

  it('a one-shot sync against a silent Upwork ends in NETWORK, not BACKEND_TIMEOUT, when the deadline is inside the host\'s timeout (scaled down)', async () => {
    const silent = await startSilentServer();
    cleanups.push(silent.close);
    const store = new Store();
    // The plugin as the host loads it, with the deadline scaled from 12 s to 1 s; the host's 20 s to 3 s.
    const scaled = { ...plugin, createBackend: (value: UpworkOptions, context: BackendContext) => createUpworkBackend(value, context, { deadlineMs: 1_000 }) };
    const host = new PluginHost({
      store,
      backends: [
        {
          config: { index: 0, id: 'upwork', plugin: 'upwork', options: {} },
          plugin: scaled as never,
          options: options({ api_url: silent.url }),
          path: 'test',
          packageName: 'dash-plugin-upwork',
          version: '0.1.0',
        },
      ],
      timeZone: 'UTC',
      weekStart: 'monday',
      now: () => new Date(NOW),
    });
    cleanups.push(() => host.stop());
    const outcome = await host.syncOnce(WEEK, { timeoutMs: 3_000 });
    expect(outcome).toEqual([{ id: 'upwork', ok: false, error: expect.objectContaining({ code: 'NETWORK' }) }]);
    expect(outcome[0]!.error!.message).toMatch(/no answer within 1s/);
  });
});
