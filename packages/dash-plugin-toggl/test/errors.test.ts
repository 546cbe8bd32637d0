import { afterEach, describe, expect, it } from 'vitest';
import { startFakeToggl } from '../../../test/support/fake-toggl.js';
import { NOW, rig, signal, togglHost, WEEK, type Rig } from './support.js';

let current: Rig | undefined;
afterEach(async () => {
  await current?.close();
  current = undefined;
});

async function setup(...args: Parameters<typeof rig>): Promise<Rig> {
  current = await rig(...args);
  current.toggl.addEntry({ id: 1, start: '2026-11-16T09:00:00Z', stop: '2026-11-16T10:00:00Z' });
  current.toggl.addEntry({ id: 2, start: '2026-11-18T11:00:00Z' });
  return current;
}

const sync = (r: Rig) => r.backend.sync({ ...WEEK, signal: signal() });

describe('402: the hourly quota', () => {
  it('stops every request until the window resets and says until when, never "upgrade"', async () => {
    const r = await setup({ timeZone: 'Europe/Berlin' });
    r.toggl.useQuota(30); // other tools used the whole window, which began at 12:00 UTC
    r.clock.advance(20 * 60_000); // 12:20 UTC: the window resets in 40 min, at 13:00 UTC = 14:00 Berlin

    await expect(sync(r)).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    expect(r.toggl.requests.map((request) => request.status)).toEqual([402]);
    const source = r.store.source('toggl')!;
    expect(source.status).toBe('rate-limited');
    expect(source.rateLimitedUntil).toBe('2026-11-18T13:00:00.000Z');
    expect(source.error?.code).toBe('RATE_LIMITED');
    expect(source.error?.message).toMatch(/^rate-limited until 14:00: Toggl's hourly API quota is used up/);
    expect(source.error?.message).not.toMatch(/upgrade|premium|plan/i);

    // Anything asked before the reset is answered without a request.
    for (const minutes of [1, 10, 29]) {
      r.clock.set(Date.parse('2026-11-18T12:30:00Z') + (minutes - 1) * 60_000);
      await expect(sync(r)).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    }
    expect(await r.backend.healthCheck(signal())).toMatchObject({ ok: false, code: 'RATE_LIMITED' });
    expect(r.toggl.requests).toHaveLength(1);
    // The block is in the cursor, so a restarted backend (cache kept) waits too.
    await expect(r.restart().sync({ ...WEEK, signal: signal() })).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    expect(r.toggl.requests).toHaveLength(1);

    r.clock.set('2026-11-18T13:00:00Z');
    await sync(r);
    expect(r.toggl.requests).toHaveLength(2);
    expect(r.store.source('toggl')).toMatchObject({ status: 'ok', error: null, rateLimitedUntil: null });
  });

  it('waits an hour when a 402 carries no quota headers', async () => {
    const r = await setup();
    r.toggl.script({ status: 402, body: 'limit', noQuotaHeaders: true });
    await expect(sync(r)).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    expect(r.store.source('toggl')?.rateLimitedUntil).toBe('2026-11-18T13:00:00.000Z');
  });

  it('calls a 402 with quota left a plan problem, not a rate limit', async () => {
    const r = await setup();
    r.toggl.script({ status: 402, body: 'Premium feature', headers: { 'x-toggl-quota-remaining': '25' } });
    await expect(sync(r)).rejects.toMatchObject({ code: 'PLAN_REQUIRED' });
    expect(r.store.source('toggl')?.error?.message).toMatch(/25 requests of the hourly quota left, so this is not the rate limit/);
    expect(r.toggl.requests).toHaveLength(1);
  });
});

describe('429 and 5xx: bounded retries', () => {
  it('retries a 429 twice with growing delays, then backs off 5 minutes without requests', async () => {
    const r = await setup();
    r.toggl.script({ status: 429 }, { status: 429 }, { status: 429 }, { status: 429 });
    await expect(sync(r)).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    expect(r.toggl.requests.map((request) => request.status)).toEqual([429, 429, 429]);
    // 2 s and 6 s, × 1.125 jitter (random fixed at 0.5 in tests).
    expect(r.waits).toEqual([2250, 6750]);
    const source = r.store.source('toggl')!;
    expect(source.status).toBe('rate-limited');
    expect(source.error?.message).toMatch(/^rate-limited until 12:05: Toggl is throttling requests \(HTTP 429\)/);
    expect(source.rateLimitedUntil).toBe(new Date(Date.parse(NOW) + 9_000 + 300_000).toISOString());
    await expect(sync(r)).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    expect(r.toggl.requests).toHaveLength(3);
  });

  it('honours Retry-After and succeeds on the retry', async () => {
    const r = await setup();
    r.toggl.script({ status: 429, headers: { 'retry-after': '3' } });
    await sync(r);
    expect(r.waits).toEqual([3375]);
    expect(r.toggl.requests.map((request) => request.status)).toEqual([429, 200]);
    expect(r.store.source('toggl')?.status).toBe('ok');
  });

  it('retries 5xx with jittered delays and recovers', async () => {
    const r = await setup();
    r.toggl.script({ status: 500 }, { status: 503, raw: '<html>bad gateway</html>' });
    await sync(r);
    expect(r.toggl.requests.map((request) => request.status)).toEqual([500, 503, 200]);
    expect(r.waits).toEqual([1000, 2000]);
    expect(r.context.store.entries().map((entry) => entry.id).sort()).toEqual(['1', '2']);
  });

  it('gives up after 3 attempts with SERVER_ERROR, and the next sync works', async () => {
    const r = await setup();
    r.toggl.script({ status: 500 }, { status: 502 }, { status: 500 });
    await expect(sync(r)).rejects.toMatchObject({ code: 'SERVER_ERROR' });
    expect(r.toggl.requests).toHaveLength(3);
    expect(r.store.source('toggl')?.error).toEqual({
      code: 'SERVER_ERROR',
      message: 'Toggl answered HTTP 500 (3 attempts); will retry at the next poll',
    });
    await sync(r);
    expect(r.store.source('toggl')?.status).toBe('ok');
  });
});

describe('auth, network and payload failures', () => {
  it('turns 403 (wrong token) into AUTH_REQUIRED with the fix, after one request', async () => {
    const r = await setup({ options: { api_token: 'not-the-right-token' } });
    await expect(sync(r)).rejects.toMatchObject({ code: 'AUTH_REQUIRED' });
    expect(r.toggl.requests).toHaveLength(1);
    const error = r.store.source('toggl')?.error;
    expect(error?.code).toBe('AUTH_REQUIRED');
    expect(error?.message).toMatch(/^Toggl rejected the API token \(HTTP 403\): copy your API token from https:\/\/track\.toggl\.com\/profile/);
    expect(error?.message).not.toContain('not-the-right-token');
  });

  it('turns 401 into AUTH_REQUIRED too', async () => {
    const r = await setup();
    r.toggl.script({ status: 401, noQuotaHeaders: true });
    await expect(sync(r)).rejects.toMatchObject({ code: 'AUTH_REQUIRED' });
    expect(r.store.source('toggl')?.error?.message).toMatch(/HTTP 401.*TOGGL_API_TOKEN/);
  });

  it('reports malformed JSON as BAD_RESPONSE without retrying', async () => {
    const r = await setup();
    r.toggl.script({ raw: '[{"id": 1, "start": ' });
    await expect(sync(r)).rejects.toMatchObject({ code: 'BAD_RESPONSE' });
    expect(r.toggl.requests).toHaveLength(1);
    expect(r.store.source('toggl')?.error?.message).toBe(
      'Toggl sent a response Dash does not understand (/me/time_entries did not return JSON); will retry at the next poll',
    );
  });

  it('reports a surprising shape with the field, never the body', async () => {
    const r = await setup();
    r.toggl.script({ body: [{ id: 1, workspace_id: 1, start: '2026-11-16T09:00:00Z', duration: 'long', secret: 'xyz' }] });
    await expect(sync(r)).rejects.toMatchObject({ code: 'BAD_RESPONSE' });
    expect(r.store.source('toggl')?.error?.message).toMatch(/a time entry list Dash does not understand \(\[0\]\.duration: /);
    r.toggl.script({ body: { data: [] } });
    await expect(sync(r)).rejects.toMatchObject({ code: 'BAD_RESPONSE' });
  });

  it('a bad payload becomes a status in the host, not a crash', async () => {
    const toggl = await startFakeToggl();
    toggl.script({ raw: 'not json at all' });
    const { host, store } = togglHost(toggl.url, toggl.token);
    try {
      const outcome = await host.syncOnce(WEEK);
      expect(outcome).toEqual([{ id: 'toggl', ok: false, error: expect.objectContaining({ code: 'BAD_RESPONSE' }) }]);
      expect(store.source('toggl')).toMatchObject({ status: 'error', error: { code: 'BAD_RESPONSE' } });
    } finally {
      await host.stop();
      await toggl.close();
    }
  });

  it('times out a slow answer, retries, then reports NETWORK', async () => {
    const r = await setup({ internals: { timeoutMs: 300, retry: { serverRetries: 1, random: () => 0.5 } } });
    r.toggl.delayMs = 2_000;
    const started = Date.now();
    await expect(sync(r)).rejects.toMatchObject({ code: 'NETWORK' });
    expect(Date.now() - started).toBeLessThan(1_900);
    expect(r.toggl.requests).toHaveLength(2);
    expect(r.store.source('toggl')?.error?.message).toMatch(/^could not reach Toggl at 127\.0\.0\.1:\d+: no answer within 0\.3s \(2 attempts\)/);
    r.toggl.delayMs = 50;
    await sync(r);
    expect(r.store.source('toggl')?.status).toBe('ok');
  });

  it('reports a refused connection as NETWORK', async () => {
    const r = await setup();
    await r.toggl.close();
    await expect(sync(r)).rejects.toMatchObject({ code: 'NETWORK' });
    expect(r.store.source('toggl')?.error?.message).toMatch(/ECONNREFUSED \(3 attempts\)/);
    await r.toggl.listen().catch(() => undefined);
  });

  it('returns promptly when the signal aborts mid-request, without an error status', async () => {
    const r = await setup();
    // The answer would come after 20 s: settling within a few means the abort ended the request.
    r.toggl.delayMs = 20_000;
    const controller = new AbortController();
    const pending = r.backend.sync({ ...WEEK, signal: controller.signal });
    while (r.toggl.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 2));
    const started = Date.now();
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(r.store.source('toggl')?.status).not.toBe('error');
  });
});
