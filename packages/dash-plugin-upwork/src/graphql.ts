import { performance } from 'node:perf_hooks';
import pRetry, { AbortError } from 'p-retry';
import { DashError, type DashErrorCode, type Logger } from 'dash-core';
import { DEFAULT_TIMEOUT_MS, jsonOf, retryAfterSeconds, safeHost, send, type HttpAnswer } from './http.js';
import { deniedFields, isPermissionMessage, permissionsFor } from './scopes.js';
import type { TokenSession } from './session.js';

export interface GraphQLClientOptions {
  apiUrl: string;
  session: TokenSession;
  log: Logger;
  /** X-Upwork-API-TenantId, when the user set organization_id. */
  organizationId?: string;
  /** At most this many requests per second (spaced evenly). */
  requestsPerSecond: number;
  /** Retries after a transient failure (5xx, a bot-check page; default 3). A 429 is not retried. */
  retries?: number;
  /** First back-off delay in ms without Retry-After (default 1000; doubles each time). */
  minBackoffMs?: number;
  /** The clock a 429's block is measured on, epoch ms (default Date.now; the backend's context clock). */
  now?: () => number;
}

export interface GraphQLErrorItem {
  message: string;
  path?: (string | number)[];
  extensions?: { classification?: string; code?: string };
}

/**
 * After a 429 nothing is sent for this long since the last limited request: Upwork unblocks a
 * client a minute after its last rate-limited request, so retrying after 1, 2, 4 s would only
 * extend the block (reference: api-conformance.md). A longer Retry-After wins.
 */
export const RATE_LIMIT_BLOCK_MS = 60_000;

/** An attempt gets at least this long, even when the deadline is nearer (or passed). */
export const MIN_ATTEMPT_MS = 1_000;

const deadlines = new WeakMap<AbortSignal, number>();

/**
 * A signal that also carries a deadline (`ms` from now) for every query sent with it, retries
 * included: each attempt's timeout is cut to what is left, and a retry whose back-off would not
 * leave MIN_ATTEMPT_MS for it is not started, so the real error is reported in time. It travels
 * with the signal, through contract discovery and the diary fetches, without another parameter.
 */
export function withDeadline(signal: AbortSignal, ms: number): AbortSignal {
  const derived = AbortSignal.any([signal]);
  deadlines.set(derived, performance.now() + ms);
  return derived;
}

function deadlineOf(signal: AbortSignal | undefined): number | undefined {
  return signal ? deadlines.get(signal) : undefined;
}

/** A 429 or a transient failure; carries how long to wait. */
class Transient extends Error {
  constructor(
    message: string,
    readonly code: DashErrorCode,
    readonly waitMs: number | undefined,
  ) {
    super(message);
  }
}

/** Upwork's GraphQL endpoint: auth, pacing, retries and error mapping. */
export class GraphQLClient {
  readonly #options: GraphQLClientOptions;
  #nextSlot = 0;
  /** No request before this instant (epoch ms on `now`): the block after a 429. */
  #blockedUntil = 0;
  /** Requests sent (for --verbose and tests). */
  requests = 0;

  constructor(options: GraphQLClientOptions) {
    this.#options = options;
  }

  /** Waits for this request's turn so that requests stay `1/requestsPerSecond` apart. */
  async #pace(signal?: AbortSignal): Promise<void> {
    const gap = 1000 / this.#options.requestsPerSecond;
    const now = Date.now();
    const slot = Math.max(now, this.#nextSlot);
    this.#nextSlot = slot + gap;
    if (slot > now) await delay(slot - now, signal);
  }

