/**
 * The bounds on every number Dash takes from a user or a server: instants, durations and
 * server-given waits. One parser for each, with no zod (the snapshot fast path uses them).
 */
import { parseDuration } from './duration-text.js';

/** The earliest instant Dash accepts (from `--at` or in a backend's entry): 1970-01-01T00:00:00Z. */
export const MIN_INSTANT_MS = 0;
/** The latest: 9999-12-31T23:59:59Z (four-digit years; a Date can go far beyond, a calendar cannot). */
export const MAX_INSTANT_MS = Date.UTC(9999, 11, 31, 23, 59, 59);

/** Whether epoch milliseconds lie in [MIN_INSTANT_MS, MAX_INSTANT_MS]. */
export function instantInRange(ms: number): boolean {
  return Number.isFinite(ms) && ms >= MIN_INSTANT_MS && ms <= MAX_INSTANT_MS;
}

const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d{1,9})?)?(?:([zZ])|([+-])(\d{2}):?(\d{2}))$/;

/**
 * An ISO 8601 instant as a user types it: a date, a time and an offset (`Z` or `±hh:mm`), e.g.
 * "2026-11-20T15:30:00Z" or "2026-11-20T16:30+01:00", with a real calendar date and clock time,
 * within [MIN_INSTANT_MS, MAX_INSTANT_MS]. Anything else (a bare number, a date alone, no
 * offset, 2026-02-30, a six-digit year) is undefined.
 */
export function parseInstant(text: string): Date | undefined {
  const match = ISO_INSTANT.exec(text.trim());
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map((part) => (part === undefined ? 0 : Number(part))) as number[];
  if (month! < 1 || month! > 12 || day! < 1 || hour! > 23 || minute! > 59 || second! > 59) return undefined;
  if (new Date(Date.UTC(year!, month! - 1, day!)).getUTCDate() !== day) return undefined;
  if (match[8] !== undefined && (Number(match[9]) > 23 || Number(match[10]) > 59)) return undefined;
  const ms = Date.parse(text.trim().replace(' ', 'T'));
  return instantInRange(ms) ? new Date(ms) : undefined;
}

/** A duration a user gives on the command line, with its bounds (whole seconds). */
export interface DurationBounds {
  /** Smallest accepted (default 0). */
  min?: number;
  /** Largest accepted. */
  max: number;
}

export type DurationResult = { ok: true; seconds: number } | { ok: false; reason: 'invalid' | 'too-small' | 'too-large' };

/** "30s", "2m", "1h30m" or a whole number of seconds, checked against its bounds. */
export function parseBoundedDuration(text: string, bounds: DurationBounds): DurationResult {
  const seconds = parseDuration(text) ?? (/^\s*\d+\s*$/.test(text) ? Number(text) : undefined);
  if (seconds === undefined || !Number.isFinite(seconds)) return { ok: false, reason: 'invalid' };
  if (seconds < (bounds.min ?? 0)) return { ok: false, reason: 'too-small' };
  if (seconds > bounds.max) return { ok: false, reason: 'too-large' };
  return { ok: true, seconds };
}

/** The longest `--timeout` (seconds): a one-shot command that waits longer is stuck, not slow. */
export const MAX_TIMEOUT_SECONDS = 600;
/** The longest `--max-age` (seconds): a week; older data is not "fresh" by any reading. */
export const MAX_MAX_AGE_SECONDS = 7 * 86_400;
/** The longest wait a server may impose (Retry-After, Toggl's quota reset): its window is an hour. */
export const MAX_SERVER_WAIT_MS = 60 * 60_000;

/** A server-given wait in ms, clamped to [0, MAX_SERVER_WAIT_MS] (NaN counts as 0). */
export function clampServerWait(ms: number): number {
  if (Number.isNaN(ms)) return 0;
  return Math.min(MAX_SERVER_WAIT_MS, Math.max(0, ms));
}

/**
 * A `Retry-After` header (delta seconds, or an HTTP date) as milliseconds from `now`, clamped
 * like every server wait (clampServerWait); undefined when absent or unreadable.
 */
export function retryAfterMs(value: string | null | undefined, now: number): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return clampServerWait(Number(text) * 1000);
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : clampServerWait(at - now);
}

/** Whether an ISO instant (with an offset) of a backend's entry is one Dash can show. */
export function isShowableInstant(value: string): boolean {
  return /[zZ]|[+-]\d{2}:?\d{2}$/.test(value) && instantInRange(Date.parse(value));
}

/** A stopped entry ends at or after its start (a running one has no end). */
export function endsAfterStart(start: string, end: string | null): boolean {
  return end === null || Date.parse(end) >= Date.parse(start);
}
