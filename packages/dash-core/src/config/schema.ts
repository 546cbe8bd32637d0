import { z } from 'zod';
import { isValidTimeZone, WEEKDAYS } from '../calendar.js';
import { hoursOrDuration } from '../duration.js';
import { ColorSchema } from '../model.js';
import { DASH_EVENT_TYPES } from '../events/types.js';

const weekday = z.enum(WEEKDAYS, { message: `must be one of ${WEEKDAYS.join(', ')}` });

/** `[[backends]]`: `plugin` and `id` belong to Dash; every other key to the plugin's own schema. */
export const BackendEntrySchema = z.looseObject({
  plugin: z
    .string({
      error: (issue) =>
        `${issue.input === undefined ? 'required' : 'must be a string'}: the plugin, e.g. "toggl", "dash-plugin-x" or "./my-plugin.js"`,
    })
    .min(1),
  id: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'must be letters, digits, "-", "_" or "." (it names the backend in output)')
    .optional(),
});

/**
 * `[[outputs]]`: `plugin`, `id`, `events` and `instance` belong to Dash; every other key to the
 * output plugin's own schema (README § Outputs).
 */
export const OutputEntrySchema = z.looseObject({
  plugin: z
    .string({
      error: (issue) =>
        `${issue.input === undefined ? 'required' : 'must be a string'}: the output, e.g. "webhook", "influxdb" or "dash-plugin-x"`,
    })
    .min(1),
  id: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'must be letters, digits, "-", "_" or "." (it names the output in `dash-cli outputs`)')
    .optional(),
  events: z
    .array(z.enum(DASH_EVENT_TYPES as [string, ...string[]], { message: `must be one of ${DASH_EVENT_TYPES.join(', ')}` }))
    .optional(),
  instance: z.string().min(1, 'must not be empty (leave it out for the host name)').optional(),
});

/** The top level of config.toml (see README "Config reference"). */
export const ConfigFileSchema = z.strictObject({
  timezone: z
    .string()
    .refine(isValidTimeZone, { message: 'is not an IANA time zone (e.g. "Europe/Berlin", "America/New_York", "UTC")' })
    .optional(),
  week_start: weekday.default('monday'),
  workdays: z.array(weekday).default(['monday', 'tuesday', 'wednesday', 'thursday', 'friday']),
  goals: z
    .strictObject({
      weekly: hoursOrDuration.optional(),
      weekly_billable: hoursOrDuration.optional(),
      daily: hoursOrDuration.optional(),
      daily_billable: hoursOrDuration.optional(),
    })
    .default({}),
  /** Project colors by project name or key: `"Acme website" = "#ff8800"`. */
  colors: z.record(z.string(), ColorSchema).default({}),
  backends: z.array(BackendEntrySchema).default([]),
  outputs: z.array(OutputEntrySchema).default([]),
  /** `dash-cli serve`: where it listens, its token, the origins CORS allows (none: CORS off). */
  serve: z
    .strictObject({
      host: z.string().min(1).optional(),
      port: z.number().int().min(0).max(65_535).optional(),
      token: z.string().min(16, 'must be at least 16 characters (or leave it out: serve generates one)').optional(),
      cors_origins: z.array(z.string().regex(/^https?:\/\/[^/\s]+$/, 'must be an origin like "https://grafana.example.com" (no path)')).default([]),
    })
    .default({ cors_origins: [] }),
});

export type ConfigFile = z.output<typeof ConfigFileSchema>;
