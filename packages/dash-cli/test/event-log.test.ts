/**
 * The event log's lines (event-log.ts) from real domain events: a Store changed step by step and
 * dash-core's EventDeriver (the events serve's SSE and the webhooks deliver) turning each look into
 * events; each event's line in the log, local times, and the log's cap.
 */
import { EventDeriver, Store } from 'dash-core/host';
import { describe, expect, it } from 'vitest';
import { EventLog, eventLine, LOG_LINES } from '../src/watch/event-log.js';
import { ACME, GLOBEX, snapshotOf, TZ } from './fixtures.js';

describe('event log lines', () => {
  it('clock in, clock out, a goal reached and a source failing, each as the log says it, in local time', () => {
    const store = new Store();
    const toggl = store.addSource('toggl', 'dash-plugin-toggl');
    const deriver = new EventDeriver();
    // Fri 20 Nov 2026, Berlin (UTC+1): 7h 50m done by 15:50, a timer since 16:00.
    const at = (iso: string) => new Date(iso);
    deriver.update(store, snapshotOf(store, at('2026-11-20T14:50:00Z')));
    toggl.replaceRange({ from: '2026-11-15T23:00:00Z', to: '2026-11-22T23:00:00Z' }, [
      { id: '1', start: '2026-11-20T07:00:00Z', end: '2026-11-20T14:50:00Z', project: ACME, billable: true, description: 'Product page' },
    ]);
    toggl.setRunning({ id: 'run', start: '2026-11-20T15:00:00Z', end: null, project: GLOBEX, billable: true, description: 'Pairing' });
    toggl.markSynced(at('2026-11-20T15:01:00Z'));
    const started = deriver.update(store, snapshotOf(store, at('2026-11-20T15:01:00Z')));
    const lines = (events: typeof started, now: string) => events.map((event) => eventLine(event, TZ, snapshotOf(store, at(now)).today));
    expect(lines(started, '2026-11-20T15:01:00Z')).toEqual(expect.arrayContaining([
      { time: '16:01', text: '▶ toggl clocked in (since 16:00)', tone: 'ok' },
    ]));
    // 8 h reached while the timer runs (16:10), then the timer stops at 16:30.
    const reached = deriver.update(store, snapshotOf(store, at('2026-11-20T15:11:00Z')));
    expect(lines(reached, '2026-11-20T15:11:00Z')).toContainEqual({ time: '16:11', text: '✔ daily goal reached: 8h 01m', tone: 'ok' });
    toggl.setRunning(null);
    toggl.upsert([{ id: 'run', start: '2026-11-20T15:00:00Z', end: '2026-11-20T15:30:00Z', project: GLOBEX, billable: true, description: 'Pairing' }]);
    const stopped = deriver.update(store, snapshotOf(store, at('2026-11-20T15:31:00Z')));
    expect(lines(stopped, '2026-11-20T15:31:00Z')).toContainEqual({ time: '16:31', text: '■ toggl clocked out after 30m', tone: 'info' });
    toggl.setStatus({ status: 'error', error: { code: 'AUTH_FAILED', message: 'Toggl rejected the API token', hint: 'check TOGGL_API_TOKEN' } });
    const failed = deriver.update(store, snapshotOf(store, at('2026-11-20T15:32:00Z')));
    expect(lines(failed, '2026-11-20T15:32:00Z')).toEqual([
      { time: '16:32', text: 'toggl error: Toggl rejected the API token [AUTH_FAILED] — check TOGGL_API_TOKEN', tone: 'error' },
    ]);
    // A day other than today carries its date.
    expect(lines(failed, '2026-11-21T10:00:00Z')[0]!.time).toBe('Fri 20 Nov 16:32');
  });

  it('keeps the newest LOG_LINES, counts every line, and strips control characters from text', () => {
    const log = new EventLog();
    for (let n = 0; n < LOG_LINES + 5; n++) log.add({ time: '09:00', text: `line ${n}`, tone: 'info' });
    expect(log.lines).toHaveLength(LOG_LINES);
    expect(log.lines[0]!.text).toBe('line 5');
    expect(log.total).toBe(LOG_LINES + 5);
    log.add({ time: '09:01', text: 'bad\u001b[2J\u0007 message', tone: 'error' });
    expect(log.lines.at(-1)!.text).not.toMatch(/[\u0000-\u001f]/);
  });
});
