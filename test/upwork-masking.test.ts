/**
 * Secrets stay masked when Upwork itself echoes them: the built CLI against the fake Upwork,
 * whose GraphQL error quotes the access token, the refresh token and the client secret.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeUpwork, writeTokenFile } from './support/fake-upwork.js';
import { isolatedEnv, runCli, writeUpworkConfig } from './support/upwork-cli.js';

const AT = '2026-11-18T12:00:00Z';

let fake: FakeUpwork;
let dir: string;

beforeEach(async () => {
  fake = await FakeUpwork.start({ now: () => Date.parse(AT) });
  fake.contracts = [{ id: '38201457', title: 'Acme checkout redesign', client: 'Acme Corp' }];
  dir = await mkdtemp(join(tmpdir(), 'dash-upwork-masking-'));
});
afterEach(async () => {
  await fake.close();
  await rm(dir, { recursive: true, force: true });
});

describe('Upwork secrets in an error Upwork sent back', () => {
  it('are masked in the JSON, the error line and the --verbose log', async () => {
    const tokens = fake.issueTokens();
    await writeTokenFile(join(dir, 'token.json'), tokens, new Date(AT));
    const config = await writeUpworkConfig(dir, { ...fake.backendOptions(), token_file: join(dir, 'token.json'), desktop_app_logs: false }, 'timezone = "UTC"');
    const echoed = `token ${tokens.access_token} refresh ${tokens.refresh_token} secret ${fake.clientSecret}`;
    fake.inject.push({ kind: 'errors', errors: [{ message: `Exception while fetching data: ${echoed}` }] });
    const run = await runCli(['snapshot', '--json', '--verbose', '--config', config, '--at', AT], isolatedEnv(dir, { TZ: 'UTC' }));
    expect(run.code).toBe(3);
    const source = (JSON.parse(run.stdout) as { sources: { error: { code: string; message: string } }[] }).sources[0]!;
    expect(source.error.code).toBe('BAD_RESPONSE');
    expect(source.error.message).toContain('Exception while fetching data: token *** refresh *** secret ***');
    expect(run.stderr).toContain('Exception while fetching data: token *** refresh *** secret ***');
    for (const secret of [tokens.access_token, tokens.refresh_token, fake.clientSecret]) {
      expect(run.stdout).not.toContain(secret);
      expect(run.stderr).not.toContain(secret);
    }
  });
});
