/**
 * `dash-cli init`, spawned with HOME/XDG in temp dirs: flags without a terminal, questions on a
 * real terminal (tmux), the default location, and never overwriting a config.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from 'dash-core/host';
import { Tmux } from './support/tmux.js';
import { describeWith, TMUX } from './support/tools.js';
import { isolatedEnv } from './support/env.js';

const ROOT = resolve(import.meta.dirname, '..');
const CLI = join(ROOT, 'packages/dash-cli/dist/bin.cjs');

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function home(): { home: string; env: Record<string, string> } {
  const dir = mkdtempSync(join(tmpdir(), 'dash-init-'));
  dirs.push(dir);
  return {
    home: dir,
    env: isolatedEnv(dir, { HOME: dir }),
  };
}

function run(args: string[], env: Record<string, string>, cwd?: string) {
  const result = spawnSync(process.execPath, [CLI, ...args], { env, encoding: 'utf8', cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('dash-cli init (flags, no terminal)', () => {
  it('writes the chosen backends and goals to --config, a file Dash and the plugins accept', () => {
    const { home: dir, env } = home();
    const file = join(dir, 'work', 'dash.toml');
    const result = run(['init', '--config', file, '--toggl', '--upwork', '--timezone', 'America/New_York', '--weekly', '37h30m', '--daily', '7.5', '--weekly-billable', '30', '--week-start', 'sunday'], env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Wrote ${file}`);
    expect(result.stdout).toContain('export TOGGL_API_TOKEN=');
    expect(result.stdout).toContain('dash-cli auth upwork');
    expect(result.stdout).toContain('dash-cli doctor');

    const text = readFileSync(file, 'utf8');
    expect(text).toContain('timezone = "America/New_York"');
    expect(text).toContain('api_token = "${TOGGL_API_TOKEN}"');
    expect(text).toMatch(/^# plugin = "timewarrior"/m);
    const loaded = loadConfig(file, { TOGGL_API_TOKEN: 't0ken-value', UPWORK_CLIENT_ID: 'client-id', UPWORK_CLIENT_SECRET: 'client-secret' });
    expect(loaded.issues).toEqual([]);
    expect(loaded.config.timezone).toBe('America/New_York');
    expect(loaded.config.weekStart).toBe('sunday');
    expect(loaded.config.goals).toEqual({ weekly: 37.5 * 3600, weeklyBillable: 30 * 3600, daily: 7.5 * 3600, dailyBillable: null });
    expect(loaded.config.backends.map((backend) => [backend.id, backend.plugin])).toEqual([['toggl', 'toggl'], ['upwork', 'upwork']]);

    // The plugins' own schemas accept what init wrote.
    const plugins = run(['plugins', '--config', file, '--json'], { ...env, TOGGL_API_TOKEN: 't0ken-value', UPWORK_CLIENT_ID: 'client-id', UPWORK_CLIENT_SECRET: 'client-secret' });
    expect(plugins.code).toBe(0);
    expect(JSON.parse(plugins.stdout).plugins.map((row: { package: string; status: string }) => [row.package, row.status])).toEqual([
      ['dash-plugin-toggl', 'ok'],
      ['dash-plugin-upwork', 'ok'],
    ]);
  });

  it('writes to $XDG_CONFIG_HOME/dash/config.toml by default; with no backend chosen the demo runs', () => {
    const { env } = home();
    const result = run(['init'], env);
    expect(result.code).toBe(0);
    const file = join(env.XDG_CONFIG_HOME!, 'dash', 'config.toml');
    expect(result.stdout).toContain(`Wrote ${file}`);
    expect(readFileSync(file, 'utf8')).toMatch(/^plugin = "demo"/m);
    // Nobody could be asked: it says the demo is on, and how to get Toggl instead.
    expect(result.stdout).toContain('No backend chosen (no terminal to ask on, and no --toggl, --upwork or --timewarrior), so it shows\nthe built-in demo data.');
    expect(result.stdout).toContain(`  rm ${file} && dash-cli init --toggl\n`);
    const snapshot = run(['snapshot', '--json'], env);
    expect(snapshot.stderr).toBe('');
    expect(snapshot.code).toBe(0);
    expect(JSON.parse(snapshot.stdout).sources).toEqual([expect.objectContaining({ id: 'demo', status: 'ok' })]);
  });

  it('--timewarrior writes a live Timewarrior backend and says how to install its plugin', () => {
    const { home: dir, env } = home();
    const file = join(dir, 'tw', 'dash.toml');
    const result = run(['init', '--config', file, '--timewarrior', '--timezone', 'Europe/Berlin'], env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`(cd ${join(dir, 'tw')} && npm install dash-plugin-timewarrior)`);
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^plugin = "timewarrior"/m);
    expect(text).toMatch(/^# plugin = "toggl"/m);
    const loaded = loadConfig(file, {});
    expect(loaded.issues).toEqual([]);
    expect(loaded.config.backends.map((backend) => backend.plugin)).toEqual(['timewarrior']);
  });

  it('never overwrites an existing config (exit 2, file untouched)', () => {
    const { home: dir, env } = home();
    const file = join(dir, 'dash.toml');
    writeFileSync(file, '# mine\n');
    const result = run(['init', '--config', file, '--toggl'], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`dash-cli: ${file} already exists; not overwriting it\nhint: edit it, check it with \`dash-cli doctor\`, or write a new one elsewhere with --config PATH\n`);
    expect(readFileSync(file, 'utf8')).toBe('# mine\n');
  });

  it('rejects a bad time zone or goal (exit 2) and writes nothing', () => {
    const { home: dir, env } = home();
    const file = join(dir, 'dash.toml');
    const zone = run(['init', '--config', file, '--timezone', 'Mars/Olympus'], env);
    expect(zone.code).toBe(2);
    expect(zone.stderr).toContain('--timezone "Mars/Olympus" is not an IANA time zone');
    const goal = run(['init', '--config', file, '--weekly', 'lots'], env);
    expect(goal.code).toBe(2);
    expect(goal.stderr).toContain('--weekly "lots" is not a number of hours or a duration');
    expect(existsSync(file)).toBe(false);
  });
});

describeWith([TMUX], 'dash-cli init (questions on a terminal)', () => {
  it('--no-input asks nothing on a terminal: the flags and defaults, written at once', async () => {
    const { home: dir, env } = home();
    const file = join(dir, 'quiet.toml');
    const tmux = Tmux.start({ width: 120, height: 40, env, command: `${process.execPath} ${CLI} init --no-input --config ${file} --toggl --weekly 30; echo "EXIT=$?"; exec sleep 30` });
    try {
      const screen = await tmux.waitFor('EXIT=');
      expect(screen).toContain('EXIT=0');
      expect(screen).toContain(`Wrote ${file}`);
      expect(screen).not.toContain('Time zone [');
    } finally {
      tmux.kill();
    }
    const loaded = loadConfig(file, { TOGGL_API_TOKEN: 'x-token' });
    expect(loaded.issues).toEqual([]);
    expect(loaded.config.timezone).toBe('UTC'); // the system zone of the process (TZ=UTC)
    expect(loaded.config.goals.weekly).toBe(30 * 3600);
    expect(loaded.config.backends.map((backend) => backend.plugin)).toEqual(['toggl']);
  });

  it('asks for the time zone, goals and backends in a real terminal (tmux)', async () => {
    const { home: dir, env } = home();
    const file = join(dir, 'asked.toml');
    mkdirSync(join(dir, 'config'), { recursive: true });
    const tmux = Tmux.start({ width: 120, height: 40, env, command: `${process.execPath} ${CLI} init --config ${file}; echo "EXIT=$?"; exec sleep 30` });
    try {
      const answer = async (prompt: string, text: string) => {
        await tmux.waitFor(prompt);
        if (text) tmux.type(text);
        tmux.send('Enter');
      };
      await answer('Time zone [UTC]:', 'Not/AZone');
      await answer('is not an IANA time zone', 'Europe/Berlin');
      await answer('Weekly goal (hours or e.g. 7h30m, "-" for none) [40]:', '');
      await answer('Daily goal (hours or e.g. 7h30m, "-" for none) [8]:', '6h45m');
      await answer('Weekly billable goal (hours or e.g. 7h30m, "-" for none) [-]:', '25');
      await answer('Daily billable goal (hours or e.g. 7h30m, "-" for none) [-]:', '');
      await answer('Use Toggl Track? (y/n) [n]:', 'y');
      await answer('Use Upwork? (y/n) [n]:', '');
      await answer('Use Timewarrior (needs: npm install dash-plugin-timewarrior)? (y/n) [n]:', 'n');
      expect(await tmux.waitFor('EXIT=0')).toContain(`Wrote ${file}`);
    } finally {
      tmux.kill();
    }
    const loaded = loadConfig(file, { TOGGL_API_TOKEN: 'x-token' });
    expect(loaded.issues).toEqual([]);
    expect(loaded.config.timezone).toBe('Europe/Berlin');
    expect(loaded.config.goals).toEqual({ weekly: 40 * 3600, daily: 6.75 * 3600, weeklyBillable: 25 * 3600, dailyBillable: null });
    expect(loaded.config.backends.map((backend) => backend.plugin)).toEqual(['toggl']);
  });
});
