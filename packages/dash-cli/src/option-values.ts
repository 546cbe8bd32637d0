import { DashError } from 'dash-core';
import { MAX_MAX_AGE_SECONDS, MAX_TIMEOUT_SECONDS, parseBoundedDuration, parseInstant } from 'dash-core/host';

/**
 * The command line's instants and durations, each through the one bounded parser of dash-core
 * (bounds.ts); garbage is a usage error (exit 2) with one line saying what is accepted.
 */

/** `--at`: an ISO 8601 instant with date, time and offset, years 1970–9999. */
export function parseAtOption(text: string | undefined): Date | undefined {
  if (text === undefined) return undefined;
  const date = parseInstant(text);
  if (!date) {
    throw new DashError('USAGE', `--at "${text}" is not an ISO 8601 instant between 1970 and 9999`, {
      hint: 'give a date, a time and an offset, e.g. --at 2026-11-20T15:30:00Z',
    });
  }
  return date;
}

function limit(seconds: number): string {
  return seconds % 86_400 === 0 ? `${seconds / 86_400}d` : seconds % 60 === 0 ? `${seconds / 60}m` : `${seconds}s`;
}

/** `--timeout`: 1 s … 10 m, in ms (`fallbackMs` when not given). */
export function parseTimeoutOption(text: string | undefined, fallbackMs: number): number {
  if (text === undefined) return fallbackMs;
  const result = parseBoundedDuration(text, { min: 1, max: MAX_TIMEOUT_SECONDS });
  if (!result.ok) {
    const why = result.reason === 'too-large' ? `is longer than the maximum, ${limit(MAX_TIMEOUT_SECONDS)}` : result.reason === 'too-small' ? 'must be at least 1s' : 'is not a duration';
    throw new DashError('USAGE', `--timeout "${text}" ${why}`, { hint: `e.g. --timeout 30s (1s to ${limit(MAX_TIMEOUT_SECONDS)})` });
  }
  return result.seconds * 1000;
}

/** `--max-age`: 0 … 7 d, in ms (undefined when not given). */
export function parseMaxAgeOption(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const result = parseBoundedDuration(text, { min: 0, max: MAX_MAX_AGE_SECONDS });
  if (!result.ok) {
    const why = result.reason === 'too-large' ? `is longer than the maximum, ${limit(MAX_MAX_AGE_SECONDS)}` : 'is not a duration';
    throw new DashError('USAGE', `--max-age "${text}" ${why}`, { hint: `e.g. --max-age 2m (0 always syncs; at most ${limit(MAX_MAX_AGE_SECONDS)})` });
  }
  return result.seconds * 1000;
}
