import type { IncomingMessage, ServerResponse } from 'node:http';
import { type DashEvent } from 'dash-core';
import { jsonText, type Snapshot } from 'dash-core/host';
import type { LiveWeek } from './live.js';

/** Comments at least this often keep proxies from closing a quiet stream (WHATWG suggests ~15 s). */
export const KEEPALIVE_MS = 15_000;
/** After domain events, the snapshot waits this long (the events are on their way alone). */
const SNAPSHOT_AFTER_EVENTS_MS = 10;
/** How long a browser waits before reconnecting. */
const RETRY_MS = 2_000;

function frame(type: string, data: string, id?: string): string {
  return `${id === undefined ? '' : `id: ${id}\n`}event: ${type}\ndata: ${data}\n\n`;
}

/**
 * GET /api/v1/events: Server-Sent Events for every client. On connect: what a reconnecting client
 * missed (after its Last-Event-ID, from LiveWeek's buffer), then the current snapshot; then a
 * `snapshot` after every change and each domain event with its id. Every frame is serialised
 * once, whatever the number of clients.
 */
export class EventStreams {
  readonly #clients = new Set<ServerResponse>();
  readonly #live: LiveWeek;
  readonly #keepalive: NodeJS.Timeout;
  readonly #unsubscribe: () => void;
  #snapshotLater: NodeJS.Timeout | undefined;
  /** Clients whose socket is full: the newest snapshot they will get when it drains. */
  readonly #behind = new WeakMap<ServerResponse, Buffer>();

  constructor(live: LiveWeek, options: { keepaliveMs?: number } = {}) {
    this.#live = live;
    this.#keepalive = setInterval(() => this.#broadcast(': keepalive\n\n'), options.keepaliveMs ?? KEEPALIVE_MS);
    this.#unsubscribe = live.onUpdate(({ snapshot, events }) => {
      if (events.length === 0) return this.#broadcastSnapshot(snapshot);
      // The small domain events reach every client first; the (large) snapshot follows a moment
      // later, so a client reads the event alone instead of behind the snapshot's bytes.
      this.#broadcast(events.map((event) => this.#eventFrame(event)).join(''));
      clearTimeout(this.#snapshotLater);
      this.#snapshotLater = setTimeout(() => this.#broadcastSnapshot(this.#live.current), SNAPSHOT_AFTER_EVENTS_MS);
    });
  }

  get size(): number {
    return this.#clients.size;
  }

  open(request: IncomingMessage, response: ServerResponse): void {
    response.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    response.socket?.setNoDelay(true);
    const lastId = request.headers['last-event-id'];
    const missed = typeof lastId === 'string' && lastId !== '' ? (this.#live.eventsAfter(lastId) ?? []) : [];
    response.write(`retry: ${RETRY_MS}\n\n${missed.map((event) => this.#eventFrame(event)).join('')}${frame('snapshot', jsonText(this.#live.current, 0))}`);
    this.#clients.add(response);
    const drop = () => this.#clients.delete(response);
    response.on('close', drop);
    request.on('close', drop);
  }

  /** Ends every stream (the server is stopping) and stops the keepalives. */
  close(): void {
    clearInterval(this.#keepalive);
    clearTimeout(this.#snapshotLater);
    this.#unsubscribe();
    for (const client of this.#clients) client.end();
    this.#clients.clear();
  }

  /** A domain event: its type, its data as the README's Serve section (events) gives it, its id. */
  #eventFrame(event: DashEvent): string {
    return frame(event.type, jsonText(event.data, 0), event.id);
  }

  /** Encoded once: every client's socket queues the same buffer, however many there are. */
  #broadcast(text: string): void {
    if (this.#clients.size === 0) return;
    const bytes = Buffer.from(text);
    for (const client of this.#clients) client.write(bytes);
  }

  /**
   * A snapshot for every client; one that has not read what it was sent (its socket wants a
   * drain) gets only the newest snapshot once it drains, not each one in turn: a stalled tab
   * cannot make the server queue a snapshot per change. Domain events are never skipped.
   */
  #broadcastSnapshot(snapshot: Snapshot): void {
    if (this.#clients.size === 0) return;
    const bytes = Buffer.from(frame('snapshot', jsonText(snapshot, 0)));
    for (const client of this.#clients) {
      if (!client.writableNeedDrain) {
        client.write(bytes);
        continue;
      }
      if (!this.#behind.has(client)) {
        client.once('drain', () => {
          const newest = this.#behind.get(client);
          this.#behind.delete(client);
          if (newest && !client.destroyed) client.write(newest);
        });
      }
      this.#behind.set(client, bytes);
    }
  }
}
