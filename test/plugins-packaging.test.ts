/**
 * Every package is publishable as is: `npm pack` holds only what users need, publint finds nothing,
 * each has a README and a LICENSE, plugins peer-depend on dash-core, and changesets is set up to
 * release them independently.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { publint } from 'publint';

const ROOT = resolve(import.meta.dirname, '..');
const PACKAGES = [
  { dir: 'packages/dash-core', shipped: /^dist\// },
  // bin/dash-cli.cjs: the committed launcher npm links at install time (it loads dist/bin.cjs).
  { dir: 'packages/dash-cli', shipped: /^(dist\/|bin\/dash-cli\.cjs$)/ },
  { dir: 'packages/dash-plugin-toggl', shipped: /^dist\//, plugin: true },
  { dir: 'packages/dash-plugin-upwork', shipped: /^dist\//, plugin: true },
  // Plain ESM JavaScript with no build: its src/ is what runs.
  { dir: 'examples/dash-plugin-timewarrior', shipped: /^src\/[\w-]+\.js$/, plugin: true },
];

function packed(dir: string): string[] {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: join(ROOT, dir), encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return (JSON.parse(out) as { files: { path: string }[] }[])[0]!.files.map((file) => file.path).sort();
}

describe.each(PACKAGES)('$dir', ({ dir, shipped, plugin }) => {
  const pkg = JSON.parse(readFileSync(join(ROOT, dir, 'package.json'), 'utf8'));

  it('packs only its code, README, LICENSE and package.json', () => {
    const files = packed(dir);
    expect(files).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'package.json']));
    expect(files.filter((file) => !['LICENSE', 'README.md', 'package.json'].includes(file) && !shipped.test(file))).toEqual([]);
    expect(files.some((file) => shipped.test(file))).toBe(true);
  });

  it('passes publint (no errors, warnings or suggestions)', async () => {
    const { messages } = await publint({ pkgDir: join(ROOT, dir), strict: true, pack: 'npm' });
    expect(messages).toEqual([]);
  });

  it('names its repository, homepage and issue tracker, the same repository as every other package', () => {
    expect(pkg.repository).toEqual({ type: 'git', url: 'git+https://github.com/dash-time/dash.git', directory: dir });
    expect(pkg.homepage).toBe(`https://github.com/dash-time/dash/tree/main/${dir}#readme`);
    expect(pkg.bugs).toEqual({ url: 'https://github.com/dash-time/dash/issues' });
  });

  it('npm publish --dry-run has nothing to correct or warn about', () => {
    const result = spawnSync('npm', ['publish', '--dry-run', '--ignore-scripts'], { cwd: join(ROOT, dir), encoding: 'utf8' });
    expect(result.status).toBe(0);
    // Only a real publish can log in; everything else npm warns about is the package's.
    const warnings = result.stderr.split('\n').filter((line) => /warn/i.test(line) && !/requires you to be logged in/.test(line));
    expect(warnings).toEqual([]);
  });

  it('is ESM with exports, an engines range and a license', () => {
    expect(pkg).toMatchObject({ type: 'module', license: 'MIT', engines: { node: '>=20.19' } });
    expect(pkg.exports).toBeDefined();
  });

  it.runIf(plugin)('is a plugin: dash-core only as a peer (and dev) dependency, keyword dash-plugin', () => {
    expect(pkg.name).toMatch(/^(@[^/]+\/)?dash-plugin-/);
    expect(pkg.peerDependencies?.['dash-core']).toMatch(/^\^0\.1\.0$/);
    expect(pkg.dependencies?.['dash-core']).toBeUndefined();
    expect(pkg.keywords).toContain('dash-plugin');
  });
});

describe('changesets', () => {
  it('releases packages independently, publicly, without bumping plugins whose peer range still holds', () => {
    const config = JSON.parse(readFileSync(join(ROOT, '.changeset/config.json'), 'utf8'));
    expect(config).toMatchObject({ access: 'public', fixed: [], linked: [], ___experimentalUnsafeOptions_WILL_CHANGE_IN_PATCH: { onlyUpdatePeerDependentsWhenOutOfRange: true } });
  });
});
