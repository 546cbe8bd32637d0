/**
 * The newcomer's walkthrough in docs/writing-a-plugin.md, followed to the letter in a folder
 * outside this repository: every `title="terminal"` block is run, every `title="<file>"` block is
 * written, in the order of the document. Dash's packages come from `npm pack` of this workspace
 * (they stand in for the registry: `npm install dash-core dash-cli` installs those tarballs), the
 * rest (vitest, zod, ...) from npm as usual. Then the plugin must show in `dash-cli plugins`, its
 * entries in `dash-cli snapshot --json` with the numbers the doc promises, a bad option must be
 * reported as the doc says, and the contract suite must pass under `npm test`.
 */
import { execFileSync, execSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itWith, TMUX } from './support/tools.js';

const ROOT = resolve(import.meta.dirname, '..');
const DOC = readFileSync(join(ROOT, 'docs/writing-a-plugin.md'), 'utf8');
const PACKAGES = ['dash-core', 'dash-plugin-toggl', 'dash-plugin-upwork', 'dash-cli'];

interface Block {
  title: string;
  body: string;
}

/** Fenced blocks with a title="…", in document order. */
function blocks(): Block[] {
  return [...DOC.matchAll(/```\w+ title="([^"]+)"\n([\s\S]*?)```/g)].map((match) => ({ title: match[1]!, body: match[2]! }));
}

let work: string;
let packs: string;
let cwd: string;
let shellEnv: Record<string, string>;
const outputs = new Map<string, string>();
const failures: string[] = [];

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'dash-newcomer-'));
  packs = mkdtempSync(join(tmpdir(), 'dash-packs-'));
  expect(relative(ROOT, work).startsWith('..'), 'the walkthrough runs outside the repository').toBe(true);
  const cache = execSync('npm config get cache', { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  for (const name of PACKAGES) {
    execFileSync('npm', ['pack', '--workspace', `packages/${name}`, '--pack-destination', packs], { cwd: ROOT, stdio: 'ignore' });
  }
  const tarballs = Object.fromEntries(readdirSync(packs).map((file) => [file.replace(/-\d+\.\d+\.\d+.*\.tgz$/, ''), join(packs, file)]));
  const env = {
    PATH: process.env.PATH!,
    HOME: work,
    XDG_CONFIG_HOME: join(work, '.config'),
    XDG_DATA_HOME: join(work, '.data'),
    XDG_CACHE_HOME: join(work, '.cache'),
    npm_config_cache: cache,
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_prefer_offline: 'true',
    npm_config_update_notifier: 'false',
    NO_COLOR: '1',
    CI: '1',
  };
  shellEnv = env;
  /** `npm install … dash-core dash-cli …` installs this workspace's tarballs (dash-cli needs its bundled plugins too). */
  const install = (line: string) =>
    line.replace(/\bdash-core\b/, tarballs['dash-core']!).replace(/\bdash-cli\b/, `${tarballs['dash-cli']} ${tarballs['dash-plugin-toggl']} ${tarballs['dash-plugin-upwork']}`);

  cwd = work;
  for (const block of blocks()) {
    if (block.title !== 'terminal') {
      mkdirSync(dirname(join(cwd, block.title)), { recursive: true });
      writeFileSync(join(cwd, block.title), block.body);
      continue;
    }
    for (const line of block.body.split('\n').map((text) => text.trim()).filter(Boolean)) {
      if (line.startsWith('cd ')) {
        cwd = resolve(cwd, line.slice(3));
        continue;
      }
      const command = line.startsWith('npm install') ? install(line) : line;
      try {
        outputs.set(line, execSync(command, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
      } catch (error) {
        const failed = error as { status: number; stdout: string; stderr: string };
        failures.push(`${line} → exit ${failed.status}\n${failed.stdout}\n${failed.stderr}`);
        outputs.set(line, failed.stdout);
      }
    }
  }
}, 180_000);

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  rmSync(packs, { recursive: true, force: true });
});

