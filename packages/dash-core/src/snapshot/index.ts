/**
 * `dash-core/snapshot`: building a snapshot from a cached store, with no zod, TOML or plugin
 * host in its module graph (the CLI's `snapshot --offline` fast path starts in a few ms).
 * @module
 */
export { buildSnapshotWith, projectKeyOf, SNAPSHOT_SCHEMA_VERSION } from './core.js';
export type { Snapshot, SnapshotOptions, SnapshotSourceData, SnapshotDay, SnapshotHour, SnapshotProject, SnapshotClockedIn, SnapshotSource, ProjectRef, Goals } from './core.js';
export { toEpochSeconds, fromEpochSeconds } from '../epoch.js';
export { parseDuration, formatDuration } from '../duration-text.js';
export { systemTimeZone, systemZoneSource } from '../system-zone.js';
export { localIso } from '../calendar.js';
export type { Weekday, CalendarDay } from '../calendar.js';
export { findConfig } from '../config/find.js';
export { trustState } from '../config/trust.js';
export { cacheFileFor } from '../cache/location.js';
export { readCacheSync } from '../cache/file.js';
export { readRecentSync } from '../cache/recent.js';
export type { CacheFile, CachedSourceMeta } from '../cache/format.js';
export { sourceFreshness } from '../cache/freshness.js';
export { CachedStoreView } from '../cache/view.js';
export { configRecordKey, configRecordFileFor, readConfigRecord, writeConfigRecord, referencedVars } from './config-record.js';
export type { ConfigRecord } from './config-record.js';
export { Redactor } from '../redact.js';
export { readInstallKey } from '../install-key.js';
export { terminalText, terminalLines, jsonText } from '../terminal-text.js';
export { makeWeekTable, weekTableCalendar, WeekTableMiss } from './week-table.js';
export type { WeekTable } from './week-table.js';
export type { SnapshotCalendar } from './core.js';
export { parseInstant, parseBoundedDuration, instantInRange, MAX_TIMEOUT_SECONDS, MAX_MAX_AGE_SECONDS } from '../bounds.js';
export type { DurationBounds, DurationResult } from '../bounds.js';
export { workWindowOf } from './pace.js';
