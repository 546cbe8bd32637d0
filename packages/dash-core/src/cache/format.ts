import type { SourceState, StoreState } from '../store.js';

/** Marks a dash cache file; anything else found at the path is ignored. */
export const CACHE_FORMAT = 'dash-cache';
/** Bumped whenever the layout changes; a cache of another version is ignored and rebuilt. */
export const CACHE_VERSION = 1;

/** What the cache knows about one backend, besides its state in the store. */
export interface CachedSourceMeta {
  /** backendFingerprint() of the [[backends]] entry the data came from. */
  fingerprint: string | null;
  /** ISO instant the backend was last heard from (a sync that ended ok, in error or rate-limited). */
  checkedAt: string | null;
  /** The range [from, to) that backend was keeping fresh then (ISO instants), if known. */
  from: string | null;
  to: string | null;
  /** The plugin's pollInterval in seconds, if known (snapshot's default max age). */
  pollInterval: number | null;
}

/** The file: an envelope around Store.toJSON(). */
export interface CacheFile {
  format: typeof CACHE_FORMAT;
  version: typeof CACHE_VERSION;
  /** ISO instant of the write. */
  savedAt: string;
  /** Which process wrote it (diagnostics). */
  writer: { pid: number };
  sources: Record<string, CachedSourceMeta>;
  store: StoreState;
}

export type CacheReadResult =
  | { status: 'ok'; cache: CacheFile }
  | { status: 'missing' }
  | { status: 'invalid'; reason: string };

export const SETTLED: ReadonlySet<SourceState['status']> = new Set(['ok', 'error', 'rate-limited']);

export function emptyMeta(): CachedSourceMeta {
  return { fingerprint: null, checkedAt: null, from: null, to: null, pollInterval: null };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks the envelope of a parsed cache file (entries are checked when the store is rebuilt).
 * Returns why it is not usable, or undefined.
 */
export function envelopeProblem(value: unknown): string | undefined {
  if (!isRecord(value) || value.format !== CACHE_FORMAT) return 'not a dash cache file';
  if (value.version !== CACHE_VERSION) return `cache version ${String(value.version)}, this dash uses ${CACHE_VERSION}`;
  if (typeof value.savedAt !== 'string' || !isRecord(value.sources) || !isRecord(value.store)) return 'incomplete cache file';
  const store = value.store;
  if (store.version !== 1 || !Array.isArray(store.sources) || !Array.isArray(store.entries)) return 'cached store of another version';
  for (const source of store.sources as unknown[]) {
    if (!isRecord(source) || typeof source.id !== 'string' || typeof source.plugin !== 'string' || typeof source.status !== 'string') {
      return 'a cached source is malformed';
    }
  }
  for (const meta of Object.values(value.sources)) {
    if (!isRecord(meta)) return 'cached source metadata is malformed';
  }
  return undefined;
}

/** Parses the text of a cache file. */
export function parseCache(text: string): CacheReadResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { status: 'invalid', reason: text.length === 0 ? 'empty file' : 'not valid JSON (truncated or corrupt)' };
  }
  const problem = envelopeProblem(value);
  return problem ? { status: 'invalid', reason: problem } : { status: 'ok', cache: value as CacheFile };
}
