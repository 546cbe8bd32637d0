import { fileURLToPath } from 'node:url';
import { weekOf, type Weekday } from '../calendar.js';
import { DashError, isDashError } from '../errors.js';
import { createLogger, type Logger } from '../logger.js';
import type { Backend, BackendContext } from '../plugin.js';
import { Redactor } from '../redact.js';
import type { SourceError, SourceHandle, Store } from '../store.js';
import type { PreparedBackend } from './prepare.js';
import { createBackendContext, dataHome } from './context.js';
import { withDeadline } from './deadline.js';
import { outsideSupervision, supervise, type Supervisor } from './supervise.js';

/**
 * How long each plugin call may take before the host gives up on it, in milliseconds. A call
 * that misses its deadline becomes that backend's error (BACKEND_TIMEOUT) or, for the calls made
 * while stopping, a warning; the host moves on either way.
 */
export interface HostDeadlines {
  /** `createBackend` (default 20 s; one-shot commands pass their own timeout to syncOnce). */
  createMs: number;
  /** `sync` in one-shot commands and "sync now" (default 20 s; syncOnce's `timeoutMs` wins). */
  syncMs: number;
  /** After `stop()` aborts the `run` loops: how long they get to return (default 2 s). */
  stopMs: number;
  /** `dispose`, each backend's (default 2 s). */
  disposeMs: number;
}

/** What a health check (`doctor`) learned of one backend; message and hint are masked. */
export interface HealthOutcome {
  id: string;
  /** Its own healthCheck, or (a backend without one) one sync of this week. */
  check: 'healthCheck' | 'sync';
  ok: boolean;
  code: string | null;
  message: string;
  /** The plugin's hint, if it gave one. */
  hint: string | null;
}

/** A range a view holds in the host's set of fresh ranges (PluginHost.keepFresh). */
export interface RangeLease {
  readonly range: { from: Date; to: Date };
  /** The first sync of the range, started when it was taken. */
  readonly synced: Promise<SyncOutcome[]>;
  /** Stops keeping it fresh (the view moved on); calling it twice is harmless. */
  release(): void;
}

export const DEFAULT_DEADLINES: Readonly<HostDeadlines> = { createMs: 20_000, syncMs: 20_000, stopMs: 2_000, disposeMs: 2_000 };

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
  /** Deadlines of the plugin calls (DEFAULT_DEADLINES for what is not given). */
  deadlines?: Partial<HostDeadlines>;
}

/** How one backend's sync went. */
export interface SyncOutcome {
  id: string;
  ok: boolean;
  error?: SourceError;
}

interface Instance {
  prepared: PreparedBackend;
  handle: SourceHandle;
  context: BackendContext;
  backend?: Backend;
  /** Why createBackend failed, if it did. */
  failure?: SourceError;
  /** Every plugin call runs on its behalf, so errors nobody caught are blamed on this backend. */
  supervisor: Supervisor;
  /** Fails the syncs in flight when the backend crashes (they would wait for their deadline). */
  inFlight: Set<(error: Error) => void>;
}

const DEFAULT_POLL_SECONDS = 300;

/**
 * The hung-sync limit of `watch`: a sync the host calls there (the first one before `run`, and each
 * poll) that has not settled after this long, or after pollInterval when that is shorter, is
 * abandoned (its signal aborts) and the source shows BACKEND_TIMEOUT; the next poll tries again.
 */
