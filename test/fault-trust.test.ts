/**
 * Issue 10, item 11: a `./dash.toml` found by looking in the current folder runs plugins only
 * once the user has trusted it (`dash-cli trust`), like direnv or mise. The folder's plugin is a
 * local file that writes a marker the moment it is imported: no marker proves no plugin code ran.
 * Every command that loads plugins refuses an untrusted folder config with exit 2 and the exact
 * command that trusts it; the cache-only paths (the snapshot fast path, watch's early frame)
 * serve nothing from it either. `--config`, `$DASH_CONFIG` and the XDG config need no trust.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI } from './support/cli.js';
import { isolatedEnv } from './support/env.js';
import { Tmux } from './support/tmux.js';
import { zoneWithRecentHoursInWeek } from './support/week-zone.js';

/** A plugin written against the public contract (a Standard Schema, no dash-core import). */
const PLUGIN = `import { appendFileSync } from 'node:fs';
const markerFile = new URL('./MARKER', import.meta.url);
appendFileSync(markerFile, 'imported\\n');
export default {
  name: 'dash-plugin-marker',
  apiVersion: 1,
  optionsSchema: { '~standard': { version: 1, vendor: 'marker', validate: (value) => ({ value }) } },
  createBackend(options, context) {
    appendFileSync(markerFile, 'created, token ' + (process.env.TOGGL_API_TOKEN ? 'read' : 'absent') + '\\n');
    return {
      async sync() {
        const now = Math.floor(context.now().getTime() / 1000);
        context.store.upsert([{ id: 'm-1', start: new Date((now - 7200) * 1000).toISOString(), end: new Date((now - 3600) * 1000).toISOString(),
          project: { key: 'mk', name: 'Marker project', client: null, color: '#123456' }, description: 'marker work', billable: false }]);
      },
    };
  },
};
`;
const CONFIG = `timezone = "${zoneWithRecentHoursInWeek()}"\n\n[[backends]]\nplugin = "./marker-plugin.mjs"\nid = "marker"\n`;
const AT = '2026-11-20T12:00:00Z';

const scratch = realpathSync(mkdtempSync(join(tmpdir(), 'dash-fault-trust-')));
let counter = 0;
let dir: string;
let folder: string;
let env: Record<string, string>;
const sessions: Tmux[] = [];

afterAll(() => rmSync(scratch, { recursive: true, force: true }));
afterEach(() => {
  for (const session of sessions.splice(0)) session.kill();
});

beforeEach(() => {
  dir = join(scratch, `case-${counter++}`);
  folder = join(dir, 'project');
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'marker-plugin.mjs'), PLUGIN);
  writeFileSync(join(folder, 'dash.toml'), CONFIG);
  env = isolatedEnv(dir, { TZ: 'UTC', TOGGL_API_TOKEN: 'token-that-must-not-leak' });
});

