/**
 * The persisted cache: the store's state in one file per config under $XDG_CACHE_HOME/dash,
 * written atomically after changes, restored at start (see docs in BENCHMARKS.md / README).
 */
export { cacheDir, cacheFileFor } from './location.js';
export { backendFingerprint } from './fingerprint.js';
export type { FingerprintInput } from './fingerprint.js';
export { CACHE_FORMAT, CACHE_VERSION } from './format.js';
export type { CacheFile, CachedSourceMeta, CacheReadResult } from './format.js';
export { readCache, readCacheSync, writeCache, mergeWithDisk } from './file.js';
export type { WriteCacheOptions } from './file.js';
export { loadCache } from './restore.js';
export type { LoadCacheOptions, LoadedCache } from './restore.js';
export { attachCache } from './attach.js';
export type { AttachCacheOptions, CacheHandle } from './attach.js';
export { sourceFreshness, DEFAULT_MAX_AGE_SECONDS } from './freshness.js';
export type { Freshness, FreshnessOptions } from './freshness.js';
export { takeSyncTurn, syncLockFileFor, MAX_LOCK_MS } from './sync-lock.js';
export type { HeldSyncLock, SyncTurn, SyncLockOptions } from './sync-lock.js';
export { saveCursors } from './cursors.js';
export type { CursorUpdate } from './cursors.js';