export const WATCH_SYNC_LIMIT_MS = 60_000;

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
  readonly #deadlines: HostDeadlines;
  #created: Promise<void> | undefined;
  #run: AbortController | undefined;
  /** Each started backend's run loop, until it returns. */
  #running = new Map<string, Promise<void>>();
  /** The ranges views keep fresh besides the current week (keepFresh), each with its lifetime. */
  readonly #held = new Set<{ range: { from: Date; to: Date }; until: number }>();

  constructor(options: HostOptions) {
    this.#options = options;
    this.#redactor = options.redactor ?? new Redactor();
    this.#log = options.log ?? createLogger({ redactor: this.#redactor });
    this.#now = options.now ?? (() => new Date());
    this.#deadlines = { ...DEFAULT_DEADLINES, ...options.deadlines };
    for (const prepared of options.backends) {
      const id = prepared.config.id;
      const handle = options.store.addSource(id, prepared.packageName);
      const instance: Instance = {
        prepared,
        handle,
        supervisor: { id, crashed: (error) => this.#crashed(instance, error) },
        inFlight: new Set(),
        context: createBackendContext({
          id,
          store: outsideSupervision(handle),
          log: this.#log,
          now: this.#now,
          timeZone: options.timeZone,
          weekStart: options.weekStart,
          configDir: options.configDir,
          dataHome: options.dataHome,
          redactor: this.#redactor,
        }),
      };
      this.#instances.push(instance);
    }
  }

  /** The week containing `now` (what one-shot commands and `watch` start with). */
  currentWeek(): { from: Date; to: Date } {
    const days = weekOf(Math.floor(this.#now().getTime() / 1000), this.#options.timeZone, this.#options.weekStart);
    return { from: new Date(days[0]!.start * 1000), to: new Date(days[6]!.end * 1000) };
  }

  /**
   * What the running backends keep fresh: the span of the current week (always) and every range a
   * view holds (keepFresh). `run` reads it through RunControl.range(); a polling backend syncs it
   * each interval: one request per backend, whatever the number of views.
   */
  get range(): { from: Date; to: Date } {
    let { from, to } = this.currentWeek();
    const now = this.#now().getTime();
    for (const held of this.#held) {
      if (held.until <= now) {
        this.#held.delete(held);
        continue;
      }
      if (held.range.from < from) from = held.range.from;
      if (held.range.to > to) to = held.range.to;
    }
    return { from, to };
  }

  /**
   * Keeps `range` fresh for as long as its holder looks at it (a watch paged to another week, a
   * served tab or Grafana panel): it is synced now (`synced`), then kept in `range` until
   * `release()` or, with `forMs`, until that long after now. Several holders of one range share it.
   */
  keepFresh(range: { from: Date; to: Date }, options: { forMs?: number; timeoutMs?: number } = {}): RangeLease {
    const held = { range: { from: range.from, to: range.to }, until: options.forMs === undefined ? Number.POSITIVE_INFINITY : this.#now().getTime() + options.forMs };
    this.#held.add(held);
    const synced = this.syncOnce(held.range, { ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }), ...(this.#run ? { signal: this.#run.signal } : {}) });
    return { range: held.range, synced, release: () => void this.#held.delete(held) };
  }

  #describe(error: unknown): SourceError {
    const code = isDashError(error) ? error.code : 'BACKEND_FAILED';
    const message = error instanceof Error ? error.message : String(error);
    const hint = isDashError(error) && typeof error.hint === 'string' && error.hint !== '' ? this.#redactor.redact(error.hint) : undefined;
    return { code, message: this.#redactor.redact(message), ...(hint === undefined ? {} : { hint }) };
  }

  /** With --verbose (debug): the failure and where it was thrown (see pluginStack), masked. */
  #debugFailure(id: string, what: string, error: unknown): void {
    const described = this.#describe(error);
    const stack = pluginStack(error);
    this.#log.debug(`${id}: ${what}: ${described.code}: ${described.message}${stack ? `\n${this.#redactor.redact(stack)}` : ''}`);
  }

  /**
   * A throw in the backend's timer or a rejection nobody handled (see supervise.ts): the backend
   * is broken, not the host. It becomes the backend's error; a sync waiting on it ends now.
   */
  #crashed(instance: Instance, error: unknown): void {
    const message = this.#redactor.redact(error instanceof Error ? error.message : String(error));
    const id = instance.context.id;
    this.#log.debug(`${id}: crashed: ${this.#redactor.redact(error instanceof Error && error.stack ? error.stack : message)}`);
    const crash = new DashError('BACKEND_CRASHED', message);
    if (instance.inFlight.size > 0) for (const fail of instance.inFlight) fail(crash);
    else instance.handle.setStatus({ status: 'error', error: { code: crash.code, message } });
  }

  /** Calls into the plugin on the backend's behalf (see supervise.ts). */
  #call<T>(instance: Instance, call: () => T | PromiseLike<T>): Promise<T> {
    return supervise(instance.supervisor, async () => call());
  }

  async #create(instance: Instance, timeoutMs: number): Promise<void> {
    // A createBackend that hangs (a network call at start-up) must not hang the host either.
    const creating = this.#call(instance, () => instance.prepared.plugin.createBackend(instance.prepared.options, instance.context));
    try {
      const backend = await withDeadline(creating, timeoutMs, () => new DashError('BACKEND_TIMEOUT', `did not start within ${formatMs(timeoutMs)}`));
      instance.backend = checkBackendShape(backend, instance.prepared.plugin.name);
    } catch (error) {
      instance.failure = this.#describe(error);
      instance.handle.setStatus({ status: 'error', error: instance.failure });
      this.#debugFailure(instance.context.id, 'could not start', error);
      // One that starts after all is released at once.
      creating.then((late) => this.#call(instance, () => late.dispose?.()), () => {}).catch(() => {});
    }
  }

  /** Creates every backend once; concurrent callers wait for the same creation. */
  #ensureCreated(timeoutMs = this.#deadlines.createMs): Promise<void> {
    this.#created ??= Promise.all(this.#instances.map((instance) => this.#create(instance, timeoutMs))).then(() => {});
    return this.#created;
  }

  async #syncOne(instance: Instance, range: { from: Date; to: Date }, timeoutMs: number, signal?: AbortSignal): Promise<SyncOutcome> {
    const id = instance.context.id;
    if (!instance.backend) return { id, ok: false, error: instance.failure ?? { code: 'BACKEND_FAILED', message: 'not started' } };
    const backend = instance.backend;
    const previous = this.#options.store.source(id);
    if (previous?.status !== 'rate-limited') instance.handle.setStatus({ status: 'syncing' });
    try {
      this.#log.debug(`${id}: sync ${range.from.toISOString()} … ${range.to.toISOString()}`);
      await this.#within(instance, timeoutMs, signal, (combined) => backend.sync({ from: range.from, to: range.to, signal: combined }));
      // A backend that set its own status (rate-limited, error) keeps it; otherwise all is well.
      if (this.#options.store.source(id)?.status === 'syncing') instance.handle.markSynced(this.#now());
      const state = this.#options.store.source(id);
      if (state?.status === 'error' || state?.status === 'rate-limited') {
        return { id, ok: false, error: state.error ?? { code: 'RATE_LIMITED', message: 'rate-limited' } };
      }
      return { id, ok: true };
    } catch (error) {
      // Stopped by its caller (watch quitting, the host stopping): not the backend's failure. The
      // source stays "syncing", which the cache saves as its last settled status.
      if (signal?.aborted) return { id, ok: false, error: { code: 'INTERRUPTED', message: 'stopped before the sync ended' } };
      const described = this.#describe(error);
      if (described.code === 'RATE_LIMITED' && this.#options.store.source(id)?.status === 'rate-limited') {
        return { id, ok: false, error: described };
      }
      instance.handle.setStatus({ status: 'error', error: described });
      this.#debugFailure(id, 'sync failed', error);
      return { id, ok: false, error: described };
    }
  }

  /**
   * One call into the backend within `timeoutMs` (BACKEND_TIMEOUT after it, its signal aborted),
   * also ended by the caller's `signal` and at once by the backend crashing (see #crashed).
   */
  async #within<T>(instance: Instance, timeoutMs: number, signal: AbortSignal | undefined, call: (signal: AbortSignal) => T | PromiseLike<T>): Promise<T> {
    const deadline = new AbortController();
    const combined = signal ? AbortSignal.any([signal, deadline.signal]) : deadline.signal;
    let fail!: (error: Error) => void;
    const crashed = new Promise<never>((_, reject) => {
      fail = (error) => {
        deadline.abort();
        reject(error);
      };
    });
    instance.inFlight.add(fail);
    try {
      return await withDeadline(
        Promise.race([this.#call(instance, () => call(combined)), crashed]),
        timeoutMs,
        () => new DashError('BACKEND_TIMEOUT', `no answer within ${formatMs(timeoutMs)}`),
        () => deadline.abort(),
      );
    } finally {
      instance.inFlight.delete(fail);
    }
  }

  /**
   * Syncs every backend once (in parallel, each with `timeoutMs`) and waits. Never rejects:
   * the outcome of each backend is in the result and in the store.
   */
  async syncOnce(range = this.currentWeek(), options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<SyncOutcome[]> {
    const timeoutMs = options.timeoutMs ?? this.#deadlines.syncMs;
    await this.#ensureCreated(options.timeoutMs ?? this.#deadlines.createMs);
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
      const id = instance.context.id;
      this.#running.set(id, this.#runOne(instance, run.signal).finally(() => this.#running.delete(id)));
    }
  }

  /**
   * One backend in `watch` (the lifecycle docs/writing-a-plugin.md#lifecycle documents):
   *  - with `run`: one `sync` of the visible range first (so a run that only watches for changes
   *    does not leave the source "not synced yet"), then `run` until the signal aborts. A run that
   *    returns (or throws) before that is reported on the source (RUN_ENDED, or its error) and the
   *    host polls `sync` every pollInterval instead, starting one interval later;
   *  - without `run`: `sync` every pollInterval.
   * Every sync the host makes here gets at most WATCH_SYNC_LIMIT_MS (or pollInterval if shorter).
   */
  async #runOne(instance: Instance, signal: AbortSignal): Promise<void> {
    const backend = instance.backend!;
    const id = instance.context.id;
    const every = (instance.prepared.plugin.pollInterval ?? DEFAULT_POLL_SECONDS) * 1000;
    const limit = Math.min(every, WATCH_SYNC_LIMIT_MS);
    if (backend.run) {
      await this.#syncOne(instance, this.range, limit, signal);
      if (signal.aborted) return;
      try {
        await this.#call(instance, () => backend.run!({ signal, range: () => this.range }));
        if (signal.aborted) return;
        instance.handle.setStatus({
          status: 'error',
          error: {
            code: 'RUN_ENDED',
            message: `run returned before watch stopped; polling sync every ${formatMs(every)} instead`,
            hint: 'a plugin\'s run must keep going until control.signal aborts (see docs/writing-a-plugin.md#lifecycle)',
          },
        });
        this.#log.debug(`${id}: run returned before it was stopped; polling sync every ${formatMs(every)} instead`);
      } catch (error) {
        if (signal.aborted) return;
        const described = this.#describe(error);
        instance.handle.setStatus({ status: 'error', error: described });
        this.#debugFailure(id, `stopped running (polling sync every ${formatMs(every)} instead)`, error);
      }
      await sleep(every, signal);
    }
    while (!signal.aborted) {
      await this.#syncOne(instance, this.range, limit, signal);
      await sleep(every, signal);
    }
  }

  /**
   * Checks every backend once (`doctor`): creates it as `start` would, then asks its healthCheck,
   * or, without one, syncs this week; each within `timeoutMs`, supervised. Never rejects; call
   * `stop()` afterwards to dispose of the backends.
   */
  async checkHealth(options: { timeoutMs?: number } = {}): Promise<HealthOutcome[]> {
    const timeoutMs = options.timeoutMs ?? this.#deadlines.syncMs;
    await this.#ensureCreated(Math.min(this.#deadlines.createMs, timeoutMs));
    return Promise.all(this.#instances.map((instance) => this.#checkOne(instance, timeoutMs)));
  }

  async #checkOne(instance: Instance, timeoutMs: number): Promise<HealthOutcome> {
    const id = instance.context.id;
    const failed = (check: HealthOutcome['check'], error: SourceError): HealthOutcome => ({ id, check, ok: false, code: error.code, message: error.message, hint: error.hint ?? null });
    if (!instance.backend) return failed('healthCheck', instance.failure ?? { code: 'BACKEND_FAILED', message: 'not started' });
    const backend = instance.backend;
    const healthCheck = backend.healthCheck;
    if (!healthCheck) {
      const range = this.currentWeek();
      const outcome = await this.#syncOne(instance, range, timeoutMs);
      if (!outcome.ok) return failed('sync', outcome.error ?? { code: 'BACKEND_FAILED', message: 'sync failed' });
      const count = instance.handle.entries(range).length;
      return { id, check: 'sync', ok: true, code: null, message: `synced this week: ${count} entr${count === 1 ? 'y' : 'ies'}`, hint: null };
    }
    try {
      const verdict = await this.#within(instance, timeoutMs, undefined, (signal) => healthCheck.call(backend, signal));
      if (verdict.ok) return { id, check: 'healthCheck', ok: true, code: null, message: this.#redactor.redact(verdict.message ?? 'healthy'), hint: null };
      return { id, check: 'healthCheck', ok: false, code: verdict.code, message: this.#redactor.redact(verdict.message), hint: verdict.hint ? this.#redactor.redact(verdict.hint) : null };
    } catch (error) {
      this.#debugFailure(id, 'healthCheck failed', error);
      return failed('healthCheck', this.#describe(error));
    }
  }

  /** Asks every backend for a range now (the user pressed "sync now"); by default what is kept fresh. */
  async requestSync(range?: { from: Date; to: Date }, options: { timeoutMs?: number } = {}): Promise<SyncOutcome[]> {
    return this.syncOnce(range ?? this.range, { ...options, signal: this.#run?.signal });
  }

  /**
   * Stops every backend and disposes of it, in reverse order; never rejects, and never waits
   * longer than the deadlines: a `run` that does not return or a `dispose` that never settles is
   * left behind with a warning (the command exits regardless of what it keeps open).
   */
  async stop(): Promise<void> {
    this.#run?.abort();
    const { stopMs, disposeMs } = this.#deadlines;
    await withDeadline(Promise.allSettled(this.#running.values()), stopMs, () => new Error('late')).catch(() => {
      for (const id of this.#running.keys()) this.#log.warn(`${id}: run did not return within ${formatMs(stopMs)} of being stopped; moving on`);
    });
    this.#running.clear();
    for (const instance of [...this.#instances].reverse()) {
      const backend = instance.backend;
      if (!backend?.dispose) continue;
      const late = new Error('late');
      try {
        await withDeadline(this.#call(instance, () => backend.dispose!()), disposeMs, () => late);
      } catch (error) {
        if (error === late) this.#log.warn(`${instance.context.id}: dispose did not finish within ${formatMs(disposeMs)}; moving on`);
        else this.#log.debug(`${instance.context.id}: dispose failed: ${this.#describe(error).message}`);
      }
    }
    this.#run = undefined;
  }
}

/** What createBackend returned must be a backend: a sync function at least (and run, dispose, healthCheck functions if present). */
function checkBackendShape(value: unknown, pluginName: string): Backend {
  const backend = value as Partial<Record<keyof Backend, unknown>> | null;
  const problem =
    !backend || typeof backend !== 'object'
      ? `returned ${backend === null ? 'null' : typeof backend}, not a backend object`
      : typeof backend.sync !== 'function'
        ? 'returned an object without a sync function'
        : (['run', 'dispose', 'healthCheck'] as const).filter((key) => backend[key] !== undefined && typeof backend[key] !== 'function').map((key) => `returned a ${key} that is not a function`)[0];
  if (problem) {
    throw new DashError('PLUGIN_INVALID', `${pluginName}: createBackend ${problem}`, {
      hint: 'createBackend must return { sync(range) { … } } (optionally run, dispose, healthCheck); see docs/writing-a-plugin.md',
    });
  }
  return value as Backend;
}

/** This module's folder (dash-core's dist/, or src/host/ from source): the host's own frames. */
const HOST_FRAMES = new URL('.', import.meta.url).href;

/**
 * The plugin's frames of its error's stack, for --verbose: without the host's calls into it (this
 * module's folder and `hostDirs`, e.g. a command's own), Node's internals and frames with no file;
 * undefined when none is left.
 */
export function pluginStack(error: unknown, hostDirs: readonly string[] = []): string | undefined {
  if (!(error instanceof Error) || typeof error.stack !== 'string') return undefined;
  // Each host folder as a file URL and as a path (a stack names either).
  const host = [HOST_FRAMES, ...hostDirs].flatMap((dir) => (dir.startsWith('file:') ? [dir, fileURLToPath(dir)] : [dir]));
  const frames = error.stack
    .split('\n')
    .filter((line) => /^\s+at .*(file:\/\/|\/)/.test(line) && !host.some((dir) => line.includes(dir)) && !/[( ]node:/.test(line));
  return frames.length > 0 ? frames.join('\n') : undefined;
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
