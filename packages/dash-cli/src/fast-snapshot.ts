import { parseArgs } from 'node:util';
import {
  buildSnapshotWith,
  CachedStoreView,
  findConfig,
  parseDuration,
  readCacheSync,
  readSnapshotConfig,
  Redactor,
  snapshotConfigFileFor,
  snapshotConfigKey,
  sourceFreshness,
  systemTimeZone,
  weekTableCalendar,
  type Snapshot,
} from 'dash-core/snapshot';

/**
 * The fast path of `dash-cli snapshot --json` (what a status bar runs every few seconds) when it
 * is served from the cache: with --offline, or when every backend's cached data is fresh enough:
 * argv parsed with node's parseArgs, the config's snapshot settings taken from the record the
 * full path saved next to the cache, the cache read into a zod-free view. It loads neither
 * commander, zod, TOML nor any plugin.
 *
 * Returns undefined, having printed nothing, whenever anything is unusual (another flag, no
 * record or one that no longer matches the config, a cache to warn about, a backend with no
 * cached data, an invalid value): the full path then does the same work with its own messages,
 * so the output is always the full path's.
 */
export function fastSnapshot(argv: readonly string[]): { stdout: string; stderr: string; code: number } | undefined {
  try {
    return attempt(argv);
  } catch {
    return undefined;
  }
}

function seconds(value: string): number | undefined {
  return parseDuration(value) ?? (/^\d+$/.test(value) ? Number(value) : undefined);
}

function attempt(argv: readonly string[]): { stdout: string; stderr: string; code: number } | undefined {
  if (argv[0] !== 'snapshot') return undefined;
  const { values, positionals } = parseArgs({
    args: argv.slice(1),
    strict: true,
    allowPositionals: true,
    options: {
      json: { type: 'boolean' },
      offline: { type: 'boolean' },
      config: { type: 'string', short: 'c' },
      at: { type: 'string' },
      timeout: { type: 'string' },
      'max-age': { type: 'string' },
      verbose: { type: 'boolean', short: 'v' },
    },
  });
  if (positionals.length > 0 || values.json !== true) return undefined;
  // Without --offline, only a cache fresh enough to be served as is (see below); --at then syncs.
  const offline = values.offline === true;
  if (!offline && values.at !== undefined) return undefined;
  const at = values.at === undefined ? undefined : new Date(values.at);
  if (at && Number.isNaN(at.getTime())) return undefined;
  if (values.timeout !== undefined && !((seconds(values.timeout) ?? 0) > 0)) return undefined;
  let maxAgeMs: number | undefined;
  if (values['max-age'] !== undefined) {
    const maxAge = seconds(values['max-age']);
    if (maxAge === undefined || maxAge < 0) return undefined;
    maxAgeMs = maxAge * 1000;
  }
  const now = at ?? new Date();

  const found = findConfig({ explicit: values.config });
  if (!found.file) return undefined;
  const record = readSnapshotConfig(snapshotConfigFileFor(found.file));
  if (!record || record.configFile !== found.file) return undefined;
  if (record.key !== snapshotConfigKey(found.file, record.envVars, process.env, record.zoneDependent ? systemTimeZone() : '')) return undefined;

  const read = readCacheSync(record.cacheFile);
  if (read.status !== 'ok') return undefined;
  const cache = read.cache;
  const cachedIds = new Set(cache.store.sources.map((source) => source.id));
  for (const backend of record.backends) {
    if (!cachedIds.has(backend.id) || (cache.sources[backend.id]?.fingerprint ?? null) !== backend.fingerprint) return undefined;
  }
  const store = CachedStoreView.fromCache(cache, new Set(record.backends.map((backend) => backend.id)));
  if (!store) return undefined;

  // This week's calendar as the full path computed it: no time-zone arithmetic, no ICU start-up.
  const calendar = weekTableCalendar(record.weekTable);
  const days = calendar.weekOf(Math.floor(now.getTime() / 1000), record.timezone, record.weekStart);
  const week = { from: new Date(days[0]!.start * 1000), to: new Date(days[6]!.end * 1000) };
  for (const { id } of record.backends) {
    const meta = { fingerprint: null, checkedAt: null, from: null, to: null, pollInterval: null, ...cache.sources[id] };
    const state = store.source(id)!;
    const fresh = sourceFreshness(meta, state, { now, range: week, maxAgeMs });
    if (!fresh.fresh && !offline) return undefined;
    if (!fresh.fresh && state.status !== 'error') {
      store.markStale(id, meta.checkedAt ?? state.lastSyncAt ?? cache.savedAt ?? now.toISOString());
    }
  }
  const snapshot: Snapshot = buildSnapshotWith(calendar, store, {
    now,
    timeZone: record.timezone,
    weekStart: record.weekStart,
    goals: record.goals,
    workdays: record.workdays,
    colors: record.colors,
  });
  const redactor = new Redactor().add(...record.secretVars.map((name) => process.env[name]).filter((value) => value !== undefined && value !== ''));
  const redact = (line: string) => redactor.redact(line);
  const stdout = `${redact(JSON.stringify(snapshot, null, 2))}\n`;
  const failed = snapshot.sources.filter((source) => source.status === 'error' || source.status === 'rate-limited');
  const code = failed.some((source) => source.error?.code === 'AUTH_REQUIRED') ? 4 : failed.length > 0 ? 3 : 0;
  const stderr = code === 0 ? '' : snapshot.sources.filter((source) => source.error).map((source) => `dash-cli: ${source.id}: ${redact(source.error!.message)}\n`).join('');
  return { stdout, stderr, code };
}
