import { performance } from 'node:perf_hooks';
import {
  fromEpochSeconds,
  isDashError,
  toEpochSeconds,
  type EntryInput,
  type Backend,
  type BackendContext,
  type HealthResult,
  type RunControl,
  type SyncRequest,
} from 'dash-core';
import { accountFingerprint, addRange, covers, cursorScope, loadCursor, type TogglCursor } from './cursor.js';
import { badResponse, TogglRateLimitError } from './errors.js';
import { DEFAULT_RETRY, TogglClient, type RetryPolicy } from './http.js';
import { isDeleted, isRunning, toEntryInput } from './mapping.js';
import type { TogglOptions } from './options.js';
import { QuotaTracker } from './quota.js';
import { realSleep, type Sleep } from './sleep.js';
import { TogglCurrentSchema, TogglMeSchema, TogglTimeEntryListSchema, type TogglTimeEntry } from './toggl-schema.js';

/** Test seams: a fake clock's sleep, fast retries, short timeouts. Not part of the plugin's options. */
export interface BackendInternals {
  sleep?: Sleep;
  retry?: Partial<RetryPolicy>;
  /** Per request attempt (default 15 s). */
  timeoutMs?: number;
  /** A one-shot `sync` (or `healthCheck`), retries included (default 12 s). */
  deadlineMs?: number;
}

/** A week view fetches from a day early: an entry started the evening before may cross into it. */
const LOOKBACK_SECONDS = 86_400;
/** `since` overlaps the previous poll by this much (clock skew, Toggl's 2–5 s eventual consistency). */
const SINCE_OVERLAP_SECONDS = 60;
/** An older cursor (a stale cache) is not trusted for `since`: fetch the range in full instead. */
const SINCE_MAX_AGE_SECONDS = 7 * 86_400;
/**
 * How long one `sync` call may take, retries included. The host gives a one-shot sync 20 s and
 * then reports BACKEND_TIMEOUT, which hides the cause; giving up before that (plus at most one
 * MIN_ATTEMPT_MS over) leaves the real error (NETWORK, SERVER_ERROR) to show. `run()` polls
 * without a deadline: its next poll is the retry.
 */
export const DEFAULT_SYNC_DEADLINE_MS = 12_000;
/** Back-off cap after repeated failures. */
const MAX_FAILURE_DELAY_MS = 30 * 60_000;

type Ms = number;

function zodDetail(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): string {
  const issue = error.issues[0];
  if (!issue) return 'unexpected shape';
  const path = issue.path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('');
  return `${path.replace(/^\./, '') || 'body'}: ${issue.message}`;
}

/**
 * The Toggl backend: one `GET /me/time_entries?start_date&end_date&meta=true` for a range, then
 * `?since=` for edits and deletions; the running entry is the one with a negative duration.
 */
export class TogglBackend implements Backend {
  readonly #options: TogglOptions;
  readonly #context: BackendContext;
  readonly #client: TogglClient;
  readonly #quota: QuotaTracker;
  readonly #sleep: Sleep;
  readonly #deadlineMs: number;
  #cursor: TogglCursor;

