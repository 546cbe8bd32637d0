import { fileURLToPath } from 'node:url';
import { defineConfig, type Options } from 'tsup';

/** One build per package: ESM, type declarations, dependencies left to npm. */
const shared: Options = {
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  sourcemap: false,
  // Not tsup's clean: two builds share dash-cli/dist. `npm run build` empties every dist first
  // (scripts/clean-dist.mjs).
  clean: false,
  // Type declarations: skipped by `npm start` (scripts/build.mjs --no-dts), which only runs the CLI.
  dts: process.env.DASH_BUILD_DTS !== '0',
  splitting: true,
  treeshake: true,
};

const packages: Options[] = [
  {
    name: 'dash-core',
    entry: {
      index: 'packages/dash-core/src/index.ts',
      host: 'packages/dash-core/src/host/index.ts',
      testing: 'packages/dash-core/src/testing/index.ts',
      // The light subpath (no zod): the CLI's snapshot fast path.
      snapshot: 'packages/dash-core/src/snapshot/index.ts',
    },
    outDir: 'packages/dash-core/dist',
    tsconfig: 'packages/dash-core/tsconfig.json',
  },
  {
    name: 'dash-plugin-toggl',
    entry: { index: 'packages/dash-plugin-toggl/src/index.ts' },
    outDir: 'packages/dash-plugin-toggl/dist',
    tsconfig: 'packages/dash-plugin-toggl/tsconfig.json',
  },
  {
    name: 'dash-plugin-upwork',
    entry: { index: 'packages/dash-plugin-upwork/src/index.ts' },
    outDir: 'packages/dash-plugin-upwork/dist',
    tsconfig: 'packages/dash-plugin-upwork/tsconfig.json',
  },
  {
    name: 'dash-cli',
    entry: { cli: 'packages/dash-cli/src/cli.ts' },
    outDir: 'packages/dash-cli/dist',
    tsconfig: 'packages/dash-cli/tsconfig.json',
    dts: false,
  },
];

/**
 * The `dash-cli` executable (dist/bin.cjs, see packages/dash-cli/src/bin.ts): CommonJS, with the
 * snapshot fast path and dash-core's light subpath bundled in from source, so a status bar's call
 * loads one file and never starts Node's ESM loader (~9 ms of a ~45 ms process). Anything else
 * imports ./cli.js, the ESM build above.
 */
const bin: Options = {
  ...shared,
  name: 'dash-cli-bin',
  format: ['cjs'],
  // watch's first frame (its renderer) in a file of its own: the read commands' start-up never parses it.
  entry: { bin: 'packages/dash-cli/src/bin.ts', 'first-frame': 'packages/dash-cli/src/watch/first-frame.ts' },
  outDir: 'packages/dash-cli/dist',
  outExtension: () => ({ js: '.cjs' }),
  tsconfig: 'packages/dash-cli/tsconfig.json',
  dts: false,
  splitting: false,
  // esbuild's own tree shaking (rollup's, on CommonJS output, only warns about node: imports).
  treeshake: false,
  external: ['./cli.js', './first-frame.cjs'],
  // The human summary's width table too (evaluated only when it prints; string-width, for the
  // rare text that needs it, is required at run time: text-width.ts).
  noExternal: [/^dash-core\/snapshot$/, 'get-east-asian-width'],
  // import.meta.url in CommonJS (text-width.ts requires string-width from it, bin.ts first-frame.cjs).
  shims: true,
  esbuildOptions(options) {
    options.alias = { 'dash-core/snapshot': fileURLToPath(new URL('./packages/dash-core/src/snapshot/index.ts', import.meta.url)) };
  },
};

/** The page script of `dash-cli serve` (packages/dash-cli/web): one file for the browser, inlined in the page. */
const web: Options = {
  ...shared,
  name: 'dash-cli-web',
  format: ['iife'],
  platform: 'browser',
  target: 'es2022',
  entry: { 'web/app': 'packages/dash-cli/web/app.ts' },
  outDir: 'packages/dash-cli/dist',
  outExtension: () => ({ js: '.js' }),
  tsconfig: 'packages/dash-cli/web/tsconfig.json',
  dts: false,
  splitting: false,
  minify: true,
};

export default defineConfig([
  ...packages.map((options) => ({
    ...shared,
    ...options,
    // Every bare import stays an import: packages depend on each other through npm.
    external: [/^[^./]/],
  })),
  bin,
  web,
]);