  async #post(token: string, body: string, signal?: AbortSignal): Promise<HttpAnswer> {
    await this.#pace(signal);
    this.requests += 1;
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    if (this.#options.organizationId) headers['x-upwork-api-tenantid'] = this.#options.organizationId;
    const deadline = deadlineOf(signal);
    const timeoutMs = deadline === undefined ? undefined : Math.round(Math.max(MIN_ATTEMPT_MS, deadline - performance.now()));
    return send(this.#options.apiUrl, { method: 'POST', headers, body, signal, ...(timeoutMs !== undefined ? { timeoutMs: Math.min(timeoutMs, DEFAULT_TIMEOUT_MS) } : {}) });
  }

  /** One attempt: a 401 refreshes the token and sends again, once. */
  async #attempt(body: string, signal?: AbortSignal): Promise<unknown> {
    const session = this.#options.session;
    let token = await session.accessToken(signal);
    let answer = await this.#post(token, body, signal);
    if (answer.status === 401) {
      this.#options.log.debug('Upwork answered 401: refreshing the access token and trying once more');
      token = (await session.refresh(token)).access_token;
      answer = await this.#post(token, body, signal);
      if (answer.status === 401) {
        throw new AbortError(
          new DashError('AUTH_REQUIRED', `sign-in needed: run dash-cli auth ${session.context.id} (Upwork refused a freshly refreshed token)`),
        );
      }
    }
    const host = safeHost(this.#options.apiUrl);
    if (answer.status === 429) {
      const waitMs = Math.max(RATE_LIMIT_BLOCK_MS, (retryAfterSeconds(answer) ?? 0) * 1000);
      this.#blockedUntil = this.#now() + waitMs;
      throw new AbortError(rateLimited(`${host} is rate-limiting (HTTP 429); not asking again before ${isoOf(this.#blockedUntil)}`, waitMs));
    }
    if (answer.status >= 500) throw new Transient(`${host} failed (HTTP ${answer.status})`, 'NETWORK', undefined);
    const json = jsonOf(answer) as { data?: unknown; errors?: GraphQLErrorItem[] } | undefined;
    if (json === undefined || typeof json !== 'object' || json === null) {
      // Cloudflare's "Enable JavaScript and cookies" page comes back as HTML (reference §1.4).
      throw new Transient(`${host} answered HTTP ${answer.status} with a page that is not JSON (blocked by a bot check?)`, 'BAD_RESPONSE', undefined);
    }
    if (answer.status === 403) throw new AbortError(permissionError(json.errors ?? [], `HTTP 403 from ${host}`));
    if (answer.status >= 400) {
      throw new AbortError(new DashError('BAD_RESPONSE', `${host} answered HTTP ${answer.status}: ${summarize(json.errors) || 'no details'}`));
    }
    if (Array.isArray(json.errors) && json.errors.length > 0) throw new AbortError(graphQLError(json.errors));
    return json.data;
  }

  #now(): number {
    return (this.#options.now ?? Date.now)();
  }

  /**
   * Runs a query; GraphQL `errors` on a 200 are errors too. Throws DashError. While a 429's block
   * lasts it sends nothing and throws RATE_LIMITED (with `retryAfterMs`, what is left of it).
   */
  async query<T>(query: string, variables: Record<string, unknown> = {}, signal?: AbortSignal): Promise<T> {
    const blockedMs = this.#blockedUntil - this.#now();
    if (blockedMs > 0) throw rateLimited(`Upwork is rate-limiting this client; not asking again before ${isoOf(this.#blockedUntil)}`, blockedMs);
    const body = JSON.stringify({ query, variables });
    const retries = this.#options.retries ?? 3;
    const deadline = deadlineOf(signal);
    let attempts = 0;
    try {
      return (await pRetry(() => (attempts++, this.#attempt(body, signal)), {
        retries,
        // The waiting is done in onFailedAttempt, where Retry-After is known.
        minTimeout: 0,
        maxTimeout: 0,
        randomize: false,
        signal,
        shouldRetry: ({ error }) => error instanceof Transient,
        onFailedAttempt: async ({ error, attemptNumber, retriesLeft }) => {
          if (!(error instanceof Transient) || retriesLeft === 0) return;
          // Transient failures (5xx, a bot-check page): Retry-After when sent (at least 250 ms), else 1 s, 2 s, 4 s.
          const backoff = (this.#options.minBackoffMs ?? 1000) * 2 ** (attemptNumber - 1);
          const wait = error.waitMs !== undefined ? Math.max(250, error.waitMs) : backoff;
          if (deadline !== undefined && performance.now() + wait + MIN_ATTEMPT_MS > deadline) {
            // Another attempt would end after the sync's deadline: report the real cause now.
            this.#options.log.debug(`${error.message}; no retry: it would not end within this sync's time budget`);
            throw error;
          }
          this.#options.log.debug(`${error.message}; retry ${attemptNumber}/${retries} in ${wait} ms`);
          await delay(wait, signal);
        },
      })) as T;
    } catch (error) {
      if (error instanceof Transient) {
        const dash = new DashError(error.code, `${error.message}, ${attempts} ${attempts === 1 ? 'attempt' : 'attempts'}`);
        (dash as DashError & { retryAfterMs?: number }).retryAfterMs = error.waitMs;
        throw dash;
      }
      throw error;
    }
  }
}

function rateLimited(message: string, waitMs: number): DashError {
  const error = new DashError('RATE_LIMITED', message);
  (error as DashError & { retryAfterMs?: number }).retryAfterMs = waitMs;
  return error;
}

function isoOf(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function summarize(errors: GraphQLErrorItem[] | undefined): string {
  return (errors ?? [])
    .map((item) => item.message)
    .filter(Boolean)
    .slice(0, 3)
    .join('; ');
}

function permissionError(errors: GraphQLErrorItem[], fallback: string): DashError {
  const messages = errors.map((item) => item.message);
  const fields = [...new Set(messages.flatMap(deniedFields))];
  const paths = errors.map((item) => item.path?.filter((part) => typeof part === 'string').join('.')).filter(Boolean) as string[];
  const permissions = permissionsFor(fields.length > 0 ? fields : paths);
  const what = fields.length > 0 ? fields.join(', ') : paths.length > 0 ? paths.join(', ') : fallback;
  return new DashError('PERMISSION_DENIED', `the Upwork API key lacks a permission for ${what}${permissions.length > 0 ? `; enable ${permissions.join(' and ')}` : ''}`, {
    hint: 'edit the key at https://www.upwork.com/developer/keys/ then run dash-cli auth again',
  });
}

/** Turns GraphQL `errors` into one DashError: PERMISSION_DENIED names the fields and the permission to enable. */
export function graphQLError(errors: GraphQLErrorItem[]): DashError {
  if (errors.some((item) => isPermissionMessage(item.message ?? ''))) {
    return permissionError(errors.filter((item) => isPermissionMessage(item.message ?? '')), 'a query');
  }
  return new DashError('BAD_RESPONSE', `Upwork GraphQL error: ${summarize(errors) || 'unknown error'}`);
}

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    function onAbort() {
      clearTimeout(timer);
      reject(signal!.reason);
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