function cli(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd: options.cwd ?? folder,
    env: { ...env, ...options.env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 15_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const marker = () => join(folder, 'MARKER');
const config = () => join(folder, 'dash.toml');
const trustLine = () => `dash-cli trust ${config()}`;

/** The refusal every command gives: exit 2, the file named, the command that trusts it, nothing run. */
function expectRefused(result: { code: number | null; stdout: string; stderr: string }, why: 'is not trusted' | 'changed since you trusted it'): void {
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  expect(result.stderr).toContain(`dash-cli: ${config()} ${why}`);
  expect(result.stderr).toContain(`run: ${trustLine()} `);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  expect(existsSync(marker())).toBe(false);
}

const PLUGIN_COMMANDS: string[][] = [
  ['snapshot', '--json'],
  ['snapshot'],
  ['snapshot', '--json', '--offline'],
  ['snapshot', '--json', '--at', AT],
  ['doctor'],
  ['doctor', '--json'],
  ['plugins'],
  ['plugins', '--json'],
  ['auth', 'marker'],
  // Without a terminal watch is refused for the config first, the same way.
  ['watch'],
];

describe('an untrusted ./dash.toml runs no plugin', () => {
  it('every command that loads plugins refuses it: exit 2, the file and the exact trust command, no plugin imported', () => {
    for (const args of PLUGIN_COMMANDS) expectRefused(cli(args), 'is not trusted');
  });

  it('trust, then it runs; edit it, refused again; trust again, runs; --revoke and untrust forget it', () => {
    const trusted = cli(['trust']);
    expect(trusted.code).toBe(0);
    expect(trusted.stderr).toContain(`dash-cli: trusted ${config()} (sha256 `);

    const store = join(dir, 'data', 'dash', 'trusted.json');
    expect(statSync(store).mode & 0o777).toBe(0o600);
    const sha256 = createHash('sha256').update(readFileSync(config())).digest('hex');
    expect(JSON.parse(readFileSync(store, 'utf8')).files).toEqual([{ path: config(), sha256, trustedAt: expect.any(String) }]);

    const ran = cli(['snapshot', '--json', '--at', AT]);
    expect(ran.code).toBe(0);
    expect(JSON.parse(ran.stdout).week.totalSeconds).toBe(3600);
    expect(readFileSync(marker(), 'utf8')).toBe('imported\ncreated, token read\n');

    rmSync(marker());
    appendFileSync(config(), '# an innocent-looking edit\n');
    for (const args of [['snapshot', '--json'], ['doctor'], ['plugins']]) expectRefused(cli(args), 'changed since you trusted it');
    expect(cli(['trust', '--list']).stdout).toBe(`changed\t${config()}\n`);

    expect(cli(['trust', config()]).code).toBe(0);
    expect(cli(['trust', '--list']).stdout).toBe(`trusted\t${config()}\n`);
    expect(cli(['plugins', '--json']).code).toBe(0);
    rmSync(marker());

    expect(cli(['trust', '--revoke']).stderr).toBe(`dash-cli: no longer trusted: ${config()}\n`);
    expectRefused(cli(['snapshot', '--json', '--at', AT]), 'is not trusted');
    expect(cli(['trust']).code).toBe(0);
    expect(cli(['untrust', config()]).code).toBe(0);
    expectRefused(cli(['doctor']), 'is not trusted');
    expect(cli(['trust', '--list'])).toMatchObject({ code: 0, stdout: '' });
  });

  it('the trust is for that file: the same config copied to another folder is untrusted there', () => {
    expect(cli(['trust']).code).toBe(0);
    const other = join(dir, 'other');
    mkdirSync(other);
    writeFileSync(join(other, 'dash.toml'), CONFIG);
    writeFileSync(join(other, 'marker-plugin.mjs'), PLUGIN);
    const copy = cli(['plugins'], { cwd: other });
    expect(copy.code).toBe(2);
    expect(copy.stderr).toContain(`run: dash-cli trust ${join(other, 'dash.toml')} `);
    expect(existsSync(join(other, 'MARKER'))).toBe(false);
  });

  it('a path the shell would split is quoted in the command it prints', () => {
    const spaced = join(dir, "it's a folder");
    mkdirSync(spaced);
    writeFileSync(join(spaced, 'dash.toml'), CONFIG);
    const result = cli(['plugins'], { cwd: spaced });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`run: dash-cli trust '${join(dir, "it'\\''s a folder")}/dash.toml' `);
    expect(cli(['trust', join(spaced, 'dash.toml')]).code).toBe(0);
    expect(cli(['trust', '--list']).stdout).toBe(`trusted\t${join(spaced, 'dash.toml')}\n`);
  });

  it('init writing ./dash.toml trusts what it wrote (its own template); an edit then needs trust again', () => {
    const fresh = join(dir, 'fresh');
    mkdirSync(fresh);
    const init = cli(['init', '--config', './dash.toml', '--no-input'], { cwd: fresh });
    expect(init.code).toBe(0);
    expect(init.stdout).toContain('dash-cli trust                   # after each edit');
    expect(cli(['trust', '--list']).stdout).toBe(`trusted\t${join(fresh, 'dash.toml')}\n`);
    expect(cli(['plugins'], { cwd: fresh }).stderr).not.toContain('trust');
    appendFileSync(join(fresh, 'dash.toml'), '\n[[backends]]\nplugin = "../project/marker-plugin.mjs"\n');
    expect(cli(['plugins'], { cwd: fresh }).stderr).toContain(`changed since you trusted it`);
    expect(existsSync(marker())).toBe(false);
  });

  it('trust of a file that is not there: exit 2, nothing recorded', () => {
    const result = cli(['trust', join(dir, 'nope.toml')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`cannot read ${join(dir, 'nope.toml')}`);
    expect(existsSync(join(dir, 'data', 'dash', 'trusted.json'))).toBe(false);
  });
});

describe("the user's own configs need no trust", () => {
  it('--config, $DASH_CONFIG and the XDG config run their plugins untrusted', () => {
    const elsewhere = join(dir, 'elsewhere');
    mkdirSync(elsewhere);
    for (const run of [
      () => cli(['snapshot', '--json', '--at', AT, '--config', config()], { cwd: elsewhere }),
      () => cli(['snapshot', '--json', '--at', AT, '--config', './dash.toml']),
      () => cli(['snapshot', '--json', '--at', AT], { cwd: elsewhere, env: { DASH_CONFIG: config() } }),
    ]) {
      const result = run();
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout).week.totalSeconds).toBe(3600);
      expect(existsSync(marker())).toBe(true);
      rmSync(marker());
    }
    const xdg = join(dir, 'config', 'dash');
    mkdirSync(xdg, { recursive: true });
    writeFileSync(join(xdg, 'config.toml'), CONFIG);
    writeFileSync(join(xdg, 'marker-plugin.mjs'), PLUGIN);
    expect(cli(['plugins'], { cwd: elsewhere }).code).toBe(0);
    expect(existsSync(join(xdg, 'MARKER'))).toBe(true);
  });

  it('--demo runs only the built-in demo: no trust needed, the folder plugin never imported', () => {
    const result = cli(['snapshot', '--json', '--demo', '--at', AT]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).sources.map((source: { id: string }) => source.id)).toEqual(['demo']);
    expect(existsSync(marker())).toBe(false);
  });
});

