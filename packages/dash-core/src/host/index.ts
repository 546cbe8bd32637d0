/**
 * `dash-core/host`: what a host of plugins needs (dash-cli, or your own program): config
 * loading and trust, the store, snapshot building, the plugin host and its supervision, the
 * cache, events, and the diagnostics helpers. Plugins import the contract from `dash-core`
 * instead; names here may change in a minor release of dash-core when a host needs it (see
 * the package README, "Entry points").
 * @module
 */
export { ConfigError, isConfigError } from '../errors.js';
export type { ConfigIssue } from '../errors.js';

export { hoursOrDuration, secondsOrDuration } from '../duration.js';
export { parseInstant, parseBoundedDuration, MAX_TIMEOUT_SECONDS, MAX_MAX_AGE_SECONDS } from '../bounds.js';
export type { DurationBounds, DurationResult } from '../bounds.js';
export { systemTimeZone } from '../calendar.js';

export { Store } from '../store.js';
export type { SourceState, StoreState, StoreEvents, RejectedEntry } from '../store.js';

export { buildSnapshot, projectKeyOf, SNAPSHOT_SCHEMA_VERSION } from '../snapshot/build.js';
export { workWindowOf } from '../snapshot/pace.js';
export type { Pace } from '../snapshot/pace.js';
export type { Snapshot, SnapshotOptions, SnapshotDay, SnapshotHour, SnapshotProject, SnapshotClockedIn, SnapshotSource, ProjectRef, Goals } from '../snapshot/build.js';

export { findConfig, configDir } from '../config/find.js';
export type { FindConfigOptions, FoundConfig } from '../config/find.js';
export { assertTrusted, readTrustStore, revokeTrust, trustConfig, trustPath, trustState, trustStoreFile } from '../config/trust.js';
export type { TrustRecord, TrustState } from '../config/trust.js';
export { loadConfig, checkConfig } from '../config/load.js';
export type { DashConfig, BackendConfig, OutputConfig, LoadedConfig, ServeConfig } from '../config/load.js';

export { normalizePluginName, resolvePlugin } from './resolve.js';
export type { ResolvedPlugin } from './resolve.js';
export { loadPlugins, prepareBackends } from './prepare.js';
export type { LoadedPlugin, PreparedBackend, PrepareOptions } from './prepare.js';
export { PluginHost, dataHome, DEFAULT_DEADLINES, WATCH_SYNC_LIMIT_MS, pluginStack } from './host.js';
export type { HostOptions, HostDeadlines, SyncOutcome, RangeLease, HealthOutcome } from './host.js';
export { prepareOutputs } from './prepare-outputs.js';
export type { PreparedOutput, PrepareOutputsOptions } from './prepare-outputs.js';
export { supervise, blameCrash } from './supervise.js';
export type { Supervisor } from './supervise.js';
export { withDeadline } from './deadline.js';
export { createBackendContext } from './context.js';
export type { BackendContextOptions } from './context.js';

export {
  cacheDir,
  cacheFileFor,
  backendFingerprint,
  CACHE_FORMAT,
  CACHE_VERSION,
  readCacheSync,
  writeCache,
  mergeWithDisk,
  loadCache,
  attachCache,
  sourceFreshness,
  takeSyncTurn,
  saveCursors,
} from '../cache/index.js';
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
} from '../cache/index.js';

export { createLogger, silentLogger } from '../logger.js';
export type { LoggerOptions } from '../logger.js';
export { Redactor } from '../redact.js';
export { processAlive } from '../process-alive.js';
export { installKey, readInstallKey, installKeyFile } from '../install-key.js';

export { demoPlugin } from '../demo.js';
export { terminalText, terminalLines, hasControlCharacters, jsonText } from '../terminal-text.js';

export { EventDeriver, eventId } from '../events/index.js';


export { openSession, preparePlugins, cacheTargetFor } from './session.js';
export type { Session, SessionOptions, PluginSources, PreparedPlugins, CacheTarget } from './session.js';
