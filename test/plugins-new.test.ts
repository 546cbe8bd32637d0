/**
 * `dash-cli plugins new <name>` scaffolds a plugin package that passes its own `npm test` at once,
 * in a fresh folder outside the repository: dash-core installed from the packed tarball (as the
 * scaffold's next steps say until it is published), then `npm test` (node --test) runs the
 * contract suite. Then the package loads in Dash: `plugins` lists it, `snapshot` shows its entries.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, REPO } from './support/cli.js';
import { npmEnv, packWorkspace } from './support/packs.js';

const temp: string[] = [];
let work: string;
let env: Record<string, string>;
let tarballs: Record<string, string>;
let created: ReturnType<typeof spawnSync>;

function cli(args: string[], cwd: string) {
  return spawnSync(process.execPath, [CLI, ...args], { cwd, env, encoding: 'utf8', timeout: 30_000 });
}

beforeAll(() => {
  const packs = packWorkspace();
  temp.push(packs.dir);
  tarballs = packs.tarballs;
  work = realpathSync(mkdtempSync(join(tmpdir(), 'dash-plugins-new-')));
  temp.push(work);
  env = npmEnv(work);
  created = cli(['plugins', 'new', 'worklog'], work);
}, 120_000);
afterAll(() => temp.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('dash-cli plugins new', () => {
  it('creates ./dash-plugin-<name> and says what to do next', () => {
    expect(created.stderr).toBe('');
    expect(created.status).toBe(0);
    const dir = join(work, 'dash-plugin-worklog');
    expect(created.stdout).toBe(
      [
        `created ${dir}: package.json, index.js, test/plugin.test.js, README.md, .gitignore`,
        '',
        'next:',
        '  cd dash-plugin-worklog',
        '  npm install',
        '  npm test',
        '',
        'until dash-core is published, install it from this dash-cli instead of npm install:',
        `  npm install --save-dev ${join(REPO, 'packages', 'dash-core')}`,
        '',
      ].join('\n'),
    );
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    expect(pkg).toMatchObject({ name: 'dash-plugin-worklog', type: 'module', exports: './index.js', keywords: ['dash-plugin'], peerDependencies: { 'dash-core': '^0.1.0' }, scripts: { test: 'node --test' } });
    expect(pkg.dependencies).toBeUndefined();
  });

  it('its npm test passes at once (dash-core from the packed tarball): the contract suite', () => {
    const dir = join(work, 'dash-plugin-worklog');
    execFileSync('npm', ['install', '--save-dev', tarballs['dash-core']!], { cwd: dir, env, stdio: 'pipe', timeout: 90_000 });
    const test = spawnSync('npm', ['test'], { cwd: dir, env, encoding: 'utf8', timeout: 90_000 });
    expect(test.status, test.stdout + test.stderr).toBe(0);
    expect(test.stdout).toMatch(/^# pass 1[0-9]$/m);
    expect(test.stdout).toMatch(/^# fail 0$/m);
    expect(test.stdout).toContain('dash-plugin-worklog (Dash plugin contract)');
  }, 120_000);

  it('the package loads in Dash: plugins lists it, snapshot shows its entries', () => {
    const dir = join(work, 'dash-plugin-worklog');
    writeFileSync(join(dir, 'entries.json'), JSON.stringify([{ id: 1, start: '2026-11-16T08:00:00Z', end: '2026-11-16T11:45:00Z', project: 'acme' }]));
    writeFileSync(join(dir, 'dash.toml'), '[[backends]]\nplugin = "."\nid = "worklog"\nfile = "entries.json"\n');
    const listed = cli(['plugins', '--json', '--config', 'dash.toml'], dir);
    expect(JSON.parse(listed.stdout).plugins[0]).toMatchObject({ id: 'worklog', package: 'dash-plugin-worklog', status: 'ok', apiVersion: 1 });
    const snapshot = cli(['snapshot', '--json', '--config', 'dash.toml', '--at', '2026-11-20T12:00:00Z'], dir);
    expect(snapshot.stderr).toBe('');
    expect(JSON.parse(snapshot.stdout).week.totalSeconds).toBe(3 * 3600 + 45 * 60);
  });

  it('refuses a folder that exists and a name that is not one (exit 2, nothing written)', () => {
    const again = cli(['plugins', 'new', 'dash-plugin-worklog'], work);
    expect(again.status).toBe(2);
    expect(again.stderr).toBe(`dash-cli: ${join(work, 'dash-plugin-worklog')} already exists; nothing was written\nhint: pick another name, or remove the folder first\n`);
    const bad = cli(['plugins', 'new', 'Work Log'], work);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('"Work Log" is not a plugin name');
  });
});
