import { performance } from 'node:perf_hooks';
import type { Logger } from 'dash-core';
import pRetry, { AbortError } from 'p-retry';
import type { Agent } from 'undici';
import {
  apiError,
  authError,
  badResponse,
  describeNetworkError,
  networkError,
  planError,
  serverError,
  TogglRateLimitError,
  TransientError,
} from './errors.js';
import { DEFAULT_QUOTA_BLOCK_MS, parseQuotaHeaders, parseRetryAfter, THROTTLE_BLOCK_MS, type QuotaTracker } from './quota.js';
import type { Sleep } from './sleep.js';
import { USER_AGENT } from './version.js';

/** How hard to retry transient failures. Every retry costs quota, so the counts stay small. */
export interface RetryPolicy {
  /** Retries after a 429 (the leaky bucket). */
  throttledRetries: number;
  /** Retries after a 5xx, a network error or a timeout. */
  serverRetries: number;
  /** First delay; 429 waits 2×, 6× this (or Retry-After), 5xx/network 1×, 2× with ±50 % jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** [0, 1): the jitter source. */
  random: () => number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  throttledRetries: 2,
  serverRetries: 2,
  baseDelayMs: 1_000,
  maxDelayMs: 15_000,
  random: Math.random,
};

export interface ClientOptions {
  baseUrl: string;
  token: string;
  log: Logger;
  now: () => Date;
  sleep: Sleep;
  timeZone: string;
  quota: QuotaTracker;
  retry: RetryPolicy;
  /** Per attempt: headers and body must arrive within this. */
  timeoutMs: number;
  /** Called after every response that carried quota headers, and on every block. */
  onQuota?: () => void;
}

export interface TogglResult {
  body: unknown;
  /** The server's clock (the Date header, epoch ms), when it sent one. */
  serverTime: number | undefined;
}

type Query = Record<string, string | number | boolean | undefined>;

export interface GetOptions {
  /** Returned for a 404 instead of failing. */
  notFound?: unknown;
  /**
   * `performance.now()` by which the request must be settled, retries included (a one-shot
   * sync's budget): each attempt's timeout is cut to it, and a retry whose back-off would end
   * too close to it is not started; the last real error is reported instead.
   */
  deadline?: number;
}

/** An attempt gets at least this long, even when the deadline is nearer (or passed). */
export const MIN_ATTEMPT_MS = 1_000;

/** Resolves when `turn` settles, rejects as soon as `signal` aborts (a request waiting in the queue). */
function waitTurn(turn: Promise<unknown>, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(abortReason(signal));
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(abortReason(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    void turn.then(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
  });
}

function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('aborted');
}

/** The status-code rules of the reference (§1, §3.6), one attempt at a time. */
export class TogglClient {
  readonly #options: ClientOptions;
  /** Created with the first request: undici takes ~100 ms to load, the dashboard draws first. */
  #agent: Agent | undefined;
  readonly #authorization: string;
  #queue: Promise<unknown> = Promise.resolve();
  /** Requests sent (attempts, retries included). */
  sent = 0;

  constructor(options: ClientOptions) {
    this.#options = options;
    this.#authorization = `Basic ${Buffer.from(`${options.token}:api_token`).toString('base64')}`;
  }

  /** The Authorization header value (registered as a secret by the backend). */
  get authorization(): string {
    return this.#authorization;
  }

  /**
   * GET `path` (relative to api_url) and return the parsed JSON. Requests are serialised (Toggl's
   * leaky bucket allows ~1/s). `notFound` is returned for a 404 instead of failing.
   */
  get(path: string, query: Query, signal: AbortSignal, options: GetOptions = {}): Promise<TogglResult> {
    const turn = this.#queue;
    // Waiting for an earlier request (a poll in its back-off) ends when this one's signal aborts.
    const run = waitTurn(turn, signal).then(() => this.#withRetries(path, query, signal, options));
    // The next request waits for both: one that gave up in the queue does not let it jump ahead.
    this.#queue = Promise.allSettled([turn, run]).then(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    await this.#agent?.close().catch(() => undefined);
  }

  #delay(error: TransientError, retry: number): number {
    const { baseDelayMs, maxDelayMs, random } = this.#options.retry;
    const delay =
      error.kind === 'throttled'
        ? (error.retryAfterMs ?? baseDelayMs * 2 * 3 ** (retry - 1)) * (1 + 0.25 * random())
        : baseDelayMs * 2 ** (retry - 1) * (0.5 + random());
    return Math.round(Math.min(maxDelayMs, delay));
  }

