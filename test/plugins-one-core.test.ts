/**
 * One dash-core for every plugin, the host's: a plugin imports 'dash-core' (a peer dependency)
 * and gets the copy the running dash-cli uses, whatever the install layout. Each layout is built
 * for real from `npm pack` tarballs in temp folders, and the CLI run as a user runs it:
 *
 *  - the plugin in the config's folder (its own node_modules, no dash-core there), or with a
 *    second, different copy of dash-core of its own;
 *  - dash-cli and the plugin installed globally (`npm install -g --prefix`), dash-core nested in
 *    dash-cli's own node_modules as a registry install leaves it;
 *  - dash-cli run through npx (`npm exec --package`), the plugin in the config's folder.
 *
 * The plugin reports what 'dash-core' resolved to (import.meta.resolve, answered by the same hook as
 * its imports) in an entry's description, so the test sees which copy it got.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, REPO } from './support/cli.js';
import { npmEnv, packWorkspace } from './support/packs.js';

const PROBE = {
  'package.json': JSON.stringify({
    name: 'dash-plugin-probe',
    version: '1.0.0',
    type: 'module',
    exports: './index.js',
    keywords: ['dash-plugin'],
    peerDependencies: { 'dash-core': '^0.1.0' },
  }),
  'index.js': `import { DASH_PLUGIN_API_VERSION, defineBackendPlugin, z } from 'dash-core';
import { isDashError } from 'dash-core';
import * as testing from 'dash-core/testing';
const core = import.meta.resolve('dash-core');
export default defineBackendPlugin({
  name: 'dash-plugin-probe',
  apiVersion: DASH_PLUGIN_API_VERSION,
  optionsSchema: z.strictObject({}),
  createBackend: (options, context) => ({
    async sync({ from, to }) {
      const description = core + (typeof isDashError === 'function' && typeof testing.testBackendPlugin === 'function' ? '' : ' (incomplete)');
      context.store.replaceRange({ from, to }, []);
      context.store.setRunning({ id: 'probe', start: new Date(to.getTime() - 7 * 86_400_000).toISOString(), end: null, description });
    },
  }),
});
`,
};

/** A dash-core that is not the host's: importing anything from it fails loudly. */
const STRAY_CORE = {
  'package.json': JSON.stringify({ name: 'dash-core', version: '0.0.1', type: 'module', exports: { '.': './index.js', './testing': './index.js' } }),
  'index.js': "throw new Error('the plugin got its own dash-core, not the host\\'s');\n",
};

const temp: string[] = [];
let packs: { dir: string; tarballs: Record<string, string> };
let probeTarball: string;
let env: Record<string, string>;

function tempDir(prefix: string): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  temp.push(dir);
  return dir;
}

function writeFiles(dir: string, files: Record<string, string>): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, name), body);
}

/** A config folder: dash.toml naming the probe by its shorthand, and the probe installed next to it. */
function configFolder(stray = false): string {
  const dir = tempDir('dash-one-core-');
  writeFileSync(join(dir, 'dash.toml'), '[[backends]]\nplugin = "probe"\n');
  const plugin = join(dir, 'node_modules', 'dash-plugin-probe');
  writeFiles(plugin, PROBE);
  if (stray) writeFiles(join(plugin, 'node_modules', 'dash-core'), STRAY_CORE);
  return dir;
}

