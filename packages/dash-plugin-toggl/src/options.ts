import { parseDuration, z } from 'dash-core';

export const DEFAULT_API_URL = 'https://api.track.toggl.com/api/v9';
/** 5 minutes: 12 polls an hour, well inside the 30 requests/hour Toggl allows for /me calls. */
export const DEFAULT_POLL_SECONDS = 300;
/** Toggl's quota for `/me` calls: 30 requests per user per sliding hour, on every plan. */
export const HOURLY_QUOTA = 30;
/** Requests one poll makes: one `GET /me/time_entries?since=…` (README, "What it asks Toggl"). */
export const REQUESTS_PER_POLL = 1;
/**
 * The shortest poll_interval: what the hourly quota allows when nothing else uses it (every
 * 120 s); any shorter and polling alone would spend more than the quota. Lower values are
 * rejected, naming this minimum, rather than clamped: a config asking for it is a mistake.
 */
export const MIN_POLL_SECONDS = Math.ceil((3600 * REQUESTS_PER_POLL) / HOURLY_QUOTA);

const pollInterval = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const seconds =
    typeof value === 'number' ? (Number.isFinite(value) && value >= 0 ? Math.round(value) : undefined) : parseDuration(value);
  if (seconds === undefined) {
    ctx.addIssue({ code: 'custom', message: `${JSON.stringify(value)} is not a duration (try "5m", "90s" or a number of seconds)` });
    return z.NEVER;
  }
  if (seconds < MIN_POLL_SECONDS) {
    ctx.addIssue({
      code: 'custom',
      message: `must be at least ${MIN_POLL_SECONDS}s ("${MIN_POLL_SECONDS / 60}m", got ${seconds}s): each poll is ${REQUESTS_PER_POLL} request and Toggl allows ${HOURLY_QUOTA} requests an hour for all your tools together`,
    });
    return z.NEVER;
  }
  return seconds;
});

const apiUrl = z
  .string()
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'http:' || url.protocol === 'https:';
    } catch {
      return false;
    }
  }, 'must be an http(s) URL, e.g. https://api.track.toggl.com/api/v9')
  .transform((value) => value.replace(/\/+$/, ''));

const workspaceId = z.union([
  z.number().int().positive(),
  z
    .string()
    .regex(/^\d+$/, 'must be a workspace id (a number)')
    .transform((value) => Number(value)),
]);

/** The keys of a `[[backends]]` entry with `plugin = "toggl"`. */
export const TogglOptionsSchema = z.strictObject({
  api_token: z
    .string({ error: 'is required: your Toggl API token (Profile settings → API Token), e.g. api_token = "${TOGGL_API_TOKEN}"' })
    .trim()
    .min(1, 'is empty: set it to your Toggl API token, e.g. api_token = "${TOGGL_API_TOKEN}"'),
  api_url: apiUrl.default(DEFAULT_API_URL),
  poll_interval: pollInterval.default(DEFAULT_POLL_SECONDS),
  workspace_id: workspaceId.optional(),
});

export type TogglOptions = z.output<typeof TogglOptionsSchema>;
