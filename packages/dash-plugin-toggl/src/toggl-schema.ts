import { z } from 'dash-core';

/** An RFC 3339 date-time; only its type is checked here: the store rejects a bad one (that entry alone). */
const instant = z.string();

/**
 * A time entry as `/me/time_entries` and `/me/time_entries/current` return it (v9, no `data`
 * wrapper). Unknown keys are allowed (Toggl adds fields); every nullable field is typed as such.
 * The `project_*`/`client_name` keys come only with `meta=true`.
 */
export const TogglTimeEntrySchema = z.object({
  id: z.number(),
  workspace_id: z.number(),
  project_id: z.number().nullish(),
  billable: z.boolean().nullish(),
  start: instant,
  stop: instant.nullish(),
  /**
   * Seconds; negative while running: real responses carry −(start as epoch seconds), not the
   * swagger's "preferably -1" (an entry created through the API with -1 may echo -1). Only the
   * sign is read; elapsed time is now − start.
   */
  duration: z.number(),
  description: z.string().nullish(),
  tags: z.array(z.string()).nullish(),
  at: z.string().nullish(),
  server_deleted_at: z.string().nullish(),
  project_name: z.string().nullish(),
  project_color: z.string().nullish(),
  project_billable: z.boolean().nullish(),
  client_name: z.string().nullish(),
});
export type TogglTimeEntry = z.output<typeof TogglTimeEntrySchema>;

export const TogglTimeEntryListSchema = z.array(TogglTimeEntrySchema);

/** `/me/time_entries/current`: the running entry, or `null` when nothing runs. */
export const TogglCurrentSchema = TogglTimeEntrySchema.nullable();

/** The few `/me` fields the health check shows (the body also holds the api_token: never log it). */
export const TogglMeSchema = z.object({
  id: z.number(),
  fullname: z.string().nullish(),
  email: z.string().nullish(),
  timezone: z.string().nullish(),
  default_workspace_id: z.number().nullish(),
});
export type TogglMe = z.output<typeof TogglMeSchema>;