  constructor(options: TogglOptions, context: BackendContext, internals: BackendInternals = {}) {
    this.#options = options;
    this.#context = context;
    this.#sleep = internals.sleep ?? realSleep;
    this.#deadlineMs = internals.deadlineMs ?? DEFAULT_SYNC_DEADLINE_MS;
    const scope = cursorScope(options.api_url, options.workspace_id);
    this.#cursor = loadCursor(context.store.getCursor(), scope, accountFingerprint(context.fingerprint, options.api_url, options.api_token));
    this.#quota = new QuotaTracker(this.#cursor.quota, context.now().getTime());
    this.#client = new TogglClient({
      baseUrl: options.api_url,
      token: options.api_token,
      log: context.log,
      now: () => context.now(),
      sleep: this.#sleep,
      timeZone: context.timeZone,
      quota: this.#quota,
      retry: { ...DEFAULT_RETRY, ...internals.retry },
      timeoutMs: internals.timeoutMs ?? 15_000,
      onQuota: () => this.#save(),
    });
    context.secret(options.api_token);
    context.secret(this.#client.authorization.slice('Basic '.length));
  }

  /** Requests sent so far (attempts and retries). */
  get requestsSent(): number {
    return this.#client.sent;
  }

  async sync({ from, to, signal }: SyncRequest): Promise<void> {
    try {
      await this.#refresh(from, to, signal, performance.now() + this.#deadlineMs);
    } catch (error) {
      if (!signal.aborted) this.#report(error);
      throw error;
    }
  }

  async run({ signal, range }: RunControl): Promise<void> {
    const floor: Ms = this.#options.poll_interval * 1000;
    let failures = 0;
    while (!signal.aborted) {
      const now = this.#now();
      const blocked = this.#quota.blockedAt(now);
      if (blocked) {
        this.#report(new TogglRateLimitError(new Date(blocked.until), blocked.reason, this.#context.timeZone));
        await this.#sleep(blocked.until - now, signal);
        continue;
      }
      let delay: Ms;
      try {
        const { from, to } = range();
        await this.#refresh(from, to, signal);
        failures = 0;
        delay = this.#quota.nextDelay(this.#now(), floor);
      } catch (error) {
        if (signal.aborted) break;
        this.#report(error);
        if (error instanceof TogglRateLimitError) continue;
        if (isDashError(error) && (error.code === 'AUTH_REQUIRED' || error.code === 'PLAN_REQUIRED')) {
          // Retrying cannot fix a rejected token and would only burn quota: wait for a restart
          // or an explicit "sync now" (which calls sync()).
          this.#context.log.debug(`stopped polling until restarted: ${error.code}`);
          await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
          break;
        }
        failures++;
        delay = Math.max(this.#quota.nextDelay(this.#now(), floor), Math.min(floor * 2 ** (failures - 1), MAX_FAILURE_DELAY_MS));
      }
      this.#context.log.debug(`next poll in ${Math.round(delay / 1000)}s`);
      await this.#sleep(delay, signal);
    }
  }

  async healthCheck(signal: AbortSignal): Promise<HealthResult> {
    try {
      const { body } = await this.#client.get('/me', {}, signal, { deadline: performance.now() + this.#deadlineMs });
      const me = TogglMeSchema.safeParse(body);
      if (!me.success) throw badResponse('a user profile', zodDetail(me.error));
      const last = this.#quota.state.last;
      const quota = last
        ? `; ${last.remaining} requests left this hour, window resets in ${Math.max(0, Math.round((last.resetsAt - this.#now()) / 60_000))} min`
        : '';
      return { ok: true, message: `signed in as ${me.data.fullname || `user ${me.data.id}`}${quota}` };
    } catch (error) {
      const { code, message } = this.#describe(error);
      // A rejected token is fixed in Toggl's profile page, not by a sign-in step.
      const hint = isDashError(error) ? error.hint : undefined;
      return { ok: false, code, message, ...(hint ? { hint } : {}) };
    }
  }

  async dispose(): Promise<void> {
    this.#save();
    await this.#client.close();
  }

  #now(): Ms {
    return this.#context.now().getTime();
  }

  #save(): void {
    this.#cursor.quota = this.#quota.state;
    this.#context.store.setCursor(structuredClone(this.#cursor));
  }

  #inScope(entry: TogglTimeEntry): boolean {
    return this.#options.workspace_id === undefined || entry.workspace_id === this.#options.workspace_id;
  }

  #inFetchedRanges(entry: TogglTimeEntry): boolean {
    const { start, end } = toEntryInput(entry);
    const lo = toEpochSeconds(start);
    const hi = end === null ? Number.POSITIVE_INFINITY : Math.max(lo + 1, toEpochSeconds(end));
    return this.#cursor.ranges.some(([from, to]) => lo < to && hi > from);
  }

  #describe(error: unknown): { code: string; message: string } {
    if (isDashError(error)) return { code: error.code, message: error.message };
    return { code: 'BACKEND_FAILED', message: error instanceof Error ? error.message : String(error) };
  }

  #report(error: unknown): void {
    const store = this.#context.store;
    if (error instanceof TogglRateLimitError) {
      store.setStatus({ status: 'rate-limited', until: error.until, error: { code: error.code, message: error.message } });
    } else {
      store.setStatus({ status: 'error', error: this.#describe(error) });
    }
  }

  /** `deadline` (performance.now()) bounds a one-shot sync; run() polls without one. */
  async #refresh(fromDate: Date, toDate: Date, signal: AbortSignal, deadline?: number): Promise<void> {
    const blocked = this.#quota.blockedAt(this.#now());
    if (blocked) throw new TogglRateLimitError(new Date(blocked.until), blocked.reason, this.#context.timeZone);
    const nowSeconds = Math.floor(this.#now() / 1000);
    const from = Math.floor(fromDate.getTime() / 1000);
    const to = Math.ceil(toDate.getTime() / 1000);
    const { since, ranges } = this.#cursor;
    if (since !== null && nowSeconds - since < SINCE_MAX_AGE_SECONDS && covers(ranges, from, to)) {
      await this.#incremental(since, signal, deadline);
    } else {
      await this.#full(from, to, nowSeconds >= from && nowSeconds < to, signal, deadline);
    }
    this.#save();
    this.#context.store.markSynced(this.#context.now());
  }

  #parseList(body: unknown): TogglTimeEntry[] {
    const parsed = TogglTimeEntryListSchema.safeParse(body);
    if (!parsed.success) throw badResponse('a time entry list', zodDetail(parsed.error));
    return parsed.data;
  }

  #sinceFrom(startedAt: Ms, serverTime: Ms | undefined): number {
    // The server's clock when it sent one (skew-proof), else ours from before the request.
    const reference = serverTime !== undefined ? Math.min(serverTime, startedAt + 60_000) : startedAt;
    return Math.floor(reference / 1000) - SINCE_OVERLAP_SECONDS;
  }

  /** The whole range: replaces what the store has for it. */
  async #full(rangeFrom: number, to: number, containsNow: boolean, signal: AbortSignal, deadline: number | undefined): Promise<void> {
    const startedAt = this.#now();
    const from = rangeFrom - LOOKBACK_SECONDS;
    const result = await this.#client.get(
      '/me/time_entries',
      { start_date: fromEpochSeconds(from), end_date: fromEpochSeconds(to), meta: true },
      signal,
      { deadline },
    );
    const list = this.#parseList(result.body).filter((entry) => !isDeleted(entry) && this.#inScope(entry));
    const running = list.filter(isRunning).sort((a, b) => Date.parse(b.start) - Date.parse(a.start));
    const store = this.#context.store;
    const finished = list.filter((entry) => !isRunning(entry)).map(toEntryInput);
    // Entries starting in [rangeFrom, to) replace what the store had there; those from the
    // look-back day are added only when they reach into the range (crossing midnight).
    // An entry whose start is no instant goes to the store too, which rejects (and counts) it.
    const startsIn = (entry: EntryInput) => !(toEpochSeconds(entry.start) < rangeFrom);
    store.replaceRange({ from: new Date(rangeFrom * 1000), to: new Date(to * 1000) }, finished.filter(startsIn));
    store.upsert(finished.filter((entry) => !startsIn(entry) && entry.end !== null && toEpochSeconds(entry.end) > rangeFrom));

    if (running[0]) {
      this.#setRunning(running[0]);
    } else if (containsNow) {
      if (this.#cursor.since === null) {
        // Nothing running in the list, and no `since` history: the timer may have started before
        // the range (a timer left on over the weekend). One request settles it.
        await this.#current(signal, deadline);
      } else if (this.#cursor.runningId !== null) {
        const id = this.#cursor.runningId;
        if (!store.entries().some((entry) => entry.id === id && entry.end === null)) this.#setRunning(null);
      }
    }
    this.#cursor.ranges = addRange(this.#cursor.ranges, rangeFrom, to);
    if (this.#cursor.since === null) this.#cursor.since = this.#sinceFrom(startedAt, result.serverTime);
  }

  async #current(signal: AbortSignal, deadline: number | undefined): Promise<void> {
    const { body } = await this.#client.get('/me/time_entries/current', {}, signal, { notFound: null, deadline });
    const parsed = TogglCurrentSchema.safeParse(body);
    if (!parsed.success) throw badResponse('a running entry', zodDetail(parsed.error));
    const entry = parsed.data;
    this.#setRunning(entry && isRunning(entry) && !isDeleted(entry) && this.#inScope(entry) ? entry : null);
  }

  #setRunning(entry: TogglTimeEntry | null): void {
    this.#context.store.setRunning(entry ? toEntryInput(entry) : null);
    this.#cursor.runningId = entry ? String(entry.id) : null;
  }

  /** What changed since the last poll: edits, new entries, stops and deletions. */
  async #incremental(since: number, signal: AbortSignal, deadline: number | undefined): Promise<void> {
    const startedAt = this.#now();
    const result = await this.#client.get('/me/time_entries', { since, meta: true }, signal, { deadline });
    const list = this.#parseList(result.body);
    const store = this.#context.store;
    const removed: string[] = [];
    const running: TogglTimeEntry[] = [];
    const finished: TogglTimeEntry[] = [];
    for (const entry of list) {
      const id = String(entry.id);
      // An entry edited into a period never fetched is dropped: paging there fetches it in full.
      const gone = isDeleted(entry) || !this.#inScope(entry) || (!isRunning(entry) && !this.#inFetchedRanges(entry));
      if ((gone || !isRunning(entry)) && id === this.#cursor.runningId) this.#setRunning(null);
      if (gone) removed.push(id);
      else if (isRunning(entry)) running.push(entry);
      else finished.push(entry);
    }
    store.remove(removed);
    store.upsert(finished.map(toEntryInput));
    running.sort((a, b) => Date.parse(b.start) - Date.parse(a.start));
    if (running[0]) this.#setRunning(running[0]);
    this.#cursor.since = this.#sinceFrom(startedAt, result.serverTime);
    this.#context.log.debug(
      `since ${fromEpochSeconds(since)}: ${finished.length + running.length} changed, ${removed.length} deleted`,
    );
  }
}

/** The factory the plugin uses; tests pass `internals` (fake clock sleep, fast retries). */
export function createTogglBackend(options: TogglOptions, context: BackendContext, internals?: BackendInternals): TogglBackend {
  return new TogglBackend(options, context, internals);
}
