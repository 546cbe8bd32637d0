import { isDashError } from '../errors.js';
import { Store, type SourceState, type StoreState } from '../store.js';
import { sweepTemps } from '../temp-files.js';
import { readCacheSync } from './file.js';
import { emptyMeta, type CacheFile, type CachedSourceMeta } from './format.js';

export interface LoadCacheOptions {
  /**
   * backendFingerprint() of every configured backend, by id. When given, only these sources are
   * restored, and only when their fingerprint matches (data of a changed backend is dropped).
   */
  fingerprints?: Readonly<Record<string, string>>;
  /**
   * Mark every restored source "stale" (since it was last heard from) until its first sync:
   * what `watch` shows while it catches up. Default false (snapshot keeps the cached status).
   */
  markStale?: boolean;
}

export interface LoadedCache {
  /** A store holding the cached state; empty when there was no usable cache. */
  store: Store;
  /** 'ok' restored, 'missing' no file yet, 'invalid' a file that was ignored (see `warning`). */
  status: 'ok' | 'missing' | 'invalid';
  /** Per restored source: fingerprint, last heard from, range, poll interval. */
  sources: Record<string, CachedSourceMeta>;
  /** The restored sources' states as cached (before `markStale`), for attachCache. */
  states: SourceState[];
  /** ISO instant the file was written. */
  savedAt: string | null;
  /** One line for the user when a cache was ignored (it is rebuilt by the next write). */
  warning?: string;
}

function restrict(cache: CacheFile, fingerprints: Readonly<Record<string, string>> | undefined): { state: StoreState; sources: Record<string, CachedSourceMeta> } {
  const keep = new Set(
    cache.store.sources
      .map((source) => source.id)
      .filter((id) => !fingerprints || (id in fingerprints && (cache.sources[id]?.fingerprint ?? null) === fingerprints[id])),
  );
  const sources: Record<string, CachedSourceMeta> = {};
  for (const id of keep) sources[id] = { ...emptyMeta(), ...cache.sources[id] };
  return {
    state: {
      version: cache.store.version,
      sources: cache.store.sources.filter((source) => keep.has(source.id)),
      entries: cache.store.entries.filter((entry) => keep.has((entry as { source?: string }).source ?? '')),
    },
    sources,
  };
}

/**
 * Reads the cache file and rebuilds a store from it, first removing its temp files left by dead
 * writers. Never throws: a missing file gives an empty
 * store; a corrupt, truncated or old-version file is ignored with a `warning` (and rebuilt by the
 * next write).
 */
export function loadCache(file: string, options: LoadCacheOptions = {}): LoadedCache {
  // A writer killed mid-write (a 13 MB temp file) is cleaned up by the next run that reads.
  sweepTemps(file);
  const read = readCacheSync(file);
  if (read.status === 'missing') return { store: new Store(), status: 'missing', sources: {}, states: [], savedAt: null };
  if (read.status === 'invalid') {
    return { store: new Store(), status: 'invalid', sources: {}, states: [], savedAt: null, warning: `ignoring the cache ${file}: ${read.reason}; it will be rebuilt` };
  }
  const { state, sources } = restrict(read.cache, options.fingerprints);
  let store: Store;
  try {
    store = Store.fromJSON(state);
  } catch (error) {
    const reason = isDashError(error) ? error.message : 'unreadable';
    return { store: new Store(), status: 'invalid', sources: {}, states: [], savedAt: null, warning: `ignoring the cache ${file}: ${reason}; it will be rebuilt` };
  }
  const states = store.sources();
  if (options.markStale) {
    for (const source of store.sources()) {
      const since = sources[source.id]?.checkedAt ?? source.lastSyncAt ?? read.cache.savedAt;
      store.handle(source.id).setStatus({ status: 'stale', since });
    }
  }
  return { store, status: 'ok', sources, states, savedAt: read.cache.savedAt };
}
