import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { attachCache } from '../src/cache/attach.js';
import { readCacheSync, writeCache, mergeWithDisk } from '../src/cache/file.js';
import { backendFingerprint } from '../src/cache/fingerprint.js';
import { CACHE_FORMAT, CACHE_VERSION, type CacheFile } from '../src/cache/format.js';
import { sourceFreshness } from '../src/cache/freshness.js';
import { cacheDir, cacheFileFor } from '../src/cache/location.js';
import { loadCache } from '../src/cache/restore.js';
import { Store } from '../src/store.js';

/** The pid of a process that has exited (a writer killed mid-write). */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid!;
}

let dir: string;
let file: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dash-cache-'));
  file = join(dir, 'cache', 'store.json');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const WEEK = { from: new Date('2026-11-16T00:00:00Z'), to: new Date('2026-11-23T00:00:00Z') };

function entry(id: string, start: string, end: string | null) {
  return { id, start, end, project: { key: 'p', name: 'P' }, description: `task ${id}`, billable: true, tags: ['x'] };
}

/** A store with two sources: one synced (entries, a running timer, a cursor), one failing. */
function populated(): Store {
  const store = new Store();
  const a = store.addSource('a', 'dash-plugin-a');
  a.replaceRange(WEEK, [entry('1', '2026-11-17T09:00:00Z', '2026-11-17T10:30:00Z'), entry('2', '2026-11-18T23:30:00Z', '2026-11-19T00:45:00Z')]);
  a.setRunning(entry('3', '2026-11-20T13:00:00Z', null));
  a.setCursor({ since: 1_763_600_000, quota: { remaining: 27 } });
  a.markSynced(new Date('2026-11-20T14:00:00Z'));
  const b = store.addSource('b', 'dash-plugin-b');
  b.setStatus({ status: 'error', error: { code: 'NETWORK', message: 'connection refused' } });
  return store;
}

async function attachAndFlush(store: Store, options: Parameters<typeof attachCache>[2] = {}) {
  const handle = attachCache(store, file, { range: () => WEEK, now: () => new Date('2026-11-20T14:00:05Z'), ...options });
  return handle;
}

describe('cache location', () => {
  it('is $XDG_CACHE_HOME/dash, else ~/.cache/dash, one file per config', () => {
    expect(cacheDir({ XDG_CACHE_HOME: '/x/cache' })).toBe('/x/cache/dash');
    expect(cacheDir({ HOME: '/home/u' })).toBe('/home/u/.cache/dash');
    const one = cacheFileFor('/a/dash.toml', { XDG_CACHE_HOME: '/x' });
    expect(one).toMatch(/^\/x\/dash\/store-[0-9a-f]{16}\.json$/);
    expect(cacheFileFor('/a/dash.toml', { XDG_CACHE_HOME: '/x' })).toBe(one);
    expect(cacheFileFor('/b/dash.toml', { XDG_CACHE_HOME: '/x' })).not.toBe(one);
  });
});

