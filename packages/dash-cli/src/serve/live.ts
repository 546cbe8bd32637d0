import { type DashEvent } from 'dash-core';
import { buildSnapshot, EventDeriver, type Snapshot } from 'dash-core/host';
import type { ServeSession } from './session.js';

/** What every change gives the live clients: the current week, and what happened. */
export interface LiveUpdate {
  snapshot: Snapshot;
  events: DashEvent[];
}

export interface LiveOptions {
  /** How many domain events a reconnecting client can catch up on (default 500). */
  bufferSize?: number;
}

/** Look at the clock at least this often (a new day, a goal reached while a timer runs). */
const IDLE_CHECK_MS = 60_000;

/**
 * The current week, live: after every burst of store changes (coalesced to one turn of the
 * event loop) it builds the snapshot once, derives the domain events from it (dash-core's
 * EventDeriver) and hands both to its listeners; it also looks again when a running timer may
 * reach a goal, or the day changes. Keeps the last events for clients that reconnect.
 */
/** What the live week reads: serve's session, or watch's (store, config, clock). */
export type LiveSource = Pick<ServeSession, 'store' | 'config' | 'now'>;

export class LiveWeek {
  readonly #session: LiveSource;
  readonly #deriver = new EventDeriver();
  readonly #listeners = new Set<(update: LiveUpdate) => void>();
  readonly #buffer: DashEvent[] = [];
  readonly #bufferSize: number;
  #current: Snapshot | undefined;
  #version = 0;
  #scheduled: NodeJS.Immediate | undefined;
  #timer: NodeJS.Timeout | undefined;
  readonly #onChange = () => {
    this.#version++;
    this.#scheduled ??= setImmediate(() => {
      this.#scheduled = undefined;
      this.#look(true);
    });
  };

  constructor(session: LiveSource, options: LiveOptions = {}) {
    this.#session = session;
    this.#bufferSize = options.bufferSize ?? 500;
  }

  /** Sets the baseline (what is already true is not an event) and follows the store. */
  start(): void {
    this.#look(false);
    this.#session.store.on('change', this.#onChange);
  }

  stop(): void {
    this.#session.store.off('change', this.#onChange);
    if (this.#scheduled) clearImmediate(this.#scheduled);
    clearTimeout(this.#timer);
    this.#listeners.clear();
  }

  get config(): ServeSession['config'] {
    return this.#session.config;
  }

  /** A snapshot of the store: now, or `at`; of `at`'s week, or `week`'s. */
  snapshot(options: { at?: Date; week?: Date } = {}): Snapshot {
    const { config } = this.#session;
    return buildSnapshot(this.#session.store, {
      now: options.at ?? this.#session.now(),
      ...(options.week ? { week: options.week } : {}),
      timeZone: config.timezone,
      weekStart: config.weekStart,
      goals: config.goals,
      workdays: config.workdays,
      colors: config.colors,
    });
  }

  /** The snapshot now: the one of the last change while it is of this second, else a new one. */
  get current(): Snapshot {
    const second = Math.floor(this.#session.now().getTime() / 1000);
    if (this.#current && Date.parse(this.#current.generatedAt) / 1000 === second) return this.#current;
    return this.snapshot();
  }

  onUpdate(listener: (update: LiveUpdate) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The events after the one with this id; undefined when it is not (or no longer) in the buffer. */
  eventsAfter(id: string): DashEvent[] | undefined {
    const index = this.#buffer.findIndex((event) => event.id === id);
    return index < 0 ? undefined : this.#buffer.slice(index + 1);
  }

  /** Counts the changes looked at: a snapshot built at the same version and second is the same. */
  get version(): number {
    return this.#version;
  }

  #look(changed: boolean): void {
    const previousDay = this.#current?.today;
    const snapshot = this.snapshot();
    this.#current = snapshot;
    const events = this.#deriver.update(this.#session.store, snapshot);
    for (const event of events) this.#buffer.push(event);
    if (this.#buffer.length > this.#bufferSize) this.#buffer.splice(0, this.#buffer.length - this.#bufferSize);
    if (changed || events.length > 0 || (previousDay !== undefined && previousDay !== snapshot.today)) {
      for (const listener of this.#listeners) listener({ snapshot, events });
    }
    clearTimeout(this.#timer);
    const goalIn = this.#deriver.nextCheckSeconds();
    const wait = goalIn === null ? IDLE_CHECK_MS : Math.min(IDLE_CHECK_MS, goalIn * 1000 + 50);
    this.#timer = setTimeout(() => this.#look(false), wait);
  }
}