  #retriesFor(error: unknown): number {
    if (!(error instanceof TransientError)) return 0;
    return error.kind === 'throttled' ? this.#options.retry.throttledRetries : this.#options.retry.serverRetries;
  }

  async #withRetries(path: string, query: Query, signal: AbortSignal, options: GetOptions): Promise<TogglResult> {
    const { retry, sleep, log } = this.#options;
    let attempts = 0;
    try {
      return await pRetry(() => (attempts++, this.#attempt(path, query, signal, options)), {
        retries: Math.max(retry.throttledRetries, retry.serverRetries),
        // Delays come from onFailedAttempt through the injectable sleep (fake clocks in tests).
        minTimeout: 0,
        maxTimeout: 0,
        signal,
        shouldRetry: ({ error, attemptNumber }) => attemptNumber <= this.#retriesFor(error),
        onFailedAttempt: async ({ error, attemptNumber }) => {
          if (!(error instanceof TransientError) || attemptNumber > this.#retriesFor(error)) return;
          const wait = this.#delay(error, attemptNumber);
          if (options.deadline !== undefined && performance.now() + wait + MIN_ATTEMPT_MS > options.deadline) {
            // Another attempt would end after the sync's deadline: report the real cause now,
            // rather than let the host time the whole sync out.
            log.debug(`${error.message}; no retry: it would not end within this sync's time budget`);
            throw error;
          }
          log.debug(`${error.message}; retry ${attemptNumber}/${this.#retriesFor(error)} in ${(wait / 1000).toFixed(1)}s`);
          await sleep(wait, signal);
        },
      });
    } catch (error) {
      if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('aborted');
      if (error instanceof TransientError) throw this.#giveUp(error, attempts);
      throw error;
    }
  }

  /** A transient failure that outlived its retries becomes a user-facing error. */
  #giveUp(error: TransientError, attempts: number): Error {
    const now = this.#options.now().getTime();
    if (error.kind === 'throttled') {
      const until = now + Math.max(THROTTLE_BLOCK_MS, error.retryAfterMs ?? 0);
      this.#options.quota.block(until, 'throttled');
      this.#options.onQuota?.();
      return new TogglRateLimitError(new Date(until), 'throttled', this.#options.timeZone);
    }
    return error.kind === 'server' ? serverError(error.status ?? 500, attempts) : networkError(error, attempts);
  }

  #url(path: string, query: Query): URL {
    const url = new URL(`${this.#options.baseUrl}${path}`);
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    return url;
  }

  async #attempt(path: string, query: Query, signal: AbortSignal, options: GetOptions): Promise<TogglResult> {
    const { quota, now, log, timeZone } = this.#options;
    const timeoutMs =
      options.deadline === undefined
        ? this.#options.timeoutMs
        : Math.round(Math.min(this.#options.timeoutMs, Math.max(MIN_ATTEMPT_MS, options.deadline - performance.now())));
    const blocked = quota.blockedAt(now().getTime());
    if (blocked) throw new AbortError(new TogglRateLimitError(new Date(blocked.until), blocked.reason, timeZone));
    signal.throwIfAborted();

    const url = this.#url(path, query);
    // Relative to api_url (which may carry credentials in its userinfo), query decoded for reading.
    const shown = `GET ${path}${url.search ? `?${decodeURIComponent(url.search.slice(1))}` : ''}`;
    const started = performance.now();
    let status: number;
    let headers: Record<string, string | string[] | undefined>;
    let text: string;
    try {
      this.sent++;
      const { Agent, request } = await import('undici');
      this.#agent ??= new Agent({ keepAliveTimeout: 4_000, connections: 2 });
      const response = await request(url, {
        method: 'GET',
        headers: {
          authorization: this.#authorization,
          'user-agent': USER_AGENT,
          accept: 'application/json',
          'content-type': 'application/json',
        },
        dispatcher: this.#agent,
        signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      status = response.statusCode;
      headers = response.headers;
      text = await response.body.text();
    } catch (error) {
      if (signal.aborted) throw new AbortError(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      const took = Math.round(performance.now() - started);
      const reason = describeNetworkError(error, timeoutMs);
      log.debug(`${shown} → ${reason} (${took} ms)`);
      throw new TransientError('network', `could not reach Toggl at ${url.host}: ${reason}`, { cause: error });
    }

    const at = now().getTime();
    const observed = parseQuotaHeaders(headers, at);
    if (observed) {
      quota.observe(observed);
      this.#options.onQuota?.();
    }
    const dateHeader = typeof headers.date === 'string' ? Date.parse(headers.date) : Number.NaN;
    const took = Math.round(performance.now() - started);
    log.debug(
      `${shown} → ${status} (${took} ms${observed ? `, quota ${observed.remaining} left, resets in ${Math.round((observed.resetsAt - at) / 1000)}s` : ''})`,
    );

    if (status === 404 && 'notFound' in options) return { body: options.notFound, serverTime: undefined };
    if (status === 401 || status === 403) throw new AbortError(authError(status));
    if (status === 402) {
      if (observed && observed.remaining > 0) throw new AbortError(planError(observed.remaining));
      const until = observed && observed.resetsAt > at ? observed.resetsAt : (quota.resetsAt(at) ?? at + DEFAULT_QUOTA_BLOCK_MS);
      quota.block(until, 'quota');
      this.#options.onQuota?.();
      throw new AbortError(new TogglRateLimitError(new Date(until), 'quota', timeZone));
    }
    if (status === 429) {
      throw new TransientError('throttled', `Toggl is throttling requests (HTTP 429)`, {
        status,
        retryAfterMs: parseRetryAfter(headers, at),
      });
    }
    if (status >= 500) throw new TransientError('server', `Toggl answered HTTP ${status}`, { status });
    if (status < 200 || status >= 300) {
      throw new AbortError(apiError(status, text));
    }
    try {
      return { body: JSON.parse(text), serverTime: Number.isNaN(dateHeader) ? undefined : dateHeader };
    } catch {
      throw new AbortError(badResponse('a response', `${path} did not return JSON`));
    }
  }
}
