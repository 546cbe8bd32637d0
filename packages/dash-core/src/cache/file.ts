import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../atomic-write.js';
import { fsPromises } from '../builtins.js';
import { DashError } from '../errors.js';
import type { TimeEntry } from '../model.js';
import { parseCache, type CacheFile, type CacheReadResult } from './format.js';
import { writeRecentSlice } from './recent.js';

/** Reads a cache file synchronously (the snapshot path); never throws. */
export function readCacheSync(file: string): CacheReadResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { status: 'missing' };
    return { status: 'invalid', reason: `cannot read it (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  return parseCache(text);
}

/** Reads a cache file; never throws. */
export async function readCache(file: string): Promise<CacheReadResult> {
  let text: string;
  try {
    text = await fsPromises().readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { status: 'missing' };
    return { status: 'invalid', reason: `cannot read it (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  return parseCache(text);
}

function newer(a: string | null | undefined, b: string | null | undefined): boolean {
  const left = a ? Date.parse(a) : Number.NaN;
  const right = b ? Date.parse(b) : Number.NaN;
  if (Number.isNaN(left)) return false;
  return Number.isNaN(right) || left > right;
}

/**
 * Concurrent writers (a status bar's `snapshot` and a `watch`, say): each source is taken from
 * whichever side heard from its backend last (`checkedAt`), with its entries and cursor, so a
 * slower writer never puts back older data of a source another process has just synced.
 * Sources only on disk are dropped (the writer's config no longer has them).
 */
export function mergeWithDisk(ours: CacheFile, disk: CacheFile): CacheFile {
  const take = new Set<string>();
  for (const [id, meta] of Object.entries(ours.sources)) {
    const theirs = disk.sources[id];
    const theirState = disk.store.sources.find((source) => source.id === id);
    if (theirs && theirState && theirs.fingerprint === meta.fingerprint && newer(theirs.checkedAt, meta.checkedAt)) take.add(id);
  }
  if (take.size === 0) return ours;
  const entries: TimeEntry[] = ours.store.entries.filter((entry) => !take.has(entry.source));
  entries.push(...disk.store.entries.filter((entry) => take.has(entry.source)));
  return {
    ...ours,
    sources: Object.fromEntries(Object.entries(ours.sources).map(([id, meta]) => [id, take.has(id) ? disk.sources[id]! : meta])),
    store: {
      version: ours.store.version,
      sources: ours.store.sources.map((source) => (take.has(source.id) ? disk.store.sources.find((item) => item.id === source.id)! : source)),
      entries,
    },
  };
}

export interface WriteCacheOptions {
  /** Merge with the file on disk (newest data per source wins); default true. */
  merge?: boolean;
  /** Remove temp files of dead writers (see writeFileAtomic); default true. */
  sweep?: boolean;
}

/**
 * Writes the cache atomically: a temp file in the same folder, fsync, rename over the old file,
 * fsync of the folder. A crash or a full disk leaves the previous file whole (and at worst a
 * temp file, ignored and swept later). Throws DashError('CACHE_WRITE'); the data is only a cache,
 * so callers warn and go on.
 */
export async function writeCache(file: string, cache: CacheFile, options: WriteCacheOptions = {}): Promise<CacheFile> {
  const dir = dirname(file);
  let data = cache;
  try {
    await fsPromises().mkdir(dir, { recursive: true, mode: 0o700 });
    if (options.merge !== false) {
      const disk = await readCache(file);
      if (disk.status === 'ok') data = mergeWithDisk(cache, disk.cache);
    }
    await writeFileAtomic(file, JSON.stringify(data), { sweep: options.sweep !== false });
    await writeRecentSlice(file, data);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new DashError('CACHE_WRITE', `cannot write the cache ${file} (${code})`, { cause: error });
  }
  return data;
}