describe('round trip', () => {
  it('restores entries, running timer, statuses and cursors exactly', async () => {
    const store = populated();
    const handle = await attachAndFlush(store);
    // Changes made before attaching are written by flush only if something changed since: force one.
    store.handle('a').setCursor({ since: 1_763_600_001, quota: { remaining: 26 } });
    await handle.close();

    const loaded = loadCache(file);
    expect(loaded.status).toBe('ok');
    expect(loaded.warning).toBeUndefined();
    expect(loaded.store.toJSON()).toEqual(store.toJSON());
    expect(loaded.store.runningEntries().map((item) => item.id)).toEqual(['3']);
    expect(loaded.store.handle('a').getCursor()).toEqual({ since: 1_763_600_001, quota: { remaining: 26 } });
    expect(loaded.sources.a!.checkedAt).toBe('2026-11-20T14:00:05.000Z');
    expect(loaded.sources.a!.from).toBe(WEEK.from.toISOString());
    // The week is indexed again: a range query finds the entry crossing midnight.
    expect(loaded.store.entriesBetween('2026-11-19T00:00:00Z', '2026-11-19T01:00:00Z').map((item) => item.id)).toEqual(['2']);
  });

  it('Store.addSource keeps a restored source (status, cursor, entries)', async () => {
    const store = populated();
    const handle = await attachAndFlush(store);
    store.handle('a').setCursor('c2');
    await handle.close();
    const { store: restored } = loadCache(file);
    const again = restored.addSource('a', 'dash-plugin-a');
    expect(again.getCursor()).toBe('c2');
    expect(restored.source('a')!.lastSyncAt).toBe('2026-11-20T14:00:00.000Z');
    expect(again.entries().length).toBe(3);
  });

  it('markStale: restored sources are stale since they were last heard from, until a sync', async () => {
    const store = populated();
    const handle = await attachAndFlush(store);
    store.handle('a').setCursor('c');
    await handle.close();
    const loaded = loadCache(file, { markStale: true });
    expect(loaded.store.source('a')).toMatchObject({ status: 'stale', staleSince: '2026-11-20T14:00:05.000Z', lastSyncAt: '2026-11-20T14:00:00.000Z' });
    expect(loaded.states.find((state) => state.id === 'a')!.status).toBe('ok');
    // Attaching to the stale store writes nothing new: the settled statuses are what is on disk.
    const before = await readFile(file, 'utf8');
    const again = attachCache(loaded.store, file, { restored: loaded, range: () => WEEK });
    await again.close();
    expect(await readFile(file, 'utf8')).toBe(before);
    loaded.store.handle('a').markSynced(new Date('2026-11-20T15:00:00Z'));
    expect(loaded.store.source('a')!.status).toBe('ok');
  });

  it('drops sources whose backend changed (fingerprint) or left the config', async () => {
    const store = populated();
    const handle = await attachAndFlush(store, { fingerprints: { a: 'fa', b: 'fb' } });
    store.handle('a').setCursor('c');
    await handle.close();
    const kept = loadCache(file, { fingerprints: { a: 'fa' } });
    expect(kept.store.sources().map((source) => source.id)).toEqual(['a']);
    const changed = loadCache(file, { fingerprints: { a: 'other', b: 'fb' } });
    expect(changed.store.sources().map((source) => source.id)).toEqual(['b']);
    expect(changed.store.size).toBe(0);
  });

  it('fingerprints ignore key order and are keyed: the same options under another install key differ', () => {
    const key = Buffer.alloc(32, 3);
    const one = backendFingerprint({ plugin: 'toggl', options: { api_token: 's3cret', workspace: 1 } }, key);
    expect(backendFingerprint({ plugin: 'toggl', options: { workspace: 1, api_token: 's3cret' } }, key)).toBe(one);
    expect(backendFingerprint({ plugin: 'toggl', options: { workspace: 2, api_token: 's3cret' } }, key)).not.toBe(one);
    expect(backendFingerprint({ plugin: 'toggl', options: { workspace: 1, api_token: 'rotated' } }, key)).not.toBe(one);
    // Without the key, an unkeyed digest of a guess does not match.
    const guess = createHash('sha256').update(JSON.stringify({ options: { api_token: 's3cret', workspace: 1 }, plugin: 'toggl' })).digest('hex');
    expect(guess.startsWith(one.slice(0, 16))).toBe(false);
    expect(backendFingerprint({ plugin: 'toggl', options: { api_token: 's3cret', workspace: 1 } }, Buffer.alloc(32, 4))).not.toBe(one);
  });
});

describe('a bad cache is ignored with a warning and rebuilt', () => {
  it('missing file: empty store, no warning', () => {
    const loaded = loadCache(file);
    expect(loaded).toMatchObject({ status: 'missing', savedAt: null });
    expect(loaded.warning).toBeUndefined();
    expect(loaded.store.size).toBe(0);
  });

  it.each([
    ['corrupt bytes', '\u0000\u0001garbage{{{', /not valid JSON/],
    ['truncated write', '{"format":"dash-cache","version":1,"savedAt":"2026-11-20T14:00:00Z","sources":{', /not valid JSON/],
    ['empty file', '', /empty file/],
    ['another program\'s JSON', '{"hello":"world"}', /not a dash cache file/],
    ['an old version', JSON.stringify({ format: CACHE_FORMAT, version: 0, savedAt: 'x', sources: {}, store: {} }), /cache version 0, this dash uses 1/],
    ['a malformed entry', JSON.stringify({ format: CACHE_FORMAT, version: CACHE_VERSION, savedAt: '2026-11-20T14:00:00Z', writer: { pid: 1 }, sources: { a: {} }, store: { version: 1, sources: [{ id: 'a', plugin: 'dash-plugin-a', status: 'ok' }], entries: [{ id: 1, source: 'a' }] } }), /malformed/],
  ])('%s', async (_name, text, reason) => {
    await writeFile(join(dir, 'bad.json'), text);
    const loaded = loadCache(join(dir, 'bad.json'));
    expect(loaded.status).toBe('invalid');
    expect(loaded.warning).toMatch(reason);
    expect(loaded.warning).toMatch(/it will be rebuilt/);
    expect(loaded.store.size).toBe(0);
    // The next write replaces it with a valid cache.
    const store = populated();
    const handle = attachCache(store, join(dir, 'bad.json'), { range: () => WEEK });
    store.handle('a').setCursor('rebuilt');
    await handle.close();
    const rebuilt = loadCache(join(dir, 'bad.json'));
    expect(rebuilt.status).toBe('ok');
    expect(rebuilt.store.handle('a').getCursor()).toBe('rebuilt');
  });
});

