import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { fetchText, fileClockConfig, serveDir, startServe, writeState, type Served } from './support/serve.js';

// Friday 2026-11-20, 15:30:10 UTC (ten seconds into the minute: the demo's running timer starts on a whole minute).
const AT = '2026-11-20T15:30:10Z';
const ENTRIES = [
  { id: 'mon', start: '2026-11-16T09:00:00Z', end: '2026-11-16T12:30:00Z', project: { key: 'acme', name: 'Acme "web" site', client: 'Acme' }, billable: true, description: 'checkout' },
  { id: 'tue', start: '2026-11-17T13:00:00Z', end: '2026-11-17T17:15:00Z', project: { key: 'globex', name: 'Globex', client: null }, description: 'api' },
  { id: 'fri', start: '2026-11-20T08:00:00Z', end: '2026-11-20T10:00:00Z', project: null, description: 'email' },
  { id: 'prev', start: '2026-11-12T08:00:00Z', end: '2026-11-12T09:00:00Z', project: null, description: 'last week' },
];

/**
 * The one thing two processes cannot share: when each synced (serve's clock has moved on a few
 * milliseconds from --at by its first sync). Everything else must be the same bytes.
 */
const syncTimes = (text: string) => text.replace(/"lastSyncAt": ?"[^"]+"/g, '"lastSyncAt":"…"');

async function synced(served: Served): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const reply = await fetchText(`${served.base}/api/v1/snapshot`, { headers: { authorization: `Bearer ${served.token}` } });
    if (reply.status === 200 && (JSON.parse(reply.body) as { sources: { lastSyncAt: string | null }[] }).sources.every((source) => source.lastSyncAt !== null)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('serve never synced');
}

