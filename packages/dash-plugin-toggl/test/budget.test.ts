/**
 * The request budget of `watch` at default settings, measured on a fake clock against the fake
 * Toggl (which keeps Toggl's hourly window and answers 402 past 30 requests).
 *
 * Budget (README "Quota"): poll_interval 5 min → 12 requests an hour; the first hour may add one
 * `/me/time_entries/current` when nothing is running → at most 13 in any hour, 289 for 24 hours.
 */
import type { SourceState } from 'dash-core/host';
import { afterEach, describe, expect, it } from 'vitest';
import { NOW, rig, WEEK, type Rig } from './support.js';

const HOUR = 3_600_000;
const START = Date.parse(NOW);

let current: Rig | undefined;
afterEach(async () => {
  await current?.close();
  current = undefined;
});

interface Watch {
  r: Rig;
  /** Request times in ms since the start. */
  times(): number[];
  statuses: SourceState[];
}

/** Runs `run()` on the fake clock until `hours` have passed (the next poll would be at or after it). */
async function watch(hours: number, setup: { running?: boolean; before?: (r: Rig) => void; onSleep?: (r: Rig, ms: number) => void } = {}): Promise<Watch> {
  const controller = new AbortController();
  let rigRef: Rig | undefined;
  const r = await rig({
    onSleep: (ms) => {
      setup.onSleep?.(rigRef!, ms);
      if (rigRef!.clock.now().getTime() >= START + hours * HOUR) controller.abort();
    },
  });
  rigRef = r;
  current = r;
  r.toggl.addEntry({ id: 1, start: '2026-11-16T09:00:00Z', stop: '2026-11-16T10:00:00Z' });
  if (setup.running ?? true) r.toggl.addEntry({ id: 2, start: '2026-11-18T11:30:00Z', duration: -1 });
  setup.before?.(r);
  const statuses: SourceState[] = [];
  r.store.on('change', () => statuses.push(r.store.source('toggl')!));
  await r.backend.run({ signal: controller.signal, range: () => WEEK });
  await new Promise((resolve) => setImmediate(resolve));
  return { r, statuses, times: () => r.toggl.requests.map((request) => request.at.getTime() - START) };
}

function maxInAnyHour(times: number[]): number {
  return Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + HOUR).length));
}

describe('request budget of run() at default settings', () => {
  it('makes 12 requests in a simulated hour: one full fetch, then since every 5 minutes', async () => {
    const { r, times } = await watch(1);
    expect(times()).toEqual([0, 300, 600, 900, 1200, 1500, 1800, 2100, 2400, 2700, 3000, 3300].map((s) => s * 1000));
    expect(r.toggl.requests[0]!.query).toHaveProperty('start_date');
    expect(r.toggl.requests.slice(1).every((request) => request.query.since !== undefined)).toBe(true);
    expect(r.waits.every((ms) => ms === 300_000)).toBe(true);
    expect(r.backend.requestsSent).toBe(12);
  });

  it('makes 13 in the first hour when nothing is running (one /current), 12 an hour after', async () => {
    const { times } = await watch(2, { running: false });
    const all = times();
    expect(all.filter((t) => t < HOUR)).toHaveLength(13);
    expect(all.filter((t) => t >= HOUR)).toHaveLength(12);
  });

  it('stays at ≤ 13 requests in any rolling hour over a day of watch, never hitting 402', async () => {
    const { r, times } = await watch(24, { running: false });
    const all = times();
    expect(all).toHaveLength(12 * 24 + 1);
    expect(maxInAnyHour(all)).toBe(13);
    expect(r.toggl.requests.filter((request) => request.status !== 200)).toEqual([]);
  });

  it('stretches the interval when other tools have used most of the quota', async () => {
    const { r, times } = await watch(1.5, { before: (rig) => rig.toggl.useQuota(20) });
    // After our first request 9 remain for 60 min; keeping 5 in reserve → one poll per 15 min.
    expect(times()).toEqual([0, 900, 1800, 2700, 3600, 3900, 4200, 4500, 4800, 5100].map((s) => s * 1000));
    expect(r.toggl.requests.every((request) => request.status === 200)).toBe(true);
  });

  it('after a 402 sends nothing until the window resets, showing rate-limited, then resumes', async () => {
    let sleeps = 0;
    const { r, times, statuses } = await watch(1.25, {
      // After our 2nd poll, other tools burn the rest of the window (which began at our first request).
      onSleep: (rig) => {
        if (++sleeps === 2) rig.toggl.useQuota(100);
      },
    });
    expect(times()).toEqual([0, 300, 600, 3600, 3900, 4200].map((s) => s * 1000));
    expect(r.toggl.requests.map((request) => request.status)).toEqual([200, 200, 402, 200, 200, 200]);
    const limited = statuses.find((state) => state.status === 'rate-limited');
    expect(limited).toMatchObject({
      rateLimitedUntil: '2026-11-18T13:00:00.000Z',
      error: { code: 'RATE_LIMITED', message: expect.stringMatching(/^rate-limited until 13:00: /) },
    });
    expect(r.store.source('toggl')?.status).toBe('ok');
  });

  it('keeps polling through server errors and bad payloads, backing off', async () => {
    let sleeps = 0;
    const { r, times, statuses } = await watch(1, {
      onSleep: (rig) => {
        sleeps++;
        if (sleeps === 1) rig.toggl.script({ status: 500 }, { status: 502 }, { status: 500 }); // the 2nd poll fails 3 times
        if (sleeps === 4) rig.toggl.script({ raw: '{"oops"' }); // the 3rd gets malformed JSON
      },
    });
    // 300 s: 500, retry after 1 s, 502, retry after 2 s, 500 → SERVER_ERROR, next poll after the floor;
    // 603 s: malformed → BAD_RESPONSE, 2nd failure in a row → 10 min; then every 5 min again.
    expect(times()).toEqual([0, 300, 301, 303, 603, 1203, 1503, 1803, 2103, 2403, 2703, 3003, 3303].map((s) => s * 1000));
    const codes = statuses.map((state) => state.error?.code ?? 'ok').filter((code, index, all) => code !== all[index - 1]);
    expect(codes).toEqual(['ok', 'SERVER_ERROR', 'BAD_RESPONSE', 'ok']);
    expect(r.store.source('toggl')).toMatchObject({ status: 'ok', error: null });
  });

  it('stops polling after AUTH_REQUIRED (a rejected token cannot fix itself)', async () => {
    const controller = new AbortController();
    current = await rig({ options: { api_token: 'wrong-token-123456' } });
    const r = current;
    const running = r.backend.run({ signal: controller.signal, range: () => WEEK });
    // Parked (it says so) or polling again (a fake sleep): whichever comes first, no fixed wait.
    while (r.waits.length === 0 && !r.logs.some((line) => line.includes('stopped polling'))) await new Promise((resolve) => setTimeout(resolve, 2));
    expect(r.waits).toEqual([]);
    controller.abort();
    await running;
    expect(current.toggl.requests).toHaveLength(1);
    expect(current.store.source('toggl')?.error?.code).toBe('AUTH_REQUIRED');
  });
});