describe('atomic write', () => {
  function cacheOf(store: Store, checkedAt: string, cursor: unknown = null): CacheFile {
    store.handle('a').setCursor(cursor);
    return {
      format: CACHE_FORMAT,
      version: CACHE_VERSION,
      savedAt: checkedAt,
      writer: { pid: 1 },
      sources: Object.fromEntries(store.sources().map((source) => [source.id, { fingerprint: 'f', checkedAt, from: WEEK.from.toISOString(), to: WEEK.to.toISOString(), pollInterval: null }])),
      store: store.toJSON(),
    };
  }

  it('leaves no temp file, writes mode 0600, and a crashed writer\'s temp file neither breaks loading nor lingers', async () => {
    await writeCache(file, cacheOf(populated(), '2026-11-20T14:00:00.000Z'));
    // A writer that died between write and rename: a truncated temp file next to the cache.
    const orphan = `${file}.${deadPid()}-abc-0.tmp`;
    await writeFile(orphan, '{"format":"dash-cache","vers');
    // A live writer's temp file (ours, mid-write) is left alone until it is ten minutes old.
    const live = `${file}.${process.pid}-abc-9.tmp`;
    await writeFile(live, '{');
    expect(loadCache(file).status).toBe('ok');
    expect((await readdir(join(dir, 'cache'))).sort()).toEqual(['store.json', basename(live), 'store.recent.json']);
    const old = new Date(Date.now() - 11 * 60_000);
    await utimes(live, old, old);
    await writeCache(file, cacheOf(populated(), '2026-11-20T14:01:00.000Z'));
    const names = await readdir(join(dir, 'cache'));
    // The cache and its recent slice (what the read path takes; see recent.ts), nothing else.
    expect(names.sort()).toEqual(['store.json', 'store.recent.json']);
    const { statSync } = await import('node:fs');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'cache', 'store.recent.json')).mode & 0o777).toBe(0o600);
  });

  it('a failed write (folder not writable) keeps the previous file whole and reports CACHE_WRITE', async () => {
    await writeCache(file, cacheOf(populated(), '2026-11-20T14:00:00.000Z', 'first'));
    const blocked = join(dir, 'not-a-dir');
    await writeFile(blocked, 'a file where the cache folder should be');
    await expect(writeCache(join(blocked, 'store.json'), cacheOf(populated(), '2026-11-20T14:02:00.000Z'))).rejects.toMatchObject({ code: 'CACHE_WRITE' });
    expect(loadCache(file).store.handle('a').getCursor()).toBe('first');
  });

  it('attachCache reports a failed write through onError and keeps going', async () => {
    const blocked = join(dir, 'blocked');
    await writeFile(blocked, 'x');
    const errors: unknown[] = [];
    const store = populated();
    const handle = attachCache(store, join(blocked, 'store.json'), { onError: (error) => errors.push(error) });
    store.handle('a').setCursor('x');
    await handle.close();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'CACHE_WRITE' });
  });

  it('concurrent writers: the file is always whole; per source the newest data wins', async () => {
    const older = cacheOf(populated(), '2026-11-20T14:00:00.000Z', 'older');
    const newer = cacheOf(populated(), '2026-11-20T14:05:00.000Z', 'newer');
    await writeCache(file, newer);
    await writeCache(file, older); // a slow writer with older data comes second
    expect(loadCache(file).store.handle('a').getCursor()).toBe('newer');
    expect(mergeWithDisk(older, newer).sources.a!.checkedAt).toBe('2026-11-20T14:05:00.000Z');
    // Many writers at once: every read in between and after sees a valid cache.
    const writes = Array.from({ length: 20 }, (_, index) => writeCache(file, cacheOf(populated(), `2026-11-20T15:${String(index).padStart(2, '0')}:00.000Z`, index)));
    const reads: string[] = [];
    for (let i = 0; i < 20; i++) {
      reads.push(readCacheSync(file).status);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(writes);
    expect(new Set(reads)).toEqual(new Set(['ok']));
    // Writers racing in the same instant: the last rename wins, whole (no lock; it is a cache).
    expect(loadCache(file).store.handle('a').getCursor()).toEqual(expect.any(Number));
    expect((await readdir(join(dir, 'cache'))).sort()).toEqual(['store.json', 'store.recent.json']);
  });
});

