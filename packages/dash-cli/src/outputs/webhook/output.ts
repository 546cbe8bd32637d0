import type { DashEvent, Output, OutputContext, OutputState } from 'dash-core';
import { postSigned, type Attempt } from './deliver.js';
import { eventBody, testEvent } from './body.js';
import type { WebhookOptions } from './index.js';
import { Outbox, type OutboxRecord } from './outbox.js';
import { expired, retryDelayMs, type RetrySchedule } from './schedule.js';

/** While another process holds the oldest event's claim, look again this often. */
const CLAIM_POLL_MS = 250;
const USER_AGENT = 'dash-cli (webhook output; Standard Webhooks)';

export interface WebhookSettings {
  schedule: RetrySchedule;
  timeoutMs: number;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * One [[outputs]] webhook: `event` writes the event to the outbox and returns; a background pump
 * delivers the outbox oldest first, one attempt at a time (a later event waits while an earlier
 * one is retried, so a receiver sees them in order), claiming each record so that two Dash
 * processes on one data dir never both send it.
 */
export class WebhookOutput implements Output {
  readonly #options: WebhookOptions;
  readonly #context: OutputContext;
  readonly #settings: WebhookSettings;
  readonly #outbox: Outbox;
  readonly #stop = new AbortController();
  #disabled: { at: string; reason: string } | null = null;
  #queued = 0;
  #delivered = 0;
  #failingSince: number | null = null;
  #lastError: { code: string; message: string } | null = null;
  #pumping: Promise<void> | undefined;
  #again = false;
  #timer: NodeJS.Timeout | undefined;
  #writes = Promise.resolve();
  #warnedDisabled = false;
  /** When this process opened the outbox: what an earlier one was backing off on is due at once. */
  #openedAt = Date.now();

