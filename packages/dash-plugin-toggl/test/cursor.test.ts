import { Store } from 'dash-core/host';
import { createTestContext } from 'dash-core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createTogglBackend, type TogglBackend } from '../src/backend.js';
import { accountFingerprint } from '../src/cursor.js';
import { TogglOptionsSchema } from '../src/options.js';
import { rig, signal, WEEK, type Rig } from './support.js';

const OTHER_TOKEN = 'second-account-token-fedcba9876543210';

let current: Rig | undefined;
const extra: TogglBackend[] = [];
afterEach(async () => {
  for (const backend of extra.splice(0)) await backend.dispose();
  await current?.close();
  current = undefined;
});

/** A backend with another token on the same store and api_url (the cache kept across a token change). */
function withToken(r: Rig, token: string): TogglBackend {
  const options = TogglOptionsSchema.parse({ api_token: token, api_url: r.toggl.url });
  const backend = createTogglBackend(options, r.context, { retry: { random: () => 0.5 }, timeoutMs: 2_000 });
  extra.push(backend);
  return backend;
}

describe('the cursor belongs to one account', () => {
  it('is not reused by another token on the same api_url: that one fetches the week in full', async () => {
    current = await rig();
    const r = current;
    r.toggl.addEntry({ id: 1, start: '2026-11-16T09:00:00Z', stop: '2026-11-16T10:00:00Z' });
    r.toggl.addEntry({ id: 2, start: '2026-11-18T11:00:00Z' });
    await r.backend.sync({ ...WEEK, signal: signal() });
    expect(r.toggl.requests[0]!.query).toHaveProperty('start_date');

    // The user signs in to another Toggl account; the cache (and so the cursor) survives.
    r.clock.advance(5 * 60_000);
    r.toggl.token = OTHER_TOKEN;
    await withToken(r, OTHER_TOKEN).sync({ ...WEEK, signal: signal() });
    const second = r.toggl.requests[1]!;
    expect(second.status).toBe(200);
    // A full fetch of the range, not `since` from the first account's history.
    expect(second.query).toMatchObject({ start_date: '2026-11-15T00:00:00Z', end_date: '2026-11-23T00:00:00Z' });
    expect(second.query).not.toHaveProperty('since');
    const cursor = r.context.store.getCursor<{ account: string }>()!;
    expect(cursor.account).toBe(accountFingerprint(r.context.fingerprint, r.toggl.url, OTHER_TOKEN));
  });

  it('is reused by the same token after a restart through the cache', async () => {
    current = await rig();
    const r = current;
    r.toggl.addEntry({ id: 2, start: '2026-11-18T11:00:00Z' });
    await r.backend.sync({ ...WEEK, signal: signal() });
    await r.backend.dispose();

    // The cache is the store's JSON: a new process restores it.
    const restored = Store.fromJSON(JSON.parse(JSON.stringify(r.store.toJSON())));
    const handle = restored.addSource('toggl', 'dash-plugin-toggl');
    r.clock.advance(5 * 60_000);
    const options = TogglOptionsSchema.parse({ api_token: r.toggl.token, api_url: r.toggl.url });
    const backend = createTogglBackend(options, { ...r.context, store: handle }, { retry: { random: () => 0.5 }, timeoutMs: 2_000 });
    extra.push(backend);
    await backend.sync({ ...WEEK, signal: signal() });
    expect(Object.keys(r.toggl.requests.at(-1)!.query).sort()).toEqual(['meta', 'since']);
  });

  it('never holds the token or the Authorization header, only a keyed fingerprint', async () => {
    current = await rig();
    const r = current;
    r.toggl.addEntry({ id: 1, start: '2026-11-16T09:00:00Z', stop: '2026-11-16T10:00:00Z' });
    await r.backend.sync({ ...WEEK, signal: signal() });
    const cache = JSON.stringify(r.store.toJSON());
    const token = r.toggl.token;
    expect(cache).not.toContain(token);
    expect(cache).not.toContain(Buffer.from(`${token}:api_token`).toString('base64'));
    const account = r.context.store.getCursor<{ account: string }>()!.account;
    expect(account).toMatch(/^[0-9a-f]{32}$/);
    expect(account).toBe(accountFingerprint(r.context.fingerprint, r.toggl.url, token));
    expect(accountFingerprint(r.context.fingerprint, r.toggl.url, OTHER_TOKEN)).not.toBe(account);
    expect(accountFingerprint(r.context.fingerprint, 'https://api.track.toggl.com/api/v9', token)).not.toBe(account);
    // Keyed: another install's key gives another fingerprint (a copy of the cache confirms no guess).
    expect(accountFingerprint(createTestContext({ key: Buffer.alloc(32, 1) }).context.fingerprint, r.toggl.url, token)).not.toBe(account);
  });

  it('keeps no credentials of api_url (https://TOKEN@host) in the cursor', async () => {
    current = await rig();
    const r = current;
    const secret = 'userinfo-secret-0123456789abcdef';
    const url = new URL(r.toggl.url);
    url.username = secret;
    const options = TogglOptionsSchema.parse({ api_token: r.toggl.token, api_url: url.href });
    const backend = createTogglBackend(options, r.context, { retry: { random: () => 0.5 }, timeoutMs: 2_000 });
    extra.push(backend);
    await backend.sync({ ...WEEK, signal: signal() }).catch(() => {});
    await backend.dispose();
    const cursor = r.context.store.getCursor<{ scope: string }>()!;
    expect(cursor.scope.startsWith(`${new URL(r.toggl.url).origin}/`)).toBe(true);
    expect(JSON.stringify(r.store.toJSON())).not.toContain(secret);
  });
});