describe('attachCache', () => {
  it('debounces a burst of changes into one write', async () => {
    // A fake clock for the debounce timer; the file system stays real.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      const store = populated();
      const handle = attachCache(store, file, { debounceMs: 30, range: () => WEEK });
      const a = store.handle('a');
      for (let i = 0; i < 50; i++) a.upsert([entry(`n${i}`, '2026-11-19T08:00:00Z', '2026-11-19T08:30:00Z')]);
      await vi.advanceTimersByTimeAsync(29);
      expect(readCacheSync(file).status).toBe('missing');
      await vi.advanceTimersByTimeAsync(1);
      // The write has started; wait for it to land (bounded in real time, not in turns: an fsync on
      // a busy machine takes longer than any fixed number of event-loop turns).
      const until = performance.now() + 10_000;
      while (readCacheSync(file).status !== 'ok' && performance.now() < until) await new Promise((resolve) => setImmediate(resolve));
      const first = loadCache(file);
      expect(first.store.size).toBe(53);
      await handle.close();
    } finally {
      vi.useRealTimers();
    }
  });

  it('writes a source in the middle of a sync with its last settled status', async () => {
    const store = populated();
    const handle = attachCache(store, file, { range: () => WEEK, debounceMs: 5 });
    store.handle('a').setStatus({ status: 'syncing' });
    store.handle('a').upsert([entry('9', '2026-11-20T08:00:00Z', '2026-11-20T08:10:00Z')]);
    await handle.flush();
    const loaded = loadCache(file);
    expect(loaded.store.source('a')).toMatchObject({ status: 'ok', lastSyncAt: '2026-11-20T14:00:00.000Z' });
    expect(loaded.store.size).toBe(4);
    await handle.close();
  });
});

describe('freshness', () => {
  const meta = { fingerprint: 'f', checkedAt: '2026-11-20T14:00:00.000Z', from: WEEK.from.toISOString(), to: WEEK.to.toISOString(), pollInterval: 300 };
  const state = populated().source('a')!;
  it('fresh within the max age (default: the poll interval, at least 60 s), for the same week', () => {
    const at = (iso: string, extra: object = {}) => sourceFreshness(meta, state, { now: new Date(iso), range: WEEK, ...extra }).fresh;
    expect(at('2026-11-20T14:04:59Z')).toBe(true);
    expect(at('2026-11-20T14:05:01Z')).toBe(false);
    expect(at('2026-11-20T14:00:30Z', { maxAgeMs: 10_000 })).toBe(false);
    expect(sourceFreshness({ ...meta, pollInterval: 10 }, state, { now: new Date('2026-11-20T14:00:59Z'), range: WEEK }).fresh).toBe(true);
    expect(sourceFreshness(meta, state, { now: new Date('2026-11-20T14:00:10Z'), range: { from: WEEK.to, to: new Date('2026-11-30T00:00:00Z') } })).toEqual({
      fresh: false,
      reason: 'cached range does not cover this week',
    });
    expect(sourceFreshness({ ...meta, checkedAt: null }, state, { now: new Date('2026-11-20T14:00:10Z'), range: WEEK }).fresh).toBe(false);
  });
  it('a rate-limited source stays fresh until the limit lifts', () => {
    const limited = { ...state, status: 'rate-limited' as const, rateLimitedUntil: '2026-11-20T15:00:00.000Z' };
    expect(sourceFreshness(meta, limited, { now: new Date('2026-11-20T14:30:00Z'), range: WEEK }).fresh).toBe(true);
    expect(sourceFreshness(meta, limited, { now: new Date('2026-11-20T15:00:01Z'), range: WEEK }).fresh).toBe(false);
  });
});
