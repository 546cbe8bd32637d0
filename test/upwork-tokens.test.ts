import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isDashError, type BackendPlugin } from 'dash-core';
import { createTestContext, FakeClock } from 'dash-core/testing';
import upwork from 'dash-plugin-upwork';
import { FakeUpwork, writeTokenFile } from './support/fake-upwork.js';
import { isolatedEnv, runCli, writeUpworkConfig } from './support/upwork-cli.js';

const plugin = upwork as BackendPlugin<unknown>;
const NOW = '2026-11-20T18:00:00Z';
const WEEK = { from: new Date('2026-11-16T05:00:00Z'), to: new Date('2026-11-23T05:00:00Z') };

let fake: FakeUpwork;
let dir: string;
let tokenFile: string;

beforeEach(async () => {
  fake = await FakeUpwork.start();
  fake.contracts = [{ id: '38201457', title: 'Acme checkout redesign', client: 'Acme Corp' }];
  fake.addSession('38201457', '2026-11-17T14:00:00Z', 120, { memo: 'Checkout flow' });
  dir = await mkdtemp(join(tmpdir(), 'dash-upwork-tokens-'));
  tokenFile = join(dir, 'tokens', 'upwork.json');
});
afterEach(async () => {
  await fake.close();
  await rm(dir, { recursive: true, force: true });
});

async function backendAt(now = NOW, extra: Record<string, unknown> = {}) {
  const clock = new FakeClock(now);
  const test = createTestContext({ id: 'upwork', clock, timeZone: 'America/New_York', dataDir: join(dir, 'data') });
  const validated = await plugin.optionsSchema['~standard'].validate(fake.backendOptions({ token_file: tokenFile, ...extra }));
  if (validated.issues) throw new Error(JSON.stringify(validated.issues));
  const backend = await plugin.createBackend(validated.value, test.context);
  const sync = () => backend.sync({ ...WEEK, signal: new AbortController().signal });
  return { ...test, backend, sync };
}

async function stored(): Promise<{ access_token: string; refresh_token: string; expires_at: string }> {
  return JSON.parse(await readFile(tokenFile, 'utf8'));
}

