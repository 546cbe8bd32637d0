import { DashError, fromEpochSeconds, isDashError, toEpochSeconds, type Backend, type BackendContext, type EntryInput, type ProjectInput, type SyncRequest } from 'dash-core';
import { blockId, blockToEntry, mergeCells, readDiary, type Block, type Cell, type RawDiary } from './cells.js';
import { inferClockIn, runningEntry } from './clock-in.js';
import { colorFor } from './color.js';
import { discoverContracts, type Contract } from './contracts.js';
import { readDesktopLog } from './desktop-log.js';
import { GraphQLClient, withDeadline } from './graphql.js';
import { configuredContracts, tokenFilePath, type UpworkOptions } from './options.js';
import { chunk, UTC_OFFSET_SECONDS, workDaysQuery, workDiaryQuery } from './queries.js';
import { TokenSession } from './session.js';
import { TokenFile } from './token-store.js';
import { utcDayOf, utcDaysCovering } from './utc-days.js';

/** Contracts change rarely: discover them again after this long. */
const CONTRACTS_TTL_MS = 6 * 3600_000;
/**
 * How long one `sync` (or `healthCheck`) may take, retries included. The host gives a one-shot
 * sync 20 s and then reports BACKEND_TIMEOUT, which hides the cause; giving up before that
 * leaves the real error (NETWORK, RATE_LIMITED, …) to show.
 */
export const DEFAULT_SYNC_DEADLINE_MS = 12_000;
/** A past day's diary is fetched again after this long (manual time can be added later); always < 24 h (Upwork ToS). */
const PAST_DAY_TTL_MS = 3600_000;

interface CachedDiary {
  cells: Cell[];
  fetchedAt: number;
}

export interface UpworkBackend extends Backend {
  /** For tests and --verbose: requests sent, refreshes done. */
  stats(): { requests: number; refreshes: number };
}

export function projectOf(contract: Contract): ProjectInput {
  return { key: contract.id, name: contract.title, client: contract.client, color: colorFor(contract.id) };
}

/** Test seams, not options: a shorter back-off, a shorter deadline. */
export interface UpworkOverrides {
  minBackoffMs?: number;
  /** A one-shot sync's time budget (default DEFAULT_SYNC_DEADLINE_MS). */
  deadlineMs?: number;
}

