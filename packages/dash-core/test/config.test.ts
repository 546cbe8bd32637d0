import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findConfig } from '../src/config/find.js';
import { checkConfig, loadConfig } from '../src/config/load.js';
import { ConfigError } from '../src/errors.js';

const root = mkdtempSync(join(tmpdir(), 'dash-config-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let counter = 0;
function write(text: string, name = 'config.toml'): string {
  const dir = join(root, `case-${counter++}`);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

function loadError(file: string, env: NodeJS.ProcessEnv = {}): ConfigError {
  try {
    loadConfig(file, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected loadConfig to throw');
}

describe('loadConfig', () => {
  it('reads a full config: zone, week start, goals in hours and durations, backends', () => {
    const file = write(`timezone = "Europe/Berlin"
week_start = "sunday"
workdays = ["monday", "tuesday"]

[goals]
weekly = 40
weekly_billable = "30h"
daily = "7h30m"
daily_billable = 6.5

[colors]
"Acme website" = "#ff8800"

[[backends]]
plugin = "toggl"
api_token = "\${TOGGL_API_TOKEN}"
workspace = 12

[[backends]]
plugin = "./local/plugin.mjs"
id = "mine"
`);
    const { config, issues } = loadConfig(file, { TOGGL_API_TOKEN: 'tok-123456' });
    expect(issues).toEqual([]);
    expect(config.file).toBe(file);
    expect(config.dir).toBe(join(file, '..'));
    expect(config.timezone).toBe('Europe/Berlin');
    expect(config.weekStart).toBe('sunday');
    expect(config.workdays).toEqual(['monday', 'tuesday']);
    expect(config.goals).toEqual({ weekly: 40 * 3600, weeklyBillable: 30 * 3600, daily: 7.5 * 3600, dailyBillable: 6.5 * 3600 });
    expect(config.colors).toEqual({ 'Acme website': '#ff8800' });
    expect(config.backends).toEqual([
      { index: 0, id: 'toggl', plugin: 'toggl', options: { api_token: 'tok-123456', workspace: 12 }, fromEnv: [{ path: 'api_token', value: 'tok-123456' }] },
      { index: 1, id: 'mine', plugin: './local/plugin.mjs', options: {} },
    ]);
    // Which values are secrets is for each plugin to say (prepareBackends): none yet.
    expect(config.secrets).toEqual([]);
  });

  it('defaults: monday, Monday-Friday, no goals, no backends', () => {
    const { config, issues } = loadConfig(write(''), {});
    expect(issues).toEqual([]);
    expect(config.weekStart).toBe('monday');
    expect(config.workdays).toEqual(['monday', 'tuesday', 'wednesday', 'thursday', 'friday']);
    expect(config.goals).toEqual({ weekly: null, weeklyBillable: null, daily: null, dailyBillable: null });
    expect(config.backends).toEqual([]);
    expect(typeof config.timezone).toBe('string');
  });

  it('a TOML syntax error is a ConfigError with file, line and column', () => {
    const file = write('timezone = "UTC"\nweek_start = \n');
    const error = loadError(file);
    expect(error.code).toBe('CONFIG_PARSE');
    expect(error.file).toBe(file);
    expect(error.issues).toHaveLength(1);
    // smol-toml points just after `week_start = `, where the value should be.
    expect(error.issues[0]).toMatchObject({ line: 2, column: 14 });
    expect(error.message.split('\n')[0]).toBe(`${file}:2:14: invalid TOML: invalid value`);
    expect(error.message).toContain('week_start =');
    expect(error.message.endsWith('^')).toBe(true);
  });

  it('a missing file is CONFIG_NOT_FOUND with a hint', () => {
    const error = loadError(join(root, 'nope.toml'));
    expect(error.code).toBe('CONFIG_NOT_FOUND');
    expect(error.message).toContain('nope.toml');
    expect(error.hint).toMatch(/dash-cli init|--demo/);
  });

  it('an unknown top-level key is an issue with its path and line', () => {
    const { issues } = loadConfig(write('timezone = "UTC"\n\ncolour = "red"\n'), {});
    expect(issues).toEqual([{ path: 'colour', message: expect.stringContaining('unknown key'), line: 3, column: 1 }]);
  });

  it('an unknown key in [goals] is an issue with goals.<key> and its line', () => {
    const { issues } = loadConfig(write('[goals]\nweekly = 40\n  weekley = 41\n'), {});
    expect(issues).toEqual([{ path: 'goals.weekley', message: expect.stringContaining('unknown key'), line: 3, column: 3 }]);
  });

  it('a missing ${VAR} names the variable and the key path', () => {
    const file = write('[[backends]]\nplugin = "toggl"\n\n[[backends]]\nplugin = "upwork"\nclient_secret = "${UPWORK_SECRET}"\n');
    const { issues } = loadConfig(file, {});
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ path: 'backends[1].client_secret', line: 6, column: 1 });
    expect(issues[0]!.message).toContain('UPWORK_SECRET');
    // An empty variable counts as missing.
    expect(loadConfig(file, { UPWORK_SECRET: '' }).issues[0]!.message).toContain('UPWORK_SECRET');
  });

  it('${VAR:-default} takes the default when the variable is not set; a set one is recorded with its option', () => {
    const file = write('[[backends]]\nplugin = "x"\nurl = "http://${HOST:-localhost}:${PORT:-8080}/api"\n');
    expect(loadConfig(file, {}).config.backends[0]!.options).toEqual({ url: 'http://localhost:8080/api' });
    const set = loadConfig(file, { HOST: 'example.org' });
    expect(set.issues).toEqual([]);
    expect(set.config.backends[0]!.options).toEqual({ url: 'http://example.org:8080/api' });
    expect(set.config.backends[0]!.fromEnv).toEqual([{ path: 'url', value: 'example.org' }]);
    expect(loadConfig(file, {}).config.backends[0]!.fromEnv).toBeUndefined();
  });

  it('${VAR} values in Dash\'s own settings are not secrets (a zone name must not be masked in any message)', () => {
    const file = write('timezone = "${DASH_ZONE}"\n[goals]\nweekly = "${WEEKLY}"\n[[backends]]\nplugin = "toggl"\napi_token = "${TOGGL_API_TOKEN}"\n');
    const { config, issues } = loadConfig(file, { DASH_ZONE: 'Europe/Berlin', WEEKLY: '37h30m', TOGGL_API_TOKEN: 'tok-123456' });
    expect(issues).toEqual([]);
    expect(config.timezone).toBe('Europe/Berlin');
    expect(config.goals.weekly).toBe(37.5 * 3600);
    expect(config.secrets).toEqual([]);
    expect(config.backends[0]!.fromEnv).toEqual([{ path: 'api_token', value: 'tok-123456' }]);
  });

  it('a ${VAR} value cannot change the document structure', () => {
    const { config, issues } = loadConfig(write('[[backends]]\nplugin = "x"\ntoken = "${TOKEN}"\n'), { TOKEN: '"\nid = "evil' });
    expect(issues).toEqual([]);
    expect(config.backends[0]).toMatchObject({ id: 'x', options: { token: '"\nid = "evil' } });
  });

  it('goals accept hours and durations, and reject anything else at the right line', () => {
    const ok = loadConfig(write('[goals]\nweekly = "37h 30m"\ndaily = 7.25\n'), {});
    expect(ok.issues).toEqual([]);
    expect(ok.config.goals.weekly).toBe(37.5 * 3600);
    expect(ok.config.goals.daily).toBe(7.25 * 3600);
    const bad = loadConfig(write('[goals]\nweekly = 40\ndaily = "8 hours"\nweekly_billable = -3\n'), {});
    expect(bad.issues).toHaveLength(2);
    expect(bad.issues).toEqual(expect.arrayContaining([
      { path: 'goals.daily', message: expect.stringContaining('"8 hours" is not a duration'), line: 3, column: 1 },
      { path: 'goals.weekly_billable', message: expect.stringContaining('non-negative'), line: 4, column: 1 },
    ]));
  });

  it('an invalid time zone is an issue at its line', () => {
    const { issues } = loadConfig(write('# my config\ntimezone = "Europe/Berln"\n'), {});
    expect(issues).toEqual([{ path: 'timezone', message: expect.stringContaining('IANA time zone'), line: 2, column: 1 }]);
  });

  it('an invalid week_start and workdays are issues', () => {
    const { issues } = loadConfig(write('week_start = "mon"\nworkdays = ["monday", "funday"]\n'), {});
    expect(issues.map((issue) => [issue.path, issue.line])).toEqual([
      ['week_start', 1],
      ['workdays[1]', 2],
    ]);
  });

  it('duplicate backend ids are an issue pointing at the second one', () => {
    const file = write('[[backends]]\nplugin = "toggl"\napi_token = "a"\n\n[[backends]]\nplugin = "dash-plugin-toggl"\napi_token = "b"\n');
    const { issues } = loadConfig(file, {});
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ path: 'backends[1].id', line: 5, column: 1 });
    expect(issues[0]!.message).toContain('"toggl" is already the id of backends[0]');
    // Distinct ids make it fine.
    const fixed = loadConfig(write('[[backends]]\nplugin = "toggl"\n\n[[backends]]\nplugin = "toggl"\nid = "work"\n'), {});
    expect(fixed.issues).toEqual([]);
    expect(fixed.config.backends.map((backend) => backend.id)).toEqual(['toggl', 'work']);
  });

  it('a backend without plugin is an issue', () => {
    const { issues } = loadConfig(write('[[backends]]\nid = "x"\n'), {});
    expect(issues).toEqual([{ path: 'backends[0].plugin', message: expect.stringMatching(/^required/), line: 1, column: 1 }]);
  });

  it('a value of the wrong type is named as such, not as missing', () => {
    const { issues } = loadConfig(
      write('timezone = 5\nweek_start = 3\n[goals]\ndaily = true\n[colors]\nacme = "red"\n[[backends]]\nplugin = 5\n'),
      {},
    );
    const byPath = Object.fromEntries(issues.map((issue) => [issue.path, issue]));
    expect(Object.keys(byPath).sort()).toEqual(['backends[0].plugin', 'colors.acme', 'goals.daily', 'timezone', 'week_start']);
    expect(byPath.timezone).toMatchObject({ line: 1, message: expect.stringContaining('expected string, received number') });
    expect(byPath.week_start!.message).toContain('must be one of monday');
    expect(byPath['goals.daily']).toMatchObject({ line: 4, message: 'must be a number of hours or a duration like "7h30m"' });
    expect(byPath['colors.acme']).toMatchObject({ line: 6, message: 'must be a hex color like #06aaf5' });
    expect(byPath['backends[0].plugin']).toMatchObject({ line: 8, message: expect.stringMatching(/^must be a string: the plugin/) });
    for (const issue of issues) expect(issue.message).not.toBe('required');
  });

  it('default backend ids come from the plugin name', () => {
    const { config } = checkConfig(
      { backends: [{ plugin: 'dash-plugin-toggl' }, { plugin: '@acme/dash-plugin-jira' }, { plugin: './plugins/harvest.mjs' }] },
      { env: {} },
    );
    expect(config.backends.map((backend) => backend.id)).toEqual(['toggl', 'jira', 'harvest']);
  });
});

describe('findConfig', () => {
  function layout() {
    const dir = join(root, `find-${counter++}`);
    const cwd = join(dir, 'cwd');
    const xdg = join(dir, 'xdg');
    mkdirSync(join(xdg, 'dash'), { recursive: true });
    mkdirSync(cwd, { recursive: true });
    writeFileSync(join(cwd, 'dash.toml'), '');
    writeFileSync(join(xdg, 'dash', 'config.toml'), '');
    writeFileSync(join(dir, 'env.toml'), '');
    return { dir, cwd, xdg };
  }

  it('--config wins over everything, resolved from the cwd', () => {
    const { dir, cwd, xdg } = layout();
    const found = findConfig({ explicit: '../env.toml', cwd, env: { DASH_CONFIG: join(dir, 'env.toml'), XDG_CONFIG_HOME: xdg } });
    expect(found).toEqual({ file: join(dir, 'env.toml'), searched: [join(dir, 'env.toml')], explicit: true, inFolder: false });
  });

  it('--config naming a missing file is still returned (loadConfig reports it)', () => {
    const { cwd } = layout();
    expect(findConfig({ explicit: 'missing.toml', cwd, env: {} }).file).toBe(join(cwd, 'missing.toml'));
  });

  it('then $DASH_CONFIG', () => {
    const { dir, cwd, xdg } = layout();
    const found = findConfig({ cwd, env: { DASH_CONFIG: join(dir, 'env.toml'), XDG_CONFIG_HOME: xdg } });
    expect(found.file).toBe(join(dir, 'env.toml'));
    expect(found.explicit).toBe(true);
  });

  it('then ./dash.toml', () => {
    const { cwd, xdg } = layout();
    const found = findConfig({ cwd, env: { XDG_CONFIG_HOME: xdg } });
    expect(found.file).toBe(join(cwd, 'dash.toml'));
    expect(found.explicit).toBe(false);
  });

  it('then $XDG_CONFIG_HOME/dash/config.toml, then ~/.config/dash/config.toml', () => {
    const { cwd, xdg, dir } = layout();
    rmSync(join(cwd, 'dash.toml'));
    expect(findConfig({ cwd, env: { XDG_CONFIG_HOME: xdg, HOME: dir } }).file).toBe(join(xdg, 'dash', 'config.toml'));
    mkdirSync(join(dir, '.config', 'dash'), { recursive: true });
    writeFileSync(join(dir, '.config', 'dash', 'config.toml'), '');
    expect(findConfig({ cwd, env: { HOME: dir } }).file).toBe(join(dir, '.config', 'dash', 'config.toml'));
  });

  it('nothing found: undefined with every place searched', () => {
    const { cwd, dir } = layout();
    rmSync(join(cwd, 'dash.toml'));
    const found = findConfig({ cwd, env: { XDG_CONFIG_HOME: join(dir, 'empty') } });
    expect(found.file).toBeUndefined();
    expect(found.searched).toEqual([join(cwd, 'dash.toml'), join(dir, 'empty', 'dash', 'config.toml')]);
  });
});
