/**
 * The trend's history costs Toggl quota once: `watch` (WatchApp on the real Toggl plugin, against
 * the fake Toggl API on 127.0.0.1, with the persisted cache) asks for the 11 past weeks with one
 * ranged request, only once the trend is on screen and after this week's first sync; the next
 * start, on that cache, asks for none of it again.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { cacheTargetFor, loadConfig, openSession } from 'dash-core/host';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WatchApp } from '../src/watch/app.js';
import type { Canvas } from '../src/watch/canvas.js';
import type { Terminal } from '../src/watch/terminal.js';
import { isolateProcessEnv } from '../../../test/support/env.js';
import { startFakeToggl, type FakeToggl } from '../../../test/support/fake-toggl.js';

const TOKEN = 'history-quota-token';
/** Friday 20 Nov 2026, 16:30 in Berlin. */
const AT = new Date('2026-11-20T15:30:00Z');
const now = () => AT;

let home: string;
let config: string;
let toggl: FakeToggl;
let restoreEnv: () => void;

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'dash-history-quota-'));
  restoreEnv = isolateProcessEnv(home, { TOGGL_API_TOKEN: TOKEN });
  toggl = await startFakeToggl({ token: TOKEN, now });
  toggl.addProject({ id: 101, name: 'Acme website', color: '#06aaf5', client_name: 'Acme Corp', billable: true });
  // Two hours on the Tuesday of each of the twelve weeks up to this one.
  for (let week = 0; week < 12; week++) {
    const start = new Date(Date.parse('2026-11-17T08:00:00Z') - week * 7 * 86_400_000);
    toggl.addEntry({ id: 1000 + week, start: start.toISOString(), stop: new Date(start.getTime() + 2 * 3600_000).toISOString(), project_id: 101, description: `week ${week}` });
  }
  config = join(home, 'dash.toml');
  writeFileSync(config, ['timezone = "Europe/Berlin"', '', '[goals]', 'weekly = 40', '', '[[backends]]', 'plugin = "toggl"', 'api_token = "${TOGGL_API_TOKEN}"', `api_url = "${toggl.url}"`, ''].join('\n'));
});

afterAll(async () => {
  restoreEnv();
  await toggl.close();
  rmSync(home, { recursive: true, force: true });
});

/** Entry-list requests that reach before this week (Mon 16 Nov 00:00 Berlin = 15 Nov 23:00Z). */
const historyRequests = () => toggl.requests.filter((request) => request.path === '/me/time_entries' && request.query.start_date !== undefined && Date.parse(request.query.start_date) < Date.parse('2026-11-14T00:00:00Z'));

async function run(width: number, height: number): Promise<void> {
  const loaded = loadConfig(config);
  // The official plugin is found from the repository's install, as from dash-cli's.
  const session = await openSession({ loaded, now, fallbackDirs: [resolve(import.meta.dirname, '../../..')], cache: { ...cacheTargetFor(config, loaded.config), debounceMs: 10 } });
  let frame: ((w: number, h: number) => Canvas) | undefined;
  const terminal = { setFrameSource: (source: typeof frame) => (frame = source), onKey: () => () => {}, render: () => frame?.(width, height), patch: () => {} } as unknown as Terminal;
  const app = new WatchApp({ session, terminal, now, mono: false, onQuit: () => {} });
  try {
    app.start();
    await session.host.start();
    await expect.poll(() => session.store.sources().every((source) => source.status === 'ok' && source.lastSyncAt !== null), { timeout: 10_000 }).toBe(true);
    terminal.render();
    // Time for a history request to go out and come back, if one is due.
    await new Promise((done) => setTimeout(done, 800));
    await expect.poll(() => session.store.sources()[0]!.status, { timeout: 10_000 }).toBe('ok');
  } finally {
    app.stop();
    await session.close();
  }
}

describe('watch: the trend history and the Toggl quota', () => {
  it('one ranged request for the 11 past weeks, only once the trend is on screen; none again on the next start', async () => {
    // 80×24: the trend is hidden, so its history is not fetched.
    await run(80, 24);
    expect(historyRequests()).toHaveLength(0);
    // 200×60: the trend is on screen: one request for Mon 31 Aug – Mon 16 Nov (plus Toggl's look-back day).
    await run(200, 60);
    const [history, ...more] = historyRequests();
    expect(more).toHaveLength(0);
    expect(Date.parse(history!.query.start_date!)).toBeLessThanOrEqual(Date.parse('2026-08-30T22:00:00Z'));
    expect(Date.parse(history!.query.end_date!)).toBeGreaterThanOrEqual(Date.parse('2026-11-15T23:00:00Z'));
    const before = toggl.requests.length;
    // The next start, from the cache: every past week is there; nothing is asked for them.
    await run(200, 60);
    expect(historyRequests()).toHaveLength(1);
    expect(toggl.requests.length - before).toBeLessThanOrEqual(2);
  });
});
