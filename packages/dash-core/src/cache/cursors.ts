import type { SourceState } from '../store.js';
import { readCache, writeCache } from './file.js';
import { CACHE_FORMAT, CACHE_VERSION, emptyMeta, type CacheFile } from './format.js';

/** A backend's cursor to keep (see saveCursors). */
export interface CursorUpdate {
  id: string;
  plugin: string;
  /** backendFingerprint() of its [[backends]] entry. */
  fingerprint: string;
  cursor: unknown;
}

function freshSource(id: string, plugin: string): SourceState {
  return { id, plugin, status: 'stale', lastSyncAt: null, error: null, rateLimitedUntil: null, staleSince: null, cursor: undefined };
}

/**
 * Saves backends' cursors into the cache without claiming a sync (a check that was not one, such
 * as `doctor`'s, may still have learned of a quota block the next run must honour): entries,
 * status and `checkedAt` stay as they are; a source the cache does not have (or has for another
 * fingerprint) is added with nothing cached, so the next run still syncs it.
 * Throws DashError('CACHE_WRITE').
 */
export async function saveCursors(file: string, updates: readonly CursorUpdate[]): Promise<void> {
  if (updates.length === 0) return;
  const disk = await readCache(file);
  const cache: CacheFile =
    disk.status === 'ok'
      ? structuredClone(disk.cache)
      : { format: CACHE_FORMAT, version: CACHE_VERSION, savedAt: '', writer: { pid: process.pid }, sources: {}, store: { version: 1, sources: [], entries: [] } };
  for (const update of updates) {
    const known = cache.sources[update.id];
    let state = cache.store.sources.find((source) => source.id === update.id);
    if (!known || known.fingerprint !== update.fingerprint || !state) {
      cache.sources[update.id] = { ...emptyMeta(), fingerprint: update.fingerprint };
      cache.store.entries = cache.store.entries.filter((entry) => entry.source !== update.id);
      cache.store.sources = cache.store.sources.filter((source) => source.id !== update.id);
      state = freshSource(update.id, update.plugin);
      cache.store.sources.push(state);
    }
    state.cursor = update.cursor;
  }
  cache.savedAt = new Date().toISOString();
  cache.writer = { pid: process.pid };
  await writeCache(file, cache, { merge: false });
}
