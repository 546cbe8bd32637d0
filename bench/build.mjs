// Compiles TypeScript sources the bench needs that are not in any package's dist (the watch
// renderer, the Toggl backend with its test hooks, the fake Toggl) with esbuild, tsup's own
// compiler. Output goes to bench/.build (inside the repo, so `blessed` etc. resolve).
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './lib.mjs';

export const BUILD_DIR = join(ROOT, 'bench/.build');

export async function bundle(name, entry, { external = [] } = {}) {
  const { build } = await import('esbuild');
  mkdirSync(BUILD_DIR, { recursive: true });
  const outfile = join(BUILD_DIR, `${name}.mjs`);
  await build({
    entryPoints: [join(ROOT, entry)],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external,
    logLevel: 'silent',
    alias: {
      'dash-core/testing': join(ROOT, 'packages/dash-core/src/testing/index.ts'),
      'dash-core/snapshot': join(ROOT, 'packages/dash-core/src/snapshot/index.ts'),
      'dash-core/host': join(ROOT, 'packages/dash-core/src/host/index.ts'),
      'dash-core': join(ROOT, 'packages/dash-core/src/index.ts'),
    },
    banner: { js: "import { createRequire as __benchRequire } from 'node:module'; const require = __benchRequire(import.meta.url);" },
  });
  return import(pathToFileURL(outfile).href);
}

export function cleanBuild() {
  rmSync(BUILD_DIR, { recursive: true, force: true });
}
