/**
 * The newcomer's walkthrough in docs/writing-a-plugin.md, followed to the letter in a folder
 * outside this repository: every `title="terminal"` block is run, every `title="<file>"` block is
 * written, in the order of the document. The `title="terminal (in a clone of Dash)"` block makes
 * Dash's tarballs: this repository is that clone (installed and built already), so only its
 * `npm pack` line runs, here, into the walkthrough's `dash-packs/`. Everything else (vitest, zod, ...)
 * comes from npm as usual; `npm install -g` installs into a prefix inside the temp folder
 * (npm_config_prefix, its bin first on PATH). Then: the plugin shows in `dash-cli plugins`, its
 * entries in `dash-cli snapshot --json` with the numbers the doc promises — in the plugin's folder
 * and in each install layout of step 5 (global, next to the config, npx) — a bad option is
 * reported as the doc says, and the contract suite passes under `npm test`.
 */
import { execFileSync, execSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { npmEnv } from './support/packs.js';
import { itWith, TMUX } from './support/tools.js';
import { inherited } from './support/env.js';

const ROOT = resolve(import.meta.dirname, '..');
const DOC = readFileSync(join(ROOT, 'docs/writing-a-plugin.md'), 'utf8');
/** The clone block's lines that the repository under test already stands for (cloned, installed, built). */
const CLONE_STEPS = ['git clone https://github.com/dash-time/dash.git', 'cd dash', 'npm ci', 'npm run build', 'cd ..'];

interface Block {
  title: string;
  body: string;
}

/** Fenced blocks with a title="…", in document order. */
function blocks(): Block[] {
  return [...DOC.matchAll(/```\w+ title="([^"]+)"\n([\s\S]*?)```/g)].map((match) => ({ title: match[1]!, body: match[2]! }));
}

let work: string;
let pluginDir: string;
let cwd: string;
let shellEnv: Record<string, string>;
/** Every command run, in order: the line, where, and what it printed. */
const runs: { line: string; cwd: string; stdout: string; stderr: string }[] = [];
const outputs = new Map<string, string>();
const failures: string[] = [];
const cloneLines: string[] = [];

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'dash-newcomer-'));
  expect(relative(ROOT, work).startsWith('..'), 'the walkthrough runs outside the repository').toBe(true);
  const env = { ...npmEnv(work), npm_config_prefix: join(work, 'global'), PATH: `${join(work, 'global', 'bin')}:${process.env.PATH!}` };
  shellEnv = env;

  cwd = work;
  for (const block of blocks()) {
    if (block.title === 'terminal (in a clone of Dash)') {
      for (const line of block.body.split('\n').map((text) => text.trim()).filter(Boolean)) {
        cloneLines.push(line);
        if (CLONE_STEPS.includes(line)) continue;
        // mkdir and `npm pack` in the clone (this repository), into dash-packs/ next to it (the walkthrough's folder).
        execSync(line.replaceAll('../dash-packs', join(work, 'dash-packs')), { cwd: ROOT, env, stdio: 'ignore' });
      }
      continue;
    }
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
      if (line === 'npm test') pluginDir = cwd;
      const result = spawnSync(line, { shell: true, cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
      if (result.status !== 0) failures.push(`${line} → exit ${result.status}\n${result.stdout}\n${result.stderr}`);
      runs.push({ line, cwd, stdout: result.stdout, stderr: result.stderr });
      outputs.set(line, result.stdout);
    }
  }
}, 300_000);

afterAll(() => {
  // npx keeps its install in the npm cache, keyed by the (temp) tarball paths: remove it.
  const npxRoot = join(shellEnv.npm_config_cache!, '_npx');
  for (const name of existsSync(npxRoot) ? readdirSync(npxRoot) : []) {
    const manifest = join(npxRoot, name, 'package.json');
    if (existsSync(manifest) && readFileSync(manifest, 'utf8').includes(join(work, 'dash-packs'))) rmSync(join(npxRoot, name), { recursive: true, force: true });
  }
  rmSync(work, { recursive: true, force: true });
});

