import { readFileSync, statSync } from 'node:fs';
import { writeFileAtomic } from '../atomic-write.js';
import { parseCache, type CacheFile } from './format.js';

/**
 * The recent slice of a cache: the same envelope, with only the entries that overlap a window
 * around the write (running ones always do), saved next to the cache by every write. What a status
 * bar reads every few seconds is then as small as a week, however much history the cache holds
 * (watch's 12-week trend, a year of `--at`): the snapshot of a week inside the window needs no
 * other entry. A week outside it, or a slice older than the cache, is read from the cache itself.
 */

/** The window of a slice, around its write: this week and the next, from any day of the week. */
export const RECENT_BEFORE_MS = 8 * 86_400_000;
export const RECENT_AFTER_MS = 15 * 86_400_000;

/** A cache file's slice: `store-….json` → `store-….recent.json`. */
export function recentFileFor(cacheFile: string): string {
  return cacheFile.replace(/(\.json)?$/, '.recent.json');
}

export interface RecentCacheFile extends CacheFile {
  /** The window [from, to) whose entries the slice holds all of (ISO instants). */
  window: { from: string; to: string };
}

/** The slice of `cache` for the window around `at`. */
export function recentSlice(cache: CacheFile, at: number): RecentCacheFile {
  const from = at - RECENT_BEFORE_MS;
  const to = at + RECENT_AFTER_MS;
  const entries = cache.store.entries.filter((entry) => Date.parse(entry.start) < to && (entry.end === null || Date.parse(entry.end) > from));
  return { ...cache, window: { from: new Date(from).toISOString(), to: new Date(to).toISOString() }, store: { ...cache.store, entries } };
}

/** Writes the slice of what was just written to `cacheFile` (atomically; the caller reports errors). */
export async function writeRecentSlice(cacheFile: string, cache: CacheFile): Promise<void> {
  await writeFileAtomic(recentFileFor(cacheFile), JSON.stringify(recentSlice(cache, Date.now())));
}

/**
 * The slice of `cacheFile`, when it holds every entry of [from, to) (epoch ms) and is not older
 * than the cache; else undefined (read the cache). Never throws.
 */
export function readRecentSync(cacheFile: string, from: number, to: number): CacheFile | undefined {
  try {
    const file = recentFileFor(cacheFile);
    // Written after the cache: a slice whose cache was rewritten since (a failed slice write) is stale.
    if (statSync(file).mtimeMs + 1 < statSync(cacheFile).mtimeMs) return undefined;
    const read = parseCache(readFileSync(file, 'utf8'));
    if (read.status !== 'ok') return undefined;
    const window = (read.cache as Partial<RecentCacheFile>).window;
    if (!window || !(Date.parse(window.from) <= from && to <= Date.parse(window.to))) return undefined;
    return read.cache;
  } catch {
    return undefined;
  }
}
