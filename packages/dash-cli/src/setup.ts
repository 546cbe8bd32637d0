import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DashError, type Logger } from 'dash-core';
import {
  assertTrusted,
  attachCache,
  backendFingerprint,
  blameCrash,
  cacheFileFor,
  loadCache,
  checkConfig,
  createLogger,
  demoPlugin,
  findConfig,
  installKey,
  loadConfig,
  PluginHost,
  prepareBackends,
  prepareOutputs,
  ConfigError,
  Redactor,
  Store,
  type CacheHandle,
  type DashConfig,
  type HostDeadlines,
  type LoadedConfig,
  type PreparedBackend,
  type PreparedOutput,
} from 'dash-core/host';
import { BUILTIN_OUTPUTS } from './outputs/registry.js';
import { blameWith } from './crash.js';
import { saveConfigRecord } from './snapshot/config-record.js';

export interface GlobalOptions {
  config?: string;
  demo?: boolean;
  verbose?: boolean;
}

export interface Session {
  config: DashConfig;
  backends: PreparedBackend[];
  /** The [[outputs]], loaded and checked (empty unless the session was opened with `outputs: true`). */
  outputs: PreparedOutput[];
  store: Store;
  host: PluginHost;
  log: Logger;
  redactor: Redactor;
  /** Entries the store skipped as invalid, by source id (each is named in --verbose). */
  rejected: Map<string, number>;
}

/** Plugins that need no install. */
const BUILTINS = { demo: demoPlugin } as const;

/** The CLI's own install: official plugins are found here when the config's folder has none. */
const CLI_DIR = dirname(fileURLToPath(import.meta.url));

/** Goals the demo shows when there is no config of the user's. */
const DEMO_DOCUMENT = {
  goals: { weekly: 40, weekly_billable: 30, daily: 8, daily_billable: 6 },
  backends: [{ plugin: 'demo', id: 'demo' }],
};

/**
 * Finds, reads and checks the config; throws DashError for the user. `--demo` swaps the
 * backends for the built-in demo but keeps the user's time zone, week and goals, if any.
 */
export async function openConfig(options: GlobalOptions, settings: { outputs?: boolean } = {}): Promise<{ config: DashConfig; backends: PreparedBackend[]; outputs: PreparedOutput[] }> {
  return prepareConfig(readConfig(options), settings);
}

/**
 * Loads every plugin of a read config and checks its options (one ConfigError with every issue).
 * `outputs: true` (the long-running hosts, `dash-cli outputs`) loads the [[outputs]] plugins too;
 * their problems are reported with the backends' in the same error.
 */
export async function prepareConfig(
  loaded: LoadedConfig,
  settings: { outputs?: boolean } = {},
): Promise<{ config: DashConfig; backends: PreparedBackend[]; outputs: PreparedOutput[] }> {
  let outputs: PreparedOutput[] = [];
  let issues = loaded.issues;
  if (settings.outputs && loaded.config.outputs.length > 0) {
    try {
      outputs = await prepareOutputs(loaded, { builtins: BUILTIN_OUTPUTS, fallbackDirs: [CLI_DIR] });
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      issues = [...loaded.issues.filter((issue) => !issue.path.startsWith('outputs')), ...error.issues];
    }
  }
  const backends = await prepareBackends({ ...loaded, issues }, { builtins: BUILTINS, fallbackDirs: [CLI_DIR] });
  return { config: loaded.config, backends, outputs };
}

/**
 * Finds and reads the config without loading any plugin (the snapshot's cached path stays
 * light); `issues` are reported by prepareConfig. A `./dash.toml` found in the current folder
 * must be trusted (`dash-cli trust`), checked on the bytes read, else CONFIG_UNTRUSTED. `--demo`
 * runs only the built-in demo plugin and takes nothing but settings (zone, week, goals) from
 * the file, so it needs no trust.
 */
