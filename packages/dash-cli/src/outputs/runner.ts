import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  type DashEvent,
  type Logger,
  type Output,
  type OutputContext,
  type OutputState,
  type TimeEntry,
} from 'dash-core';
import {
  dataHome,
  supervise,
  withDeadline,
  type PreparedOutput,
  type Redactor,
} from 'dash-core/host';

export interface OutputRunnerOptions {
  outputs: readonly PreparedOutput[];
  /** Where entries come from (the session's store). */
  store: {
    /** Everything it holds (Store.toJSON's entries: the index's own list, no scan over days). */
    toJSON(): { entries: TimeEntry[] };
    on(event: 'change', listener: () => void): unknown;
    off(event: 'change', listener: () => void): unknown;
  };
  log: Logger;
  redactor: Redactor;
  now: () => Date;
  configDir: string;
  /** Default: dataHome() (`$XDG_DATA_HOME/dash`); each output's dataDir is `<this>/outputs/<id>`. */
  dataHome?: string;
  /** Store changes within this window are handed to `entries` once (default 1 s). */
  entriesDelayMs?: number;
  /** How long one call (event, entries) may take before the runner moves on (default 5 s). */
  callTimeoutMs?: number;
  /** How long createOutput may take (default 10 s). */
  createTimeoutMs?: number;
  /** Create the outputs to look at or test them only (OutputContext.passive). */
  passive?: boolean;
}

/** One output's place in the runner. */
interface Slot {
  prepared: PreparedOutput;
  output: Output | undefined;
  /** Why it could not be created. */
  failure: { code: string; message: string } | undefined;
  /** Its calls, in order: one slow call delays only this output's next ones. */
  chain: Promise<void>;
  pending: number;
  entriesQueued: boolean;
  log: Logger;
}

/** What `dash-cli outputs` / doctor show of one output. */
export interface OutputStatus {
  id: string;
  plugin: string;
  events: string[];
  /** undefined when it could not be created (see `error`). */
  state: OutputState | undefined;
  error: { code: string; message: string } | undefined;
}

