import { DashError, isDashError } from 'dash-core';
import { buildSnapshot, DEFAULT_DEADLINES, preparePlugins, takeSyncTurn, type DashConfig, type Snapshot, type Store } from 'dash-core/host';
import type { ExitCode } from '../exit-codes.js';
import { parseAtOption, parseMaxAgeOption, parseTimeoutOption } from '../option-values.js';
import { PLUGIN_SOURCES } from '../plugin-sources.js';
import { cacheTarget, openCliSession, readConfig, type GlobalOptions } from '../setup.js';
import { snapshotJson, wantsPretty } from '../snapshot/json.js';
import { readCachedWeek } from '../snapshot/cached-week.js';
import { snapshotOutcome, type ReadNotes } from '../snapshot/outcome.js';
import { INTL_CALENDAR, saveConfigRecord } from '../snapshot/config-record.js';

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

function warn(line: string): void {
  process.stderr.write(`dash-cli: warning: ${line}\n`);
}

/**
 * Prints the snapshot as it is: data is never rewritten (no masking: it holds no secret, and an
 * error message in it was masked when the backend reported it). The summary makes every backend
 * string safe for a terminal itself; JSON keeps them exact, with every control character escaped.
 */
async function print(snapshot: Snapshot, options: SnapshotCommandOptions, notes: ReadNotes = {}): Promise<ExitCode> {
  process.stdout.write(
    options.render
      ? options.render(snapshot)
      : options.json
        ? snapshotJson(snapshot, { pretty: wantsPretty(options.pretty) })
        : `${await (await import('../snapshot/summary.js')).formatSummary(snapshot)}\n`,
  );
  // Errors go to stderr too, with or without --json: stdout may be read by a script or a pager.
  const { code, stderr } = snapshotOutcome(snapshot, notes);
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
  // The record the next read command takes instead of this config (saved once it is valid).
  const record = saveConfigRecord(loaded, target, at, { save: !options.demo && loaded.issues.length === 0 });
  // A config with problems is reported as usual (preparePlugins throws them all at once).
  if (loaded.issues.length > 0) await preparePlugins(loaded, PLUGIN_SOURCES);
  // The one read path: what the cache holds, if it is fresh enough (or --offline).
  const fromCache = (maxAge: number | undefined) => readCachedWeek(record, INTL_CALENDAR, { now: now(), maxAgeMs: maxAge, offline: options.offline === true });
  if (!options.refresh) {
    const week = fromCache(maxAgeMs);
    if (week.kind === 'served') return print(week.snapshot, options, week);
  }

  // Single flight across processes: while another process syncs this config's backends, wait
  // for it and print what it wrote to the cache (each wait is bounded by that sync's deadline).
  const started = Date.now();
  for (let round = 0; ; round++) {
    const turn = round < MAX_WAITS ? await takeSyncTurn(target.file, { holdMs: syncBudgetMs(timeoutMs) }) : undefined;
    if (turn?.kind === 'waited') {
      // With --refresh, only what that sync fetched after this command started will do.
      const week = fromCache(options.refresh ? Date.now() - started + 1000 : maxAgeMs);
      if (options.verbose) process.stderr.write(`dash-cli: waited ${turn.waitedMs} ms for another dash-cli's sync${week.kind === 'served' ? '; using its result' : ''}\n`);
      if (week.kind === 'served') return print(week.snapshot, options, week);
      continue;
    }
    try {
      return await syncAndPrint(options, loaded, now, timeoutMs, true);
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

async function syncAndPrint(options: SnapshotCommandOptions, loaded: ReturnType<typeof readConfig>, now: () => Date, timeoutMs: number, onCache = false): Promise<ExitCode> {
  // A plugin that never finishes disposing holds a one-shot command no longer than it may sync.
  const deadlines = { disposeMs: Math.min(DEFAULT_DEADLINES.disposeMs, timeoutMs), stopMs: Math.min(DEFAULT_DEADLINES.stopMs, timeoutMs) };
  const cache = { debounceMs: 60_000, markStale: false, saveRecord: false, onError: (error: unknown) => warn(isDashError(error) ? error.message : String(error)) };
  const session = await openCliSession({ ...options, now, loaded, deadlines, ...(onCache ? { cache } : {}) });
  if (session.cacheWarning) warn(session.cacheWarning);
  try {
    await session.host.syncOnce(session.host.currentWeek(), { timeoutMs });
    await session.cache?.close();
    for (const [source, count] of session.rejected) {
      warn(`${source}: skipped ${count} invalid entr${count === 1 ? 'y' : 'ies'} from the backend${options.verbose ? '' : ' (--verbose names them)'}`);
    }
    // Printed before the backends are disposed: what a plugin leaves behind cannot hold the output.
    const snapshot = snapshotOf(session.store, session.config, now());
    return await print(snapshot, options);
  } finally {
    await session.close();
  }
}
