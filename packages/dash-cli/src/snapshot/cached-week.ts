import {
  buildSnapshotWith,
  CachedStoreView,
  configRecordFileFor,
  configRecordKey,
  findConfig,
  readCacheSync,
  readConfigRecord,
  readInstallKey,
  readRecentSync,
  sourceFreshness,
  systemZoneSource,
  trustState,
  weekTableCalendar,
  type CacheFile,
  type ConfigRecord,
  type Snapshot,
  type SnapshotCalendar,
} from 'dash-core/snapshot';

/** What a read command asks of the cache. */
export interface CachedWeekRequest {
  now: Date;
  /** Sources heard from longer ago than this are stale (default: each source's own rule). */
  maxAgeMs?: number | undefined;
  /** Serve sources that are not fresh (marked stale) instead of asking for a sync. */
  offline: boolean;
}

/**
 * The cache's answer for the week of `now`:
 * - `served`: the snapshot, with the warning about an unusable cache that was ignored and the
 *   sources with nothing cached yet (outcome.ts says both on stderr; `missing` makes the exit code 3);
 * - `stale`: a source is not fresh enough and `offline` was not asked: sync first.
 */
export type CachedWeek = { kind: 'served'; snapshot: Snapshot; missing: string[]; warning: string | undefined } | { kind: 'stale' };

/**
 * The one read path of every read command (`snapshot` human and `--json`, `status`, `--offline`,
 * `--at` with `--offline`, watch's first frame, `status --follow`): the week's snapshot from the
 * config record and the cache alone, without zod, TOML or any plugin. The cache's recent slice is
 * read when it holds the week (as small as a week, whatever the history), else the cache itself.
 *
 * A damaged cache is ignored (said in `warning`); a backend whose data the cache does not hold
 * (none yet, or cached for another config of that id) is shown as "stale, never synced" and
 * named in `missing`.
 */
export function readCachedWeek(record: ConfigRecord, calendar: SnapshotCalendar, { now, maxAgeMs, offline }: CachedWeekRequest): CachedWeek {
  const days = calendar.weekOf(Math.floor(now.getTime() / 1000), record.timezone, record.weekStart);
  const week = { from: new Date(days[0]!.start * 1000), to: new Date(days[6]!.end * 1000) };

  let warning: string | undefined;
  let cache: CacheFile | undefined = readRecentSync(record.cacheFile, week.from.getTime(), week.to.getTime());
  if (!cache) {
    const read = readCacheSync(record.cacheFile);
    if (read.status === 'ok') cache = read.cache;
    else if (read.status === 'invalid') warning = unusable(record.cacheFile, read.reason);
  }
  // Only sources cached for this config's backend of that id (same fingerprint) are shown.
  const cachedIds = new Set(cache?.store.sources.map((source) => source.id));
  const kept = new Set(
    record.backends
      .filter((backend) => cachedIds.has(backend.id) && (cache!.sources[backend.id]?.fingerprint ?? null) === backend.fingerprint)
      .map((backend) => backend.id),
  );
  let store = cache && CachedStoreView.fromCache(cache, kept);
  if (cache && !store) {
    warning = unusable(record.cacheFile, 'an entry in it is incomplete');
    cache = undefined;
    kept.clear();
  }
  store ??= new CachedStoreView();

  const missing: string[] = [];
  for (const backend of record.backends) {
    if (!kept.has(backend.id)) {
      if (!offline) return { kind: 'stale' };
      store.addPlaceholder(backend.id, backend.plugin);
      missing.push(backend.id);
      continue;
    }
    const meta = { fingerprint: null, checkedAt: null, from: null, to: null, pollInterval: null, ...cache!.sources[backend.id] };
    const state = store.source(backend.id)!;
    if (sourceFreshness(meta, state, { now, range: week, maxAgeMs }).fresh) continue;
    if (!offline) return { kind: 'stale' };
    if (state.status !== 'error') store.markStale(backend.id, meta.checkedAt ?? state.lastSyncAt ?? cache!.savedAt ?? now.toISOString());
  }
  const snapshot = buildSnapshotWith(calendar, store, {
    now,
    timeZone: record.timezone,
    weekStart: record.weekStart,
    goals: record.goals,
    workdays: record.workdays,
    colors: record.colors,
  });
  return { kind: 'served', snapshot, missing, warning };
}

function unusable(file: string, reason: string): string {
  return `ignoring the cache ${file}: ${reason}; it will be rebuilt`;
}

/**
 * The config record of the config a command would load (`--config`, else $DASH_CONFIG,
 * ./dash.toml, the XDG file), while it still describes that config: the file, the variables it
 * references, the locale and (if it relies on it) the system zone unchanged. Undefined otherwise,
 * and for a folder config that is not trusted: the full CLI then loads the config and says why.
 */
export function currentConfigRecord(configFlag: string | undefined): ConfigRecord | undefined {
  const found = findConfig({ explicit: configFlag });
  if (!found.file) return undefined;
  if (found.inFolder && trustState(found.file) !== 'trusted') return undefined;
  const record = readConfigRecord(configRecordFileFor(found.file));
  if (!record || record.configFile !== found.file) return undefined;
  const key = record.envVars.length > 0 ? readInstallKey() : undefined;
  if (record.key !== configRecordKey(found.file, record.envVars, process.env, record.zoneDependent ? systemZoneSource() : '', key)) return undefined;
  return record;
}

/**
 * The week from the cache without loading the config (the executable's fast path, watch's first
 * frame, `status --follow`): undefined when there is no current record, or its calendar does not
 * hold the week asked for (the full CLI then answers).
 */
export function cachedWeekOf(configFlag: string | undefined, request: CachedWeekRequest): { week: CachedWeek; record: ConfigRecord } | undefined {
  try {
    const record = currentConfigRecord(configFlag);
    // This week's calendar as the full path computed it: no time-zone arithmetic, no ICU start-up.
    return record && { week: readCachedWeek(record, weekTableCalendar(record.weekTable), request), record };
  } catch {
    return undefined;
  }
}

/**
 * The snapshot when the cache answers without a word to say (no source missing, no warning):
 * what watch's first frame and `status --follow` show before, or instead of, a sync.
 */
export function cachedSnapshot({ configFlag, ...request }: CachedWeekRequest & { configFlag: string | undefined }): { snapshot: Snapshot; record: ConfigRecord } | undefined {
  const found = cachedWeekOf(configFlag, request);
  if (found?.week.kind !== 'served' || found.week.missing.length > 0 || found.week.warning !== undefined) return undefined;
  return { snapshot: found.week.snapshot, record: found.record };
}