describe('docs/writing-a-plugin.md, followed outside the repository', () => {
  it('every command of the walkthrough succeeds', () => {
    expect(failures).toEqual([]);
    expect(cwd).toBe(join(work, 'dash-plugin-worklog'));
  });

  it('the package is what the doc says to publish: ESM, dash-core as a peer, keyword dash-plugin', () => {
    const pkg = JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8'));
    expect(pkg).toMatchObject({ name: 'dash-plugin-worklog', type: 'module', exports: './index.js', keywords: ['dash-plugin'], peerDependencies: { 'dash-core': '^0.1.0' } });
    expect(pkg.dependencies?.['dash-core']).toBeUndefined();
  });

  it('dash-cli plugins shows the plugin loaded from the folder', () => {
    const out = outputs.get('npx dash-cli plugins --config dash.toml')!;
    expect(out).toMatch(new RegExp(`\\nworklog\\s+\\.\\s+dash-plugin-worklog\\s+0\\.1\\.0\\s+v1\\s+${join(cwd, 'index.js').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n`));
  });

  it('dash-cli snapshot --json shows its entries with the totals the doc promises', () => {
    const snapshot = JSON.parse(outputs.get('npx dash-cli snapshot --json --config dash.toml --at 2026-11-20T12:00:00Z')!);
    expect(snapshot.week.totalSeconds).toBe(40_500);
    expect(DOC).toContain('`week.totalSeconds` is 40500');
    expect(snapshot.week.projects.map((project: { key: string; seconds: number }) => [project.key, project.seconds])).toEqual([
      ['worklog:acme', 13_500 + 10_800],
      ['worklog:globex', 16_200],
    ]);
    expect(snapshot.week.billableSeconds).toBe(40_500);
    expect(snapshot.clockedIn).toEqual([expect.objectContaining({ source: 'worklog', description: 'Launch prep', start: '2026-11-20T09:00:00Z', elapsedSeconds: 10_800 })]);
    expect(snapshot.sources).toEqual([expect.objectContaining({ id: 'worklog', plugin: 'dash-plugin-worklog', status: 'ok', error: null })]);
  });

  it('a bad option is reported exactly as the doc shows', () => {
    const config = readFileSync(join(cwd, 'dash.toml'), 'utf8');
    writeFileSync(join(cwd, 'bad.toml'), config.replace('billable = true', 'billable = "yes"'));
    let stderr = '';
    let status = 0;
    try {
      execFileSync(process.execPath, [join(cwd, 'node_modules/dash-cli/dist/bin.cjs'), 'snapshot', '--config', 'bad.toml'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH!, HOME: work } });
    } catch (error) {
      stderr = (error as { stderr: string }).stderr;
      status = (error as { status: number }).status;
    }
    expect(status).toBe(2);
    const promised = /`(dash\.toml:10:1: backends\[0\]\.billable: Invalid input: expected boolean, received\s+string \(option of dash-plugin-worklog; see its README\))`/.exec(DOC)![1]!.replace(/\s+/g, ' ');
    expect(stderr).toBe(`dash-cli: ${join(cwd, 'bad.toml')}:${promised.slice('dash.toml:'.length)}\n`);
  });

  itWith([TMUX], 'dash-cli watch shows its entries and running timer in the dashboard (a real terminal, tmux)', async () => {
    const socket = `dash-newcomer-${process.pid}-${randomBytes(4).toString('hex')}`;
    const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const env = Object.entries({ ...shellEnv, TERM: 'xterm-256color' }).flatMap(([key, value]) => ['-e', `${key}=${value}`]);
    tmux('-f', '/dev/null', 'new-session', '-d', '-s', 'e2e', '-x', '120', '-y', '40', '-c', cwd, ...env, 'npx dash-cli watch --config dash.toml --at 2026-11-20T12:00:00Z');
    try {
      const deadline = Date.now() + 15_000;
      let screen = '';
      while (!/● worklog\s+3:00:\d\d\s+(?:\S )?acme — Launch prep/.test(screen) || !screen.includes('Week worked 11h 15m / 40h 00m')) {
        if (Date.now() > deadline) throw new Error(`the dashboard never showed the worklog entries:\n${screen}`);
        await new Promise((wake) => setTimeout(wake, 100));
        screen = tmux('capture-pane', '-p', '-t', 'e2e');
      }
      expect(screen).toMatch(/acme 6h 45m\s+\S globex 4h 30m/);
      tmux('send-keys', '-t', 'e2e', 'q');
    } finally {
      tmux('kill-server');
    }
  });

  it('npm test runs the contract suite from dash-core/testing and it passes', () => {
    const out = outputs.get('npm test')!;
    expect(out).toMatch(/Tests\s+1[0-9] passed/);
    expect(out).toContain('test/plugin.test.js');
  });
});
