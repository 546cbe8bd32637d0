import { mkdtempSync, rmSync, statSync, writeFileSync, chmodSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkConfig } from '../src/config/load.js';
import { prepareBackends } from '../src/host/prepare.js';
import { installKey, installKeyFile, readInstallKey } from '../src/install-key.js';
import { DASH_PLUGIN_API_VERSION, defineBackendPlugin } from '../src/plugin.js';
import { z } from 'zod';
import type { ConfigError } from '../src/errors.js';

const plugin = defineBackendPlugin({
  name: 'dash-plugin-s',
  apiVersion: DASH_PLUGIN_API_VERSION,
  optionsSchema: z.strictObject({
    api_token: z.string(),
    api_url: z.string().default('https://api.test'),
    workspace_id: z.string().optional(),
    poll: z.string().refine((value) => /^\d+s$/.test(value), { error: (issue) => `${JSON.stringify(issue.input)} is not a duration` }).optional(),
  }),
  secretOptions: ['api_token'],
  createBackend: () => ({ async sync() {} }),
});

async function secretsOf(options: Record<string, unknown>, env: Record<string, string>): Promise<string[]> {
  const loaded = checkConfig({ backends: [{ plugin: 's', ...options }] }, { env });
  await prepareBackends(loaded, { builtins: { s: plugin } });
  return loaded.config.secrets;
}

async function issuesOf(options: Record<string, unknown>, env: Record<string, string> = {}): Promise<string> {
  const loaded = checkConfig({ backends: [{ plugin: 's', ...options }] }, { env });
  const error = (await prepareBackends(loaded, { builtins: { s: plugin } }).catch((caught: unknown) => caught)) as ConfigError;
  return error.message;
}

describe('which values are secrets', () => {
  it('an option the plugin marks secret, literal or from ${VAR}; a ${VAR} in any other option is not one', async () => {
    expect(await secretsOf({ api_token: 'literal-token-0123', workspace_id: '${WS}' }, { WS: '3600' })).toEqual(['literal-token-0123']);
    expect(await secretsOf({ api_token: 'tok_${A}', workspace_id: '${WS}' }, { A: 'abcdefghij', WS: '3600' })).toEqual(['tok_abcdefghij', 'abcdefghij']);
  });

  it('the credentials of a URL in any option are secrets', async () => {
    const secrets = await secretsOf({ api_token: 'literal-token-0123', api_url: 'https://${U}:${P}@host.test/api' }, { U: 'user', P: 'p%40ss-word' });
    expect(secrets).toEqual(expect.arrayContaining(['user:p%40ss-word', 'p%40ss-word', 'p@ss-word']));
  });
});

describe('validation messages never echo a value', () => {
  it('a value a plugin message quotes is masked, in any option', async () => {
    const message = await issuesOf({ api_token: 'x-literal-token-9', poll: 'pasted-token-abcdef123' });
    expect(message).toContain('backends[0].poll: "***" is not a duration');
    expect(message).not.toContain('pasted-token-abcdef123');
  });

  it('a secret option of the wrong type shows the shape only when the message quotes the value', async () => {
    const quoting = defineBackendPlugin({ ...plugin, optionsSchema: z.object({ api_token: z.string().refine(() => false, { error: (issue) => `bad token ${String(issue.input).toUpperCase()}!${String(issue.input)}x` }) }) });
    const loaded = checkConfig({ backends: [{ plugin: 'q', api_token: 'abc' }] }, { env: {} });
    const error = (await prepareBackends(loaded, { builtins: { q: quoting } }).catch((caught: unknown) => caught)) as ConfigError;
    expect(error.message).toContain('backends[0].api_token: invalid (got a string of 3 characters; the value is not shown because api_token is a secret)');
    expect(error.message).not.toContain('abc');
  });
});

describe('the install key', () => {
  const home = mkdtempSync(join(tmpdir(), 'dash-key-'));
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it('is created once (0600, 32 random bytes), then read back; a wider mode is narrowed; a damaged file is replaced', () => {
    expect(readInstallKey(home)).toBeUndefined();
    const key = installKey(home);
    expect(key).toHaveLength(32);
    expect(statSync(installKeyFile(home)).mode & 0o777).toBe(0o600);
    expect(installKey(home).equals(key)).toBe(true);
    chmodSync(installKeyFile(home), 0o644);
    expect(installKey(home).equals(key)).toBe(true);
    expect(statSync(installKeyFile(home)).mode & 0o777).toBe(0o600);
    writeFileSync(installKeyFile(home), 'garbage');
    const replaced = installKey(home);
    expect(replaced.equals(key)).toBe(false);
    expect(readFileSync(installKeyFile(home), 'utf8')).toBe(`${replaced.toString('hex')}\n`);
  });
});
