/**
 * run()'s schedule after failures, on the fake clock against the fake Toggl: what stops polling
 * for good and how far back-off grows.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { rig, WEEK, type Rig } from './support.js';

let current: Rig | undefined;
afterEach(async () => {
  await current?.close();
  current = undefined;
});

/** Waits (real time, bounded) until `done()` holds; the fake clock does not move meanwhile. */
async function until(done: () => boolean, what: string, limitMs = 5_000): Promise<void> {
  const started = performance.now();
  while (!done()) {
    if (performance.now() - started > limitMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

describe('run() stops polling when retrying cannot help', () => {
  it('stops after PLAN_REQUIRED (a 402 with quota left): one request, no next poll scheduled', async () => {
    current = await rig();
    const r = current;
    r.toggl.script({ status: 402, body: 'Premium feature', headers: { 'x-toggl-quota-remaining': '25' } });
    const controller = new AbortController();
    const running = r.backend.run({ signal: controller.signal, range: () => WEEK });
    // Either it parks (and says so) or it schedules the next poll (a fake sleep): whichever comes first.
    await until(() => r.waits.length > 0 || r.logs.some((line) => line.includes('stopped polling')), 'run() to park or poll again');
    expect(r.logs.filter((line) => line.includes('stopped polling'))).toEqual([expect.stringContaining('stopped polling until restarted: PLAN_REQUIRED')]);
    expect(r.waits).toEqual([]);
    expect(r.toggl.requests.map((request) => request.status)).toEqual([402]);
    expect(r.store.source('toggl')).toMatchObject({ status: 'error', error: { code: 'PLAN_REQUIRED' } });
    controller.abort();
    await running;
  });
});

describe('run() back-off after repeated failures', () => {
  it('doubles from the 5-minute poll interval and is capped at 30 minutes', async () => {
    const controller = new AbortController();
    const hours = 2.5;
    let start = 0;
    current = await rig({
      onSleep: () => {
        if (current!.clock.now().getTime() - start >= hours * 3_600_000) controller.abort();
      },
    });
    const r = current;
    start = r.clock.now().getTime();
    // Malformed JSON is not retried within a poll: each poll is one request and one failure.
    r.toggl.script(...Array.from({ length: 20 }, () => ({ raw: '{"oops"' })));
    await r.backend.run({ signal: controller.signal, range: () => WEEK });
    expect(r.waits).toEqual([5, 10, 20, 30, 30, 30, 30].map((minutes) => minutes * 60_000));
    expect(r.store.source('toggl')?.error?.code).toBe('BAD_RESPONSE');
  });
});
