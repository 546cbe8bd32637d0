/**
 * Exponential backoff with jitter for the InfluxDB output: the n-th retry in a row waits
 * between half and all of min(max, first × 2^n); a Retry-After longer than that wins.
 * With the defaults: ~1 s, 2 s, 4 s … up to 5 min, so an hour-long outage costs 20 to 32 requests.
 */
export interface BackoffOptions {
  firstMs: number;
  maxMs: number;
  random?: () => number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { firstMs: 1_000, maxMs: 300_000 };

export function backoffDelay(attempt: number, options: BackoffOptions, retryAfterSeconds: number | null = null): number {
  const random = options.random ?? Math.random;
  const ceiling = Math.min(options.maxMs, options.firstMs * 2 ** Math.min(attempt, 30));
  const delay = Math.round(ceiling * (0.5 + 0.5 * random()));
  const asked = retryAfterSeconds === null ? 0 : Math.min(retryAfterSeconds * 1000, 3_600_000);
  return Math.max(delay, asked);
}