describe('the cache of an untrusted folder config is not served', () => {
  /** Trusted once: a sync fills the cache and saves the record the cache-only paths read; then revoked. */
  function warmThenRevoke(): void {
    expect(cli(['trust']).code).toBe(0);
    expect(cli(['snapshot', '--json']).code).toBe(0);
    rmSync(marker());
    // The fast path serves it while trusted (and imports no plugin).
    const fast = cli(['snapshot', '--json', '--offline']);
    expect(fast.code).toBe(0);
    expect(JSON.parse(fast.stdout).week.projects.map((project: { name: string }) => project.name)).toEqual(['Marker project']);
    expect(existsSync(marker())).toBe(false);
    expect(cli(['trust', '--revoke']).code).toBe(0);
  }

  it('snapshot --json on a fresh cache and --offline (the fast path) refuse once trust is revoked', () => {
    warmThenRevoke();
    expectRefused(cli(['snapshot', '--json']), 'is not trusted');
    expectRefused(cli(['snapshot', '--json', '--offline']), 'is not trusted');
  });

  it('watch draws no early frame from the cache and exits 2 with the trust command', async () => {
    warmThenRevoke();
    const raw = join(dir, 'pane-output');
    const tmux = Tmux.start({
      width: 120,
      height: 40,
      cwd: folder,
      // Exactly the environment the warm-up ran with (the record is keyed on the locale variables,
      // which the tmux server would pass on from this process), plus a terminal type.
      env: { ...env, TERM: 'xterm-256color' },
      // Waits for Enter, so all the dashboard writes is piped to `raw` from its first byte.
      command: `read go; ${process.execPath} ${CLI} watch; echo "DASH-EXIT:$?"; exec sleep 60`,
    });
    sessions.push(tmux);
    tmux.run(['pipe-pane', '-t', 'e2e', '-o', `cat >> '${raw}'`]);
    tmux.send('Enter');
    const screen = await tmux.waitFor(/DASH-EXIT:2/);
    expect(screen.replace(/\n/g, '')).toContain(trustLine());
    const written = readFileSync(raw, 'utf8');
    expect(written).toContain('is not trusted');
    expect(written).not.toContain('Marker project');
    expect(written).not.toContain('stale since');
    expect(existsSync(marker())).toBe(false);
  });
});
