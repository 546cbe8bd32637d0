/**
 * A browser tab that stops reading (asleep, on a bad connection) while the week keeps changing:
 * the server's queue for it stays at about one snapshot, not one per change, and once it reads
 * again it gets every domain event and the newest snapshot. A real HTTP server and socket on
 * 127.0.0.1; the store is changed directly, as a backend would.
 */
import { createServer, type ServerResponse } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { Store, type DashConfig } from 'dash-core/host';
import { afterEach, describe, expect, it } from 'vitest';
import { LiveWeek } from '../src/serve/live.js';
import { EventStreams } from '../src/serve/sse.js';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const config = {
  timezone: 'UTC',
  weekStart: 'monday',
  goals: { weekly: null, weeklyBillable: null, daily: null, dailyBillable: null },
  workdays: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'],
  colors: {},
} as unknown as DashConfig;

describe('SSE to a client that stops reading', () => {
  it('queues at most the newest snapshot for it, never drops an event, and sends the newest once it reads', async () => {
    const store = new Store();
    const clock = store.addSource('clock', 'dash-plugin-clock');
    const now = () => new Date();
    const live = new LiveWeek({ store, config, now });
    live.start();
    const streams = new EventStreams(live);
    let response: ServerResponse | undefined;
    const server = createServer((request, answer) => {
      response = answer;
      streams.open(request, answer);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => live.stop(), () => streams.close(), () => new Promise<void>((resolve) => server.close(() => resolve())));

    const socket = connect((server.address() as AddressInfo).port, '127.0.0.1');
    cleanups.push(() => void socket.destroy());
    const received: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    socket.write('GET /api/v1/events HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n');
    while (!Buffer.concat(received).includes('event: snapshot')) await new Promise((resolve) => setTimeout(resolve, 5));
    socket.pause();

    // Clock in and out, again and again: each change is a domain event and a snapshot of ~50 KB.
    const changes = 300;
    let peak = 0;
    const start = Date.now() - 3_600_000;
    for (let index = 0; index < changes; index++) {
      const running = index % 2 === 0;
      clock.setRunning(running ? { id: `run-${index}`, start: new Date(start + index * 1000).toISOString(), end: null, description: `change ${index}` } : null);
      await new Promise((resolve) => setTimeout(resolve, 15)); // LiveWeek coalesces a turn; the snapshot follows events by 10 ms
      peak = Math.max(peak, response!.writableLength);
    }
    const snapshotBytes = Buffer.byteLength(JSON.stringify(live.current));
    // Without coalescing the queue grows by a snapshot per change (here ~15 MB).
    expect(peak).toBeGreaterThan(0);
    expect(peak).toBeLessThan(snapshotBytes * 4);

    socket.resume();
    const text = () => Buffer.concat(received).toString('utf8');
    const until = Date.now() + 10_000;
    const lastDescription = `change ${changes - 2}`;
    while (!(text().split('event: snapshot').at(-1)!.includes('"clockedIn":[]') && text().includes(lastDescription)) && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const stream = text();
    // Every clock-in and clock-out arrived, in order.
    const types = [...stream.matchAll(/^event: (clock\.in|clock\.out)$/gm)].map((match) => match[1]);
    expect(types).toHaveLength(changes);
    expect(types.every((type, index) => type === (index % 2 === 0 ? 'clock.in' : 'clock.out'))).toBe(true);
    // The last snapshot it got is the newest state (clocked out after the last change).
    expect(stream.split('event: snapshot').at(-1)).toContain('"clockedIn":[]');
    // Far fewer snapshots than changes: the stale ones were never queued.
    expect(stream.split('event: snapshot').length - 1).toBeLessThan(changes);
  }, 30_000);
});
