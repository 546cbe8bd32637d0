import { weekOf, type Weekday } from '../calendar.js';
import { DashError, isDashError } from '../errors.js';
import { createLogger, type Logger } from '../logger.js';
import type { Backend, BackendContext } from '../plugin.js';
import { Redactor } from '../redact.js';
import type { SourceHandle, Store } from '../store.js';
import type { PreparedBackend } from './prepare.js';
import { createBackendContext, dataHome } from './context.js';

export interface HostOptions {
  store: Store;
  backends: readonly PreparedBackend[];
  timeZone: string;
  weekStart: Weekday;
  log?: Logger;
  redactor?: Redactor;
  /** The clock (tests and `--at` move it). */
  now?: () => Date;
  configDir?: string;
  /** Base for each backend's dataDir; default $XDG_DATA_HOME/dash. */
  dataHome?: string;
}

/** How one backend's sync went. */
export interface SyncOutcome {
  id: string;
  ok: boolean;
  error?: { code: string; message: string };
}

interface Instance {
  prepared: PreparedBackend;
  handle: SourceHandle;
  context: BackendContext;
  backend?: Backend;
  /** Why createBackend failed, if it did. */
  failure?: { code: string; message: string };
}

const DEFAULT_POLL_SECONDS = 300;

export { dataHome };

/**
 * Runs the backends: creates them, syncs them once or keeps them running, and turns every
 * failure (a throw, a rejection, a hang) into that backend's status in the store, so one
 * backend failing never stops the others or the host.
 */
export class PluginHost {
  readonly #options: HostOptions;
  readonly #log: Logger;
  readonly #redactor: Redactor;
  readonly #now: () => Date;
  readonly #instances: Instance[] = [];
  #created: Promise<void> | undefined;
  #run: AbortController | undefined;
  #running: Promise<void>[] = [];
  #range: { from: Date; to: Date } | undefined;

