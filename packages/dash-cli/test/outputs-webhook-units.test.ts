/**
 * The webhook output's parts on their own: the signature checked by `standardwebhooks` (an
 * independent implementation), the retry schedule, Retry-After, and the outbox's claims between
 * processes (a second real Node process holds one).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterAll, describe, expect, it } from 'vitest';
import { Outbox, STALE_CLAIM_MS } from '../src/outputs/webhook/outbox.js';
import { DEFAULT_SCHEDULE, expired, parseRetryAfter, retryDelayMs, scheduleFromEnv } from '../src/outputs/webhook/schedule.js';
import { SECRET_PATTERN, signedHeaders } from '../src/outputs/webhook/sign.js';
import { newSecret } from '../../../test/support/webhook-receiver.js';

describe('signature (Standard Webhooks)', () => {
  it('standardwebhooks verifies what signedHeaders signs, for random secrets and bodies', () => {
    for (let i = 0; i < 50; i++) {
      const secret = newSecret();
      expect(secret).toMatch(SECRET_PATTERN);
      const body = JSON.stringify({ type: 'clock.in', timestamp: new Date().toISOString(), data: { n: i, text: 'ünïcode ✓ "quotes" \\ \n' } });
      const id = `evt_${i.toString(16).padStart(32, '0')}`;
      const headers = signedHeaders(secret, id, Math.floor(Date.now() / 1000), body);
      expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    }
  });

  it('a different body, id, timestamp or secret does not verify', () => {
    const secret = newSecret();
    const now = Math.floor(Date.now() / 1000);
    const headers = signedHeaders(secret, 'evt_1', now, '{"a":1}');
    expect(() => new Webhook(secret).verify('{"a":2}', headers)).toThrow(/signature/i);
    expect(() => new Webhook(secret).verify('{"a":1}', { ...headers, 'webhook-id': 'evt_2' })).toThrow(/signature/i);
    expect(() => new Webhook(secret).verify('{"a":1}', { ...headers, 'webhook-timestamp': String(now + 1) })).toThrow(/signature/i);
    expect(() => new Webhook(newSecret()).verify('{"a":1}', headers)).toThrow(/signature/i);
  });

  it('matches the spec example key handling: the HMAC key is the base64-decoded part after whsec_', () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const headers = signedHeaders(secret, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}');
    // The Standard Webhooks reference test vector (spec, "Signature scheme").
    expect(headers['webhook-signature']).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });
});

describe('retry schedule', () => {
  const mid = () => 0.5;
  it('doubles from 5 s, capped at 1 h', () => {
    const waits = Array.from({ length: 14 }, (_, i) => retryDelayMs(i + 1, DEFAULT_SCHEDULE, mid));
    expect(waits.slice(0, 6)).toEqual([5_000, 10_000, 20_000, 40_000, 80_000, 160_000]);
    expect(waits.at(-1)).toBe(3_600_000);
    expect(Math.max(...waits)).toBe(3_600_000);
  });

  it('jitters each wait by at most ±20 %', () => {
    expect(retryDelayMs(1, DEFAULT_SCHEDULE, () => 0)).toBe(4_000);
    expect(retryDelayMs(1, DEFAULT_SCHEDULE, () => 0.999_999)).toBeLessThanOrEqual(6_000);
    for (let i = 0; i < 200; i++) {
      const wait = retryDelayMs(3, DEFAULT_SCHEDULE);
      expect(wait).toBeGreaterThanOrEqual(16_000);
      expect(wait).toBeLessThanOrEqual(24_000);
    }
  });

  it('waits for a longer Retry-After (never longer than the cap), not for a shorter one', () => {
    expect(retryDelayMs(1, DEFAULT_SCHEDULE, mid, 30_000)).toBe(30_000);
    expect(retryDelayMs(1, DEFAULT_SCHEDULE, mid, 1_000)).toBe(5_000);
    expect(retryDelayMs(1, DEFAULT_SCHEDULE, mid, 86_400_000)).toBe(3_600_000);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-12-02T12:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Wed, 02 Dec 2026 12:01:00 GMT', now)).toBe(60_000);
    expect(parseRetryAfter('Wed, 02 Dec 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('drops an event older than 24 h; about 30 attempts fit in that time', () => {
    const queued = 0;
    expect(expired(queued, 24 * 3_600_000, DEFAULT_SCHEDULE)).toBe(false);
    expect(expired(queued, 24 * 3_600_000 + 1, DEFAULT_SCHEDULE)).toBe(true);
    let at = 0;
    let attempts = 1;
    while (!expired(queued, at + retryDelayMs(attempts, DEFAULT_SCHEDULE, mid), DEFAULT_SCHEDULE)) at += retryDelayMs(attempts++, DEFAULT_SCHEDULE, mid);
    expect(attempts).toBeGreaterThan(25);
    expect(attempts).toBeLessThan(35);
  });

  it('DASH_OUTPUT_RETRY_BASE_MS scales the whole schedule down for tests; anything else leaves the default', () => {
    expect(scheduleFromEnv({ DASH_OUTPUT_RETRY_BASE_MS: '50' })).toEqual({ ...DEFAULT_SCHEDULE, baseMs: 50, capMs: 36_000, maxAgeMs: 864_000 });
    expect(scheduleFromEnv({ DASH_OUTPUT_RETRY_BASE_MS: 'x' })).toBe(DEFAULT_SCHEDULE);
    expect(scheduleFromEnv({})).toBe(DEFAULT_SCHEDULE);
  });
});

describe('outbox claims', () => {
  const dirs: string[] = [];
  const fresh = () => {
    const dir = mkdtempSync(join(tmpdir(), 'dash-outbox-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('the same event id queued twice (two processes seeing one happening) is one record; a delivered id is not queued again', async () => {
    const outbox = new Outbox(fresh());
    await outbox.ensure();
    expect(await outbox.add({ id: 'evt_a', type: 'clock.in', body: '{}' }, 1)).toBe(true);
    expect(await outbox.add({ id: 'evt_a', type: 'clock.in', body: '{}' }, 2)).toBe(false);
    expect((await outbox.list()).map((record) => record.id)).toEqual(['evt_a']);
    await outbox.delivered('evt_a');
    expect(await outbox.list()).toEqual([]);
    expect(await outbox.add({ id: 'evt_a', type: 'clock.in', body: '{}' }, 3)).toBe(false);
  });

  it('lists oldest first, and ids that are not file names are stored under a digest', async () => {
    const outbox = new Outbox(fresh());
    await outbox.ensure();
    await outbox.add({ id: '../../etc/passwd', type: 'x', body: '{}' }, 5);
    await outbox.add({ id: 'evt_b', type: 'x', body: '{}' }, 3);
    await outbox.add({ id: 'evt_c', type: 'x', body: '{}' }, 3);
    expect((await outbox.list()).map((record) => record.id)).toEqual(['evt_b', 'evt_c', '../../etc/passwd']);
  });

  it('one claim at a time; a claim held by a live process is respected; one of a dead process or a stale one is taken over', async () => {
    const dir = fresh();
    const outbox = new Outbox(dir);
    await outbox.ensure();
    await outbox.add({ id: 'evt_d', type: 'x', body: '{}' }, 1);
    const mine = await outbox.claim('evt_d');
    expect(mine).toBeDefined();
    expect(await outbox.claim('evt_d')).toBeUndefined();
    await mine!.release();

    // Another live process holds it.
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    const lock = join(dir, 'outbox', 'evt_d.lock');
    writeFileSync(lock, JSON.stringify({ pid: child.pid, at: Date.now() }));
    expect(await outbox.claim('evt_d')).toBeUndefined();
    // ...for too long (its pid may have been reused): taken over.
    expect(await outbox.claim('evt_d', Date.now() + STALE_CLAIM_MS + 1)).toBeDefined();
    // A dead process's claim is taken over at once.
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    writeFileSync(lock, JSON.stringify({ pid: child.pid, at: Date.now() }));
    const taken = await outbox.claim('evt_d');
    expect(taken).toBeDefined();
    await taken!.release();
  });
});
