import { clampServerWait, MAX_SERVER_WAIT_MS, retryAfterMs } from 'dash-core';

/** What one response's quota headers said, and when. */
export interface QuotaObservation {
  /** X-Toggl-Quota-Remaining: requests left in the current window (may be negative). */
  remaining: number;
  /** When the window resets (epoch ms), from X-Toggl-Quota-Resets-In. */
  resetsAt: number;
  /** When the response arrived (epoch ms). */
  at: number;
}

/** Why requests are paused: the hourly quota (402) or the leaky bucket (429). */
export type BlockReason = 'quota' | 'throttled';

export interface QuotaState {
  last: QuotaObservation | null;
  blocked: { until: number; reason: BlockReason } | null;
}

/** Requests kept back for the user ("sync now", a status bar's snapshot, other tools). */
export const QUOTA_RESERVE = 5;
/** A 402 without a reset header: Toggl's window is an hour. */
export const DEFAULT_QUOTA_BLOCK_MS = 60 * 60_000;
/** A 429 that outlived its retries: Toggl says "back off for a few minutes". */
export const THROTTLE_BLOCK_MS = 5 * 60_000;

type HeaderValue = string | string[] | undefined;

function header(headers: Record<string, HeaderValue>, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

function integer(value: string | undefined): number | undefined {
  if (value === undefined || !/^\s*-?\d+(\.\d+)?\s*$/.test(value)) return undefined;
  return Math.round(Number(value));
}

/**
 * Reads X-Toggl-Quota-Remaining / -Resets-In (both optional: old responses had none). The reset
 * is clamped to Toggl's window, an hour (clampServerWait): a wrong header cannot block for years.
 */
export function parseQuotaHeaders(headers: Record<string, HeaderValue>, at: number): QuotaObservation | null {
  const remaining = integer(header(headers, 'x-toggl-quota-remaining'));
  const resetsIn = integer(header(headers, 'x-toggl-quota-resets-in'));
  if (remaining === undefined || resetsIn === undefined || !Number.isSafeInteger(remaining)) return null;
  return { remaining, resetsAt: at + clampServerWait(resetsIn * 1000), at };
}

/** Retry-After in ms (seconds or an HTTP date), if present, clamped to [0, 1 h]. */
export function parseRetryAfter(headers: Record<string, HeaderValue>, now: number): number | undefined {
  return retryAfterMs(header(headers, 'retry-after'), now);
}

/**
 * The quota-aware schedule. `interval = max(floor, timeToReset / max(remaining − reserve, 1))`:
 * with a fresh window the floor wins; when other tools have eaten the quota the polls spread out
 * so the rest lasts until the reset, keeping QUOTA_RESERVE requests for the user.
 */
export class QuotaTracker {
  #state: QuotaState;

  /** `now` (epoch ms) cuts a restored block to at most an hour ahead (one saved by an older version). */
  constructor(state?: QuotaState | null, now?: number) {
    this.#state = state ? { last: state.last, blocked: state.blocked } : { last: null, blocked: null };
    const blocked = this.#state.blocked;
    if (blocked && now !== undefined && blocked.until > now + MAX_SERVER_WAIT_MS) this.#state.blocked = { ...blocked, until: now + MAX_SERVER_WAIT_MS };
  }

  get state(): QuotaState {
    return { last: this.#state.last, blocked: this.#state.blocked };
  }

  observe(observation: QuotaObservation): void {
    this.#state.last = observation;
  }

  block(until: number, reason: BlockReason): void {
    this.#state.blocked = { until, reason };
  }

  /** The active block at `now`, if any (expired ones are cleared). */
  blockedAt(now: number): { until: number; reason: BlockReason } | null {
    const blocked = this.#state.blocked;
    if (blocked && blocked.until > now) return blocked;
    if (blocked) this.#state.blocked = null;
    return null;
  }

  /** When the current window resets, if a recent response said so. */
  resetsAt(now: number): number | undefined {
    const last = this.#state.last;
    return last && last.resetsAt > now ? last.resetsAt : undefined;
  }

  /** Milliseconds until the next poll. */
  nextDelay(now: number, floorMs: number): number {
    const blocked = this.blockedAt(now);
    if (blocked) return Math.max(floorMs, blocked.until - now);
    const last = this.#state.last;
    if (!last || last.resetsAt <= now) return floorMs;
    const spare = Math.max(last.remaining - QUOTA_RESERVE, 1);
    return Math.max(floorMs, Math.ceil((last.resetsAt - now) / spare));
  }
}

/** "14:05" in the user's time zone. */
export function formatClock(epochMs: number, timeZone: string): string {
  try {
    return new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }).format(epochMs);
  } catch {
    return new Date(epochMs).toISOString().slice(11, 16);
  }
}