  constructor(options: HostOptions) {
    this.#options = options;
    this.#redactor = options.redactor ?? new Redactor();
    this.#log = options.log ?? createLogger({ redactor: this.#redactor });
    this.#now = options.now ?? (() => new Date());
    for (const prepared of options.backends) {
      const id = prepared.config.id;
      const handle = options.store.addSource(id, prepared.packageName);
      this.#instances.push({
        prepared,
        handle,
        context: createBackendContext({
          id,
          store: handle,
          log: this.#log,
          now: this.#now,
          timeZone: options.timeZone,
          weekStart: options.weekStart,
          configDir: options.configDir,
          dataHome: options.dataHome,
          redactor: this.#redactor,
        }),
      });
    }
  }

  /** The week containing `now` (what one-shot commands and `watch` start with). */
  currentWeek(): { from: Date; to: Date } {
    const days = weekOf(Math.floor(this.#now().getTime() / 1000), this.#options.timeZone, this.#options.weekStart);
    return { from: new Date(days[0]!.start * 1000), to: new Date(days[6]!.end * 1000) };
  }

  /** The range `watch` shows; backends' `run` reads it through RunControl.range(). */
  get range(): { from: Date; to: Date } {
    return this.#range ?? this.currentWeek();
  }

  #describe(error: unknown): { code: string; message: string } {
    const code = isDashError(error) ? error.code : 'BACKEND_FAILED';
    const message = error instanceof Error ? error.message : String(error);
    return { code, message: this.#redactor.redact(message) };
  }

  async #create(instance: Instance, timeoutMs: number): Promise<void> {
    // A createBackend that hangs (a network call at start-up) must not hang the host either.
    const creating = Promise.resolve().then(() => instance.prepared.plugin.createBackend(instance.prepared.options, instance.context));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      // Not unref'd (see #syncOne): a hung createBackend must time out, not end the process early.
      timer = setTimeout(() => reject(new DashError('BACKEND_TIMEOUT', `did not start within ${formatMs(timeoutMs)}`)), timeoutMs);
    });
    try {
      instance.backend = await Promise.race([creating, timedOut]);
    } catch (error) {
      instance.failure = this.#describe(error);
      instance.handle.setStatus({ status: 'error', error: instance.failure });
      this.#log.debug(`${instance.context.id}: could not start: ${instance.failure.message}`);
      // One that starts after all is released at once.
      creating.then((late) => late.dispose?.(), () => {}).catch(() => {});
    } finally {
      clearTimeout(timer);
    }
  }

  /** Creates every backend once; concurrent callers wait for the same creation. */
  #ensureCreated(timeoutMs = 20_000): Promise<void> {
    this.#created ??= Promise.all(this.#instances.map((instance) => this.#create(instance, timeoutMs))).then(() => {});
    return this.#created;
  }

  async #syncOne(instance: Instance, range: { from: Date; to: Date }, timeoutMs: number, signal?: AbortSignal): Promise<SyncOutcome> {
    const id = instance.context.id;
    if (!instance.backend) return { id, ok: false, error: instance.failure ?? { code: 'BACKEND_FAILED', message: 'not started' } };
    const backend = instance.backend;
    const deadline = new AbortController();
    const combined = signal ? AbortSignal.any([signal, deadline.signal]) : deadline.signal;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        deadline.abort();
        reject(new DashError('BACKEND_TIMEOUT', `no answer within ${formatMs(timeoutMs)}`));
      }, timeoutMs);
      // Not unref'd: a backend waiting on nothing the event loop knows of (a hung promise, its
      // own unref'd back-off timer) must still time out, not let a one-shot command exit early.
      // The timer is cleared as soon as the sync settles.
    });
    const previous = this.#options.store.source(id);
    if (previous?.status !== 'rate-limited') instance.handle.setStatus({ status: 'syncing' });
    try {
      this.#log.debug(`${id}: sync ${range.from.toISOString()} … ${range.to.toISOString()}`);
      await Promise.race([backend.sync({ from: range.from, to: range.to, signal: combined }), timedOut]);
      // A backend that set its own status (rate-limited, error) keeps it; otherwise all is well.
      if (this.#options.store.source(id)?.status === 'syncing') instance.handle.markSynced(this.#now());
      const state = this.#options.store.source(id);
      if (state?.status === 'error' || state?.status === 'rate-limited') {
        return { id, ok: false, error: state.error ?? { code: 'RATE_LIMITED', message: 'rate-limited' } };
      }
      return { id, ok: true };
    } catch (error) {
      const described = this.#describe(error);
      if (described.code === 'RATE_LIMITED' && this.#options.store.source(id)?.status === 'rate-limited') {
        return { id, ok: false, error: described };
      }
      instance.handle.setStatus({ status: 'error', error: described });
      this.#log.debug(`${id}: sync failed: ${described.code}: ${described.message}`);
      return { id, ok: false, error: described };
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Syncs every backend once (in parallel, each with `timeoutMs`) and waits. Never rejects:
   * the outcome of each backend is in the result and in the store.
   */
  async syncOnce(range = this.currentWeek(), options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<SyncOutcome[]> {
    const timeoutMs = options.timeoutMs ?? 20_000;
    await this.#ensureCreated(timeoutMs);
    return Promise.all(this.#instances.map((instance) => this.#syncOne(instance, range, timeoutMs, options.signal)));
  }

  /** Starts every backend running until `stop()`: its own `run`, or `sync` on a timer. */
  async start(): Promise<void> {
    await this.#ensureCreated();
    if (this.#run) return;
    const run = new AbortController();
    this.#run = run;
    for (const instance of this.#instances) {
      if (!instance.backend) continue;
      this.#running.push(this.#runOne(instance, run.signal));
    }
  }

  async #runOne(instance: Instance, signal: AbortSignal): Promise<void> {
    const backend = instance.backend!;
    if (backend.run) {
      try {
        await backend.run({ signal, range: () => this.range });
      } catch (error) {
        if (signal.aborted) return;
        const described = this.#describe(error);
        instance.handle.setStatus({ status: 'error', error: described });
        this.#log.debug(`${instance.context.id}: stopped running: ${described.message}`);
      }
      return;
    }
    const every = (instance.prepared.plugin.pollInterval ?? DEFAULT_POLL_SECONDS) * 1000;
    while (!signal.aborted) {
      await this.#syncOne(instance, this.range, Math.min(every, 60_000), signal);
      await sleep(every, signal);
    }
  }

  /**
   * Asks every backend for a range now (the user pressed "sync now", or paged to another week,
   * which also becomes the range `run` loops keep fresh).
   */
  async requestSync(range?: { from: Date; to: Date }, options: { timeoutMs?: number } = {}): Promise<SyncOutcome[]> {
    if (range) {
      // Back on the current week: follow it again (across midnight on the last day, too).
      const current = this.currentWeek();
      const isCurrent = range.from.getTime() === current.from.getTime() && range.to.getTime() === current.to.getTime();
      this.#range = isCurrent ? undefined : range;
    }
    return this.syncOnce(range ?? this.range, { ...options, signal: this.#run?.signal });
  }

  /** Stops every backend and disposes of it; never rejects. */
  async stop(): Promise<void> {
    this.#run?.abort();
    await Promise.race([Promise.allSettled(this.#running), sleep(2_000)]);
    this.#running = [];
    for (const instance of [...this.#instances].reverse()) {
      try {
        await instance.backend?.dispose?.();
      } catch (error) {
        this.#log.debug(`${instance.context.id}: dispose failed: ${this.#describe(error).message}`);
      }
    }
    this.#run = undefined;
  }
}

function formatMs(ms: number): string {
  return ms < 1000 ? `${ms}ms` : `${Math.round(ms / 1000)}s`;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    timer.unref?.();
    function done() {
      signal?.removeEventListener('abort', done);
      clearTimeout(timer);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
