/**
 * A fresh clone, as a newcomer gets it: `npm install` (or `npm ci`) links `dash-cli` at once and
 * leaves the tree clean, installs without warnings, `npm start` does not rebuild what is built,
 * and CI runs every test while a machine without tmux or timewarrior skips theirs.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO } from './support/cli.js';
import { missingTools } from './support/tools.js';
import { inherited } from './support/env.js';

const LAUNCHER = join(REPO, 'packages/dash-cli/bin/dash-cli.cjs');
const WORKSPACES = ['packages/dash-core', 'packages/dash-cli', 'packages/dash-plugin-toggl', 'packages/dash-plugin-upwork', 'examples/dash-plugin-timewarrior'];
const json = (file: string) => JSON.parse(readFileSync(join(REPO, file), 'utf8'));
const lock = json('package-lock.json') as { packages: Record<string, { optionalDependencies?: Record<string, string>; hasInstallScript?: boolean; version?: string }> };

const temp: string[] = [];
afterAll(() => temp.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dash-newcomer-'));
  temp.push(dir);
  return dir;
}

describe('npm install links dash-cli at once', () => {
  it('every bin of every package is a committed file, not a build output', () => {
    const committed = execFileSync('git', ['ls-files'], { cwd: REPO, encoding: 'utf8' }).split('\n');
    for (const dir of WORKSPACES) {
      const bins = Object.values((json(`${dir}/package.json`) as { bin?: Record<string, string> }).bin ?? {});
      for (const bin of bins) expect(committed, `${dir}: bin ${bin}`).toContain(join(dir, bin));
    }
    expect(json('packages/dash-cli/package.json').bin).toEqual({ 'dash-cli': 'bin/dash-cli.cjs' });
  });

  it('npx dash-cli --version works from the repository root', () => {
    const result = spawnSync('npx', ['--no-install', 'dash-cli', '--version'], { cwd: REPO, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(`${json('packages/dash-cli/package.json').version}\n`);
    expect(result.status).toBe(0);
  });

  it('in a checkout with nothing built, the launcher builds first (messages on stderr), then runs the command', () => {
    const root = tempDir();
    mkdirSync(join(root, 'packages/dash-cli/bin'), { recursive: true });
    mkdirSync(join(root, 'packages/dash-cli/src'), { recursive: true });
    mkdirSync(join(root, 'scripts'));
    copyFileSync(LAUNCHER, join(root, 'packages/dash-cli/bin/dash-cli.cjs'));
    writeFileSync(join(root, 'packages/dash-cli/src/bin.ts'), '');
    // Stands in for scripts/build.mjs: records its arguments and writes the executable.
    writeFileSync(
      join(root, 'scripts/build.mjs'),
      `import { mkdirSync, writeFileSync } from 'node:fs';
console.log('building', process.argv.slice(2).join(' '));
mkdirSync(new URL('../packages/dash-cli/dist', import.meta.url), { recursive: true });
writeFileSync(new URL('../packages/dash-cli/dist/bin.cjs', import.meta.url), "process.stdout.write('ran ' + process.argv.slice(2).join(' ') + '\\\\n');");
`,
    );
    const first = spawnSync(process.execPath, [join(root, 'packages/dash-cli/bin/dash-cli.cjs'), 'snapshot', '--json'], { encoding: 'utf8' });
    expect(first).toMatchObject({ status: 0, stdout: 'ran snapshot --json\n', stderr: 'building --if-stale --no-dts\n' });
    const second = spawnSync(process.execPath, [join(root, 'packages/dash-cli/bin/dash-cli.cjs'), 'doctor'], { encoding: 'utf8' });
    expect(second).toMatchObject({ status: 0, stdout: 'ran doctor\n', stderr: '' });
  });

  it('installed from npm without its dist, it says so and exits 1 (it never tries to build)', () => {
    const root = tempDir();
    const bin = join(root, 'node_modules/dash-cli/bin/dash-cli.cjs');
    mkdirSync(join(root, 'node_modules/dash-cli/bin'), { recursive: true });
    copyFileSync(LAUNCHER, bin);
    chmodSync(bin, 0o755);
    const result = spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`dash-cli: ${join(root, 'node_modules/dash-cli/dist/bin.cjs')} is missing; try reinstalling dash-cli\n`);
  });
});

describe('the committed lock file', () => {
  it('records the optional per-platform packages of every package that has them (npm ci accepts it, npm install keeps it)', () => {
    const withOptional = Object.entries(lock.packages).filter(([, entry]) => entry.optionalDependencies);
    expect(withOptional.map(([path]) => path)).toEqual(expect.arrayContaining(['node_modules/rollup', 'node_modules/esbuild']));
    for (const [path, entry] of withOptional) {
      for (const name of Object.keys(entry.optionalDependencies!)) {
        const recorded = lock.packages[`${path}/node_modules/${name}`] ?? lock.packages[`node_modules/${name}`];
        expect(recorded, `${path} → ${name}`).toBeDefined();
      }
    }
  });

  it('every dependency with an install script is decided in allowScripts (npm 11 installs without a warning)', () => {
    const allowScripts = json('package.json').allowScripts as Record<string, boolean>;
    const scripted = Object.entries(lock.packages).filter(([, entry]) => entry.hasInstallScript).map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length));
    expect(scripted).toEqual(['esbuild']);
    for (const name of scripted) expect(allowScripts, name).toHaveProperty(name);
  });
});

describe('npm start', () => {
  it('builds nothing and prints nothing when the packages are already built', () => {
    // npm test has just built everything (with type declarations), so the start build is fresh.
    const started = Date.now();
    // --check: what --if-stale decides, without building (a build here would pull dist from under
    // the tests running beside this one).
    const result = spawnSync(process.execPath, [join(REPO, 'scripts/build.mjs'), '--check', '--no-dts'], { cwd: REPO, encoding: 'utf8' });
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(result).toMatchObject({ status: 0, stdout: '', stderr: '' });
    expect(json('package.json').scripts.start).toBe('node scripts/build.mjs --if-stale --no-dts && node packages/dash-cli/dist/bin.cjs watch --demo');
  });
});

describe('tests that need tmux or timewarrior', () => {
  it('are skipped with the apt-get line when the program is missing', () => {
    expect(missingTools([{ program: 'no-such-program-dash', aptPackage: 'no-such-package' }])).toBe('needs no-such-program-dash: apt-get install no-such-package');
    expect(missingTools([{ program: 'node', aptPackage: 'nodejs' }])).toBeUndefined();
  });

  it('fail instead in CI: .ci/run installs them, sets DASH_REQUIRE_TOOLS=1 and installs the lock with npm ci', () => {
    const ci = readFileSync(join(REPO, '.ci/run'), 'utf8');
    expect(ci).toMatch(/apt-get install .*"\$\{missing\[@\]\}"/);
    expect(ci).toMatch(/^npm ci /m);
    // ...then `npm install` as the README says, which must leave the fresh clone as committed.
    expect(ci.indexOf('\nnpm ci ')).toBeLessThan(ci.indexOf('\nnpm install '));
    expect(ci).toContain('if [ -n "$(git status --porcelain)" ]; then');
    expect(ci).toMatch(/^export DASH_REQUIRE_TOOLS=1$/m);
  });

  it('with DASH_REQUIRE_TOOLS=1 a missing program fails the test, naming the apt-get line', () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'needs.test.ts'),
      `import { itWith } from ${JSON.stringify(join(REPO, 'test/support/tools.ts'))};\nitWith([{ program: 'no-such-program-dash', aptPackage: 'no-such-package' }], 'drives it', () => {});\n`,
    );
    writeFileSync(join(dir, 'vitest.config.mjs'), 'export default {};\n');
    const vitest = join(REPO, 'node_modules/vitest/vitest.mjs');
    const run = (env: Record<string, string>) =>
      spawnSync(process.execPath, [vitest, 'run', 'needs.test.ts'], { cwd: dir, encoding: 'utf8', env: { ...inherited(), HOME: dir, NO_COLOR: '1', ...env } });
    const skipped = run({});
    expect(skipped.status).toBe(0);
    expect(skipped.stdout).toMatch(/Tests\s+1 skipped/);
    expect(skipped.stdout + skipped.stderr).toContain('skipping tests: needs no-such-program-dash: apt-get install no-such-package');
    const required = run({ DASH_REQUIRE_TOOLS: '1' });
    expect(required.status).toBe(1);
    expect(required.stdout + required.stderr).toContain('DASH_REQUIRE_TOOLS=1 and this test needs no-such-program-dash: apt-get install no-such-package');
  }, 30_000);
});