/** Runs a dash-cli command line; returns what the probe's entry says dash-core resolved to. */
function probe(command: string, args: string[], cwd: string): { status: number | null; core: string | undefined; stderr: string } {
  const result = spawnSync(command, [...args, 'snapshot', '--json', '--config', join(cwd, 'dash.toml'), '--at', '2026-11-20T12:00:00Z'], {
    cwd,
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  let core: string | undefined;
  try {
    core = (JSON.parse(result.stdout) as { clockedIn: { description: string }[] }).clockedIn[0]?.description;
  } catch {
    core = undefined;
  }
  return { status: result.status, core, stderr: result.stderr };
}

const hostCore = (packageDir: string) => pathToFileURL(join(realpathSync(packageDir), 'dist', 'index.js')).href;

beforeAll(() => {
  packs = packWorkspace();
  temp.push(packs.dir);
  const home = tempDir('dash-one-core-home-');
  env = npmEnv(home);
  const source = tempDir('dash-probe-src-');
  writeFiles(source, PROBE);
  execFileSync('npm', ['pack', '--pack-destination', packs.dir], { cwd: source, env, stdio: 'ignore' });
  probeTarball = join(packs.dir, 'dash-plugin-probe-1.0.0.tgz');
}, 120_000);

afterAll(() => temp.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe("a plugin gets the host's dash-core", () => {
  it('installed in the config folder without dash-core of its own', () => {
    const dir = configFolder();
    const result = probe(process.execPath, [CLI], dir);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.core).toBe(hostCore(join(REPO, 'packages/dash-core')));
  });

  it('installed in the config folder with a second, different dash-core of its own', () => {
    const dir = configFolder(true);
    const result = probe(process.execPath, [CLI], dir);
    expect(result.stderr).toBe('');
    expect(result.core).toBe(hostCore(join(REPO, 'packages/dash-core')));
    // `dash-cli plugins` and `doctor` load it the same way.
    const listed = spawnSync(process.execPath, [CLI, 'plugins', '--json', '--config', join(dir, 'dash.toml')], { cwd: dir, env, encoding: 'utf8' });
    expect(JSON.parse(listed.stdout).plugins[0]).toMatchObject({ id: 'probe', status: 'ok', apiVersion: 1 });
    const doctor = spawnSync(process.execPath, [CLI, 'doctor', '--json', '--config', join(dir, 'dash.toml')], { cwd: dir, env, encoding: 'utf8' });
    expect(JSON.parse(doctor.stdout).backends[0]).toMatchObject({ id: 'probe', ok: true });
  });

  it('installed globally (npm install -g --prefix), dash-core nested in dash-cli as a registry install leaves it', () => {
    const prefix = tempDir('dash-global-');
    const { tarballs } = packs;
    execFileSync('npm', ['install', '-g', '--prefix', prefix, tarballs['dash-core']!, tarballs['dash-cli']!, tarballs['dash-plugin-toggl']!, tarballs['dash-plugin-upwork']!], { cwd: prefix, env, stdio: 'pipe', timeout: 60_000 });
    // `npm install -g dash-cli` from the registry nests dash-cli's dependencies in its own folder.
    const global = join(prefix, 'lib', 'node_modules');
    for (const name of ['dash-core', 'dash-plugin-toggl', 'dash-plugin-upwork']) renameSync(join(global, name), join(global, 'dash-cli', 'node_modules', name));
    execFileSync('npm', ['install', '-g', '--prefix', prefix, '--legacy-peer-deps', probeTarball], { cwd: prefix, env, stdio: 'pipe', timeout: 60_000 });
    expect(existsSync(join(global, 'dash-core'))).toBe(false);
    expect(readdirSync(global).sort()).toEqual(['dash-cli', 'dash-plugin-probe']);

    const dir = tempDir('dash-global-config-');
    writeFileSync(join(dir, 'dash.toml'), '[[backends]]\nplugin = "probe"\n');
    const result = probe(join(prefix, 'bin', 'dash-cli'), [], dir);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.core).toBe(hostCore(join(global, 'dash-cli', 'node_modules', 'dash-core')));
  }, 120_000);

  it('dash-cli run through npx (npm exec --package), the plugin in the config folder', () => {
    const dir = configFolder();
    const { tarballs } = packs;
    const packages = ['dash-core', 'dash-cli', 'dash-plugin-toggl', 'dash-plugin-upwork'].map((name) => `--package=${tarballs[name]}`);
    try {
      const result = probe('npm', ['exec', '--yes', ...packages, '--', 'dash-cli'], dir);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      const npx = result.core!.replace(/node_modules\/dash-core\/dist\/index\.js$/, '');
      expect(npx).toMatch(/\/_npx\/[0-9a-f]+\/$/);
      expect(result.core).toBe(hostCore(join(new URL(npx).pathname, 'node_modules', 'dash-core')));
    } finally {
      // npx keeps its install in the npm cache, keyed by the (temp) tarball paths: remove it.
      const npxRoot = join(env.npm_config_cache!, '_npx');
      for (const name of existsSync(npxRoot) ? readdirSync(npxRoot) : []) {
        const manifest = join(npxRoot, name, 'package.json');
        if (existsSync(manifest) && readFileSync(manifest, 'utf8').includes(packs.dir)) rmSync(join(npxRoot, name), { recursive: true, force: true });
      }
    }
  }, 120_000);

  it("a plugin's other imports are left alone: its own dependency 'zod' is not redirected", () => {
    const dir = configFolder();
    const plugin = join(dir, 'node_modules', 'dash-plugin-probe');
    writeFileSync(join(plugin, 'index.js'), `import 'zod';\n${readFileSync(join(plugin, 'index.js'), 'utf8')}`);
    const result = probe(process.execPath, [CLI], dir);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("Cannot find package 'zod' imported from");
  });
});


describe('the hook starts only when a plugin needs it', () => {
  it("a plugin that resolves the host's dash-core on its own (an official one) needs none; one outside the tree does", async () => {
    // From source: the host's dash-core is then this repository's (packages/dash-core, by self-reference).
    const { needsHostCore } = await import('../packages/dash-core/src/host/share-core.js');
    expect(needsHostCore(join(REPO, 'packages/dash-plugin-toggl/dist/index.js'))).toBe(false);
    expect(needsHostCore(join(REPO, 'examples/dash-plugin-timewarrior/src/index.js'))).toBe(false);
    const dir = configFolder();
    expect(needsHostCore(join(dir, 'node_modules/dash-plugin-probe/index.js'))).toBe(true);
    const stray = configFolder(true);
    expect(needsHostCore(join(stray, 'node_modules/dash-plugin-probe/index.js'))).toBe(true);
  });
});
