import type { DashEvent } from './events/types.js';
import type { Logger } from './logger.js';
import type { TimeEntry } from './model.js';
import type { PluginIdentity } from './plugin.js';

/**
 * The output half of the plugin contract (README § Outputs): where Dash sends what it knows.
 * Versioned with DASH_PLUGIN_API_VERSION, like backends.
 */

/** What an output gets from the host, scoped to its own [[outputs]] entry. */
export interface OutputContext {
  /** The instance id ([[outputs]].id). */
  readonly id: string;
  /** Names this Dash install in shared sinks (the `instance` option, default: the host name). */
  readonly instance: string;
  /** Namespaced, secret-masking logger. */
  readonly log: Logger;
  /** The clock (tests move it). */
  now(): Date;
  /** The folder of the config file. */
  readonly configDir: string;
  /**
   * This output's own folder for durable state (an outbox, what was written):
   * `$XDG_DATA_HOME/dash/outputs/<id>`, shared by every Dash process of this user. Created.
   */
  readonly dataDir: string;
  /** Registers a value that diagnostics mask. */
  secret(value: string): void;
  /** Aborted when the host stops. */
  readonly signal: AbortSignal;
  /**
   * True when the output is created only to be looked at or tested (`dash-cli outputs`, `outputs
   * test`, `doctor`), not run: start no background work, and let `state()` tell what the durable
   * storage says (delivered then counts what was delivered by any process, as far as it knows).
   * Optional: hosts before it never set it.
   */
  readonly passive?: boolean;
}

/** How an output is doing, for `dash-cli outputs`, `doctor` and serve. */
export interface OutputState {
  /** ok: nothing waiting · queued: waiting, not failing · failing: the last attempt failed · disabled: given up (410, say). */
  status: 'ok' | 'queued' | 'failing' | 'disabled';
  /** Deliveries (events or points) waiting in the durable outbox. */
  queued: number;
  /** Deliveries acknowledged since this process started. */
  delivered: number;
  /** ISO instant of the first failure of the current failing run, else null. */
  failingSince: string | null;
  lastError: { code: string; message: string } | null;
}

export interface Output {
  /** A domain event happened (clock.in, clock.out, goal.reached, source.status). Must not block: queue and return. */
  event?(event: DashEvent): void | Promise<void>;
  /**
   * The entries the store holds changed: `entries` is everything it holds now (all sources).
   * Called once at start (a backfill) and after every change, coalesced. Must not block.
   */
  entries?(entries: readonly TimeEntry[]): void | Promise<void>;
  /** For `dash-cli outputs test <id>`: deliver one test event now and say what the receiver answered. */
  test?(signal: AbortSignal): Promise<{ ok: boolean; message: string }>;
  state(): OutputState;
  /** Stop timers, finish or abandon in-flight work (queued work stays in the outbox). */
  dispose?(): void | Promise<void>;
}

export interface OutputPlugin<Options = unknown> extends PluginIdentity<Options> {
  createOutput(options: Options, context: OutputContext): Output | Promise<Output>;
}

/** Identity helper that gives an output plugin object its types. */
export function defineOutputPlugin<Options>(plugin: OutputPlugin<Options>): OutputPlugin<Options> {
  return plugin;
}
