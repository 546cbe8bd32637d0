import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileClockConfig, serveDir, SseClient, startServe, writeState, type Served } from './support/serve.js';

const iso = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
const DONE = { id: 'done', start: iso(Date.now() - 3 * 3600_000), end: iso(Date.now() - 2 * 3600_000), project: { key: 'acme', name: 'Acme' }, billable: true };

describe('dash-cli serve: the event stream', () => {
  const home = serveDir();
  const { config, state } = fileClockConfig(home.dir);
  let served: Served;
  const open = (headers: Record<string, string> = {}) => SseClient.open(`${served.base}/api/v1/events`, { authorization: `Bearer ${served.token}`, ...headers });

  beforeAll(async () => {
    writeState(state, { entries: [DONE], running: null });
    served = await startServe(['--config', config], { env: { ...home.env, DASH_SERVE_KEEPALIVE_MS: '150' }, cwd: home.dir });
  });
  afterAll(async () => {
    await served?.stop();
    home.cleanup();
  });

  it('sends the snapshot at once, with headers that keep proxies from buffering, and keepalive comments', async () => {
    const client = await open();
    try {
      expect(client.status).toBe(200);
      expect(client.headers['content-type']).toBe('text/event-stream; charset=utf-8');
      expect(client.headers['cache-control']).toBe('no-cache');
      expect(client.headers['x-accel-buffering']).toBe('no');
      await client.until((c) => c.events('snapshot').length > 0);
      const snapshot = JSON.parse(client.events('snapshot')[0]!.data) as { schemaVersion: number; sources: { id: string }[] };
      expect(snapshot).toMatchObject({ schemaVersion: 1, sources: [{ id: 'clock' }] });
      expect(client.events('snapshot')[0]!.id).toBeUndefined();
      await client.until((c) => c.comments >= 2, 2_000);
    } finally {
      client.close();
    }
  });

  it('a local plugin clocking in and out gives clock.in and clock.out with ids, and a new snapshot each time', async () => {
    const client = await open();
    try {
      await client.until((c) => c.events('snapshot').length > 0);
      const start = iso(Date.now() - 600_000);
      const running = { id: 'run-1', start, end: null, project: { key: 'globex', name: 'Globex', client: 'Globex Inc' }, description: 'pairing', billable: true };
      writeState(state, { entries: [DONE], running });
      await client.until((c) => c.events('clock.in').length === 1);
      const clockIn = client.events('clock.in')[0]!;
      expect(clockIn.id).toMatch(/^evt_[0-9a-f]{32}$/);
      expect(JSON.parse(clockIn.data)).toEqual({
        source: 'clock',
        entry: { id: 'run-1', start, project: { key: 'clock:globex', name: 'Globex', client: 'Globex Inc', color: null, source: 'clock' }, description: 'pairing', billable: true },
      });
      await client.until((c) => c.events('snapshot').some((frame) => (JSON.parse(frame.data) as { clockedIn: unknown[] }).clockedIn.length === 1));

      const end = iso(Date.now());
      writeState(state, { entries: [DONE, { ...running, end }], running: null });
      await client.until((c) => c.events('clock.out').length === 1);
      const clockOut = JSON.parse(client.events('clock.out')[0]!.data) as { entry: { end: string }; seconds: number };
      expect(clockOut.entry.end).toBe(end);
      expect(clockOut.seconds).toBe((Date.parse(end) - Date.parse(start)) / 1000);
      expect(client.events('clock.out')[0]!.id).not.toBe(clockIn.id);
      await client.until((c) => (JSON.parse(c.events('snapshot').at(-1)!.data) as { clockedIn: unknown[] }).clockedIn.length === 0);
    } finally {
      client.close();
    }
  });

  it('a client that reconnects with Last-Event-ID gets what it missed, then the snapshot', async () => {
    const first = await open();
    await first.until((c) => c.events('snapshot').length > 0);
    const start = iso(Date.now() - 60_000);
    const running = { id: 'run-2', start, end: null, project: null };
    writeState(state, { entries: [DONE], running });
    await first.until((c) => c.events('clock.in').length === 1);
    const seen = first.events('clock.in')[0]!.id!;
    first.close();

    // While it is away (another client watches): clocked out, and in again on another timer.
    const watcher = await open();
    await watcher.until((c) => c.events('snapshot').length > 0);
    writeState(state, { entries: [DONE, { ...running, end: iso(Date.now()) }], running: null });
    await watcher.until((c) => c.events('clock.out').length === 1);
    writeState(state, { entries: [DONE, { ...running, end: iso(Date.now()) }], running: { id: 'run-3', start: iso(Date.now()), end: null } });
    await watcher.until((c) => c.events('clock.in').length === 1);
    const missed = [...watcher.events('clock.out'), ...watcher.events('clock.in')].map((frame) => frame.id);
    watcher.close();

    const back = await open({ 'last-event-id': seen });
    try {
      await back.until((c) => c.events('snapshot').length > 0);
      expect(back.frames.map((frame) => frame.event)).toEqual(['clock.out', 'clock.in', 'snapshot']);
      expect(back.frames.slice(0, 2).map((frame) => frame.id)).toEqual(missed);
    } finally {
      back.close();
    }
    // An id the buffer does not hold: only the snapshot (it has everything that matters now).
    const stranger = await open({ 'last-event-id': 'evt_00000000000000000000000000000000' });
    await stranger.until((c) => c.events('snapshot').length > 0);
    expect(stranger.frames.map((frame) => frame.event)).toEqual(['snapshot']);
    stranger.close();
    writeState(state, { entries: [DONE], running: null });
  });
});

describe('dash-cli serve: shutdown', () => {
  it('SIGTERM with clients connected: streams end, the process exits 130 and the cache is saved', async () => {
    const home = serveDir();
    const { config, state } = fileClockConfig(home.dir);
    writeState(state, { entries: [DONE], running: null });
    const served = await startServe(['--config', config], { env: home.env, cwd: home.dir });
    try {
      const clients = await Promise.all([1, 2, 3].map(() => SseClient.open(`${served.base}/api/v1/events`, { authorization: `Bearer ${served.token}` })));
      await Promise.all(clients.map((client) => client.until((c) => c.events('snapshot').length > 0)));
      const stopped = Date.now();
      const code = await served.stop('SIGTERM');
      expect(code).toBe(130);
      expect(Date.now() - stopped).toBeLessThan(3_000);
      for (const client of clients) expect(client.ended).toBe(true);
      const cacheDir = join(home.dir, 'cache', 'dash');
      expect(existsSync(cacheDir) && readdirSync(cacheDir).some((name) => /^store-.*\.json$/.test(name))).toBe(true);
      expect(served.stderr()).toBe('');
    } finally {
      home.cleanup();
    }
  });
});
