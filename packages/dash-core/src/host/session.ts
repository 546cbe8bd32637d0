import type { Logger, LogLevel } from '../logger.js';
import { createLogger } from '../logger.js';
import { ConfigError } from '../errors.js';
import { Redactor } from '../redact.js';
import { Store } from '../store.js';
import type { DashConfig, LoadedConfig } from '../config/load.js';
import { attachCache, backendFingerprint, cacheFileFor, loadCache, type CacheHandle } from '../cache/index.js';
import { installKey } from '../install-key.js';
import { PluginHost, type HostDeadlines } from './host.js';
import { prepareBackends, type PreparedBackend, type PrepareOptions } from './prepare.js';
import { prepareOutputs, type PreparedOutput } from './prepare-outputs.js';

/** Where a host finds plugins besides the config's own folder. */
export interface PluginSources {
  /** Backend plugins that need no install (the demo), by the name used in config. */
  builtins?: PrepareOptions['builtins'];
  /** Outputs that ship with the host, loaded only when a config names them. */
  builtinOutputs?: Readonly<Record<string, () => Promise<unknown>>>;
  /** Folders to resolve packages from after the config's own (the host's install). */
  fallbackDirs?: readonly string[];
}

/** A read config's plugins, loaded and checked. */
export interface PreparedPlugins {
  config: DashConfig;
  backends: PreparedBackend[];
  /** The [[outputs]] (empty unless asked for with `outputs: true`). */
  outputs: PreparedOutput[];
}

/**
 * Loads every plugin of a read config and checks its options: one ConfigError with every issue.
 * `outputs: true` (the long-running hosts) loads the [[outputs]] plugins too; their problems are
 * reported with the backends' in the same error.
 */
export async function preparePlugins(loaded: LoadedConfig, options: PluginSources & { outputs?: boolean } = {}): Promise<PreparedPlugins> {
  const fallbackDirs = options.fallbackDirs ?? [];
  let outputs: PreparedOutput[] = [];
  let issues = loaded.issues;
  if (options.outputs && loaded.config.outputs.length > 0) {
    try {
      outputs = await prepareOutputs(loaded, { builtins: options.builtinOutputs ?? {}, fallbackDirs });
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      issues = [...loaded.issues.filter((issue) => !issue.path.startsWith('outputs')), ...error.issues];
    }
  }
  const backends = await prepareBackends({ ...loaded, issues }, { builtins: options.builtins ?? {}, fallbackDirs });
  return { config: loaded.config, backends, outputs };
}

/** Where a config's cache lives (one file per `key`, e.g. the config file's path) and what identifies each backend's data in it. */
export interface CacheTarget {
  file: string;
  /** Each backend's fingerprint: data cached for another config of that id is not shown. */
  fingerprints: Record<string, string>;
}

export function cacheTargetFor(key: string, config: DashConfig): CacheTarget {
  const secret = installKey();
  const fingerprints: Record<string, string> = {};
  for (const backend of config.backends) fingerprints[backend.id] = backendFingerprint(backend, secret);
  return { file: cacheFileFor(key), fingerprints };
}

export interface SessionOptions extends PluginSources {
  /** A read config (loadConfig / checkConfig); its issues are thrown as one ConfigError. */
  loaded: LoadedConfig;
  /** Load and check the [[outputs]] too (hosts that run them). */
  outputs?: boolean;
  /**
   * The persisted cache: the store starts with what it holds (each source "stale" until its
   * first sync, each backend's cursor kept, so the first sync is incremental) and is saved back,
   * debounced, as it changes. Without it the store starts empty and nothing is saved.
   */
  cache?: CacheTarget & {
    debounceMs?: number;
    /** Show restored sources as "stale" until their first sync (default true). */
    markStale?: boolean;
    onError?: (error: unknown) => void;
  };
  now?: () => Date;
  deadlines?: Partial<HostDeadlines>;
  /** Default 'warn'. */
  logLevel?: LogLevel;
}

/** Config + store + plugin host (+ cache), ready to sync or run; `close()` ends it. */
export interface Session extends PreparedPlugins {
  store: Store;
  host: PluginHost;
  log: Logger;
  /** Masks the config's secrets in diagnostics. */
  redactor: Redactor;
  /** Entries the store skipped as invalid, by source id (each is logged at debug level). */
  rejected: Map<string, number>;
  /** The cache the store is saved to (with `cache`). */
  cache: CacheHandle | undefined;
  /** Why an unusable cache was ignored. */
  cacheWarning: string | undefined;
  /** Stops the backends (within the deadlines), then saves the cache. Never rejects. */
  close(): Promise<void>;
}

/**
 * The one way to open a session, for every host (dash-cli's watch, snapshot, doctor, serve,
 * status --follow, and tests): config in; running host, store, cache and events out.
 */
export async function openSession(options: SessionOptions): Promise<Session> {
  const plugins = await preparePlugins(options.loaded, options);
  const { config, backends } = plugins;
  const redactor = new Redactor().add(...config.secrets);
  const log = createLogger({ level: options.logLevel ?? 'warn', redactor });
  const cached = options.cache ? loadCache(options.cache.file, { fingerprints: options.cache.fingerprints, markStale: options.cache.markStale ?? true }) : undefined;
  const store = cached?.store ?? new Store();
  const rejected = new Map<string, number>();
  store.on('rejected', ({ source, id, reason }) => {
    rejected.set(source, (rejected.get(source) ?? 0) + 1);
    log.child(source).debug(`skipped an invalid entry${id === null ? '' : ` (id ${id})`}: ${reason}`);
  });
  const host = new PluginHost({
    store,
    backends,
    timeZone: config.timezone,
    weekStart: config.weekStart,
    log,
    redactor,
    configDir: config.dir,
    ...(options.now ? { now: options.now } : {}),
    ...(options.deadlines ? { deadlines: options.deadlines } : {}),
  });
  const target = options.cache;
  const cache =
    target && cached
      ? attachCache(store, target.file, {
          fingerprints: target.fingerprints,
          pollIntervals: Object.fromEntries(backends.map((backend) => [backend.config.id, backend.plugin.pollInterval])),
          range: () => host.range,
          restored: cached,
          debounceMs: target.debounceMs ?? 2_000,
          onError: target.onError ?? ((error) => log.debug(`cache: ${error instanceof Error ? error.message : String(error)}`)),
        })
      : undefined;
  return {
    ...plugins,
    store,
    host,
    log,
    redactor,
    rejected,
    cache,
    cacheWarning: cached?.warning,
    async close() {
      await host.stop();
      await cache?.close().catch(() => {});
    },
  };
}
