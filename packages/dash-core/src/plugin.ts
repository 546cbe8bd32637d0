import type { Weekday } from './calendar.js';
import type { Logger } from './logger.js';
import type { StandardSchemaV1 } from './standard-schema.js';
import type { SourceHandle } from './store.js';

/**
 * The version of the contract below. The host refuses a plugin built for another one.
 * Bumped only for breaking changes (see docs/writing-a-plugin.md "API versioning").
 */
export const DASH_PLUGIN_API_VERSION = 1;

/** What a backend gets from the host, scoped to its own [[backends]] entry. */
export interface BackendContext {
  /** The instance id ([[backends]].id). */
  readonly id: string;
  /** Where the backend pushes entries and status; it can only touch its own source. */
  readonly store: SourceHandle;
  /** Namespaced, secret-masking logger; debug lines show with `--verbose`. */
  readonly log: Logger;
  /** The clock: use it instead of Date.now() so tests and `--at` can move time. */
  now(): Date;
  readonly timeZone: string;
  readonly weekStart: Weekday;
  /** The folder of the config file: resolve relative paths in options against it. */
  readonly configDir: string;
  /** A folder the backend may keep files in (tokens): `$XDG_DATA_HOME/dash/<id>`. Not created. */
  readonly dataDir: string;
  /** Registers a value (a token read from disk, say) that diagnostics (errors, logs) mask. */
  secret(value: string): void;
  /**
   * A short digest of `text` keyed with this install's random key (HMAC-SHA256, 32 hex digits):
   * stable on this machine, useless to anyone without the key. Use it for anything derived from a
   * secret that you store (in the cursor, in dataDir): "whose account was this" without the token.
   */
  fingerprint(text: string): string;
}

/** A range [from, to) the host wants in the store, with the signal that cancels the work. */
export interface SyncRequest {
  from: Date;
  to: Date;
  signal: AbortSignal;
}

/** What `watch` hands to a continuously running backend. */
export interface RunControl {
  /** Aborted when the host stops: return promptly. */
  signal: AbortSignal;
  /** The range the user is looking at now (it changes when they page to another week). */
  range(): { from: Date; to: Date };
}

export type HealthResult =
  | { ok: true; message?: string }
  /** `hint`: what the user can do about it (doctor shows it), e.g. where to get a new token. */
  | { ok: false; code: string; message: string; hint?: string };

export interface Backend {
  /**
   * Fetch [from, to) once and push it into the store (replaceRange/upsert/setRunning), then
   * resolve. Used by one-shot commands, by "sync now" and when the user pages to another week.
   * Throw a DashError (code AUTH_REQUIRED, RATE_LIMITED, NETWORK, ...) to report a failure.
   */
  sync(request: SyncRequest): Promise<void>;
  /**
   * Keep the store fresh until `control.signal` aborts: poll on the backend's own schedule or
   * hold a stream open. Optional: without it the host calls `sync` every `pollInterval`.
   */
  run?(control: RunControl): Promise<void>;
  /** For `dash-cli doctor`: does auth work, how much quota is left. */
  healthCheck?(signal: AbortSignal): Promise<HealthResult>;
  /** Release resources; called once when the host stops, even after a failure. */
  dispose?(): void | Promise<void>;
}

/** What `dash-cli auth <id>` gives a plugin's sign-in step. */
export interface AuthIO {
  /** Write a line for the user (stderr). */
  print(line: string): void;
  /** Ask the user for a line of text (undefined when there is no terminal). */
  prompt?(question: string): Promise<string | undefined>;
  signal: AbortSignal;
}

/** What every plugin says of itself, a backend or an output. */
export interface PluginIdentity<Options = unknown> {
  /** The npm package name, e.g. "dash-plugin-toggl" (a built-in output: "webhook", "influxdb"). */
  name: string;
  /** The plugin's own version (its package.json version). */
  version?: string;
  /** Must equal DASH_PLUGIN_API_VERSION of the dash-core the host runs. */
  apiVersion: number;
  /** One line for `dash-cli plugins`. */
  description?: string;
  /**
   * Validates the table's keys that are not Dash's own ([[backends]]: `plugin`/`id`;
   * [[outputs]]: also `events`/`instance`); zod 4 works as is.
   */
  optionsSchema: StandardSchemaV1<unknown, Options>;
  /**
   * Option keys whose values are secrets (tokens, passwords): diagnostics mask them and config
   * errors never echo them. A `${VAR}` in any other option is not a secret.
   */
  secretOptions?: readonly string[];
}

export interface BackendPlugin<Options = unknown> extends PluginIdentity<Options> {
  /** Without `run`, how often the host calls `sync` in `watch`, in seconds (default 300). */
  pollInterval?: number;
  createBackend(options: Options, context: BackendContext): Backend | Promise<Backend>;
  /** A one-time sign-in (OAuth and the like), run by `dash-cli auth <id>`. */
  auth?(options: Options, context: BackendContext, io: AuthIO): Promise<void>;
}

/** Identity helper that gives a plugin object its types: `export default defineBackendPlugin({...})`. */
export function defineBackendPlugin<Options>(plugin: BackendPlugin<Options>): BackendPlugin<Options> {
  return plugin;
}
