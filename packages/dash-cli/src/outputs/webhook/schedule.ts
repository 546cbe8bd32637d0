/**
 * When a failed webhook delivery is tried again (README "Outputs" → retry schedule):
 * the n-th retry waits base·2^(n-1) (5 s, 10 s, 20 s, 40 s, … doubling) capped at 1 hour, each
 * wait jittered by ±20 %; a `Retry-After` from the receiver is waited for when it asks for longer
 * (up to the cap). An event still undelivered 24 hours after it was queued is dropped with a warning.
 */
export interface RetrySchedule {
  /** The first retry's wait (5 s). */
  baseMs: number;
  /** No wait is longer (1 h). */
  capMs: number;
  /** Dropped when older than this since queued (24 h). */
  maxAgeMs: number;
  /** ± this fraction of each wait, at random (0.2). */
  jitter: number;
}

export const DEFAULT_SCHEDULE: RetrySchedule = { baseMs: 5_000, capMs: 60 * 60_000, maxAgeMs: 24 * 60 * 60_000, jitter: 0.2 };

/**
 * The schedule in force: the default, or, for tests only, one scaled down from
 * `DASH_OUTPUT_RETRY_BASE_MS` (the cap and the maximum age keep their ratio to the base).
 */
export function scheduleFromEnv(env: NodeJS.ProcessEnv = process.env): RetrySchedule {
  const base = Number(env.DASH_OUTPUT_RETRY_BASE_MS);
  if (!Number.isFinite(base) || base <= 0) return DEFAULT_SCHEDULE;
  const scale = base / DEFAULT_SCHEDULE.baseMs;
  return { ...DEFAULT_SCHEDULE, baseMs: base, capMs: DEFAULT_SCHEDULE.capMs * scale, maxAgeMs: DEFAULT_SCHEDULE.maxAgeMs * scale };
}

/** The wait before retry number `retry` (1 = the first retry), `random` in [0, 1). */
export function retryDelayMs(retry: number, schedule: RetrySchedule = DEFAULT_SCHEDULE, random: () => number = Math.random, retryAfterMs?: number): number {
  const exponent = Math.min(Math.max(retry, 1) - 1, 40);
  const plain = Math.min(schedule.capMs, schedule.baseMs * 2 ** exponent);
  const jittered = plain * (1 - schedule.jitter + 2 * schedule.jitter * random());
  const wait = retryAfterMs !== undefined && retryAfterMs > jittered ? Math.min(retryAfterMs, schedule.capMs) : jittered;
  return Math.round(wait);
}

/** Whether an event queued at `queuedAt` is past retrying at `at` (both ms). */
export function expired(queuedAt: number, at: number, schedule: RetrySchedule = DEFAULT_SCHEDULE): boolean {
  return at - queuedAt > schedule.maxAgeMs;
}

/** A `Retry-After` header as milliseconds from now (dash-core's one parser). */
export { retryAfterMs as parseRetryAfter } from 'dash-core';
