import { z } from 'dash-core';
import type { QuotaState } from './quota.js';

/**
 * What the backend remembers between polls (and, through the cache, between runs): the `since`
 * cursor, which ranges it has fetched in full, the running entry's id and the quota state.
 */
export interface TogglCursor {
  version: 1;
  /**
   * api_url (without any credentials in it) and workspace filter the cursor belongs to; another
   * scope starts over.
   */
  scope: string;
  /**
   * Whose account it is: a keyed fingerprint of api_url and token (context.fingerprint, never
   * the token), so a cached cursor of another token on the same api_url starts over.
   */
  account: string;
  /** Unix seconds for the next `?since=`; null before the first full fetch. */
  since: number | null;
  /** [from, to) in unix seconds, fetched in full and kept fresh by `since` since. */
  ranges: [number, number][];
  /** The running entry as last seen; null when none; undefined when unknown. */
  runningId: string | null;
  quota: QuotaState;
}

const CursorSchema = z.object({
  version: z.literal(1),
  scope: z.string(),
  account: z.string(),
  since: z.number().nullable(),
  ranges: z.array(z.tuple([z.number(), z.number()])),
  runningId: z.string().nullable(),
  quota: z.object({
    last: z.object({ remaining: z.number(), resetsAt: z.number(), at: z.number() }).nullable(),
    blocked: z.object({ until: z.number(), reason: z.enum(['quota', 'throttled']) }).nullable(),
  }),
});

/**
 * The account a cursor belongs to: api_url and token through the host's keyed digest (an HMAC
 * under this install's random key). Tells two tokens apart; a copy of the cache cannot confirm
 * a guessed token.
 */
export function accountFingerprint(fingerprint: (text: string) => string, apiUrl: string, token: string): string {
  return fingerprint(`dash-plugin-toggl\u0000${apiUrl}\u0000${token}`);
}

/** What the cursor is for: api_url with any `user:password@` taken out, and the workspace filter. */
export function cursorScope(apiUrl: string, workspaceId: number | undefined): string {
  let url = apiUrl;
  try {
    const parsed = new URL(apiUrl);
    parsed.username = '';
    parsed.password = '';
    url = parsed.href;
  } catch {
    // the schema only lets URLs through
  }
  return `${url}|${workspaceId ?? '*'}`;
}

export function emptyCursor(scope: string, account: string): TogglCursor {
  return { version: 1, scope, account, since: null, ranges: [], runningId: null, quota: { last: null, blocked: null } };
}

/**
 * A stored cursor for this scope and account, or a fresh one: a cursor from another version,
 * scope or account (another token on the same api_url), or one without an account, is dropped.
 */
export function loadCursor(stored: unknown, scope: string, account: string): TogglCursor {
  const parsed = CursorSchema.safeParse(stored);
  if (!parsed.success || parsed.data.scope !== scope || parsed.data.account !== account) return emptyCursor(scope, account);
  return parsed.data as TogglCursor;
}

/** Most ranges kept (oldest dropped first): paging far back must not grow the cursor forever. */
const MAX_RANGES = 16;

/** Adds [from, to) and merges overlapping or touching ranges. */
export function addRange(ranges: readonly [number, number][], from: number, to: number): [number, number][] {
  const all = [...ranges, [from, to] as [number, number]].sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [lo, hi] of all) {
    const last = merged[merged.length - 1];
    if (last && lo <= last[1]) last[1] = Math.max(last[1], hi);
    else merged.push([lo, hi]);
  }
  return merged.slice(-MAX_RANGES);
}

/** Whether [from, to) lies inside one fetched range. */
export function covers(ranges: readonly [number, number][], from: number, to: number): boolean {
  return ranges.some(([lo, hi]) => lo <= from && to <= hi);
}
