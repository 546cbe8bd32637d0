import { z } from 'zod';
import { endsAfterStart, isShowableInstant } from './bounds.js';

/** An ISO 8601 instant with an offset or `Z`, e.g. "2026-11-20T08:15:00Z", in the years 1970–9999. */
const isoInstant = z.string().refine(isShowableInstant, {
  message: 'must be an ISO 8601 date-time with an offset between 1970 and 9999, e.g. 2026-11-20T08:15:00Z',
});

const ORDERED = { message: 'must not be before start', path: ['end'] };

/** A color as "#rrggbb" (Toggl's form) or "#rgb". */
export const ColorSchema = z
  .string()
  .regex(/^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/, 'must be a hex color like #06aaf5');

/** The longest project key the store takes. */
const PROJECT_KEY_MAX = 200;

export const ProjectSchema = z.object({
  /**
   * Unique within its source (the backend's own project id, say). At most 200 characters: the
   * snapshot's minute grid names a project by its key in each of the week's 10,080 minutes, so a
   * 10 kB key would turn a week into 100 MB of JSON.
   */
  key: z.string().min(1).max(PROJECT_KEY_MAX, `must be at most ${PROJECT_KEY_MAX} characters (it is an id, not a name)`),
  name: z.string(),
  client: z.string().nullable().default(null),
  color: ColorSchema.nullable().default(null),
});
export type Project = z.output<typeof ProjectSchema>;
export type ProjectInput = z.input<typeof ProjectSchema>;

const EntryFields = z.object({
  /** Unique within its source. */
  id: z.string().min(1),
  start: isoInstant,
  /** null while the timer is running. */
  end: isoInstant.nullable(),
  project: ProjectSchema.nullable().default(null),
  description: z.string().default(''),
  billable: z.boolean().default(false),
  tags: z.array(z.string()).default([]),
});

/** What a backend pushes: a time entry without its source (the handle fills that in). */
export const EntryInputSchema = EntryFields.refine((entry) => endsAfterStart(entry.start, entry.end), ORDERED);
export type EntryInput = z.input<typeof EntryInputSchema>;

export const TimeEntrySchema = EntryFields.extend({
  /** The id of the backend instance ([[backends]].id) the entry came from. */
  source: z.string().min(1),
}).refine((entry) => endsAfterStart(entry.start, entry.end), ORDERED);
export type TimeEntry = z.output<typeof TimeEntrySchema>;

export { toEpochSeconds, fromEpochSeconds } from './epoch.js';