export function createUpworkBackend(options: UpworkOptions, context: BackendContext, overrides: UpworkOverrides = {}): UpworkBackend {
  const deadlineMs = overrides.deadlineMs ?? DEFAULT_SYNC_DEADLINE_MS;
  const tokenFile = new TokenFile(tokenFilePath(options, context));
  const session = new TokenSession(tokenFile, { tokenUrl: options.token_url, clientId: options.client_id, clientSecret: options.client_secret }, context);
  const client = new GraphQLClient({
    apiUrl: options.api_url,
    session,
    log: context.log,
    requestsPerSecond: options.requests_per_second,
    now: () => context.now().getTime(),
    ...(options.organization_id ? { organizationId: options.organization_id } : {}),
    ...(overrides.minBackoffMs !== undefined ? { minBackoffMs: overrides.minBackoffMs } : {}),
  });
  const diaries = new Map<string, CachedDiary>();
  let contracts: { list: Contract[]; at: number } | undefined;

  async function contractList(signal: AbortSignal): Promise<Contract[]> {
    const now = context.now().getTime();
    if (contracts && now - contracts.at < CONTRACTS_TTL_MS) return contracts.list;
    const list = await discoverContracts(client, configuredContracts(options), { now: context.now(), log: context.log, signal });
    contracts = { list, at: now };
    return list;
  }

  /** Which of `days` have tracked time, per contract (one aliased request per 10 contracts). */
  async function daysWithTime(list: Contract[], days: string[], signal: AbortSignal): Promise<Map<string, Set<string>> | undefined> {
    const found = new Map<string, Set<string>>();
    try {
      for (const batch of chunk(list)) {
        const variables = Object.fromEntries(
          batch.map((contract, index) => [
            `c${index}`,
            { contractIds: [contract.id], timeRange: { rangeStart: days[0], rangeEnd: days.at(-1) }, offsetInSeconds: UTC_OFFSET_SECONDS },
          ]),
        );
        const data = await client.query<Record<string, { workDays?: (string | null)[] | null } | null>>(workDaysQuery(batch.length), variables, signal);
        batch.forEach((contract, index) => {
          found.set(contract.id, new Set((data[`c${index}`]?.workDays ?? []).filter((day): day is string => typeof day === 'string').map((day) => day.replaceAll('-', ''))));
        });
      }
      return found;
    } catch (error) {
      if (signal.aborted || (isDashError(error) && error.code === 'AUTH_REQUIRED')) throw error;
      // workDays only saves requests: without it, fetch every day.
      context.log.debug(`workDays unavailable (${isDashError(error) ? error.code : String(error)}); fetching every day`);
      return undefined;
    }
  }

  async function fetchDiaries(pairs: { contract: string; day: string }[], signal: AbortSignal): Promise<void> {
    for (const batch of chunk(pairs)) {
      const variables = Object.fromEntries(batch.map((pair, index) => [`c${index}`, { contractId: pair.contract, date: pair.day, offsetInSeconds: UTC_OFFSET_SECONDS }]));
      const data = await client.query<Record<string, RawDiary | null>>(workDiaryQuery(batch.length), variables, signal);
      const fetchedAt = context.now().getTime();
      batch.forEach((pair, index) => {
        const parsed = readDiary(pair.contract, pair.day, data[`c${index}`]);
        if (parsed.unreadable > 0) {
          context.log.warn(`${parsed.unreadable} work-diary cell(s) of contract ${pair.contract} on ${pair.day} have a time that cannot be read; they are left out`);
        }
        if (parsed.forms.size > 0) context.log.debug(`diary ${pair.contract} ${pair.day}: ${parsed.cells.length} cells, cellDateTime read as ${[...parsed.forms].join('/')}`);
        diaries.set(`${pair.contract}|${pair.day}`, { cells: parsed.cells, fetchedAt });
      });
    }
  }

  async function sync(request: SyncRequest): Promise<void> {
    try {
      await syncRange({ ...request, signal: withDeadline(request.signal, deadlineMs) });
    } catch (error) {
      if (isDashError(error) && error.code === 'RATE_LIMITED') {
        const waitMs = (error as DashError & { retryAfterMs?: number }).retryAfterMs ?? 60_000;
        context.store.setStatus({
          status: 'rate-limited',
          until: new Date(context.now().getTime() + Math.max(waitMs, 1000)),
          error: { code: error.code, message: error.message },
        });
      }
      throw error;
    }
  }

  async function syncRange({ from, to, signal }: SyncRequest): Promise<void> {
    const now = context.now();
    const nowSeconds = Math.floor(now.getTime() / 1000);
    const today = utcDayOf(nowSeconds);
    const list = await contractList(signal);
    const days = utcDaysCovering(from, to).filter((day) => day <= today);
    if (days.length === 0) return; // a future week: nothing tracked yet
    // Keep the cache to the days asked for (and never older than 24 h).
    for (const [key, cached] of diaries) {
      if (!days.includes(key.split('|')[1]!) || now.getTime() - cached.fetchedAt > PAST_DAY_TTL_MS * 23) diaries.delete(key);
    }
    const stale = (contract: string, day: string) => {
      const cached = diaries.get(`${contract}|${day}`);
      if (!cached) return true;
      // Today and yesterday (a cell near midnight UTC) are always fetched again.
      if (day >= utcDayOf(nowSeconds - 86_400)) return true;
      return now.getTime() - cached.fetchedAt > PAST_DAY_TTL_MS;
    };
    const wanted = list.flatMap((contract) => days.filter((day) => stale(contract.id, day)).map((day) => ({ contract: contract.id, day })));
    // Ask workDays which days have time only when past days are wanted: it saves most diary requests.
    const recent = utcDayOf(nowSeconds - 86_400);
    let pairs = wanted;
    if (wanted.some((pair) => pair.day < recent)) {
      const withTime = await daysWithTime(list, days, signal);
      if (withTime) {
        pairs = wanted.filter((pair) => pair.day >= recent || withTime.get(pair.contract)?.has(pair.day));
        for (const pair of wanted) {
          if (!pairs.includes(pair)) diaries.set(`${pair.contract}|${pair.day}`, { cells: [], fetchedAt: now.getTime() });
        }
      }
    }
    if (pairs.length > 0) await fetchDiaries(pairs, signal);
    signal.throwIfAborted();

    const byId = new Map(list.map((contract) => [contract.id, contract]));
    // A cell cannot start in the future (it can look so with `snapshot --at` in the past, or a skewed clock).
    const cells = list
      .flatMap((contract) => days.flatMap((day) => diaries.get(`${contract.id}|${day}`)?.cells ?? []))
      .filter((cell) => cell.start <= nowSeconds + 60);
    const blocks = mergeCells(cells);
    const desktop =
      options.desktop_app_logs === false ? undefined : await readDesktopLog(options.desktop_app_logs, nowSeconds).catch(() => undefined);
    if (options.desktop_app_logs !== false) {
      context.log.debug(desktop ? `desktop app log ${desktop.file}: ${desktop.tracking ? 'tracking' : 'not tracking'}, last activity ${fromEpochSeconds(desktop.lastActivity)}` : 'no usable desktop app log found; using the work diary');
    }
    const clock = inferClockIn(blocks, nowSeconds, desktop);
    const closed: EntryInput[] = [];
    for (const block of blocks) {
      if (clock?.block && blockId(block) === blockId(clock.block)) continue;
      closed.push(blockToEntry(block, projectOf(byId.get(block.contractId)!)));
    }
    // The UTC days fetched reach beyond [from, to) when the week is local (New York, Kolkata):
    // blocks starting in the range replace what the store had there; a block from before it is
    // added only when it reaches into the range (a session across the week's start).
    const lo = Math.floor(from.getTime() / 1000);
    const hi = Math.ceil(to.getTime() / 1000);
    const startsIn = (entry: EntryInput) => toEpochSeconds(entry.start) >= lo && toEpochSeconds(entry.start) < hi;
    context.store.replaceRange({ from, to }, closed.filter(startsIn));
    context.store.upsert(closed.filter((entry) => toEpochSeconds(entry.start) < lo && entry.end !== null && toEpochSeconds(entry.end) > lo));
    if (clock) {
      const contract = clock.contractId ? byId.get(clock.contractId) : list.length === 1 ? list[0] : undefined;
      context.log.debug(
        `clocked in (signal: ${clock.signal}) on ${contract ? `contract ${contract.id}` : 'an unknown contract'} since ${fromEpochSeconds(clock.start)}`,
      );
      context.store.setRunning(runningEntry(clock, contract ? projectOf(contract) : null));
    } else {
      context.store.setRunning(null);
    }
    context.log.debug(`synced ${days.length} UTC days of ${list.length} contract(s): ${blocks.length} blocks, ${client.requests} requests so far`);
  }

  return {
    sync,
    async healthCheck(signal) {
      try {
        const list = await contractList(withDeadline(signal, deadlineMs));
        return { ok: true, message: `signed in; ${list.length} active contract(s)` };
      } catch (error) {
        const dash = isDashError(error) ? error : new DashError('BACKEND_FAILED', String(error));
        return { ok: false, code: dash.code, message: dash.message };
      }
    },
    stats: () => ({ requests: client.requests, refreshes: session.refreshCount }),
  };
}