  constructor(options: WebhookOptions, context: OutputContext, settings: WebhookSettings) {
    this.#options = options;
    this.#context = context;
    this.#settings = settings;
    this.#outbox = new Outbox(context.dataDir);
    context.signal.addEventListener('abort', () => this.#stop.abort(), { once: true });
  }

  /** Reads the outbox; unless passive, starts delivering what an earlier process left queued. */
  async open(): Promise<void> {
    await this.#outbox.ensure();
    this.#disabled = (await this.#outbox.readState()).disabled;
    const records = await this.#outbox.list();
    this.#queued = records.length;
    this.#failingSince = records.reduce<number | null>((min, record) => (record.failingSince !== null && (min === null || record.failingSince < min) ? record.failingSince : min), null);
    this.#lastError = records.find((record) => record.lastError)?.lastError ?? null;
    if (this.#context.passive) {
      this.#delivered = await this.#outbox.deliveredCount();
      return;
    }
    this.#openedAt = Date.now();
    await this.#outbox.prune(Date.now());
    if (this.#disabled) this.#context.log.warn(`disabled since ${this.#disabled.at} (${this.#disabled.reason}); \`dash-cli outputs test ${this.#context.id}\` re-enables it`);
    this.#kick();
  }

  event(event: DashEvent): void {
    if (this.#stop.signal.aborted) return;
    // Written in order, each before any attempt at it; the pump starts once it is on disk.
    this.#writes = this.#writes
      .then(async () => {
        // Disabled (410): until `outputs test` (maybe in another process) enables it again, later.
        if (this.#disabled) {
          const shared = await this.#outbox.readState();
          if (shared.disabled) this.#disabled = shared.disabled;
          else if (shared.enabledAt !== undefined && shared.enabledAt > this.#disabled.at) this.#disabled = null;
        }
        if (this.#disabled) {
          if (!this.#warnedDisabled) this.#context.log.warn(`disabled (${this.#disabled.reason}): events are not queued`);
          this.#warnedDisabled = true;
          return;
        }
        if (await this.#outbox.add({ id: event.id, type: event.type, body: eventBody(event) }, Date.now())) this.#queued++;
      })
      .catch((error: unknown) => this.#context.log.warn(`cannot queue ${event.type} ${event.id}: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => this.#kick());
  }

  state(): OutputState {
    const status = this.#disabled ? 'disabled' : this.#failingSince !== null ? 'failing' : this.#queued > 0 ? 'queued' : 'ok';
    return {
      status,
      queued: this.#queued,
      delivered: this.#delivered,
      failingSince: iso(this.#failingSince),
      lastError: this.#disabled ? { code: 'GONE', message: this.#disabled.reason } : this.#lastError,
    };
  }

  async test(signal: AbortSignal): Promise<{ ok: boolean; message: string }> {
    const event = testEvent(this.#context);
    const attempt = await this.#post(event.id, event.body, signal);
    if (attempt.kind === 'delivered' && this.#disabled) {
      this.#disabled = null;
      await this.#outbox.writeState({ disabled: null, enabledAt: new Date().toISOString() });
      this.#kick();
    }
    return { ok: attempt.kind === 'delivered', message: describe(attempt) };
  }

  async dispose(): Promise<void> {
    this.#stop.abort();
    clearTimeout(this.#timer);
    await this.#writes;
    await this.#pumping;
  }

  #post(id: string, body: string, signal: AbortSignal): Promise<Attempt> {
    return postSigned({ url: this.#options.url, secret: this.#options.secret, id, body, timeoutMs: this.#settings.timeoutMs, signal, userAgent: USER_AGENT });
  }

  /** When `record` is due: at once when its last attempt was made before this process started, else on its schedule. */
  #dueAt(record: OutboxRecord): number {
    return (record.lastAttemptAt ?? 0) < this.#openedAt ? 0 : record.nextAttemptAt;
  }

  /** Runs the pump now (or once more after the current run). */
  #kick(): void {
    if (this.#context.passive || this.#stop.signal.aborted) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#pumping) {
      this.#again = true;
      return;
    }
    this.#pumping = (async () => {
      try {
        do {
          this.#again = false;
          await this.#drain();
        } while (this.#again && !this.#stop.signal.aborted);
      } catch (error) {
        this.#context.log.warn(`delivery stopped: ${error instanceof Error ? error.message : String(error)}; retrying in a minute`);
        this.#wakeIn(60_000);
      } finally {
        this.#pumping = undefined;
      }
    })();
  }

  #wakeIn(ms: number): void {
    if (this.#stop.signal.aborted) return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#kick(), Math.max(0, ms));
  }

  /**
   * Delivers the outbox oldest first until it is empty or the oldest must wait: the folder is
   * listed once per batch (not once per event), each record read again once claimed.
   */
  async #drain(): Promise<void> {
    while (!this.#stop.signal.aborted && !this.#disabled) {
      const records = await this.#outbox.list();
      this.#queued = records.length;
      if (records.length === 0) {
        this.#failingSince = null;
        return;
      }
      for (const head of records) {
        if (this.#stop.signal.aborted || this.#disabled) return;
        if (this.#dueAt(head) > Date.now()) {
          this.#failingSince = head.failingSince;
          this.#lastError = head.lastError;
          return this.#wakeIn(this.#dueAt(head) - Date.now());
        }
        const claim = await this.#outbox.claim(head.id);
        // Another process is attempting it: wait for it (a later event must not overtake it).
        if (!claim) return this.#wakeIn(CLAIM_POLL_MS);
        let outcome: 'done' | 'again';
        try {
          outcome = await this.#attempt(head.id);
        } finally {
          await claim.release();
        }
        if (outcome === 'again') break;
        this.#queued = Math.max(0, this.#queued - 1);
      }
    }
  }

  /**
   * One attempt at a claimed record, read again (another process may have just tried it):
   * 'done' when it left the outbox (delivered, by us or another process, or dropped), else
   * 'again' (failed and rescheduled, disabled, or stopping).
   */
  async #attempt(id: string): Promise<'done' | 'again'> {
    const record = await this.#outbox.read(id);
    if (!record) return 'done';
    if (await this.#outbox.wasDelivered(id)) {
      await this.#outbox.remove(id);
      return 'done';
    }
    // Another process may have met a 410 meanwhile.
    const shared = (await this.#outbox.readState()).disabled;
    if (shared) {
      this.#disabled = shared;
      return 'again';
    }
    const now = Date.now();
    if (this.#dueAt(record) > now) return 'again';
    if (expired(record.queuedAt, now, this.#settings.schedule)) {
      // Gone from the outbox before it is said to be (a reader of the warning finds it so).
      await this.#outbox.remove(id);
      this.#context.log.warn(`dropped ${record.type} ${record.id}: not delivered within 24 h (${record.lastError?.message ?? 'no answer'})`);
      return 'done';
    }
    const attempt = await this.#post(record.id, record.body, this.#stop.signal);
    if (attempt.kind === 'delivered') {
      await this.#outbox.delivered(id);
      this.#delivered++;
      this.#failingSince = null;
      this.#lastError = null;
      this.#context.log.debug(`delivered ${record.type} ${record.id} (${attempt.status})`);
      return 'done';
    }
    if (attempt.kind === 'gone') {
      // In memory at once (an event arriving while the file is written is not queued); the file
      // tells the other processes and `dash-cli outputs`.
      this.#disabled = { at: new Date().toISOString(), reason: 'the receiver answered 410 Gone' };
      await this.#outbox.writeState({ disabled: this.#disabled });
      this.#context.log.warn(`disabled: the receiver answered 410 Gone; queued events stay in the outbox; \`dash-cli outputs test ${this.#context.id}\` re-enables it`);
      return 'again';
    }
    if (attempt.code !== 'ABORTED') await this.#failed(record, attempt, now);
    return 'again';
  }

  async #failed(record: OutboxRecord, attempt: Extract<Attempt, { kind: 'failed' }>, now: number): Promise<void> {
    const attempts = record.attempts + 1;
    const wait = retryDelayMs(attempts, this.#settings.schedule, Math.random, attempt.retryAfterMs);
    const failingSince = record.failingSince ?? now;
    const lastError = { code: attempt.code, message: attempt.message };
    await this.#outbox.update({ ...record, attempts, failingSince, lastError, lastAttemptAt: now, nextAttemptAt: now + wait });
    this.#failingSince = failingSince;
    this.#lastError = lastError;
    this.#context.log.debug(`${record.type} ${record.id}: ${attempt.message}; attempt ${attempts + 1} in ${Math.round(wait / 100) / 10} s`);
  }
}

/** What a receiver answered, in one line for a person. */
export function describe(attempt: Attempt): string {
  if (attempt.kind === 'failed') return `${attempt.message}${attempt.firstLine ? `: ${attempt.firstLine}` : ''}`;
  return `the receiver answered ${attempt.status}${attempt.firstLine ? `: ${attempt.firstLine}` : ''}`;
}
