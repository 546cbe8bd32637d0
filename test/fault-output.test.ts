/**
 * Faults in what Dash prints and keeps, reproduced as a user meets them (the built CLI, local
 * plugins written against dash-core's public API, the fake Toggl): issue 10, items 1, 5 and 9.
 *
 * 1. Data output is never rewritten by masking: `${VAR}`s that are not secrets stay as they are,
 *    and masking a secret never touches the JSON.
 * 5. Text from a backend cannot act on the terminal (summary, doctor, plugins, errors, watch).
 * 9. Nothing derived from a secret is stored unless keyed with the install key; validation
 *    errors never echo a value.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { CLI, runCli } from './support/cli.js';
import { isolatedEnv } from './support/env.js';
import { startFakeToggl, type FakeToggl } from './support/fake-toggl.js';
import { writeFeed, writeHostilePlugin } from './support/hostile-plugin.js';
import { Tmux } from './support/tmux.js';

const AT = '2026-11-18T15:00:00Z';
/** Anything a terminal would act on: C0 but LF, DEL, C1, bidi controls. */
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const HOSTILE_NAME = '\u001b[2J\u001b[31mEvil\rCorp\u0000\u0007\u007f\u202eAB';
const HOSTILE_NAME_SHOWN = '\ufffd[2J\ufffd[31mEvil Corp\ufffd\ufffd\ufffd\ufffdAB';

const roots: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dash-fault-output-'));
  roots.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of roots) rmSync(dir, { recursive: true, force: true });
});

let toggl: FakeToggl | undefined;
let tmux: Tmux | undefined;
afterEach(async () => {
  tmux?.kill();
  tmux = undefined;
  await toggl?.close();
  toggl = undefined;
});

/** A folder with the hostile plugin, its feed and a config using it (plus `extra` TOML lines). */
function hostileSetup(feed: Parameters<typeof writeFeed>[1], extra = '', top = ''): { dir: string; config: string } {
  const dir = tempDir();
  const plugin = writeHostilePlugin(dir);
  const data = writeFeed(dir, feed);
  const config = join(dir, 'dash.toml');
  writeFileSync(config, `timezone = "UTC"\n${top}\n[[backends]]\nplugin = "${plugin}"\nid = "hostile"\ndata = "${data}"\n${extra}\n`);
  return { dir, config };
}

function entry(id: string, start: string, end: string | null, name: string, description = 'work') {
  return { id, start, end, project: { key: 'p', name, client: null, color: '#336699' }, description, billable: true };
}

/** Every file under a folder, recursively, as text. */
function filesUnder(dir: string): { path: string; text: string }[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [{ path, text: readFileSync(path, 'utf8') }];
  });
}

describe('1. masking never rewrites data output', () => {
  it('label = "${X}" with X=1440 and a 40 h goal: the JSON parses and goalSeconds is 144000', async () => {
    const { config } = hostileSetup({ entries: [entry('a', '2026-11-18T09:00:00Z', '2026-11-18T10:00:00Z', 'Acme')] }, 'label = "${X}"', '[goals]\nweekly = 40\n');
    const result = await runCli(['snapshot', '--json', '--at', AT, '--config', config], { env: { X: '1440' } });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const snapshot = JSON.parse(result.stdout);
    expect(snapshot.week.goalSeconds).toBe(144_000);
    expect(snapshot.week.totalSeconds).toBe(3600);
    expect(result.stdout).not.toContain('***');
    const summary = await runCli(['snapshot', '--at', AT, '--config', config], { env: { X: '1440' } });
    expect(summary.stdout).toContain('1h 00m / 40h 00m (2%)');
    expect(summary.stdout).not.toContain('***');
  });

  it('doctor does not mask a ${VAR} that is not a secret: "checked 1440 entries" stays', async () => {
    const { config } = hostileSetup({ health: 'checked 1440 entries' }, 'label = "${X}"');
    const result = await runCli(['doctor', '--json', '--config', config], { env: { X: '1440' } });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).backends[0]).toMatchObject({ id: 'hostile', ok: true, message: 'checked 1440 entries' });
  });

  it('Toggl with workspace_id = "${TOGGL_WORKSPACE_ID}" (3600) and a token equal to "toggl": ids and seconds intact', async () => {
    toggl = await startFakeToggl({ token: 'toggl', workspaceId: 3600, now: () => new Date(AT) });
    toggl.addEntry({ start: '2026-11-18T09:00:00Z', stop: '2026-11-18T10:00:00Z', description: 'one hour' });
    const dir = tempDir();
    const config = join(dir, 'dash.toml');
    writeFileSync(
      config,
      `timezone = "UTC"\n[[backends]]\nplugin = "toggl"\napi_token = "\${TOGGL_API_TOKEN}"\nworkspace_id = "\${TOGGL_WORKSPACE_ID}"\napi_url = "${toggl.url}"\n`,
    );
    const result = await runCli(['snapshot', '--json', '--at', AT, '--config', config], { env: { TOGGL_API_TOKEN: 'toggl', TOGGL_WORKSPACE_ID: '3600' } });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const snapshot = JSON.parse(result.stdout);
    expect(snapshot.sources.map((source: { id: string }) => source.id)).toEqual(['toggl']);
    expect(snapshot.week.totalSeconds).toBe(3600);
    expect(snapshot.week.projects[0].key).toBe('toggl:');
    expect(result.stdout).not.toContain('***');
  });

  it('a secret in a backend error is masked in the message, and the JSON around it is untouched', async () => {
    const secret = 'hostile-secret-token-9f8e7d6c';
    const { config } = hostileSetup(
      { entries: [entry('a', '2026-11-18T09:00:00Z', '2026-11-18T10:00:00Z', 'Acme')], error: { code: 'NETWORK', message: `503 from https://api.test/?token=${secret}` } },
      'token = "${HOSTILE_TOKEN}"',
    );
    const result = await runCli(['snapshot', '--json', '--at', AT, '--config', config], { env: { HOSTILE_TOKEN: secret } });
    expect(result.code).toBe(3);
    const snapshot = JSON.parse(result.stdout);
    expect(snapshot.sources[0].error).toEqual({ code: 'NETWORK', message: '503 from https://api.test/?token=***' });
    expect(result.stdout + result.stderr).not.toContain(secret);
    expect(result.stderr).toBe('dash-cli: hostile: 503 from https://api.test/?token=***\n');
  });
});