describe('dash-cli serve: HTTP', () => {
  const home = serveDir();
  const { config, state } = fileClockConfig(home.dir);
  let served: Served;
  const bearer = () => ({ authorization: `Bearer ${served.token}` });

  beforeAll(async () => {
    writeState(state, { entries: ENTRIES, running: null });
    served = await startServe(['--config', config, '--at', AT, '--verbose'], { env: home.env, cwd: home.dir });
    await synced(served);
  });
  afterAll(async () => {
    await served?.stop();
    home.cleanup();
  });

  it('prints the address with the token; /healthz needs none', async () => {
    expect(served.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{32}$/);
    const health = await fetchText(`${served.base}/healthz`);
    expect(health).toMatchObject({ status: 200, body: '{"ok":true}' });
  });

  it('answers 401 with no detail to a missing or wrong token, a wrong cookie or scheme', async () => {
    const url = `${served.base}/api/v1/snapshot`;
    const attempts: Record<string, string>[] = [
      {},
      { authorization: 'Bearer wrong-token-of-some-length' },
      { authorization: `Bearer ${served.token}x` },
      { authorization: `Basic ${Buffer.from(`x:${served.token}`).toString('base64')}` },
      { cookie: 'dash_token=nope' },
      // A right cookie does not rescue a wrong header.
      { authorization: 'Bearer nope', cookie: `dash_token=${served.token}` },
    ];
    for (const headers of attempts) {
      const reply = await fetchText(url, { headers });
      expect(reply.status).toBe(401);
      expect(reply.body).toBe('{"error":{"code":"UNAUTHORIZED","message":"unauthorized"}}');
    }
    for (const path of ['/api/v1/events', '/api/v1/entries?from=2026-11-16T00:00:00Z&to=2026-11-17T00:00:00Z', '/metrics', '/grafana/']) {
      expect((await fetchText(`${served.base}${path}`)).status).toBe(401);
    }
    expect((await fetchText(`${served.base}/grafana/query`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(401);
  });

  it('a visit to /?token= sets an HttpOnly SameSite=Strict cookie and redirects to /; the cookie then signs requests in', async () => {
    const visit = await fetchText(`${served.base}/?token=${encodeURIComponent(served.token)}`);
    expect(visit.status).toBe(303);
    expect(visit.headers.location).toBe('/');
    const cookie = String(visit.headers['set-cookie']);
    expect(cookie).toMatch(/^dash_token=[^;]+; Path=\/; HttpOnly; SameSite=Strict/);
    const pair = cookie.split(';')[0]!;
    const page = await fetchText(`${served.base}/`, { headers: { cookie: pair } });
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toMatch(/script-src 'sha256-/);
    expect(page.body).not.toMatch(/<script[^>]+src=|<link[^>]+href=|https?:\/\//);
    expect((await fetchText(`${served.base}/api/v1/snapshot`, { headers: { cookie: pair } })).status).toBe(200);
    const wrong = await fetchText(`${served.base}/?token=wrong`);
    expect(wrong.status).toBe(401);
    expect(wrong.headers['set-cookie']).toBeUndefined();
    const signIn = await fetchText(`${served.base}/`);
    expect(signIn.status).toBe(401);
    expect(signIn.body).toContain('needs its token');
  });

  it('GET /api/v1/snapshot?at= is byte for byte what snapshot --json --at prints', async () => {
    const cli = await runCli(['snapshot', '--json', '--at', AT, '--config', config], { env: { TZ: 'UTC' } });
    expect(cli.code).toBe(0);
    const reply = await fetchText(`${served.base}/api/v1/snapshot?at=${AT}`, { headers: bearer() });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(syncTimes(reply.body)).toBe(syncTimes(cli.stdout));
    expect(reply.body).toMatch(/"lastSyncAt":"2026-11-20T15:30:1\d\.\d{3}Z"/);
    const week = JSON.parse(reply.body) as { week: { totalSeconds: number; start: string } };
    expect(week.week).toMatchObject({ start: '2026-11-16', totalSeconds: (3.5 + 4.25 + 2) * 3600 });
    // ?week= shows another week at the same instant.
    const previous = await fetchText(`${served.base}/api/v1/snapshot?at=${AT}&week=2026-11-12`, { headers: bearer() });
    expect(JSON.parse(previous.body)).toMatchObject({ week: { start: '2026-11-09', totalSeconds: 3600 } });
  });

  it('the demo: the same bytes as snapshot --demo --json --at, running timer included', async () => {
    const demoHome = serveDir();
    const demo = await startServe(['--demo', '--at', AT], { env: demoHome.env, cwd: demoHome.dir });
    try {
      await synced(demo);
      const cli = await runCli(['snapshot', '--json', '--demo', '--at', AT], { env: { TZ: 'UTC' } });
      const reply = await fetchText(`${demo.base}/api/v1/snapshot?at=${AT}`, { headers: { authorization: `Bearer ${demo.token}` } });
      expect(syncTimes(reply.body)).toBe(syncTimes(cli.stdout));
      expect(JSON.parse(reply.body).clockedIn).toHaveLength(1);
    } finally {
      await demo.stop();
      demoHome.cleanup();
    }
  });

  it('GET /api/v1/entries gives rows; bad queries are JSON errors with a code', async () => {
    const reply = await fetchText(`${served.base}/api/v1/entries?from=2026-11-16T00:00:00Z&to=2026-11-18T00:00:00Z`, { headers: bearer() });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toEqual([
      { source: 'clock', id: 'mon', start: '2026-11-16T09:00:00Z', end: '2026-11-16T12:30:00Z', seconds: 12_600, project: 'Acme "web" site', client: 'Acme', billable: true, description: 'checkout', tags: [] },
      { source: 'clock', id: 'tue', start: '2026-11-17T13:00:00Z', end: '2026-11-17T17:15:00Z', seconds: 15_300, project: 'Globex', client: null, billable: false, description: 'api', tags: [] },
    ]);
    const cases: [string, number, string][] = [
      ['/api/v1/entries?from=2026-11-16T00:00:00Z', 400, 'BAD_QUERY'],
      ['/api/v1/entries?from=yesterday&to=2026-11-18T00:00:00Z', 400, 'BAD_QUERY'],
      ['/api/v1/entries?from=2026-01-01T00:00:00Z&to=2026-11-18T00:00:00Z', 400, 'RANGE_TOO_LARGE'],
      ['/api/v1/snapshot?at=soon', 400, 'BAD_QUERY'],
      ['/api/v1/snapshot?week=2026-13-01', 400, 'BAD_QUERY'],
      ['/api/v1/nothing', 404, 'NOT_FOUND'],
    ];
    for (const [path, status, code] of cases) {
      const failed = await fetchText(`${served.base}${path}`, { headers: bearer() });
      expect([path, failed.status]).toEqual([path, status]);
      expect(JSON.parse(failed.body)).toEqual({ error: { code, message: expect.any(String) } });
    }
    const method = await fetchText(`${served.base}/api/v1/snapshot`, { method: 'POST', headers: bearer() });
    expect(method.status).toBe(405);
    expect(method.headers.allow).toBe('GET');
  });

  it('--verbose logs one line per request, never the token', () => {
    const lines = served.stderr().split('\n').filter((line) => /^dash-cli: (GET|POST) /.test(line));
    expect(lines.length).toBeGreaterThan(10);
    expect(lines).toContainEqual(expect.stringMatching(/^dash-cli: GET \/api\/v1\/snapshot 200 \d+\.\dms$/));
    expect(served.stderr() + served.stdout().replace(served.url, '')).not.toContain(served.token);
  });

  it('keeps a generated token 0600 in the data folder', () => {
    const file = join(home.dir, 'data', 'dash', 'serve-token');
    expect(readFileSync(file, 'utf8').trim()).toBe(served.token);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});

describe('dash-cli serve: where it may listen', () => {
  it('refuses a non-loopback address without a token of the user\'s, and CORS is off unless listed', async () => {
    const home = serveDir();
    try {
      const refused = await runCli(['serve', '--demo', '--host', '0.0.0.0', '--port', '0'], { env: { ...home.env } });
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/0\.0\.0\.0 \(not loopback\) needs a token you chose/);
      const { config } = fileClockConfig(home.dir, '\n[serve]\ncors_origins = ["https://grafana.example.test"]\n');
      writeState(join(home.dir, 'state.json'), { entries: [] });
      const served = await startServe(['--config', config], { env: { ...home.env, DASH_SERVE_TOKEN: 'a-token-of-the-users-own-1234' }, cwd: home.dir });
      try {
        expect(served.token).toBe('a-token-of-the-users-own-1234');
        const headers = { authorization: `Bearer ${served.token}` };
        const listed = await fetchText(`${served.base}/api/v1/snapshot`, { headers: { ...headers, origin: 'https://grafana.example.test' } });
        expect(listed.headers['access-control-allow-origin']).toBe('https://grafana.example.test');
        const other = await fetchText(`${served.base}/api/v1/snapshot`, { headers: { ...headers, origin: 'https://evil.example.test' } });
        expect(other.headers['access-control-allow-origin']).toBeUndefined();
        const preflight = await fetchText(`${served.base}/grafana/query`, { method: 'OPTIONS', headers: { origin: 'https://grafana.example.test', 'access-control-request-method': 'POST' } });
        expect(preflight.status).toBe(204);
        expect(preflight.headers['access-control-allow-headers']).toMatch(/Authorization/);
      } finally {
        await served.stop();
      }
    } finally {
      home.cleanup();
    }
  });
});