describe('Upwork tokens', () => {
  it('refreshes before expiry, saves the rotated pair (0600, atomically) and a restarted process uses it', async () => {
    fake.rotatedGraceSeconds = 0; // the old refresh token dies at once: only a saved new one works
    const first = fake.issueTokens();
    // Signed in two days before "now": the access token has expired.
    await writeTokenFile(tokenFile, first, new Date(Date.parse(NOW) - 2 * 86_400_000));
    const { sync, logs, redactor } = await backendAt();
    await sync();
    expect(fake.counts.refreshes).toBe(1);
    expect(fake.counts.unauthorized).toBe(0); // refreshed before sending, not after a 401
    const saved = await stored();
    expect(saved.refresh_token).not.toBe(first.refresh_token);
    expect(fake.isValidRefreshToken(first.refresh_token)).toBe(false);
    expect(fake.isValidRefreshToken(saved.refresh_token)).toBe(true);
    expect(saved.expires_at).toBe(new Date(Date.parse(NOW) + 86_400_000).toISOString());
    expect((await stat(tokenFile)).mode & 0o777).toBe(0o600);
    expect((await readdir(join(dir, 'tokens'))).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    // Tokens never reach the logs.
    expect(logs.join('\n')).not.toContain(saved.refresh_token);
    expect(redactor.redact(`x ${saved.access_token} y`)).toBe('x *** y');

    // A new process a moment later: its access token is refused (401), it refreshes with the saved token.
    fake.expireAccessTokens();
    const config = await writeUpworkConfig(dir, { ...fake.backendOptions(), token_file: tokenFile });
    const run = await runCli(['snapshot', '--json', '--config', config, '--at', NOW], isolatedEnv(dir));
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const snapshot = JSON.parse(run.stdout);
    expect(snapshot.week.totalSeconds).toBe(7200);
    expect(snapshot.sources[0]).toMatchObject({ id: 'upwork', status: 'ok', error: null });
    expect(fake.counts.refreshes).toBe(2);
    expect(fake.counts.invalidGrants).toBe(0);
    const after = await stored();
    expect(after.refresh_token).not.toBe(saved.refresh_token);
    expect(fake.isValidRefreshToken(after.refresh_token)).toBe(true);
    expect(run.stdout + run.stderr).not.toContain(fake.clientSecret);
  });

  it('single-flights concurrent refreshes, and another instance reuses the saved token', async () => {
    fake.refreshDelayMs = 150;
    await writeTokenFile(tokenFile, fake.issueTokens(), new Date(Date.parse(NOW) - 2 * 86_400_000));
    const { sync } = await backendAt();
    await Promise.all([sync(), sync(), sync()]);
    expect(fake.counts.refreshes).toBe(1);
    const second = await backendAt();
    await second.sync();
    expect(fake.counts.refreshes).toBe(1);
  });

  it('a 401 refreshes once and retries the request', async () => {
    await writeTokenFile(tokenFile, fake.issueTokens(), new Date(NOW));
    const { sync, store } = await backendAt();
    fake.expireAccessTokens();
    await sync();
    expect(fake.counts.unauthorized).toBe(1);
    expect(fake.counts.refreshes).toBe(1);
    expect(store.entriesBetween(WEEK.from, WEEK.to)).toHaveLength(1);
  });

  it('a dead refresh token becomes AUTH_REQUIRED "sign-in needed: run dash-cli auth upwork"', async () => {
    await writeTokenFile(tokenFile, fake.issueTokens(), new Date(NOW));
    fake.expireAccessTokens();
    fake.revokeRefreshTokens();
    const { sync } = await backendAt();
    const error = await sync().then(() => undefined, (caught: unknown) => caught);
    expect(isDashError(error)).toBe(true);
    expect((error as { code: string }).code).toBe('AUTH_REQUIRED');
    expect((error as Error).message).toContain('sign-in needed: run dash-cli auth upwork');
    expect(fake.counts.invalidGrants).toBe(1);
  });

  it('no token file yet is AUTH_REQUIRED too', async () => {
    const { sync } = await backendAt();
    await expect(sync()).rejects.toMatchObject({ code: 'AUTH_REQUIRED', message: expect.stringContaining('dash-cli auth upwork') });
    expect(fake.counts.graphql).toBe(0);
  });

  it('a leftover temp file from a crash mid-write does not hide the valid token', async () => {
    const tokens = fake.issueTokens();
    await writeTokenFile(tokenFile, tokens, new Date(NOW));
    await writeFile(`${tokenFile}.4242.deadbeef.tmp`, '{"access_token": "half-writ', { mode: 0o600 });
    const { sync, store } = await backendAt();
    await sync();
    expect(store.entriesBetween(WEEK.from, WEEK.to)).toHaveLength(1);
    expect((await stored()).access_token).toBe(tokens.access_token);
  });

  it('dash-cli snapshot exits 4 and says how to sign in when the refresh token is dead', async () => {
    await writeTokenFile(tokenFile, fake.issueTokens(), new Date(NOW));
    fake.expireAccessTokens();
    fake.revokeRefreshTokens();
    const config = await writeUpworkConfig(dir, { ...fake.backendOptions(), token_file: tokenFile });
    const run = await runCli(['snapshot', '--json', '--config', config, '--at', NOW], isolatedEnv(dir));
    expect(run.code).toBe(4);
    const snapshot = JSON.parse(run.stdout);
    expect(snapshot.sources[0]).toMatchObject({ id: 'upwork', status: 'error', error: { code: 'AUTH_REQUIRED' } });
    expect(snapshot.sources[0].error.message).toContain('sign-in needed: run dash-cli auth upwork');
    expect(run.stderr).toContain('dash-cli auth upwork');
    const text = await runCli(['snapshot', '--config', config, '--at', NOW], isolatedEnv(dir));
    expect(text.code).toBe(4);
    expect(text.stdout + text.stderr).not.toContain(fake.clientSecret);
    expect(text.stdout + text.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
});
