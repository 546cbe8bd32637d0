/**
 * The cached session every long-running host opens (dash-core/host's openSession with `cache`,
 * as `watch`, `serve` and `status --follow` do): a restart draws from the cache at once,
 * marks every source stale until its first sync, and hands each backend its cursor back so the
 * first sync is incremental. A real plugin file fetching from a real loopback server.
 */
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { cacheDir, cacheTargetFor, loadConfig, openSession, readCacheSync } from 'dash-core/host';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolateProcessEnv } from './support/env.js';
import { zoneWithRecentHoursInWeek } from './support/week-zone.js';

/** Fetches a full week first, then only changes since its cursor (like the Toggl plugin). */
const PLUGIN = resolve(import.meta.dirname, 'fixtures/incremental-http-plugin.mjs');

let root: string;
let server: Server;
const seen: string[] = [];
let restoreEnv: () => void;

beforeAll(async () => {
  server = createServer((request, response) => {
    const since = new URL(request.url!, 'http://x').searchParams.get('since') ?? '';
    seen.push(since);
    const now = Math.floor(Date.now() / 1000);
    const iso = (s: number) => new Date(s * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    response.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        entries: since ? [] : [{ id: 'e1', start: iso(now - 7200), end: iso(now - 3600), project: { key: 'p', name: 'P' } }],
        cursor: `cursor-${seen.length}`,
      }),
    );
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  root = await mkdtemp(join(tmpdir(), 'dash-cache-session-'));
  await copyFile(PLUGIN, join(root, 'plugin.mjs'));
  await writeFile(
    join(root, 'dash.toml'),
    `timezone = "${zoneWithRecentHoursInWeek()}"\n\n[[backends]]\nplugin = "./plugin.mjs"\nid = "fake"\nurl = "http://127.0.0.1:${(server.address() as AddressInfo).port}"\n`,
  );
  restoreEnv = isolateProcessEnv(root);
});

afterAll(async () => {
  restoreEnv();
  await new Promise((closed) => server.close(closed));
  await rm(root, { recursive: true, force: true });
});

const CLI = resolve(import.meta.dirname, '../packages/dash-cli/dist/bin.cjs');

/** The session `watch` opens on this config: its cache is keyed by the config file's path. */
function openCached(file: string) {
  const loaded = loadConfig(file);
  return openSession({ loaded, cache: { ...cacheTargetFor(file, loaded.config), debounceMs: 10 } });
}

describe('openSession on the cache', () => {
  it('a restart shows the cached week at once, stale until the first sync, which is incremental', async () => {
    const config = join(root, 'dash.toml');
    const first = await openCached(config);
    expect(first.cacheWarning).toBeUndefined();
    expect(first.store.size).toBe(0);
    await first.host.syncOnce();
    await first.close();
    expect(seen).toEqual(['']);
    expect(readCacheSync(first.cache!.file)).toMatchObject({ status: 'ok' });

    const second = await openCached(config);
    // Before any sync: the cached entry is there, the source stale since it was last heard from.
    expect(second.store.size).toBe(1);
    const restored = second.store.source('fake')!;
    expect(restored.status).toBe('stale');
    expect(restored.staleSince).not.toBeNull();
    expect(restored.lastSyncAt).not.toBeNull();
    await second.host.syncOnce();
    await second.close();
    // The backend got its cursor back: one incremental request, nothing refetched.
    expect(seen).toEqual(['', 'cursor-1']);
    expect(second.store.source('fake')!.status).toBe('ok');
    expect(second.store.size).toBe(1);
    const read = readCacheSync(second.cache!.file);
    expect(read.status === 'ok' && read.cache.store.sources[0]!.cursor).toBe('cursor-2');
  });

  it('--demo has a cache of its own (the built CLI beside the real config\'s cache)', async () => {
    const real = cacheTargetFor(join(root, 'dash.toml'), loadConfig(join(root, 'dash.toml')).config).file;
    const before = readdirSync(cacheDir()).filter((name) => /^store-[0-9a-f]+\.json$/.test(name));
    expect(before.map((name) => join(cacheDir(), name))).toContain(real);
    const demo = spawnSync(process.execPath, [CLI, 'snapshot', '--demo', '--json', '--config', join(root, 'dash.toml')], { env: process.env, encoding: 'utf8' });
    expect(demo.status, demo.stderr).toBe(0);
    const after = readdirSync(cacheDir()).filter((name) => /^store-[0-9a-f]+\.json$/.test(name));
    expect(after).toHaveLength(before.length + 1);
    expect(readCacheSync(real)).toMatchObject({ status: 'ok' });
  });
});
