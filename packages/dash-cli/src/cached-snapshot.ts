import {
  buildSnapshotWith,
  CachedStoreView,
  findConfig,
  readCacheSync,
  readRecentSync,
  readInstallKey,
  readSnapshotConfig,
  snapshotConfigFileFor,
  snapshotConfigKey,
  sourceFreshness,
  systemZoneSource,
  trustState,
  weekTableCalendar,
  type Snapshot,
  type SnapshotConfigRecord,
} from 'dash-core/snapshot';

export interface CachedSnapshotRequest {
  /** --config, if given (else the usual search: $DASH_CONFIG, ./dash.toml, the XDG file). */
  configFlag?: string | undefined;
  now: Date;
  /** Sources heard from longer ago than this are stale (default: each source's own rule). */
  maxAgeMs?: number | undefined;
  /** Serve stale sources (marked stale) instead of giving up on them. */
  offline: boolean;
}

/**
 * The week's snapshot from the cache alone, without zod, TOML or any plugin: the config's
 * settings come from the record the full path saved next to the cache (see
 * commands/snapshot.ts), valid while the config file, the variables it references, the locale
 * and (if it relies on it) the system zone are unchanged. Used by the `snapshot --json` fast path
 * and for watch's first frame.
 *
 * Undefined whenever the record or the cache cannot answer exactly as the full path would (no
 * record, another config, a backend with nothing cached, a week outside the record's calendar,
 * a source too old unless `offline`, a damaged cache): the caller then takes the full path.
 */
export function cachedSnapshot(request: CachedSnapshotRequest): { snapshot: Snapshot; record: SnapshotConfigRecord } | undefined {
  try {
    return attempt(request);
  } catch {
    return undefined;
  }
}

function attempt({ configFlag, now, maxAgeMs, offline }: CachedSnapshotRequest): { snapshot: Snapshot; record: SnapshotConfigRecord } | undefined {
  const found = findConfig({ explicit: configFlag });
  if (!found.file) return undefined;
  // An untrusted folder config is refused by the full path; its cache is not served either.
  if (found.inFolder && trustState(found.file) !== 'trusted') return undefined;
  const record = readSnapshotConfig(snapshotConfigFileFor(found.file));
  if (!record || record.configFile !== found.file) return undefined;
  const key = record.envVars.length > 0 ? readInstallKey() : undefined;
  if (record.key !== snapshotConfigKey(found.file, record.envVars, process.env, record.zoneDependent ? systemZoneSource() : '', key)) return undefined;

  // This week's calendar as the full path computed it: no time-zone arithmetic, no ICU start-up.
  const calendar = weekTableCalendar(record.weekTable);
  const days = calendar.weekOf(Math.floor(now.getTime() / 1000), record.timezone, record.weekStart);
  const week = { from: new Date(days[0]!.start * 1000), to: new Date(days[6]!.end * 1000) };

  // The cache's recent slice when it holds this week (as small as a week, whatever the history), else the cache.
  let cache = readRecentSync(record.cacheFile, week.from.getTime(), week.to.getTime());
  if (!cache) {
    const read = readCacheSync(record.cacheFile);
    if (read.status !== 'ok') return undefined;
    cache = read.cache;
  }
  const cachedIds = new Set(cache.store.sources.map((source) => source.id));
  for (const backend of record.backends) {
    if (!cachedIds.has(backend.id) || (cache.sources[backend.id]?.fingerprint ?? null) !== backend.fingerprint) return undefined;
  }
  const store = CachedStoreView.fromCache(cache, new Set(record.backends.map((backend) => backend.id)));
  if (!store) return undefined;

  for (const { id } of record.backends) {
    const meta = { fingerprint: null, checkedAt: null, from: null, to: null, pollInterval: null, ...cache.sources[id] };
    const state = store.source(id)!;
    const fresh = sourceFreshness(meta, state, { now, range: week, maxAgeMs });
    if (!fresh.fresh && !offline) return undefined;
    if (!fresh.fresh && state.status !== 'error') {
      store.markStale(id, meta.checkedAt ?? state.lastSyncAt ?? cache.savedAt ?? now.toISOString());
    }
  }
  const snapshot = buildSnapshotWith(calendar, store, {
    now,
    timeZone: record.timezone,
    weekStart: record.weekStart,
    goals: record.goals,
    workdays: record.workdays,
    colors: record.colors,
  });
  return { snapshot, record };
}
