import type { SourceState } from '../store.js';
import type { CachedSourceMeta } from './format.js';

/** Without `--max-age`, a source is reused for max(its plugin's pollInterval, this), in seconds. */
export const DEFAULT_MAX_AGE_SECONDS = 60;

export interface FreshnessOptions {
  now: Date;
  /** The range the caller needs (the current week). */
  range: { from: Date; to: Date };
  /** Explicit maximum age in milliseconds; default max(pollInterval, 60 s). */
  maxAgeMs?: number;
}

export type Freshness = { fresh: true } | { fresh: false; reason: string };

/**
 * Whether a cached source can be shown without asking its backend: heard from within the max
 * age, for a range covering the one needed. A source waiting out a rate limit stays "fresh"
 * until the limit lifts (asking again would only burn quota).
 */
export function sourceFreshness(meta: CachedSourceMeta | undefined, state: SourceState | undefined, options: FreshnessOptions): Freshness {
  if (!meta || !state || !meta.checkedAt) return { fresh: false, reason: 'never synced' };
  const now = options.now.getTime();
  const checked = Date.parse(meta.checkedAt);
  if (Number.isNaN(checked) || checked > now + 1000) return { fresh: false, reason: 'checked in the future' };
  const covers =
    meta.from !== null && meta.to !== null && Date.parse(meta.from) <= options.range.from.getTime() && Date.parse(meta.to) >= options.range.to.getTime();
  if (!covers) return { fresh: false, reason: 'cached range does not cover this week' };
  if (state.status === 'rate-limited' && state.rateLimitedUntil && Date.parse(state.rateLimitedUntil) > now) return { fresh: true };
  const maxAge = options.maxAgeMs ?? Math.max(meta.pollInterval ?? 0, DEFAULT_MAX_AGE_SECONDS) * 1000;
  return now - checked <= maxAge ? { fresh: true } : { fresh: false, reason: `older than ${Math.round(maxAge / 1000)}s` };
}