describe('docs/writing-a-plugin.md, followed outside the repository', () => {
  it('every command of the walkthrough succeeds', () => {
    expect(failures).toEqual([]);
    expect(pluginDir).toBe(join(work, 'dash-plugin-worklog'));
    expect(cwd).toBe(join(work, 'dash-config'));
  });

  it('the tarballs are made as the doc says, from a clone: the steps this repository stands for, then npm pack', () => {
    expect(cloneLines).toEqual([...CLONE_STEPS.slice(0, 4), 'mkdir ../dash-packs', 'npm pack --workspaces --pack-destination ../dash-packs', 'cd ..']);
    expect(readdirSync(join(work, 'dash-packs'))).toEqual(expect.arrayContaining(['dash-core-0.1.0.tgz', 'dash-cli-0.1.0.tgz', 'dash-plugin-toggl-0.1.0.tgz', 'dash-plugin-upwork-0.1.0.tgz']));
    // The published path stays documented next to each tarball line.
    expect(DOC).toContain('Once published, the last line is `npm install --save-dev dash-core dash-cli vitest`.');
    expect(DOC).toContain('once published: `npm install -g dash-cli\ndash-plugin-worklog`');
  });

  it('step 5: installed globally, next to the config, and with dash-cli through npx, the plugin shows the same week', () => {
    const layouts = runs.filter((run) => run.cwd === join(work, 'dash-config') && / snapshot --json /.test(run.line));
    expect(layouts.map((run) => run.line.split(' ')[0])).toEqual(['dash-cli', 'dash-cli', 'npx']);
    const global = join(work, 'global', 'lib', 'node_modules');
    expect(readdirSync(global)).toEqual(expect.arrayContaining(['dash-cli', 'dash-core', 'dash-plugin-worklog']));
    expect(existsSync(join(work, 'dash-config', 'node_modules', 'dash-plugin-worklog'))).toBe(true);
    // Next to the config: no dash-core there (the plugin gets the host's).
    expect(existsSync(join(work, 'dash-config', 'node_modules', 'dash-core'))).toBe(false);
    for (const run of layouts) {
      expect(run.stderr, run.line).toBe('');
      const snapshot = JSON.parse(run.stdout);
      expect(snapshot.week.totalSeconds, run.line).toBe(40_500);
      expect(snapshot.sources, run.line).toEqual([expect.objectContaining({ id: 'worklog', plugin: 'dash-plugin-worklog', status: 'ok', error: null })]);
    }
  });

  it('the package is what the doc says to publish: ESM, dash-core as a peer, keyword dash-plugin', () => {
    const pkg = JSON.parse(readFileSync(join(pluginDir, 'package.json'), 'utf8'));
    expect(pkg).toMatchObject({ name: 'dash-plugin-worklog', type: 'module', exports: './index.js', keywords: ['dash-plugin'], peerDependencies: { 'dash-core': '^0.1.0' } });
    expect(pkg.dependencies?.['dash-core']).toBeUndefined();
  });

  it('dash-cli plugins shows the plugin loaded from the folder', () => {
    const out = outputs.get('npx dash-cli plugins --config dash.toml')!;
    expect(out).toMatch(new RegExp(`\\nworklog\\s+\\.\\s+dash-plugin-worklog\\s+0\\.1\\.0\\s+v1\\s+${join(pluginDir, 'index.js').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n`));
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
    const config = readFileSync(join(pluginDir, 'dash.toml'), 'utf8');
    writeFileSync(join(pluginDir, 'bad.toml'), config.replace('billable = true', 'billable = "yes"'));
    let stderr = '';
    let status = 0;
    try {
      execFileSync(process.execPath, [join(pluginDir, 'node_modules/dash-cli/dist/bin.cjs'), 'snapshot', '--config', 'bad.toml'], { cwd: pluginDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...inherited(), HOME: work } });
    } catch (error) {
      stderr = (error as { stderr: string }).stderr;
      status = (error as { status: number }).status;
    }
    expect(status).toBe(2);
    const promised = /`(dash\.toml:10:1: backends\[0\]\.billable: Invalid input: expected boolean, received\s+string \(option of dash-plugin-worklog; see its README\))`/.exec(DOC)![1]!.replace(/\s+/g, ' ');
    expect(stderr).toBe(`dash-cli: ${join(pluginDir, 'bad.toml')}:${promised.slice('dash.toml:'.length)}\n`);
  });

  itWith([TMUX], 'dash-cli watch shows its entries and running timer in the dashboard (a real terminal, tmux)', async () => {
    const socket = `dash-newcomer-${process.pid}-${randomBytes(4).toString('hex')}`;
    const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const env = Object.entries({ ...shellEnv, TERM: 'xterm-256color' }).flatMap(([key, value]) => ['-e', `${key}=${value}`]);
    tmux('-f', '/dev/null', 'new-session', '-d', '-s', 'e2e', '-x', '120', '-y', '40', '-c', pluginDir, ...env, 'npx dash-cli watch --config dash.toml --at 2026-11-20T12:00:00Z');
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
      // q ends watch, its window and so the tmux server: it may be gone already.
      try {
        tmux('kill-server');
      } catch {}
    }
  });

  it('npm test runs the contract suite from dash-core/testing and it passes', () => {
    const out = outputs.get('npm test')!;
    expect(out).toMatch(/Tests\s+1[0-9] passed/);
    expect(out).toContain('test/plugin.test.js');
  });
});
