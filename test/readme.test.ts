/**
 * The README's shell blocks, run as written, so the README cannot drift from what Dash does.
 * Every command line of every ```sh block is either run here, exactly as the README shows it, or
 * named below with what runs it instead (.ci/run, on a fresh clone); a command the README gains
 * that neither knows fails the first test.
 *
 * "With your own data" runs from nothing (an empty HOME) to the user's own Toggl week, against the
 * fake Toggl on 127.0.0.1. The one thing the test changes between the README's steps is where the
 * written config's Toggl backend points (api_url: the fake instead of api.track.toggl.com); the
 * fake accepts the README's token placeholder, `…`, as the user's token.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from './support/cli.js';
import { isolatedEnv } from './support/env.js';
import { startFakeToggl, type FakeToggl } from './support/fake-toggl.js';
import { Tmux } from './support/tmux.js';
import { CURL, describeWith, itWith, JQ, TMUX } from './support/tools.js';

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a program in the repository's root, as a user in a shell there would. */
function run(program: string, args: string[], env: Record<string, string>, cwd = REPO): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

const README = readFileSync(join(REPO, 'README.md'), 'utf8');

interface Block {
  /** The heading the block is under. */
  section: string;
  commands: string[];
}

/** Every ```sh block: its command lines, without comments. */
function shellBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  let section = '';
  let inside: string[] | undefined;
  for (const line of markdown.split('\n')) {
    if (inside) {
      if (line.startsWith('```')) {
        blocks.push({ section, commands: inside });
        inside = undefined;
      } else {
        const command = line.replace(/\s+#\s.*$/, '').trim();
        if (command && !command.startsWith('#')) inside.push(command);
      }
    } else if (line.startsWith('```sh')) inside = [];
    else if (line.startsWith('#')) section = line.replace(/^#+\s*/, '');
  }
  return blocks;
}

const BLOCKS = shellBlocks(README);
const commandsOf = (section: string, index = 0) => BLOCKS.filter((block) => block.section === section)[index]!.commands;

/** Commands not run here, and what runs them. */
const RUN_ELSEWHERE: Record<string, string> = {
  'git clone https://github.com/dash-time/dash.git dash && cd dash': '.ci/run runs in a fresh clone',
  'npm install': '.ci/run, on the fresh clone, after npm ci; it fails when the tree changes',
  'npm test': '.ci/run (and this test is part of it)',
  'npm run typecheck': '.ci/run',
  'npm run bench': 'nobody: benchmarks take minutes and rewrite BENCHMARKS.md (not part of npm test)',
  'npm run test:hostile': 'by hand before a release: the whole suite a second time (~7 min), under a fake clock',
  'npm run mutation': 'by hand: StrykerJS takes 5–15 minutes on 2 cores; its scores are in MUTATION.md',
  'dash-cli outputs': 'test/outputs-webhook.test.ts (a receiver down: "failing since …", exit 3)',
  'dash-cli outputs --json': 'test/outputs-webhook.test.ts (delivered, disabled after a 410)',
  'dash-cli outputs test hook': 'test/outputs-webhook.test.ts (a real receiver verifying it with standardwebhooks)',
  "curl -XPOST http://127.0.0.1:8086/query --data-urlencode 'q=CREATE DATABASE dash'":
    'test/outputs-influx-databases.test.ts creates its InfluxDB databases with the same POST /query (on its own port)',
  'victoria-metrics -storageDataPath=/var/lib/victoria-metrics -retentionPeriod=100y -dedup.minScrapeInterval=1s':
    'test/outputs-influx-databases.test.ts starts VictoriaMetrics with these flags (a temp data dir, its own port)',
};

/** Run below. */
const RUN_HERE = new Set([
  'npm start',
  'npx dash-cli init --toggl',
  'export TOGGL_API_TOKEN=…',
  'npx dash-cli snapshot',
  'npx dash-cli watch',
  'npx dash-cli snapshot --json',
  'dash-cli trust',
  'dash-cli trust ~/work/dash.toml',
  'dash-cli trust --list',
  'dash-cli trust --revoke',
  'curl -H "Authorization: Bearer $DASH_SERVE_TOKEN" http://127.0.0.1:7780/api/v1/snapshot | jq .week.totalSeconds',
  'curl -N -H "Authorization: Bearer $DASH_SERVE_TOKEN" http://127.0.0.1:7780/api/v1/events',
  `dash-cli snapshot --json | jq -r '.today as $t | (.days[] | select(.date == $t)) as $d | "\\($d.totalSeconds / 3600 | floor)h \\(.clockedIn[0].project.name // "idle")"'`,
]);

describe('the README', () => {
  it('has no shell command that is neither run here nor by .ci/run', () => {
    const all = BLOCKS.flatMap((block) => block.commands);
    expect(all.length).toBeGreaterThan(10);
    expect(all.filter((command) => !RUN_HERE.has(command) && !(command in RUN_ELSEWHERE))).toEqual([]);
    // And nothing listed here is gone from the README (the lists would hide drift).
    expect([...RUN_HERE, ...Object.keys(RUN_ELSEWHERE)].filter((command) => !all.includes(command))).toEqual([]);
  });
});

describe('README: with your own data (the fake Toggl)', () => {
  let toggl: FakeToggl;
  let dir: string;
  let env: Record<string, string>;
  const results = new Map<string, Run>();

  /**
   * One command line, as the README shows it, in a shell; `export` lines carry over. Not spawnSync:
   * the fake Toggl answers from this process's event loop.
   */
  async function sh(command: string): Promise<Run> {
    const out = join(dir, 'env-out');
    const result = await run('sh', ['-c', `${command}\nstatus=$?\nenv -0 > "$DASH_TEST_ENV_OUT"\nexit $status`], { ...env, DASH_TEST_ENV_OUT: out });
    const after = readFileSync(out, 'utf8').split('\0').filter(Boolean);
    env = Object.fromEntries(after.map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]).filter(([key]) => !['DASH_TEST_ENV_OUT', 'PWD', 'OLDPWD', 'SHLVL', '_'].includes(key!)));
    results.set(command, result);
    return result;
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dash-readme-'));
    // The README's placeholder is the token this fake Toggl accepts.
    toggl = await startFakeToggl({ token: '…' });
    toggl.addProject({ id: 1, name: 'Acme website', color: '#06aaf5', client_name: 'Acme Corp', billable: true });
    // Running since two minutes ago: clocked in, whatever the day of the week.
    toggl.addEntry({ id: 7, start: new Date(Date.now() - 120_000).toISOString(), stop: null, project_id: 1, description: 'Checkout' });
    // A user's shell: node_modules/.bin is not on their PATH (npx finds dash-cli), TZ is theirs.
    env = { ...isolatedEnv(dir), TZ: 'UTC' };
    delete env.NO_COLOR;

    for (const command of commandsOf('Quick start', 1)) {
      if (command === 'npx dash-cli watch') continue; // below, in a terminal
      await sh(command);
      if (command === 'npx dash-cli init --toggl') {
        // The one change: the written config's Toggl backend talks to the fake Toggl.
        const file = join(dir, 'config', 'dash', 'config.toml');
        writeFileSync(file, readFileSync(file, 'utf8').replace(/^(api_token = .*)$/m, `$1\napi_url = "${toggl.url}"`));
      }
    }
  });

  afterAll(async () => {
    await toggl?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('npx dash-cli init --toggl writes the config with Toggl on and says what to do next', () => {
    const init = results.get('npx dash-cli init --toggl')!;
    expect(init.stderr).toBe('');
    expect(init.status).toBe(0);
    expect(init.stdout).toContain(`Wrote ${join(dir, 'config', 'dash', 'config.toml')}`);
    expect(init.stdout).toContain('export TOGGL_API_TOKEN=…');
  });

  it('npx dash-cli snapshot shows the user\'s own Toggl week, not the demo', () => {
    const snapshot = results.get('npx dash-cli snapshot')!;
    expect(snapshot.stderr).toBe('');
    expect(snapshot.status).toBe(0);
    expect(snapshot.stdout).toMatch(/^Clocked in \(toggl\): Acme website — Checkout, 2m$/m);
    expect(snapshot.stdout).toMatch(/^ {2}toggl: ok/m);
    expect(snapshot.stdout).not.toContain('demo');
  });

  it('npx dash-cli snapshot --json is the snapshot document of that week', () => {
    const json = results.get('npx dash-cli snapshot --json')!;
    expect(json.status).toBe(0);
    const document = JSON.parse(json.stdout);
    expect(document.sources).toEqual([expect.objectContaining({ id: 'toggl', plugin: 'dash-plugin-toggl', status: 'ok' })]);
    expect(document.clockedIn).toEqual([expect.objectContaining({ source: 'toggl', description: 'Checkout', project: expect.objectContaining({ name: 'Acme website' }) })]);
  });

  itWith([TMUX], 'npx dash-cli watch shows the same week live, and q quits', async () => {
    const tmux = Tmux.start({ width: 120, height: 40, cwd: REPO, env: { ...env, TERM: 'xterm-256color' }, command: `npx dash-cli watch; echo "DASH-EXIT:$?"; exec sleep 30` });
    try {
      await tmux.waitFor((screen) => /● toggl\s+0:0[2-9]:\d\d\s+(?:\S )?Acme website — Checkout/.test(screen) && screen.includes('q quit'), { timeoutMs: 15_000 });
      tmux.send('q');
      await tmux.waitFor('DASH-EXIT:0');
    } finally {
      tmux.kill();
    }
  });

  itWith([JQ], "the status-bar line (dash-cli on PATH, as after npm install -g) prints today's hours and what runs", async () => {
    const command = BLOCKS.flatMap((block) => block.commands).find((line) => line.includes('| jq'))!;
    const result = await run('sh', ['-c', command], { ...env, PATH: `${join(REPO, 'node_modules/.bin')}${delimiter}${env.PATH}` });
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^\d+h Acme website\n$/);
    expect(result.status).toBe(0);
  });
});