/** A hanging output gets no more than this many calls waiting; newer ones are dropped with a warning. */
const MAX_PENDING = 1_000;
/** At stop, calls still waiting get this long before dispose. */
const STOP_GRACE_MS = 2_000;

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Runs the [[outputs]] of a long-running host (`watch`, `serve`): creates each, hands it the
 * domain events its `events` list asks for, and every entry the store holds at start and after
 * changes (coalesced). Every call is guarded: an output that throws, rejects or hangs gets a
 * warning and never blocks the dashboard, the server or the other outputs; an error its own
 * timers raise is blamed on it (dash-core's supervise) and the host carries on.
 */
export class OutputRunner {
  readonly #options: OutputRunnerOptions;
  readonly #slots: Slot[];
  readonly #stop = new AbortController();
  #entriesTimer: NodeJS.Timeout | undefined;
  #started: Promise<void> | undefined;
  readonly #onChange = () => {
    if (this.#stop.signal.aborted) return;
    this.#entriesTimer ??= setTimeout(() => {
      this.#entriesTimer = undefined;
      this.#sendEntries();
    }, this.#options.entriesDelayMs ?? 1_000);
  };

  constructor(options: OutputRunnerOptions) {
    this.#options = options;
    this.#slots = options.outputs.map((prepared) => ({
      prepared,
      output: undefined,
      failure: undefined,
      chain: Promise.resolve(),
      pending: 0,
      entriesQueued: false,
      log: options.log.child(`output ${prepared.config.id}`),
    }));
  }

  get size(): number {
    return this.#slots.length;
  }

  /**
   * Creates every output (in parallel, each with a deadline), each then gets its backfill; follows
   * the store. Resolves once every output is created or has failed to; never rejects.
   */
  start(): Promise<void> {
    this.#started ??= (async () => {
      if (!this.#options.passive) this.#options.store.on('change', this.#onChange);
      // Creation is each output's first call: events published meanwhile wait behind it, and a
      // slow one delays only its own output.
      await Promise.all(
        this.#slots.map(
          (slot) =>
            (slot.chain = slot.chain.then(async () => {
              await this.#create(slot);
              if (!this.#options.passive && !this.#stop.signal.aborted) this.#sendEntries([slot]);
            })),
        ),
      );
    })();
    return this.#started;
  }

  /** Domain events as the host derived them (in order): each output gets the types it asked for. */
  publish(events: readonly DashEvent[]): void {
    if (this.#stop.signal.aborted) return;
    for (const event of events) {
      for (const slot of this.#slots) {
        if (!slot.prepared.config.events.includes(event.type)) continue;
        this.#call(slot, `event(${event.type})`, (output) => output.event?.(event));
      }
    }
  }

  /** Each output's state (or why it is not running). */
  statuses(): OutputStatus[] {
    return this.#slots.map((slot) => {
      let state: OutputState | undefined;
      let error = slot.failure;
      if (slot.output) {
        try {
          state = this.#supervised(slot, () => slot.output!.state());
        } catch (cause) {
          error = { code: 'OUTPUT_FAILED', message: `state() threw: ${this.#options.redactor.redact(messageOf(cause))}` };
        }
      }
      return { id: slot.prepared.config.id, plugin: slot.prepared.config.plugin, events: [...slot.prepared.config.events], state, error };
    });
  }

  /** The output with this id, once created (for `dash-cli outputs test`). */
  output(id: string): Output | undefined {
    return this.#slots.find((slot) => slot.prepared.config.id === id)?.output;
  }

  /** Stops following the store and disposes of every output (each within the call deadline). */
  async stop(): Promise<void> {
    if (this.#stop.signal.aborted) return;
    this.#stop.abort();
    clearTimeout(this.#entriesTimer);
    this.#options.store.off('change', this.#onChange);
    await this.#started;
    await Promise.all(
      this.#slots.map(async (slot) => {
        // What was already handed over gets a moment to finish (a hanging output does not hold the exit).
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([slot.chain, new Promise<void>((resolve) => (timer = setTimeout(resolve, STOP_GRACE_MS)))]);
        clearTimeout(timer);
        const output = slot.output;
        if (!output?.dispose) return;
        await this.#guard(slot, 'dispose()', () => output.dispose!());
      }),
    );
  }

  #supervised<T>(slot: Slot, call: () => T): T {
    return supervise(
      {
        id: `output ${slot.prepared.config.id}`,
        crashed: (error) => slot.log.warn(`crashed: ${this.#options.redactor.redact(messageOf(error))}`),
      },
      call,
    );
  }

  /** Runs one plugin call with the deadline; a throw, a rejection or a hang becomes a warning. */
  async #guard(slot: Slot, label: string, call: () => unknown, timeoutMs = this.#options.callTimeoutMs ?? 5_000): Promise<boolean> {
    try {
      await withDeadline(
        Promise.resolve().then(() => this.#supervised(slot, call)),
        timeoutMs,
        () => new Error(`${label} took longer than ${timeoutMs / 1000} s; moving on`),
      );
      return true;
    } catch (error) {
      slot.log.warn(`${label} failed: ${this.#options.redactor.redact(messageOf(error))}`);
      return false;
    }
  }

  async #create(slot: Slot): Promise<void> {
    const { prepared } = slot;
    const home = this.#options.dataHome ?? dataHome();
    const dataDir = join(home, 'outputs', prepared.config.id);
    const context: OutputContext = {
      id: prepared.config.id,
      instance: prepared.config.instance,
      log: slot.log,
      now: this.#options.now,
      configDir: this.#options.configDir,
      dataDir,
      secret: (value) => void this.#options.redactor.add(value),
      signal: this.#stop.signal,
      ...(this.#options.passive ? { passive: true } : {}),
    };
    try {
      slot.log.debug('starting');
      mkdirSync(dataDir, { recursive: true, mode: 0o700 });
      const timeoutMs = this.#options.createTimeoutMs ?? 10_000;
      slot.output = await withDeadline(
        Promise.resolve().then(() => this.#supervised(slot, () => prepared.plugin.createOutput(prepared.options, context))),
        timeoutMs,
        () => new Error(`createOutput took longer than ${timeoutMs / 1000} s`),
      );
      slot.log.debug('started');
    } catch (error) {
      const message = this.#options.redactor.redact(messageOf(error));
      slot.failure = { code: 'OUTPUT_FAILED', message };
      slot.log.warn(`cannot start: ${message}`);
    }
  }

  #call(slot: Slot, label: string, call: (output: Output) => unknown): void {
    if (slot.failure) return;
    if (slot.pending >= MAX_PENDING) {
      slot.log.warn(`${label} dropped: ${MAX_PENDING} calls are still waiting for this output`);
      return;
    }
    slot.pending++;
    slot.chain = slot.chain.then(async () => {
      slot.pending--;
      if (slot.output) await this.#guard(slot, label, () => call(slot.output!));
    });
  }

  #sendEntries(slots: readonly Slot[] = this.#slots): void {
    for (const slot of slots) {
      if (!slot.output?.entries || slot.entriesQueued) continue;
      slot.entriesQueued = true;
      this.#call(slot, 'entries()', (output) => {
        slot.entriesQueued = false;
        // Read when the call runs, not when it was queued: a coalesced burst gives the latest.
        return output.entries!(this.#options.store.toJSON().entries);
      });
    }
  }
}
