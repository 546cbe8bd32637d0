import {
  attachCache,
  buildSnapshot,
  DashError,
  DEFAULT_DEADLINES,
  isDashError,
  loadCache,
  normalizePluginName,
  parseDuration,
  Redactor,
  sourceFreshness,
  weekOf,
  type DashConfig,
  type LoadedCache,
  type Snapshot,
  type Store,
} from 'dash-core';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { cacheTarget, openSession, prepareConfig, readConfig, type GlobalOptions } from '../setup.js';
import { saveSnapshotRecord } from '../snapshot-record.js';
import { formatSummary } from '../summary.js';

export interface SnapshotCommandOptions extends GlobalOptions {
  json?: boolean;
  at?: string;
  timeout?: string;
  /** Reuse cached data younger than this (default: each backend's poll interval, at least 60 s). */
  maxAge?: string;
  /** Never sync: show the cache as it is. */
  offline?: boolean;
  /** Sync every backend, however fresh the cache. */
  refresh?: boolean;
}

/** Exit status for a snapshot: 4 when a backend needs sign-in, 3 when one failed, else 0. */
export function snapshotExitCode(snapshot: Snapshot): ExitCode {
  const failed = snapshot.sources.filter((source) => source.status === 'error' || source.status === 'rate-limited');
  if (failed.some((source) => source.error?.code === 'AUTH_REQUIRED')) return EXIT.auth;
  return failed.length > 0 ? EXIT.partial : EXIT.ok;
}

function parseAt(at: string | undefined): Date | undefined {
  if (at === undefined) return undefined;
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) {
    throw new DashError('USAGE', `--at "${at}" is not a date-time`, { hint: 'use ISO 8601, e.g. --at 2026-11-20T15:30:00Z' });
  }
  return date;
}

function parseSeconds(value: string): number | undefined {
  return parseDuration(value) ?? (/^\d+$/.test(value) ? Number(value) : undefined);
}

function parseTimeout(timeout: string | undefined): number {
  if (timeout === undefined) return 20_000;
  const seconds = parseSeconds(timeout);
  if (seconds === undefined || seconds <= 0) {
    throw new DashError('USAGE', `--timeout "${timeout}" is not a duration`, { hint: 'e.g. --timeout 30s' });
  }
  return seconds * 1000;
}

function parseMaxAge(maxAge: string | undefined): number | undefined {
  if (maxAge === undefined) return undefined;
  const seconds = parseSeconds(maxAge);
  if (seconds === undefined || seconds < 0) {
    throw new DashError('USAGE', `--max-age "${maxAge}" is not a duration`, { hint: 'e.g. --max-age 2m (0 always syncs)' });
  }
  return seconds * 1000;
}

function currentWeek(now: Date, config: DashConfig): { from: Date; to: Date } {
  const days = weekOf(Math.floor(now.getTime() / 1000), config.timezone, config.weekStart);
  return { from: new Date(days[0]!.start * 1000), to: new Date(days[6]!.end * 1000) };
}

function warn(line: string): void {
  process.stderr.write(`dash-cli: warning: ${line}\n`);
}

function print(snapshot: Snapshot, options: SnapshotCommandOptions, redact: (text: string) => string): ExitCode {
  const text = options.json ? JSON.stringify(snapshot, null, 2) : formatSummary(snapshot);
  process.stdout.write(`${redact(text)}\n`);
  const code = snapshotExitCode(snapshot);
  if (code !== EXIT.ok && options.json) {
    for (const source of snapshot.sources.filter((item) => item.error)) {
      process.stderr.write(`dash-cli: ${source.id}: ${redact(source.error!.message)}\n`);
    }
  }
  return code;
}

function snapshotOf(store: Store, config: DashConfig, now: Date): Snapshot {
  return buildSnapshot(store, {
    now,
    timeZone: config.timezone,
    weekStart: config.weekStart,
    goals: config.goals,
    workdays: config.workdays,
    colors: config.colors,
  });
}

/**
 * `dash-cli snapshot`: print the week, from the cache when it is fresh enough, else after
 * syncing every backend once (and saving the result to the cache).
 *
 * - `--offline` never creates a backend: the cache as it is, sources older than the max age
 *   marked stale; a backend with nothing cached yet makes the exit code 3.
 * - `--refresh` syncs whatever the cache holds; `--max-age 0` is the same.
 * - `--at` computes another instant's snapshot: it syncs that week and neither reads nor writes
 *   the cache (with `--offline`, it computes from the cached entries instead).
 */
