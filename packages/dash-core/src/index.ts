/**
 * dash-core: the TimeEntry model, config loading, the store, snapshot building, the backend
 * plugin contract and the host that runs plugins.
 * @module
 */
export { z } from 'zod';

export { DashError, ConfigError, isDashError, isConfigError, errorKind, DASH_ERROR_CODES } from './errors.js';
export type { DashErrorCode, DashErrorKind, PluginErrorCode, DashErrorOptions, ConfigIssue } from './errors.js';

export { TimeEntrySchema, EntryInputSchema, ProjectSchema, ColorSchema, toEpochSeconds, fromEpochSeconds } from './model.js';
export type { TimeEntry, EntryInput, Project, ProjectInput } from './model.js';

export { parseDuration, formatDuration, hoursOrDuration, secondsOrDuration } from './duration.js';
export {
  parseInstant,
  parseBoundedDuration,
  instantInRange,
  clampServerWait,
  retryAfterMs,
  MIN_INSTANT_MS,
  MAX_INSTANT_MS,
  MAX_TIMEOUT_SECONDS,
  MAX_MAX_AGE_SECONDS,
  MAX_SERVER_WAIT_MS,
} from './bounds.js';
export type { DurationBounds, DurationResult } from './bounds.js';

export { WEEKDAYS, weekOf, calendarDay, addDays, localDateOf, localHourOf, localIso, isValidTimeZone, systemTimeZone } from './calendar.js';
export type { Weekday, CalendarDay } from './calendar.js';

export { Store } from './store.js';
export type { SourceHandle, SourceState, SourceStatusState, SourceError, StatusUpdate, StoreState, StoreEvents, TimeRange, RejectedEntry } from './store.js';

export { buildSnapshot, projectKeyOf, SNAPSHOT_SCHEMA_VERSION } from './snapshot/build.js';
export { WORK_WINDOW_HOURS, workWindowOf } from './snapshot/pace.js';
export type { Pace } from './snapshot/pace.js';
export type { Snapshot, SnapshotOptions, SnapshotDay, SnapshotHour, SnapshotProject, SnapshotClockedIn, SnapshotSource, ProjectRef, Goals } from './snapshot/build.js';

export { findConfig, configDir } from './config/find.js';
export type { FindConfigOptions, FoundConfig } from './config/find.js';
export { assertTrusted, contentHash, readTrustStore, revokeTrust, trustCommand, trustConfig, trustPath, trustState, trustStoreFile } from './config/trust.js';
export type { TrustRecord, TrustState } from './config/trust.js';
export { loadConfig, checkConfig, defaultBackendId } from './config/load.js';
export type { DashConfig, BackendConfig, OutputConfig, LoadedConfig, ServeConfig } from './config/load.js';

export { DASH_PLUGIN_API_VERSION, defineBackendPlugin } from './plugin.js';
export type { PluginIdentity, BackendPlugin, Backend, BackendContext, SyncRequest, RunControl, HealthResult, AuthIO } from './plugin.js';
export type { StandardSchemaV1 } from './standard-schema.js';
export { defineOutputPlugin } from './output.js';
export type { OutputPlugin, Output, OutputContext, OutputState } from './output.js';

export { normalizePluginName, resolvePlugin } from './host/resolve.js';
export type { ResolvedPlugin } from './host/resolve.js';
export { loadPlugins, prepareBackends, checkPluginShape } from './host/prepare.js';
export type { LoadedPlugin, PreparedBackend, PrepareOptions } from './host/prepare.js';
export { PluginHost, dataHome, DEFAULT_DEADLINES, WATCH_SYNC_LIMIT_MS, pluginStack } from './host/host.js';
export { prepareOutputs, checkOutputPluginShape } from './host/prepare-outputs.js';
export type { PreparedOutput, PrepareOutputsOptions } from './host/prepare-outputs.js';
export { supervise, blameCrash } from './host/supervise.js';
export type { Supervisor } from './host/supervise.js';
export { withDeadline } from './host/deadline.js';
export { createBackendContext } from './host/context.js';
export type { BackendContextOptions } from './host/context.js';
export type { HostOptions, HostDeadlines, SyncOutcome } from './host/host.js';

export {
  cacheDir,
  cacheFileFor,
  backendFingerprint,
  CACHE_FORMAT,
  CACHE_VERSION,
  readCache,
  readCacheSync,
  writeCache,
  mergeWithDisk,
  loadCache,
  attachCache,
  sourceFreshness,
  DEFAULT_MAX_AGE_SECONDS,
  takeSyncTurn,
  syncLockFileFor,
  MAX_LOCK_MS,
  saveCursors,
} from './cache/index.js';
export type {
  FingerprintInput,
  CacheFile,
  CachedSourceMeta,
  CacheReadResult,
  WriteCacheOptions,
  LoadCacheOptions,
  LoadedCache,
  AttachCacheOptions,
  CacheHandle,
  Freshness,
  FreshnessOptions,
  HeldSyncLock,
  SyncTurn,
  SyncLockOptions,
  CursorUpdate,
} from './cache/index.js';

export { createLogger, silentLogger } from './logger.js';
export type { Logger, LogLevel, LoggerOptions } from './logger.js';
export { Redactor } from './redact.js';
export { writeFileAtomic } from './atomic-write.js';
export { processAlive } from './process-alive.js';
export { installKey, readInstallKey, installKeyFile, keyedDigest } from './install-key.js';

export { demoPlugin } from './demo.js';
export { terminalText, terminalLines, hasControlCharacters, jsonText, REPLACEMENT } from './terminal-text.js';

export { EventDeriver, deriveEvents, eventFacts, eventId, DASH_EVENT_TYPES } from './events/index.js';
export type { DashEvent, DashEventData, DashEventType, EventEntry, EventFacts, EventSource, GoalName } from './events/index.js';
