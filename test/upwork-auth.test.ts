import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuthIO, BackendPlugin } from 'dash-core';
import { createTestContext } from 'dash-core/testing';
import upwork from 'dash-plugin-upwork';
import { FakeUpwork } from './support/fake-upwork.js';
import { CLI, isolatedEnv, runCli, writeUpworkConfig } from './support/upwork-cli.js';

const plugin = upwork as BackendPlugin<unknown>;
let fake: FakeUpwork;
let dir: string;

beforeEach(async () => {
  fake = await FakeUpwork.start();
  fake.contracts = [{ id: '38201457', title: 'Acme checkout redesign', client: 'Acme Corp' }];
  fake.addSession('38201457', '2026-11-17T14:00:00Z', 120, { memo: 'Checkout flow' });
  dir = await mkdtemp(join(tmpdir(), 'dash-upwork-auth-'));
});
afterEach(async () => {
  await fake.close();
  await rm(dir, { recursive: true, force: true });
});

/** Starts `dash-cli auth upwork`, resolves with the authorize URL it prints and the running child. */
function startAuth(config: string) {
  const child = spawn(process.execPath, [CLI, 'auth', 'upwork', '--config', config], { env: isolatedEnv(dir), stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  const authorizeUrl = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no authorize URL printed:\n${stderr}`)), 15_000);
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /^\s+(http\S+oauth2\/authorize\S+)$/m.exec(stderr);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
  });
  return { child, authorizeUrl, exited, output: () => ({ stdout, stderr }) };
}

describe('dash-cli auth upwork', () => {
  it('signs in end to end: authorize URL on stderr, loopback redirect, token file 0600, then snapshot works', async () => {
    const config = await writeUpworkConfig(dir, { ...fake.backendOptions(), redirect_port: 0 });
    const run = startAuth(config);
    try {
      const authorizeUrl = new URL(await run.authorizeUrl);
      expect(authorizeUrl.searchParams.get('client_id')).toBe(fake.clientId);
      expect(authorizeUrl.searchParams.get('response_type')).toBe('code');
      const redirect = authorizeUrl.searchParams.get('redirect_uri')!;
      expect(redirect).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
      // The "browser": Upwork's page redirects to the loopback address with a code.
      const consent = await fetch(authorizeUrl, { redirect: 'manual' });
      expect(consent.status).toBe(302);
      const landing = await fetch(consent.headers.get('location')!);
      expect(landing.status).toBe(200);
      expect(await landing.text()).toContain('Signed in to Upwork');
      expect(await run.exited).toBe(0);
    } finally {
      run.child.kill();
    }
    const { stdout, stderr } = run.output();
    expect(stdout).toBe('');
    expect(stderr).toContain('Signed in.');
    expect(stderr).not.toContain(fake.clientSecret);
    expect(fake.counts.codeExchanges).toBe(1);
    // Default place: $XDG_DATA_HOME/dash/<id>/upwork-token.json
    const file = join(dir, 'data', 'dash', 'upwork', 'upwork-token.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const tokens = JSON.parse(await readFile(file, 'utf8'));
    expect(fake.isValidRefreshToken(tokens.refresh_token)).toBe(true);
    expect(stderr).not.toContain(tokens.refresh_token);

    const snapshot = await runCli(['snapshot', '--json', '--config', config, '--at', '2026-11-20T18:00:00Z'], isolatedEnv(dir));
    expect(snapshot.code).toBe(0);
    expect(JSON.parse(snapshot.stdout).week.totalSeconds).toBe(7200);

    // --verbose tells what the backend did, and still masks every token and the secret.
    fake.expireAccessTokens();
    const verbose = await runCli(['snapshot', '--json', '--verbose', '--config', config, '--at', '2026-11-17T14:30:00Z'], isolatedEnv(dir));
    expect(verbose.code).toBe(0);
    expect(verbose.stderr).toContain('cellDateTime read as epoch-seconds');
    expect(verbose.stderr).toContain('clocked in (signal: diary)');
    expect(verbose.stderr).toContain('refreshing the Upwork access token');
    const after = JSON.parse(await readFile(file, 'utf8'));
    for (const secret of [fake.clientSecret, tokens.access_token, tokens.refresh_token, after.access_token, after.refresh_token]) {
      expect(verbose.stdout + verbose.stderr).not.toContain(secret);
    }
  });

  it('exits 4 when the user denies access in the browser', async () => {
    const config = await writeUpworkConfig(dir, { ...fake.backendOptions(), redirect_port: 0 });
    const run = startAuth(config);
    try {
      const authorizeUrl = new URL(await run.authorizeUrl);
      const denied = new URL(authorizeUrl.searchParams.get('redirect_uri')!);
      denied.searchParams.set('error', 'access_denied');
      denied.searchParams.set('state', authorizeUrl.searchParams.get('state')!);
      expect((await fetch(denied)).status).toBe(400);
      expect(await run.exited).toBe(4);
    } finally {
      run.child.kill();
    }
    expect(run.output().stderr).toContain('Upwork did not grant access (access_denied)');
  });

  it('exits 4 on a redirect from another sign-in (state mismatch)', async () => {
    const config = await writeUpworkConfig(dir, { ...fake.backendOptions(), redirect_port: 0 });
    const run = startAuth(config);
    try {
      const authorizeUrl = new URL(await run.authorizeUrl);
      authorizeUrl.searchParams.set('state', 'forged');
      const consent = await fetch(authorizeUrl, { redirect: 'manual' });
      expect((await fetch(consent.headers.get('location')!)).status).toBe(400);
      expect(await run.exited).toBe(4);
    } finally {
      run.child.kill();
    }
    expect(run.output().stderr).toContain('state mismatch');
    expect(fake.counts.codeExchanges).toBe(0);
  });

  it('exits 4 with a clear message when the redirect port is taken and there is no terminal to paste into', async () => {
    const { createServer } = await import('node:net');
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const config = await writeUpworkConfig(dir, { ...fake.backendOptions(), redirect_port: port });
      const run = await runCli(['auth', 'upwork', '--config', config], isolatedEnv(dir));
      expect(run.code).toBe(4);
      expect(run.stderr).toContain(`cannot listen on 127.0.0.1:${port}`);
      expect(run.stderr).toContain('hint: free the port or set redirect_port');
    } finally {
      blocker.close();
    }
  });

  it('exits 2 for an unknown backend id, and for a backend whose plugin has no sign-in step', async () => {
    const config = await writeUpworkConfig(dir, fake.backendOptions(), 'timezone = "UTC"\n\n[[backends]]\nplugin = "demo"\nid = "demo"');
    const unknown = await runCli(['auth', 'nope', '--config', config], isolatedEnv(dir));
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no backend with id "nope"');
    expect(unknown.stderr).toContain('demo, upwork');
    const demo = await runCli(['auth', 'demo', '--config', config], isolatedEnv(dir));
    expect(demo.code).toBe(2);
    expect(demo.stderr).toContain('has no sign-in step');
  });
});

describe('Upwork sign-in with a pasted redirect address', () => {
  it('takes the code from the address the user pastes (non-loopback redirect_uri)', async () => {
    const test = createTestContext({ id: 'upwork', dataDir: join(dir, 'data', 'upwork') });
    const validated = await plugin.optionsSchema['~standard'].validate(fake.backendOptions({ redirect_uri: 'https://dash.example.com/upwork/callback' }));
    if (validated.issues) throw new Error(JSON.stringify(validated.issues));
    const printed: string[] = [];
    const io: AuthIO = {
      print: (line) => printed.push(line),
      // The user opens the printed address, allows access and copies the address the browser ends on.
      prompt: async () => {
        const url = printed.map((line) => line.trim()).find((line) => line.includes('oauth2/authorize'))!;
        const consent = await fetch(url, { redirect: 'manual' });
        return consent.headers.get('location')!;
      },
      signal: new AbortController().signal,
    };
    await plugin.auth!(validated.value, test.context, io);
    expect(fake.counts.codeExchanges).toBe(1);
    const file = join(dir, 'data', 'upwork', 'upwork-token.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(printed.join('\n')).toContain('Signed in.');
  });
});