export async function runSnapshot(options: SnapshotCommandOptions): Promise<ExitCode> {
  const at = parseAt(options.at);
  const timeoutMs = parseTimeout(options.timeout);
  const maxAgeMs = parseMaxAge(options.maxAge);
  if (options.offline && options.refresh) {
    throw new DashError('USAGE', '--offline and --refresh contradict each other', { hint: 'use one of them' });
  }
  const now = () => at ?? new Date();
  const loaded = readConfig(options);
  const { config } = loaded;
  const useCache = at === undefined || options.offline === true;
  if (!useCache) return syncAndPrint(options, loaded, now, timeoutMs);

  const target = cacheTarget(options, config);
  const cached = loadCache(target.file, { fingerprints: target.fingerprints });
  if (!options.demo && loaded.issues.length === 0 && config.file !== undefined) saveSnapshotRecord(loaded, target, at);
  if (cached.warning) warn(cached.warning);
  const week = currentWeek(now(), config);
  const freshness = new Map(
    config.backends.map((backend) => [
      backend.id,
      sourceFreshness(cached.sources[backend.id], cached.store.source(backend.id), { now: now(), range: week, maxAgeMs }),
    ]),
  );
  const allFresh = [...freshness.values()].every((item) => item.fresh);
  // A config with problems is reported as usual (prepareConfig throws them all at once).
  if (loaded.issues.length > 0) await prepareConfig(loaded);

  if (options.offline || (allFresh && !options.refresh)) {
    // Served from the cache: no plugin is loaded, nothing touches the network.
    const redactor = new Redactor().add(...config.secrets);
    const redact = (text: string) => redactor.redact(text);
    const missing: string[] = [];
    for (const backend of config.backends) {
      const state = cached.store.source(backend.id);
      const fresh = freshness.get(backend.id)!;
      if (!state) {
        const name = normalizePluginName(backend.plugin);
        cached.store.addSource(backend.id, name.kind === 'package' ? name.specifier : backend.plugin);
        missing.push(backend.id);
      } else if (!fresh.fresh && state.status !== 'error') {
        const since = cached.sources[backend.id]?.checkedAt ?? state.lastSyncAt ?? cached.savedAt ?? now().toISOString();
        cached.store.handle(backend.id).setStatus({ status: 'stale', since });
      }
    }
    const snapshot = snapshotOf(cached.store, config, now());
    const code = print(snapshot, options, redact);
    if (missing.length > 0) {
      process.stderr.write(
        `dash-cli: no cached data for ${missing.join(', ')} yet (--offline never syncs); run \`dash-cli snapshot\` once without --offline\n`,
      );
      return code === EXIT.ok ? EXIT.partial : code;
    }
    return code;
  }
  return syncAndPrint(options, loaded, now, timeoutMs, { cached, ...target, week });
}

async function syncAndPrint(
  options: SnapshotCommandOptions,
  loaded: ReturnType<typeof readConfig>,
  now: () => Date,
  timeoutMs: number,
  cache?: { cached: LoadedCache; file: string; fingerprints: Record<string, string>; week: { from: Date; to: Date } },
): Promise<ExitCode> {
  // A plugin that never finishes disposing holds a one-shot command no longer than it may sync.
  const deadlines = { disposeMs: Math.min(DEFAULT_DEADLINES.disposeMs, timeoutMs), stopMs: Math.min(DEFAULT_DEADLINES.stopMs, timeoutMs) };
  const session = await openSession({ ...options, now, loaded, deadlines, ...(cache ? { store: cache.cached.store } : {}) });
  const pollIntervals = Object.fromEntries(session.backends.map((backend) => [backend.config.id, backend.plugin.pollInterval]));
  const handle = cache
    ? attachCache(session.store, cache.file, {
        fingerprints: cache.fingerprints,
        pollIntervals,
        range: () => cache.week,
        restored: cache.cached,
        debounceMs: 60_000,
        onError: (error) => warn(isDashError(error) ? error.message : String(error)),
      })
    : undefined;
  try {
    await session.host.syncOnce(cache?.week ?? session.host.currentWeek(), { timeoutMs });
    await handle?.close();
    // Printed before the backends are disposed: what a plugin leaves behind cannot hold the output.
    const snapshot = snapshotOf(session.store, session.config, now());
    return print(snapshot, options, (text) => session.redactor.redact(text));
  } finally {
    await session.host.stop();
  }
}
