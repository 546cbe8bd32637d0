import { existsSync } from 'node:fs';
import { DashError } from 'dash-core';
import {
  assertTrusted,
  blameCrash,
  cacheTargetFor,
  checkConfig,
  findConfig,
  loadConfig,
  openSession,
  preparePlugins,
  type CacheTarget,
  type DashConfig,
  type HostDeadlines,
  type LoadedConfig,
  type PreparedPlugins,
  type Session,
} from 'dash-core/host';
import { blameWith } from './crash.js';
import { PLUGIN_SOURCES } from './plugin-sources.js';
import { saveConfigRecord } from './snapshot/config-record.js';

/**
 * The CLI's side of a session (dash-core's openSession does the rest): which config (--config,
 * $DASH_CONFIG, --demo, trust), where its cache is, the CLI's built-in plugins, --verbose, and
 * the config record the next read command takes.
 */

export type { Session } from 'dash-core/host';

export interface GlobalOptions {
  config?: string;
  demo?: boolean;
  verbose?: boolean;
}

/** Goals the demo shows when there is no config of the user's. */
const DEMO_DOCUMENT = {
  goals: { weekly: 40, weekly_billable: 30, daily: 8, daily_billable: 6 },
  backends: [{ plugin: 'demo', id: 'demo' }],
};

/**
 * Finds, reads and checks the config and loads its plugins; throws DashError for the user.
 * `--demo` swaps the backends for the built-in demo but keeps the user's time zone, week and
 * goals, if any.
 */
export async function openConfig(options: GlobalOptions, settings: { outputs?: boolean } = {}): Promise<PreparedPlugins> {
  return preparePlugins(readConfig(options), { ...PLUGIN_SOURCES, ...settings });
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
 * Where a config's cache lives: one file per config file (by its path); the demo has its own, so
 * it never mixes with real data.
 */
export function cacheTarget(options: GlobalOptions, config: DashConfig): CacheTarget {
  return cacheTargetFor(options.demo ? `demo:${config.file ?? ''}` : (config.file ?? config.dir), config);
}

export interface CliSessionOptions extends GlobalOptions {
  now?: () => Date;
  /** The config, when the command has read it already. */
  loaded?: LoadedConfig;
  deadlines?: Partial<HostDeadlines>;
  /** Load and run the [[outputs]] (the long-running hosts). */
  outputs?: boolean;
  /**
   * On the persisted cache (see dash-core's openSession): long-running commands, and snapshot's
   * sync. A valid config's record is saved too, so the next start reads the cache at once.
   */
  cache?: { debounceMs?: number; markStale?: boolean; onError?: (error: unknown) => void; /** Default true. */ saveRecord?: boolean };
}

/** dash-core's session, opened the CLI's way. Call `session.close()` before exiting. */
export async function openCliSession(options: CliSessionOptions): Promise<Session> {
  const loaded = options.loaded ?? readConfig(options);
  const target = options.cache ? cacheTarget(options, loaded.config) : undefined;
  const session = await openSession({
    ...PLUGIN_SOURCES,
    loaded,
    outputs: options.outputs === true,
    logLevel: options.verbose ? 'debug' : 'warn',
    ...(options.now ? { now: options.now } : {}),
    ...(options.deadlines ? { deadlines: options.deadlines } : {}),
    ...(target && options.cache ? { cache: { ...target, ...options.cache } } : {}),
  });
  blameWith(blameCrash, (text) => session.redactor.redact(text));
  if (target && options.cache?.saveRecord !== false && !options.demo && loaded.config.file !== undefined) saveConfigRecord(loaded, target, undefined);
  return session;
}
