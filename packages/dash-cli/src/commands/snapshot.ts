import {
  attachCache,
  buildSnapshot,
  DashError,
  DEFAULT_DEADLINES,
  isDashError,
  loadCache,
  normalizePluginName,
  sourceFreshness,
  takeSyncTurn,
  weekOf,
  type DashConfig,
  type LoadedCache,
  type Snapshot,
  type Store,
} from 'dash-core';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { parseAtOption, parseMaxAgeOption, parseTimeoutOption } from '../option-values.js';
import { cacheTarget, openSession, prepareConfig, readConfig, type GlobalOptions } from '../setup.js';
import { snapshotJson, wantsPretty } from '../snapshot-json.js';
import { snapshotOutcome } from '../snapshot-outcome.js';
import { saveSnapshotRecord } from '../snapshot-record.js';

export interface SnapshotCommandOptions extends GlobalOptions {
  json?: boolean;
  /** Indent the JSON even when stdout is not a terminal. */
  pretty?: boolean;
  at?: string;
  timeout?: string;
  /** Reuse cached data younger than this (default: each backend's poll interval, at least 60 s). */
  maxAge?: string;
  /** Never sync: show the cache as it is. */
  offline?: boolean;
  /** Sync every backend, however fresh the cache. */
  refresh?: boolean;
  /** What to print for the snapshot instead of the summary or the JSON (`dash-cli status`'s line). */
  render?: (snapshot: Snapshot) => string;
}

function currentWeek(now: Date, config: DashConfig): { from: Date; to: Date } {
  const days = weekOf(Math.floor(now.getTime() / 1000), config.timezone, config.weekStart);
  return { from: new Date(days[0]!.start * 1000), to: new Date(days[6]!.end * 1000) };
}

function warn(line: string): void {
  process.stderr.write(`dash-cli: warning: ${line}\n`);
}

/**
 * Prints the snapshot as it is: data is never rewritten (no masking: it holds no secret, and an
 * error message in it was masked when the backend reported it). The summary makes every backend
 * string safe for a terminal itself; JSON keeps them exact, with every control character escaped.
 */
async function print(snapshot: Snapshot, options: SnapshotCommandOptions): Promise<ExitCode> {
  process.stdout.write(
    options.render
      ? options.render(snapshot)
      : options.json
        ? snapshotJson(snapshot, { pretty: wantsPretty(options.pretty) })
        : `${(await import('../summary.js')).formatSummary(snapshot)}\n`,
  );
  // Errors go to stderr too, with or without --json: stdout may be read by a script or a pager.
  const { code, stderr } = snapshotOutcome(snapshot);
  process.stderr.write(stderr);
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
  const at = parseAtOption(options.at);
  const timeoutMs = parseTimeoutOption(options.timeout, 20_000);
  const maxAgeMs = parseMaxAgeOption(options.maxAge);
  if (options.offline && options.refresh) {
    throw new DashError('USAGE', '--offline and --refresh contradict each other', { hint: 'use one of them' });
  }
  const now = () => at ?? new Date();
  const loaded = readConfig(options);
  const { config } = loaded;
  const useCache = at === undefined || options.offline === true;
  if (!useCache) return syncAndPrint(options, loaded, now, timeoutMs);

  const target = cacheTarget(options, config);
  let cached = loadCache(target.file, { fingerprints: target.fingerprints });
  if (!options.demo && loaded.issues.length === 0 && config.file !== undefined) saveSnapshotRecord(loaded, target, at);
  if (cached.warning) warn(cached.warning);
  const week = currentWeek(now(), config);
  const freshnessOf = (from: LoadedCache) =>
    new Map(
      config.backends.map((backend) => [
        backend.id,
        sourceFreshness(from.sources[backend.id], from.store.source(backend.id), { now: now(), range: week, maxAgeMs }),
      ]),
    );
  let freshness = freshnessOf(cached);
  const allFresh = [...freshness.values()].every((item) => item.fresh);
  // A config with problems is reported as usual (prepareConfig throws them all at once).
  if (loaded.issues.length > 0) await prepareConfig(loaded);

  if (options.offline || (allFresh && !options.refresh)) return printCached(options, config, cached, freshness, now);

  // Single flight across processes: while another process syncs this config's backends, wait
  // for it and print what it wrote to the cache (each wait is bounded by that sync's deadline).
  const started = Date.now();
  const syncedSinceStart = (from: LoadedCache) =>
    config.backends.every((backend) => Date.parse(from.sources[backend.id]?.checkedAt ?? '') >= started - 1000);
  for (let round = 0; ; round++) {
    const turn = round < MAX_WAITS ? await takeSyncTurn(target.file, { holdMs: syncBudgetMs(timeoutMs) }) : undefined;
    if (turn?.kind === 'waited') {
      cached = loadCache(target.file, { fingerprints: target.fingerprints });
      freshness = freshnessOf(cached);
      const served = options.refresh ? syncedSinceStart(cached) : [...freshness.values()].every((item) => item.fresh);
      if (options.verbose) process.stderr.write(`dash-cli: waited ${turn.waitedMs} ms for another dash-cli's sync${served ? '; using its result' : ''}\n`);
      if (served) return printCached(options, config, cached, freshness, now);
      continue;
    }
    try {
      return await syncAndPrint(options, loaded, now, timeoutMs, { cached, ...target, week });
    } finally {
      turn?.lock.release();
    }
  }
}

/** A process that waited for others' syncs this many times syncs on its own. */
const MAX_WAITS = 3;

/** How long a sync may hold the lock: creating the backends and syncing, each within --timeout. */
function syncBudgetMs(timeoutMs: number): number {
  return 2 * timeoutMs + 5_000;
}

/** Served from the cache: no plugin is loaded, nothing touches the network. */
async function printCached(
  options: SnapshotCommandOptions,
  config: DashConfig,
  cached: LoadedCache,
  freshness: Map<string, { fresh: boolean }>,
  now: () => Date,
): Promise<ExitCode> {
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
  const code = await print(snapshot, options);
  if (missing.length > 0) {
    process.stderr.write(
      `dash-cli: no cached data for ${missing.join(', ')} yet (--offline never syncs); run \`dash-cli snapshot\` once without --offline\n`,
    );
    return code === EXIT.ok ? EXIT.partial : code;
  }
  return code;
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
    for (const [source, count] of session.rejected) {
      warn(`${source}: skipped ${count} invalid entr${count === 1 ? 'y' : 'ies'} from the backend${options.verbose ? '' : ' (--verbose names them)'}`);
    }
    // Printed before the backends are disposed: what a plugin leaves behind cannot hold the output.
    const snapshot = snapshotOf(session.store, session.config, now());
    return await print(snapshot, options);
  } finally {
    await session.host.stop();
  }
}