describe('5. backend text cannot act on the terminal', () => {
  const feed = {
    entries: [entry('a', '2026-11-18T09:00:00Z', '2026-11-18T10:00:00Z', HOSTILE_NAME)],
    running: entry('r', '2026-11-18T14:00:00Z', null, HOSTILE_NAME, 'desc\u001b]0;owned\u0007\r\nrm -rf'),
    error: { code: 'NETWORK', message: 'boom\u001b[2J\rgone\u0000' },
  };

  it('the human summary and its error lines hold no control character; the JSON keeps the raw strings', async () => {
    const { config } = hostileSetup(feed);
    const summary = await runCli(['snapshot', '--at', AT, '--config', config]);
    expect(summary.code).toBe(3);
    expect(summary.stdout).not.toMatch(CONTROL);
    expect(summary.stdout).toContain(`Clocked in (hostile): ${HOSTILE_NAME_SHOWN} — desc\ufffd]0;owned\ufffd  rm -rf, 1h 00m`);
    expect(summary.stdout).toContain(`  ${HOSTILE_NAME_SHOWN}  `);
    expect(summary.stdout).toContain('hostile: error: boom\ufffd[2J gone\ufffd [NETWORK]');

    const json = await runCli(['snapshot', '--json', '--at', AT, '--config', config]);
    expect(json.code).toBe(3);
    const snapshot = JSON.parse(json.stdout);
    expect(snapshot.week.projects[0].name).toBe(HOSTILE_NAME);
    expect(snapshot.clockedIn[0].description).toBe('desc\u001b]0;owned\u0007\r\nrm -rf');
    expect(snapshot.sources[0].error.message).toBe('boom\u001b[2J\rgone\u0000');
    expect(json.stdout).not.toMatch(CONTROL);
    expect(json.stderr).toBe('dash-cli: hostile: boom\ufffd[2J gone\ufffd\n');
  });

  it("doctor shows Toggl's full name safely (text), raw in --json", async () => {
    toggl = await startFakeToggl({ now: () => new Date(AT) });
    toggl.fullname = '\u001b[2J\u001b[HMal\rlory\u0007\u202e';
    const dir = tempDir();
    const config = join(dir, 'dash.toml');
    writeFileSync(config, `[[backends]]\nplugin = "toggl"\napi_token = "\${TOGGL_API_TOKEN}"\napi_url = "${toggl.url}"\n`);
    const env = { TOGGL_API_TOKEN: toggl.token };
    const text = await runCli(['doctor', '--config', config], { env });
    expect(text.code).toBe(0);
    expect(text.stdout).not.toMatch(CONTROL);
    expect(text.stdout).toContain('signed in as \ufffd[2J\ufffd[HMal lory\ufffd\ufffd;');
    const json = await runCli(['doctor', '--json', '--config', config], { env });
    expect(JSON.parse(json.stdout).backends[0].message).toContain('signed in as \u001b[2J\u001b[HMal\rlory\u0007\u202e;');
  });

  it('plugins shows a plugin name and a load error safely', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'named.mjs'), `export default { name: 'dash-plugin-\\u001b[31mred\\u0007', version: '1.0.0\\r9', apiVersion: 1, optionsSchema: { '~standard': {} }, createBackend() {} };\n`);
    writeFileSync(join(dir, 'broken.mjs'), `throw new Error('cannot load \\u001b[2J\\u001b]0;owned\\u0007');\n`);
    const config = join(dir, 'dash.toml');
    writeFileSync(config, '[[backends]]\nplugin = "./named.mjs"\n\n[[backends]]\nplugin = "./broken.mjs"\n');
    const result = await runCli(['plugins', '--config', config]);
    expect(result.code).toBe(2);
    expect(result.stdout + result.stderr).not.toMatch(CONTROL);
    expect(result.stdout).toContain('dash-plugin-\ufffd[31mred\ufffd');
    expect(result.stdout).toContain('1.0.0 9');
    expect(result.stderr).toContain(`failed to load from ${join(dir, 'broken.mjs')}: cannot load \ufffd[2J\ufffd]0;owned\ufffd`);
  });

  it('watch: a project name that clears the screen is drawn as text, the dashboard stays', async () => {
    const name = '\u001b[2J\u001b[HPWNED\u001b[8m';
    const { dir, config } = hostileSetup({ entries: [entry('a', '2026-11-18T09:00:00Z', '2026-11-18T10:00:00Z', name)] });
    const env = isolatedEnv(dir, { TZ: 'UTC' });
    tmux = Tmux.start({
      width: 120,
      height: 40,
      cwd: dir,
      env,
      command: `export TERM=xterm-256color; ${process.execPath} ${CLI} watch --at ${AT} --config ${config}; echo "DASH-EXIT:$?"; exec sleep 60`,
    });
    const screen = await tmux.waitFor((text) => text.includes('PWNED') && text.includes('ok · synced'));
    expect(screen).toContain('\ufffd[2J\ufffd[HPWNED\ufffd[8m');
    expect(screen.split('\n')[0]).toMatch(/^ *Dash {2}Mon 16 Nov – Sun 22 Nov/);
    expect(screen).toContain('Week worked 1h 00m');
    tmux.send('q');
    await tmux.waitFor(/DASH-EXIT:0/);
  });
});