describe('README: quick start', () => {
  itWith([TMUX], 'npm start, with the packages built, opens the demo dashboard and prints no build log', async () => {
    // npm start would build a stale tree, pulling dist from under the tests running beside this one.
    const fresh = await run(process.execPath, [join(REPO, 'scripts/build.mjs'), '--check', '--no-dts'], { PATH: process.env.PATH ?? '' });
    expect(fresh.status, 'the packages are built and fresh (npm run build first)').toBe(0);
    const dir = mkdtempSync(join(tmpdir(), 'dash-readme-start-'));
    const tmux = Tmux.start({ width: 120, height: 40, cwd: REPO, env: { ...isolatedEnv(dir), TERM: 'xterm-256color' }, command: `npm start; echo "DASH-EXIT:$?"; exec sleep 30` });
    try {
      expect(commandsOf('Quick start')).toContain('npm start');
      const screen = await tmux.waitFor((text) => text.includes('q quit') && text.includes('demo'), { timeoutMs: 15_000 });
      expect(screen).not.toMatch(/building|tsup|ESM|DTS/);
      tmux.send('q');
      const after = await tmux.waitFor('DASH-EXIT:0');
      expect(after).not.toMatch(/building|tsup|ESM|DTS/);
    } finally {
      tmux.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('README: trusted folders', () => {
  it('runs each trust command as shown: a folder config runs once trusted, --list shows it, --revoke forgets it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dash-readme-trust-'));
    try {
      const env: Record<string, string> = { ...isolatedEnv(dir), PATH: `${join(REPO, 'node_modules/.bin')}${delimiter}${process.env.PATH ?? ''}` };
      const project = join(dir, 'project');
      mkdirSync(project);
      mkdirSync(join(env.HOME!, 'work'), { recursive: true });
      const toml = '[goals]\nweekly = 40\n\n[[backends]]\nplugin = "demo"\n';
      writeFileSync(join(project, 'dash.toml'), toml);
      writeFileSync(join(env.HOME!, 'work', 'dash.toml'), toml);
      const sh = (command: string) => run('sh', ['-c', command], env, project);
      const snapshot = () => sh('dash-cli snapshot --json');

      const refused = await snapshot();
      expect(refused.status).toBe(2);
      expect(refused.stderr).toContain(`dash-cli trust ${join(project, 'dash.toml')}`);

      const commands = commandsOf('Trusted folders');
      expect(commands).toEqual(['dash-cli trust', 'dash-cli trust ~/work/dash.toml', 'dash-cli trust --list', 'dash-cli trust --revoke']);
      expect((await sh(commands[0]!)).status).toBe(0);
      const trusted = await snapshot();
      expect(trusted.status).toBe(0);
      expect(JSON.parse(trusted.stdout).week.goalSeconds).toBe(40 * 3600);

      expect((await sh(commands[1]!)).status).toBe(0);
      const list = await sh(commands[2]!);
      expect(list.status).toBe(0);
      expect(list.stdout).toContain(`trusted\t${join(project, 'dash.toml')}`);
      expect(list.stdout).toContain(`trusted\t${join(env.HOME!, 'work', 'dash.toml')}`);

      expect((await sh(commands[3]!)).status).toBe(0);
      expect((await snapshot()).status).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describeWith([CURL, JQ], 'README: serve', () => {
  it('the two curl lines read the snapshot and the event stream of a running dash-cli serve --demo', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dash-readme-serve-'));
    const env = { ...isolatedEnv(dir), DASH_SERVE_TOKEN: 'readme-test-token-0123456789' };
    const server = spawn(process.execPath, [join(REPO, 'packages/dash-cli/dist/bin.cjs'), 'serve', '--demo', '--port', '7780'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let out = '';
      await new Promise<void>((resolve, reject) => {
        server.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          out += chunk;
          if (out.includes('http://127.0.0.1:7780/')) resolve();
        });
        server.on('close', (code) => reject(new Error(`serve exited ${code} before listening (is port 7780 taken?): ${out}`)));
      });
      const [snapshotLine, eventsLine] = commandsOf('Serve');
      const total = await run('sh', ['-c', snapshotLine!], env, dir);
      expect(total.status).toBe(0);
      expect(Number(total.stdout.trim())).toBeGreaterThan(0);

      // The stream never ends: read until the first snapshot event, then hang up.
      const stream = spawn('sh', ['-c', eventsLine!], { cwd: dir, env, stdio: ['ignore', 'pipe', 'ignore'] });
      let text = '';
      await new Promise<void>((resolve) => {
        stream.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          text += chunk;
          if (/event: snapshot\n(?:id: .*\n)?data: \{/.test(text)) resolve();
        });
      });
      stream.kill();
      expect(text).toContain('event: snapshot');
    } finally {
      server.kill('SIGTERM');
      await new Promise((resolve) => server.once('close', resolve));
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
