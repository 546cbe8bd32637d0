/**
 * `dash-cli doctor`, spawned as users run it (HOME/XDG in temp dirs): the config check, plugins
 * that do not resolve, options a schema rejects, and each backend's health check — the real
 * Toggl plugin against a loopback server speaking Toggl's /me, and local plugins.
 */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolatedEnv } from './support/env.js';

const ROOT = resolve(import.meta.dirname, '..');
const CLI = join(ROOT, 'packages/dash-cli/dist/bin.cjs');
const CORE = pathToFileURL(join(ROOT, 'packages/dash-core/dist/index.js')).href;
const TOKEN = 'doctor-secret-token-1234';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dash-doctor-'));
  dirs.push(dir);
  return dir;
}

function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const home = tempDir();
  return new Promise((done) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: isolatedEnv(home, { HOME: home, ...env }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

/** A loopback Toggl: /me answers with `status`, with quota headers as Toggl sends them. */
let toggl: Server;
let togglUrl: string;
let meStatus = 200;
beforeAll(async () => {
  toggl = createServer((request, response) => {
    const authorized = request.headers.authorization === `Basic ${Buffer.from(`${TOKEN}:api_token`).toString('base64')}`;
    if (request.url === '/api/v9/me' && authorized && meStatus === 200) {
      response.writeHead(200, { 'content-type': 'application/json', 'x-toggl-quota-remaining': '27', 'x-toggl-quota-resets-in': '1800' });
      response.end(JSON.stringify({ id: 42, fullname: 'Ada Lovelace', email: 'ada@example.com', timezone: 'Europe/Berlin', default_workspace_id: 7 }));
      return;
    }
    response.writeHead(meStatus === 200 ? 403 : meStatus, { 'content-type': 'text/plain' });
    response.end('Incorrect username and/or password');
  });
  await new Promise<void>((ready) => toggl.listen(0, '127.0.0.1', ready));
  const address = toggl.address() as { port: number };
  togglUrl = `http://127.0.0.1:${address.port}/api/v9`;
});
afterAll(async () => {
  await new Promise((closed) => toggl.close(closed));
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function plugin(dir: string, file: string, body: string): void {
  writeFileSync(join(dir, file), `import { z, DashError } from ${JSON.stringify(CORE)};\nexport default ${body};\n`);
}

function config(dir: string, text: string): string {
  const file = join(dir, 'config.toml');
  writeFileSync(file, `timezone = "Europe/Berlin"\n${text}`);
  return file;
}

describe('dash-cli doctor', () => {
  it('says all good (exit 0) for a healthy Toggl backend, naming the user and the quota left, and never prints the token', async () => {
    meStatus = 200;
    const dir = tempDir();
    const file = config(dir, `[[backends]]\nplugin = "toggl"\napi_token = "\${TOGGL_API_TOKEN}"\napi_url = "${togglUrl}"\n`);
    const result = await run(['doctor', '--config', file], { TOGGL_API_TOKEN: TOKEN });
    expect(result.stdout).toContain(`✓ config ${file}`);
    expect(result.stdout).toMatch(/✓ toggl \(dash-plugin-toggl \d+\.\d+\.\d+\): signed in as Ada Lovelace; 27 requests left this hour/);
    expect(result.stdout).toContain('All good.');
    expect(result.stdout + result.stderr).not.toContain(TOKEN);
    expect(result.code).toBe(0);
  });

  it('exits 4 when Toggl rejects the token, with a hint to fix it', async () => {
    meStatus = 403;
    const dir = tempDir();
    const file = config(dir, `[[backends]]\nplugin = "toggl"\napi_token = "\${TOGGL_API_TOKEN}"\napi_url = "${togglUrl}"\n`);
    const result = await run(['doctor', '--config', file, '--json'], { TOGGL_API_TOKEN: 'wrong-token-5678' });
    const report = JSON.parse(result.stdout);
    expect(report.config).toEqual({ file, ok: true, issues: [] });
    expect(report.backends).toEqual([
      expect.objectContaining({ id: 'toggl', package: 'dash-plugin-toggl', check: 'healthCheck', ok: false, code: 'AUTH_REQUIRED' }),
    ]);
    expect(report.backends[0].message).toMatch(/HTTP 403/);
    expect(result.stdout).not.toContain('wrong-token-5678');
    expect(result.code).toBe(4);
  });

  it('exits 3 when a backend is unhealthy or hangs, and still checks the others', async () => {
    const dir = tempDir();
    plugin(dir, 'broken.mjs', `{ name: 'dash-plugin-broken', apiVersion: 1, optionsSchema: z.strictObject({}),
      createBackend: () => ({ sync: async () => {}, healthCheck: async () => ({ ok: false, code: 'NETWORK', message: 'cannot reach the service' }) }) }`);
    plugin(dir, 'hangs.mjs', `{ name: 'dash-plugin-hangs', apiVersion: 1, optionsSchema: z.strictObject({}),
      createBackend: () => ({ sync: () => new Promise(() => {}) }) }`);
    plugin(dir, 'fine.mjs', `{ name: 'dash-plugin-fine', version: '2.1.0', apiVersion: 1, optionsSchema: z.strictObject({}),
      createBackend: (options, context) => ({ sync: async () => context.store.upsert([{ id: 'a', start: new Date(Date.now() - 60000).toISOString(), end: new Date().toISOString() }]) }) }`);
    const file = config(dir, '[[backends]]\nplugin = "./broken.mjs"\n[[backends]]\nplugin = "./hangs.mjs"\n[[backends]]\nplugin = "./fine.mjs"\n');
    const started = Date.now();
    const result = await run(['doctor', '--config', file, '--timeout', '1s']);
    expect(Date.now() - started).toBeLessThan(8_000);
    expect(result.stdout).toContain('✗ broken (dash-plugin-broken): NETWORK: cannot reach the service');
    expect(result.stdout).toContain('    hint: check the network connection');
    expect(result.stdout).toContain('✗ hangs (dash-plugin-hangs): BACKEND_TIMEOUT: no answer within 1s');
    expect(result.stdout).toContain('✓ fine (dash-plugin-fine 2.1.0): synced this week: 1 entry');
    expect(result.stdout).toContain('2 problems found.');
    expect(result.code).toBe(3);
  });

  it('exits 2 for config problems: a missing plugin, options the schema rejects, a bad time zone — each named', async () => {
    const dir = tempDir();
    plugin(dir, 'strict.mjs', `{ name: 'dash-plugin-strict', apiVersion: 1, optionsSchema: z.strictObject({ folder: z.string() }),
      createBackend: () => ({ sync: async () => {} }) }`);
    const file = config(dir, 'week_start = "someday"\n[[backends]]\nplugin = "nope"\n[[backends]]\nplugin = "./strict.mjs"\nfolder = 3\n');
    const result = await run(['doctor', '--config', file]);
    expect(result.stdout).toContain(`✗ config ${file}`);
    expect(result.stdout).toMatch(/line 2: week_start: must be one of monday/);
    expect(result.stdout).toMatch(/✗ nope: PLUGIN_NOT_FOUND: line 4: backends\[0\]\.plugin: plugin "nope" \(dash-plugin-nope\) is not installed; install it next to the config with: npm install dash-plugin-nope/);
    expect(result.stdout).toMatch(/✗ strict: CONFIG_INVALID: line 7: backends\[1\]\.folder: Invalid input: expected string, received number \(option of dash-plugin-strict; see its README\)/);
    expect(result.code).toBe(2);
  });

  it('runs the Timewarrior example\'s health check: where the database is, what this month holds; a missing one is unhealthy (exit 3)', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'timew', 'data'), { recursive: true });
    // "This month" is the doctor's (UTC, a real clock): the same two intervals in this month and,
    // should the run cross midnight at a month's end, in the next one too.
    // (Later first: within a month, the entry for today is the one kept.)
    const days = new Map([Date.now() + 10 * 60_000, Date.now()].map((at) => [new Date(at).toISOString().slice(0, 7), new Date(at).toISOString().slice(0, 10)]));
    for (const [month, day] of days) {
      const stamp = day.replaceAll('-', '');
      writeFileSync(join(dir, 'timew', 'data', `${month}.data`), `inc ${stamp}T000000Z - ${stamp}T000100Z # acme\ninc ${stamp}T000200Z # acme review\n`);
    }
    const plugin = JSON.stringify(resolve(ROOT, 'examples/dash-plugin-timewarrior'));
    const file = config(dir, `[[backends]]\nplugin = ${plugin}\nid = "timew"\ndatabase = "timew"\n[[backends]]\nplugin = ${plugin}\nid = "elsewhere"\ndatabase = "missing"\n`);
    const result = await run(['doctor', '--config', file]);
    expect(result.stdout).toContain(`✓ timew (dash-plugin-timewarrior 0.1.0): database ${join(dir, 'timew')}: 2 interval(s) this month, tracking acme, review`);
    expect(result.stdout).toContain(`✗ elsewhere (dash-plugin-timewarrior 0.1.0): timewarrior:NOT_FOUND: no Timewarrior database at ${join(dir, 'missing')}`);
    expect(result.code).toBe(3);
  });

  it('exits 2 with where it looked when there is no config', async () => {
    const result = await run(['doctor']);
    expect(result.stdout).toMatch(/✗ config \(none\)\n    no config file found \(looked at .*dash\.toml, .*config\.toml\); create one with dash-cli init/);
    expect(result.code).toBe(2);
  });
});