describe('9. secrets at rest and in errors', () => {
  it('a ${TOKEN} in api_url userinfo, the token and unkeyed digests of them are nowhere in the cache or data folders', async () => {
    toggl = await startFakeToggl({ now: () => new Date(AT) });
    toggl.addEntry({ start: '2026-11-18T09:00:00Z', stop: '2026-11-18T10:00:00Z' });
    const urlSecret = 'url-userinfo-secret-0123456789ab';
    const dir = tempDir();
    const config = join(dir, 'dash.toml');
    const url = new URL(toggl.url);
    writeFileSync(
      config,
      `timezone = "UTC"\n[[backends]]\nplugin = "toggl"\nid = "plain"\napi_token = "\${TOGGL_API_TOKEN}"\napi_url = "${toggl.url}"\n\n` +
        `[[backends]]\nplugin = "toggl"\nid = "userinfo"\napi_token = "\${TOGGL_API_TOKEN}"\napi_url = "http://\${URL_TOKEN}@${url.host}${url.pathname}"\n`,
    );
    const env = isolatedEnv(dir, { TZ: 'UTC', TOGGL_API_TOKEN: toggl.token, URL_TOKEN: urlSecret });
    const result = await runCli(['snapshot', '--json', '--config', config], { env });
    expect([0, 3]).toContain(result.code);
    expect(JSON.parse(result.stdout).sources.map((source: { id: string }) => source.id)).toEqual(['plain', 'userinfo']);
    expect(result.stdout + result.stderr).not.toContain(urlSecret);

    const token = toggl.token;
    const sha = (text: string) => createHash('sha256').update(text).digest('hex');
    const unkeyed = [
      sha(JSON.stringify([['TOGGL_API_TOKEN', token], ['URL_TOKEN', urlSecret]])),
      sha(`dash-plugin-toggl\u0000${toggl.url}\u0000${token}`).slice(0, 16),
      sha(token).slice(0, 16),
      sha(urlSecret).slice(0, 16),
    ];
    const stored = [...filesUnder(join(dir, 'cache')), ...filesUnder(join(dir, 'data'))];
    expect(stored.map((file) => file.path).some((path) => path.includes('store-'))).toBe(true);
    for (const file of stored) {
      expect(file.text, file.path).not.toContain(urlSecret);
      expect(file.text, file.path).not.toContain(token);
      expect(file.text, file.path).not.toContain(Buffer.from(`${token}:api_token`).toString('base64'));
      for (const digest of unkeyed) expect(file.text, file.path).not.toContain(digest);
    }
    // The key everything stored is keyed with: random, this user's only.
    const key = join(dir, 'data', 'dash', 'install-key');
    expect(readFileSync(key, 'utf8')).toMatch(/^[0-9a-f]{64}\n$/);
    expect(statSync(key).mode & 0o777).toBe(0o600);
  });

  it('a token pasted into a wrong-typed option is not echoed by the validation error', async () => {
    const dir = tempDir();
    const config = join(dir, 'dash.toml');
    const literal = 'literal-pasted-token-5a4b3c2d1e';
    writeFileSync(config, `[[backends]]\nplugin = "toggl"\napi_token = ["${literal}"]\npoll_interval = "${literal}"\n`);
    const result = await runCli(['snapshot', '--json', '--config', config]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('backends[0].poll_interval: "***" is not a duration');
    expect(result.stderr).toContain('backends[0].api_token:');
    expect(result.stderr).not.toContain(literal);
    const doctor = await runCli(['doctor', '--json', '--config', config]);
    expect(doctor.stdout).not.toContain(literal);
  });
});