export function readConfig(options: GlobalOptions): LoadedConfig {
  const found = findConfig({ explicit: options.config });
  let loaded: LoadedConfig;
  if (options.demo) {
    const demo = checkConfig(DEMO_DOCUMENT, { dir: process.cwd() });
    const own = found.file && existsSync(found.file) ? loadConfig(found.file) : undefined;
    loaded = own
      ? // The demo's made-up week never reaches the user's outputs.
        { ...demo, config: { ...own.config, backends: demo.config.backends, outputs: [], secrets: [] }, issues: own.issues.filter((issue) => !/^(backends|outputs)/.test(issue.path)) }
      : demo;
  } else {
    if (!found.file) {
      throw new DashError('CONFIG_NOT_FOUND', `no config file found (looked at ${found.searched.join(', ')})`, {
        hint: 'create one with `dash-cli init`, point to one with --config PATH, or try the demo: `dash-cli snapshot --demo`',
      });
    }
    assertTrusted(found);
    loaded = loadConfig(found.file);
    assertTrusted(found, { text: loaded.text });
    if (loaded.issues.length === 0 && loaded.config.backends.length === 0) throw noBackends(found.file);
  }
  return loaded;
}

/** A config without a [[backends]] table has nothing to show: say so, and how to add one. */
function noBackends(file: string): DashError {
  return new DashError(
    'CONFIG_INVALID',
    `${file} has no [[backends]]: there is no time to show. Add one, e.g. for Toggl:\n\n[[backends]]\nplugin = "toggl"\napi_token = "\${TOGGL_API_TOKEN}"\n`,
    { hint: 'or start over with a commented config: `dash-cli init --toggl --config NEW.toml`; to look around first: `dash-cli watch --demo`' },
  );
}

/**
 * Where a config's cache lives and what identifies each backend's data in it: one file per
 * config file (by its path); the demo has its own, so it never mixes with real data.
 */
export function cacheTarget(options: GlobalOptions, config: DashConfig): { file: string; fingerprints: Record<string, string> } {
  const key = options.demo ? `demo:${config.file ?? ''}` : (config.file ?? config.dir);
  const fingerprints: Record<string, string> = {};
  const secret = installKey();
  for (const backend of config.backends) fingerprints[backend.id] = backendFingerprint(backend, secret);
  return { file: cacheFileFor(key), fingerprints };
}

/** Config + store + host, ready to sync. */
export async function openSession(
  options: GlobalOptions & { now?: () => Date; store?: Store; loaded?: LoadedConfig; deadlines?: Partial<HostDeadlines>; outputs?: boolean },
): Promise<Session> {
  const settings = { outputs: options.outputs === true };
  const { config, backends, outputs } = options.loaded ? await prepareConfig(options.loaded, settings) : await openConfig(options, settings);
  const redactor = new Redactor().add(...config.secrets);
  blameWith(blameCrash, (text) => redactor.redact(text));
  const log = createLogger({ level: options.verbose ? 'debug' : 'warn', redactor });
  // A store restored from the cache keeps its entries and each backend's cursor.
  const store = options.store ?? new Store();
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
  return { config, backends, outputs, store, host, log, redactor, rejected };
}

/**
 * A session on the persisted cache, for long-running commands (`watch`): the store starts with
 * what the cache holds (every source "stale" until its first sync, each backend's cursor kept,
 * so the first sync is incremental), and is saved back, debounced, as it changes. Call
 * `cache.close()` before exiting. `warning` tells why an unusable cache was ignored.
 */
export async function openCachedSession(
  options: GlobalOptions & { now?: () => Date; outputs?: boolean },
  settings: { debounceMs?: number } = {},
): Promise<{ session: Session; cache: CacheHandle; warning: string | undefined }> {
  const loaded = readConfig(options);
  const target = cacheTarget(options, loaded.config);
  const cached = loadCache(target.file, { fingerprints: target.fingerprints, markStale: true });
  const session = await openSession({ ...options, loaded, store: cached.store });
  // The config is valid: the record lets the next start draw its first frame from the cache.
  if (!options.demo && loaded.config.file !== undefined) saveConfigRecord(loaded, target, undefined);
  const cache = attachCache(session.store, target.file, {
    fingerprints: target.fingerprints,
    pollIntervals: Object.fromEntries(session.backends.map((backend) => [backend.config.id, backend.plugin.pollInterval])),
    range: () => session.host.range,
    restored: cached,
    debounceMs: settings.debounceMs ?? 2_000,
    onError: (error) => session.log.debug(`cache: ${error instanceof Error ? error.message : String(error)}`),
  });
  return { session, cache, warning: cached.warning };
}
