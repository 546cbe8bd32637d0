#!/usr/bin/env node
// The `dash-cli` command. This file is committed, not built, so that npm can link the command at
// install time, before dist/ exists; it only loads the built executable, dist/bin.cjs (see
// src/bin.ts). In a checkout of the Dash repository whose packages are not built yet, it builds
// them first (once; the build's messages go to stderr, so stdout stays the command's).
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const built = join(__dirname, '..', 'dist', 'bin.cjs');
if (!existsSync(built)) {
  const build = join(__dirname, '..', '..', '..', 'scripts', 'build.mjs');
  // src/ is not published: only a checkout has both.
  if (!existsSync(join(__dirname, '..', 'src', 'bin.ts')) || !existsSync(build)) {
    process.stderr.write(`dash-cli: ${built} is missing; try reinstalling dash-cli\n`);
    process.exit(1);
  }
  const { spawnSync } = require('node:child_process');
  const result = spawnSync(process.execPath, [build, '--if-stale', '--no-dts'], { stdio: ['ignore', 2, 2] });
  if (result.status !== 0 || !existsSync(built)) process.exit(1);
}
require(built);
