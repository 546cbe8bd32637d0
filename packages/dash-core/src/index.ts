/**
 * dash-core: the plugin contract. What a backend or output plugin imports: the define functions
 * and their types, the TimeEntry model, DashError and its codes, time helpers, and the schema
 * library for options (zod, re-exported on purpose: see below). Every name here is a semver
 * promise to plugin authors (docs/writing-a-plugin.md, "API versions"); the export list is
 * checked by test/public-api.test.ts against the package README.
 *
 * Hosts (config, session, store, cache, the plugin host, events) import `dash-core/host`; the
 * test kit is `dash-core/testing`; the zod-free read side is `dash-core/snapshot`.
 * @module
 */

/**
 * zod, re-exported deliberately: a plugin's `optionsSchema` may be any Standard Schema, and zod
 * is the one the host itself validates with, so a plugin that takes it from here needs no zod
 * dependency of its own and never ships a second copy of a different major.
 */
export { z } from 'zod';

export { DashError, isDashError, errorKind, DASH_ERROR_CODES } from './errors.js';
export type { DashErrorCode, DashErrorKind, PluginErrorCode, DashErrorOptions } from './errors.js';

export { TimeEntrySchema, EntryInputSchema, ProjectSchema, ColorSchema, toEpochSeconds, fromEpochSeconds } from './model.js';
export type { TimeEntry, EntryInput, Project, ProjectInput } from './model.js';

export { parseDuration, formatDuration } from './duration.js';
export { clampServerWait, retryAfterMs, MAX_SERVER_WAIT_MS } from './bounds.js';
export { WEEKDAYS, weekOf, calendarDay, addDays, localDateOf, localHourOf, localIso, isValidTimeZone } from './calendar.js';
export type { Weekday, CalendarDay } from './calendar.js';

export { DASH_PLUGIN_API_VERSION, defineBackendPlugin } from './plugin.js';
export type { PluginIdentity, BackendPlugin, Backend, BackendContext, SyncRequest, RunControl, HealthResult, AuthIO } from './plugin.js';
export type { StandardSchemaV1 } from './standard-schema.js';
export type { SourceHandle, StatusUpdate, TimeRange, SourceError, SourceStatusState } from './store.js';
export type { Logger, LogLevel } from './logger.js';

export { defineOutputPlugin } from './output.js';
export type { OutputPlugin, Output, OutputContext, OutputState } from './output.js';
export { DASH_EVENT_TYPES } from './events/index.js';
export type { DashEvent, DashEventData, DashEventType, EventEntry, EventSource, GoalName } from './events/index.js';

/** For plugins that keep files of their own (tokens, cursors): written whole or not at all. */
export { writeFileAtomic } from './atomic-write.js';
