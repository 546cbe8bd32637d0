/**
 * `dash-cli plugins` and the errors plugin authors get (wrong API version, no default export,
 * options failing the schema, not installed), spawned as users run the CLI.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { isolatedEnv } from './support/env.js';

const ROOT = resolve(import.meta.dirname, '..');
const CLI = join(ROOT, 'packages/dash-cli/dist/bin.cjs');
const CORE = pathToFileURL(join(ROOT, 'packages/dash-core/dist/index.js')).href;
const TIMEWARRIOR = join(ROOT, 'examples/dash-plugin-timewarrior');

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dash-plugins-'));
  dirs.push(dir);
  return dir;
}

function run(args: string[], cwd: string) {
  const env = isolatedEnv(cwd, { HOME: cwd, XDG_CONFIG_HOME: join(cwd, '.config'), XDG_DATA_HOME: join(cwd, '.data'), XDG_CACHE_HOME: join(cwd, '.cache'), XDG_STATE_HOME: join(cwd, '.state'), TIMEWARRIORDB: cwd });
  const result = spawnSync(process.execPath, [CLI, ...args], { env, cwd, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A package installed in node_modules next to the config, as `npm install` leaves it. */
function installPackage(dir: string, name: string, version: string, body: string): void {
  const folder = join(dir, 'node_modules', ...name.split('/'));
  mkdirSync(join(folder, 'dist'), { recursive: true });
  writeFileSync(join(folder, 'package.json'), JSON.stringify({ name, version, type: 'module', exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' } } }));
  writeFileSync(join(folder, 'dist', 'index.js'), `import { z } from ${JSON.stringify(CORE)};\n${body}\n`);
}

const GOOD = (name: string) => `export default { name: '${name}', version: '3.1.4', apiVersion: 1, description: 'a test plugin', optionsSchema: z.strictObject({ folder: z.string().default('.') }), createBackend: () => ({ sync: async () => {} }) };`;

describe('the same plugin from two paths', () => {
  it('is refused (exit 2), naming both files; the same file twice is fine', () => {
    const dir = tempDir();
    for (const copy of ['a', 'b']) {
      mkdirSync(join(dir, copy));
      writeFileSync(join(dir, copy, 'plugin.mjs'), `import { z } from ${JSON.stringify(CORE)};\n${GOOD('dash-plugin-twin')}`);
    }
    writeFileSync(join(dir, 'twice.toml'), ['[[backends]]', 'plugin = "./a/plugin.mjs"', 'id = "one"', '[[backends]]', 'plugin = "./a/plugin.mjs"', 'id = "two"'].join('\n'));
    expect(run(['snapshot', '--json', '--config', 'twice.toml'], dir).code).toBe(0);
    writeFileSync(join(dir, 'two-paths.toml'), ['[[backends]]', 'plugin = "./a/plugin.mjs"', 'id = "one"', '[[backends]]', 'plugin = "./b/plugin.mjs"', 'id = "two"'].join('\n'));
    const result = run(['snapshot', '--json', '--config', 'two-paths.toml'], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`plugin dash-plugin-twin is loaded from two places: ${join(dir, 'a', 'plugin.mjs')} and ${join(dir, 'b', 'plugin.mjs')}; install one copy`);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('dash-cli plugins', () => {
  it('lists every backend with the package, version, API version and file it resolved to', () => {
    const dir = tempDir();
    installPackage(dir, '@acme/dash-plugin-clock', '3.1.4', GOOD('@acme/dash-plugin-clock'));
    installPackage(dir, 'dash-plugin-solo', '0.2.0', GOOD('dash-plugin-solo'));
    writeFileSync(join(dir, 'local.mjs'), `import { z } from ${JSON.stringify(CORE)};\n${GOOD('dash-plugin-local')}`);
    writeFileSync(
      join(dir, 'config.toml'),
      [
        '[[backends]]', 'plugin = "@acme/clock"',
        '[[backends]]', 'plugin = "solo"', 'id = "solo-work"',
        '[[backends]]', 'plugin = "./local.mjs"',
        '[[backends]]', `plugin = ${JSON.stringify(TIMEWARRIOR)}`, 'id = "timew"',
        '[[backends]]', 'plugin = "toggl"', 'api_token = "x"',
        '[[backends]]', 'plugin = "demo"',
      ].join('\n'),
    );
    const result = run(['plugins', '--config', 'config.toml', '--json'], dir);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const rows = JSON.parse(result.stdout).plugins;
    expect(rows.map((row: Record<string, unknown>) => [row.id, row.specifier, row.package, row.version, row.apiVersion, row.status])).toEqual([
      ['clock', '@acme/dash-plugin-clock', '@acme/dash-plugin-clock', '3.1.4', 1, 'ok'],
      ['solo-work', 'dash-plugin-solo', 'dash-plugin-solo', '0.2.0', 1, 'ok'],
      ['local', './local.mjs', 'dash-plugin-local', '3.1.4', 1, 'ok'],
      ['timew', TIMEWARRIOR, 'dash-plugin-timewarrior', '0.1.0', 1, 'ok'],
      ['toggl', 'dash-plugin-toggl', 'dash-plugin-toggl', expect.stringMatching(/^\d+\.\d+\.\d+/), 1, 'ok'],
      ['demo', 'demo', 'dash-plugin-demo', null, 1, 'ok'],
    ]);
    expect(rows[0].path).toBe(join(dir, 'node_modules/@acme/dash-plugin-clock/dist/index.js'));
    expect(rows[2].path).toBe(join(dir, 'local.mjs'));
    expect(rows[3].path).toBe(join(TIMEWARRIOR, 'src/index.js'));
    expect(rows[4].path).toBe(join(ROOT, 'node_modules/dash-plugin-toggl/dist/index.js'));
    expect(rows[5].path).toBe('built-in');

    const text = run(['plugins', '--config', 'config.toml'], dir);
    expect(text.code).toBe(0);
    expect(text.stdout.split('\n')[1]).toMatch(/^ID\s+PLUGIN\s+PACKAGE\s+VERSION\s+API\s+PATH$/);
    expect(text.stdout).toMatch(/\nsolo-work\s+solo\s+dash-plugin-solo\s+0\.2\.0\s+v1\s+\S+dash-plugin-solo\/dist\/index\.js\n/);
  });

  it('marks plugins that are missing or invalid, says why, and exits 2', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'old.mjs'), `import { z } from ${JSON.stringify(CORE)};\nexport default { name: 'dash-plugin-old', apiVersion: 0, optionsSchema: z.object({}), createBackend() {} };`);
    writeFileSync(join(dir, 'config.toml'), '[[backends]]\nplugin = "missing"\n[[backends]]\nplugin = "./old.mjs"\n');
    const result = run(['plugins', '--config', 'config.toml'], dir);
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/\nmissing\s+missing\s+-\s+-\s+-\s+-\n/);
    // The same words snapshot and watch use (one check, dash-core's loadPlugins).
    expect(result.stderr).toContain('dash-cli: missing: plugin "missing" (dash-plugin-missing) is not installed; install it next to the config with: npm install dash-plugin-missing');
    expect(result.stderr).toContain(`dash-cli: old: plugin "./old.mjs" (${join(dir, 'old.mjs')}) was written for Dash plugin API v0, this Dash speaks v1: upgrade the plugin (npm install dash-plugin-old@latest)`);
  });
});

describe('errors for plugin authors (dash-cli snapshot)', () => {
  function snapshotError(files: Record<string, string>, config: string) {
    const dir = tempDir();
    for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, name), body);
    writeFileSync(join(dir, 'config.toml'), config);
    const result = run(['snapshot', '--json', '--config', 'config.toml'], dir);
    expect(result.stdout).toBe('');
    expect(result.code).toBe(2);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    return { dir, stderr: result.stderr };
  }

  it('a plugin for another API version: which plugin, which version, what to upgrade', () => {
    const { dir, stderr } = snapshotError(
      { 'future.mjs': `import { z } from ${JSON.stringify(CORE)};\nexport default { name: 'dash-plugin-future', apiVersion: 2, optionsSchema: z.object({}), createBackend() {} };` },
      '[[backends]]\nplugin = "./future.mjs"\n',
    );
    expect(stderr).toBe(
      `dash-cli: ${join(dir, 'config.toml')}:2:1: backends[0].plugin: plugin "./future.mjs" (${join(dir, 'future.mjs')}) was written for Dash plugin API v2, this Dash speaks v1: upgrade dash-cli (npm install -g dash-cli@latest)\n`,
    );
  });

  it('a module without a default-exported plugin: what is missing and how to export it', () => {
    const { stderr } = snapshotError({ 'named.mjs': 'export const plugin = { name: "dash-plugin-named" };\n' }, '[[backends]]\nplugin = "./named.mjs"\n');
    expect(stderr).toContain('backends[0].plugin: plugin "./named.mjs"');
    expect(stderr).toContain('is not a valid Dash plugin: missing name (string), apiVersion (number), optionsSchema (a zod or other Standard Schema), createBackend (function)');
    expect(stderr).toContain('a plugin default-exports defineBackendPlugin({ name, apiVersion, optionsSchema, createBackend }) (see docs/writing-a-plugin.md)');
  });

  it('a module that throws on import: which plugin, which file, the error', () => {
    const { dir, stderr } = snapshotError({ 'throws.mjs': 'throw new Error("boom at import");\n' }, '[[backends]]\nplugin = "./throws.mjs"\n');
    expect(stderr).toContain(`backends[0].plugin: plugin "./throws.mjs" failed to load from ${join(dir, 'throws.mjs')}: boom at import`);
  });

  it('options failing the schema: every field, its line, and whose option it is', () => {
    const { dir, stderr } = snapshotError({}, `[[backends]]\nplugin = ${JSON.stringify(TIMEWARRIOR)}\ndefault_project = "last-tag"\nbillable_tags = "billable"\ndatabse = "/tmp"\n`);
    const file = join(dir, 'config.toml');
    expect(stderr).toContain(`${file}:3:1: backends[0].default_project: Invalid option: expected one of "first-tag"|"none" (option of dash-plugin-timewarrior; see its README)`);
    expect(stderr).toContain(`${file}:4:1: backends[0].billable_tags: Invalid input: expected array, received string (option of dash-plugin-timewarrior; see its README)`);
    // An unknown option at its own line; every issue in the order of the file.
    expect(stderr).toContain(`${file}:5:1: backends[0].databse: unknown key "databse" for dash-plugin-timewarrior (see its README for the options)`);
    expect(stderr.indexOf(':3:1:')).toBeLessThan(stderr.indexOf(':4:1:'));
    expect(stderr.indexOf(':4:1:')).toBeLessThan(stderr.indexOf(':5:1:'));
  });

  it('a backend that hangs or throws: snapshot still answers, exit 3, the backend named with its code', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'hangs.mjs'), `import { z } from ${JSON.stringify(CORE)};\nexport default { name: 'dash-plugin-hangs', apiVersion: 1, optionsSchema: z.strictObject({}), createBackend: () => ({ sync: () => new Promise(() => {}) }) };`);
    writeFileSync(join(dir, 'throws.mjs'), `import { z, DashError } from ${JSON.stringify(CORE)};\nexport default { name: 'dash-plugin-throws', apiVersion: 1, optionsSchema: z.strictObject({}), createBackend: () => ({ sync: async () => { throw new DashError('WORKLOG_NOT_FOUND', 'no work log at /nowhere'); } }) };`);
    writeFileSync(join(dir, 'never-starts.mjs'), `import { z } from ${JSON.stringify(CORE)};\nexport default { name: 'dash-plugin-never-starts', apiVersion: 1, optionsSchema: z.strictObject({}), createBackend: () => new Promise(() => {}) };`);
    writeFileSync(join(dir, 'config.toml'), '[[backends]]\nplugin = "./hangs.mjs"\n[[backends]]\nplugin = "./throws.mjs"\n[[backends]]\nplugin = "./never-starts.mjs"\n[[backends]]\nplugin = "demo"\n');
    const started = Date.now();
    const result = run(['snapshot', '--json', '--config', 'config.toml', '--timeout', '1s'], dir);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(result.code).toBe(3);
    const snapshot = JSON.parse(result.stdout);
    expect(snapshot.sources.map((source: { id: string; status: string; error: unknown }) => [source.id, source.status, source.error])).toEqual([
      ['hangs', 'error', { code: 'BACKEND_TIMEOUT', message: 'no answer within 1s' }],
      ['throws', 'error', { code: 'WORKLOG_NOT_FOUND', message: 'no work log at /nowhere' }],
      ['never-starts', 'error', { code: 'BACKEND_TIMEOUT', message: 'did not start within 1s' }],
      ['demo', 'ok', null],
    ]);
    expect(result.stderr).toBe('dash-cli: hangs: no answer within 1s\ndash-cli: throws: no work log at /nowhere\ndash-cli: never-starts: did not start within 1s\n');
  });
});
