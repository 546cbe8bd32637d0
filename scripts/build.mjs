// Builds every package (tsup), quietly: its log is printed only when the build fails.
//
//   node scripts/build.mjs                      always build, with type declarations (npm run build)
//   node scripts/build.mjs --if-stale           build only when a source is newer than the last build
//   node scripts/build.mjs --if-stale --no-dts  the same, without type declarations (npm start:
//                                               it only runs the CLI; a later build adds them)
//   node scripts/build.mjs --check [--no-dts]   exit 0 when --if-stale would not build, else 1
//
// The last build is recorded in node_modules/.cache/dash-build.json (when, and whether it made type
// declarations); a build with --no-dts never counts as fresh for a caller that needs them.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const root = join(import.meta.dirname, '..');
const stampFile = join(root, 'node_modules/.cache/dash-build.json');
const args = new Set(process.argv.slice(2));
const dts = !args.has('--no-dts');
const packages = readdirSync(join(root, 'packages')).map((name) => join(root, 'packages', name));

/** The newest modification time of every file the build reads. */
function newestInput() {
  let newest = 0;
  const visit = (path) => {
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) return;
    if (stat.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
    else newest = Math.max(newest, stat.mtimeMs);
  };
  for (const dir of packages) for (const name of ['src', 'package.json', 'tsconfig.json']) visit(join(dir, name));
  for (const name of ['tsup.config.ts', 'tsconfig.json', 'package.json', 'package-lock.json', 'scripts/build.mjs']) visit(join(root, name));
  return newest;
}

function fresh() {
  if (!existsSync(stampFile)) return false;
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(stampFile, 'utf8'));
  } catch {
    return false;
  }
  if (dts && !stamp.dts) return false;
  if (!packages.every((dir) => existsSync(join(dir, 'dist')))) return false;
  return stamp.startedAt > newestInput();
}

if (args.has('--check')) process.exit(fresh() ? 0 : 1);
if (args.has('--if-stale') && fresh()) process.exit(0);

// Recorded before the build starts: a source saved during the build makes the next run build again.
const startedAt = Date.now();
if (args.has('--if-stale')) process.stderr.write(`building the packages${dts ? '' : ' (no type declarations)'}…\n`);
await import('./clean-dist.mjs');
const require = createRequire(import.meta.url);
const tsupPackage = require.resolve('tsup/package.json');
const tsupCli = join(dirname(tsupPackage), JSON.parse(readFileSync(tsupPackage, 'utf8')).bin.tsup);
const tsup = spawnSync(process.execPath, [tsupCli], {
  cwd: root,
  env: { ...process.env, DASH_BUILD_DTS: dts ? '1' : '0' },
  encoding: 'utf8',
});
if (tsup.status !== 0) {
  process.stderr.write(tsup.stdout + tsup.stderr);
  process.stderr.write(`build failed (tsup exited ${tsup.status ?? tsup.signal})\n`);
  process.exit(1);
}
mkdirSync(dirname(stampFile), { recursive: true });
writeFileSync(stampFile, `${JSON.stringify({ startedAt, dts })}\n`);
