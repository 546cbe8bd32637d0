import type { SourceState, Store } from '../store.js';
import { writeCache } from './file.js';
import { CACHE_FORMAT, CACHE_VERSION, emptyMeta, SETTLED, type CacheFile, type CachedSourceMeta } from './format.js';

export interface AttachCacheOptions {
  /** Quiet time after the last change before writing, ms (default 1000). */
  debounceMs?: number;
  /** Longest a change waits under a steady stream of changes, ms (default 10 × debounceMs). */
  maxWaitMs?: number;
  /** backendFingerprint() by source id, written with the data (see loadCache). */
  fingerprints?: Readonly<Record<string, string>>;
  /** Each backend's pollInterval in seconds, by source id. */
  pollIntervals?: Readonly<Record<string, number | undefined>>;
  /** The range the backends are keeping fresh (the host's range); unknown when omitted. */
  range?: () => { from: Date; to: Date };
  /** What loadCache() returned for this store, so nothing it knew is lost. */
  restored?: { sources: Readonly<Record<string, CachedSourceMeta>>; states?: readonly SourceState[] };
  now?: () => Date;
  /** A write failed (full disk, read-only folder): the cache is only a cache, so report and go on. */
  onError?: (error: unknown) => void;
}

export interface CacheHandle {
  /** Write now if anything changed since the last write; resolves when it is on disk. */
  flush(): Promise<void>;
  /** Flush, then stop listening. */
  close(): Promise<void>;
  /** The file written to. */
  readonly file: string;
}

/**
 * Keeps `file` in step with `store`: after changes (debounced) the store's state, with each
 * source's fingerprint, last-heard-from time and range, is written atomically. A source in
 * the middle of a sync (or marked stale) is written with its last settled status.
 * Writes are serialised within the process; across processes see `mergeWithDisk`.
 */
export function attachCache(store: Store, file: string, options: AttachCacheOptions = {}): CacheHandle {
  const debounceMs = options.debounceMs ?? 1000;
  const maxWaitMs = options.maxWaitMs ?? debounceMs * 10;
  const now = options.now ?? (() => new Date());
  const meta = new Map<string, CachedSourceMeta>();
  const settled = new Map<string, SourceState>();
  for (const [id, known] of Object.entries(options.restored?.sources ?? {})) meta.set(id, { ...known });
  for (const state of options.restored?.states ?? []) if (SETTLED.has(state.status)) settled.set(state.id, { ...state });
  for (const state of store.sources()) if (SETTLED.has(state.status)) settled.set(state.id, state);

  const metaOf = (id: string): CachedSourceMeta => {
    let found = meta.get(id);
    if (!found) meta.set(id, (found = emptyMeta()));
    found.fingerprint = options.fingerprints?.[id] ?? found.fingerprint;
    found.pollInterval = options.pollIntervals?.[id] ?? found.pollInterval;
    return found;
  };

  const body = (): Omit<CacheFile, 'savedAt' | 'writer'> => {
    const state = store.toJSON();
    const sources: Record<string, CachedSourceMeta> = {};
    for (const source of state.sources) sources[source.id] = { ...metaOf(source.id) };
    return {
      format: CACHE_FORMAT,
      version: CACHE_VERSION,
      sources,
      store: {
        ...state,
        sources: state.sources.map((source) => {
          const last = settled.get(source.id);
          return !SETTLED.has(source.status) && last ? { ...last, cursor: source.cursor } : source;
        }),
      },
    };
  };

  let lastText = JSON.stringify(body());
  let timer: NodeJS.Timeout | undefined;
  let firstPending: number | undefined;
  let writing: Promise<void> = Promise.resolve();
  let closed = false;

  const write = (): Promise<void> => {
    clearTimeout(timer);
    timer = undefined;
    firstPending = undefined;
    const next = body();
    const text = JSON.stringify(next);
    if (text === lastText) return writing;
    lastText = text;
    const cache: CacheFile = { ...next, savedAt: now().toISOString(), writer: { pid: process.pid } };
    writing = writing.then(() =>
      writeCache(file, cache).then(
        () => undefined,
        (error: unknown) => options.onError?.(error),
      ),
    );
    return writing;
  };

  const onChange = ({ sources }: { sources: string[] }) => {
    for (const id of sources) {
      const state = store.source(id);
      if (!state || !SETTLED.has(state.status)) continue;
      settled.set(id, state);
      const known = metaOf(id);
      known.checkedAt = now().toISOString();
      const range = options.range?.();
      known.from = range ? range.from.toISOString() : null;
      known.to = range ? range.to.toISOString() : null;
    }
    if (closed) return;
    const at = Date.now();
    firstPending ??= at;
    clearTimeout(timer);
    const wait = Math.max(0, Math.min(debounceMs, firstPending + maxWaitMs - at));
    timer = setTimeout(() => void write(), wait);
    timer.unref?.();
  };
  store.on('change', onChange);

  return {
    file,
    flush: async () => {
      // Let a burst of changes made just now (coalesced to a microtask) arrive first.
      await Promise.resolve();
      await write();
    },
    close: async () => {
      if (closed) return;
      await Promise.resolve();
      closed = true;
      store.off('change', onChange);
      await write();
    },
  };
}
