import { DashError } from 'dash-core';
import { formatClock, type BlockReason } from './quota.js';

/** Where a user gets a new token. */
export const TOKEN_HELP =
  'copy your API token from https://track.toggl.com/profile ("API Token"), put it in TOGGL_API_TOKEN (or api_token in the config) and try again';

/** Requests are paused until `until` (a 402 quota answer, or a 429 that outlived its retries). */
export class TogglRateLimitError extends DashError {
  readonly until: Date;
  readonly reason: BlockReason;

  constructor(until: Date, reason: BlockReason, timeZone: string) {
    const clock = formatClock(until.getTime(), timeZone);
    super(
      'RATE_LIMITED',
      reason === 'quota'
        ? `rate-limited until ${clock}: Toggl's hourly API quota is used up (about 30 requests an hour, shared by every tool on your account); Dash sends no requests to Toggl until then`
        : `rate-limited until ${clock}: Toggl is throttling requests (HTTP 429); Dash backs off until then`,
    );
    this.until = until;
    this.reason = reason;
  }
}

export function authError(status: number): DashError {
  const what = status === 401 ? 'Toggl asked for credentials (HTTP 401)' : `Toggl rejected the API token (HTTP ${status})`;
  return new DashError('AUTH_REQUIRED', `${what}: ${TOKEN_HELP}`, { hint: TOKEN_HELP });
}

/** A 402 while the quota headers say requests remain: the quota is not the cause. */
export function planError(remaining: number): DashError {
  return new DashError(
    'PLAN_REQUIRED',
    `Toggl answered HTTP 402 with ${remaining} requests of the hourly quota left, so this is not the rate limit: the workspace's plan does not include this feature`,
  );
}

/** A body that is not the JSON shape Toggl documents. Never quotes the body (/me holds the token). */
export function badResponse(what: string, detail: string): DashError {
  return new DashError('BAD_RESPONSE', `Toggl sent ${what} Dash does not understand (${detail}); will retry at the next poll`);
}

export type TransientKind = 'throttled' | 'server' | 'network';

/** A failure worth retrying (bounded): 429, 5xx, a network error or a timeout. */
export class TransientError extends Error {
  readonly kind: TransientKind;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(kind: TransientKind, message: string, options: { status?: number; retryAfterMs?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TransientError';
    this.kind = kind;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }
}

const attemptsText = (attempts: number) => `${attempts} ${attempts === 1 ? 'attempt' : 'attempts'}`;

export function serverError(status: number, attempts: number): DashError {
  return new DashError('SERVER_ERROR', `Toggl answered HTTP ${status} (${attemptsText(attempts)}); will retry at the next poll`);
}

export function networkError(error: TransientError, attempts: number): DashError {
  return new DashError('NETWORK', `${error.message} (${attemptsText(attempts)}); will retry at the next poll`);
}

/** Any other 4xx: our request was wrong; retrying the same one cannot help. */
export function apiError(status: number, body: string): DashError {
  // Toggl's 4xx bodies are short JSON strings ("'since' and 'before' can not be present simultaneously").
  let detail = body.trim();
  try {
    const parsed: unknown = JSON.parse(detail);
    if (typeof parsed === 'string') detail = parsed;
  } catch {
    // plain text
  }
  detail = detail.replace(/\s+/g, ' ').slice(0, 160);
  return new DashError('API_ERROR', `Toggl rejected the request (HTTP ${status})${detail ? `: ${detail}` : ''}`);
}

/** One line for a failed connection, never a stack. */
export function describeNetworkError(error: unknown, timeoutMs: number): string {
  const value = error as { code?: unknown; name?: unknown; message?: unknown; cause?: { code?: unknown } } | null;
  const code = typeof value?.code === 'string' ? value.code : typeof value?.cause?.code === 'string' ? value.cause.code : undefined;
  if (
    value?.name === 'TimeoutError' ||
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT' ||
    code === 'UND_ERR_CONNECT_TIMEOUT'
  ) {
    return `no answer within ${Number((timeoutMs / 1000).toFixed(1))}s`;
  }
  if (code) return code;
  return typeof value?.message === 'string' && value.message ? value.message : 'network error';
}
