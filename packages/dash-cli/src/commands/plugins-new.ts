/**
 * `dash-cli plugins new <name>`: scaffolds a plugin package in ./dash-plugin-<name> that passes its
 * own `npm test` at once: package.json (ESM, dash-core as a peer and dev dependency, keyword
 * dash-plugin, `node --test`), index.js (defineBackendPlugin: entries from a JSON file), a contract
 * test with dash-core/testing, a README. Nothing is installed: it prints the next steps.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { DashError } from 'dash-core';
import { EXIT, type ExitCode } from '../exit-codes.js';

export interface PluginsNewOptions {
  /** Where to create the package folder (default: the current folder). */
  dir?: string;
}

const NAME = /^[a-z0-9][a-z0-9._-]*$/;

/** The host's dash-core: its version (the peer range) and folder (to install it from before it is published). */
function hostCore(): { version: string; dir: string } {
  const manifest = createRequire(import.meta.url).resolve('dash-core/package.json');
  return { version: (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version, dir: dirname(manifest) };
}

/** The files of a new plugin package, by path. */
export function pluginFiles(name: string, coreVersion: string): Record<string, string> {
  const pkg = `dash-plugin-${name}`;
  const range = `^${coreVersion}`;
  return {
    'package.json': `${JSON.stringify(
      {
        name: pkg,
        version: '0.1.0',
        description: `Dash plugin: time from ${name}`,
        type: 'module',
        main: 'index.js',
        exports: './index.js',
        files: ['index.js'],
        keywords: ['dash-plugin'],
        engines: { node: '>=20.19' },
        scripts: { test: 'node --test' },
        peerDependencies: { 'dash-core': range },
        devDependencies: { 'dash-core': range },
      },
      null,
      2,
    )}\n`,
    'index.js': `import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { DASH_PLUGIN_API_VERSION, DashError, defineBackendPlugin, z } from 'dash-core';

/**
 * ${pkg}: reads time entries from a JSON file (an array of { id, start, end, description, project }).
 * Replace the reading with your source (a web service, a program's files); keep the rest.
 */
export default defineBackendPlugin({
  name: '${pkg}',
  version: '0.1.0',
  apiVersion: DASH_PLUGIN_API_VERSION,
  description: 'Time from ${name}',

  // The keys of its [[backends]] table (besides plugin and id). Unknown keys are errors.
  optionsSchema: z.strictObject({
    file: z.string().min(1),
    billable: z.boolean().default(false),
  }),

  createBackend(options, context) {
    // Relative paths in options are relative to the config file.
    const file = resolve(context.configDir, options.file);
    return {
      // Read [from, to) and push it into the store.
      async sync({ from, to, signal }) {
        let items;
        try {
          items = JSON.parse(await readFile(file, { encoding: 'utf8', signal }));
        } catch (error) {
          if (error.code !== 'ENOENT') throw error;
          throw new DashError('${name.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_FILE_NOT_FOUND', \`no file at \${file}\`, { hint: 'create it, or fix file = "…" in the config' });
        }
        const entries = [];
        let running = null;
        for (const item of items) {
          const entry = {
            id: String(item.id),
            start: item.start,
            end: item.end ?? null,
            description: item.description ?? '',
            ...(item.project ? { project: { key: item.project, name: item.project } } : {}),
            billable: options.billable,
          };
          if (entry.end === null) running = entry;
          else if (Date.parse(entry.start) < to.getTime() && Date.parse(entry.end) > from.getTime()) entries.push(entry);
        }
        context.store.replaceRange({ from, to }, entries);
        context.store.setRunning(running);
      },
    };
  },
});
`,
    'test/plugin.test.js': `import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { testBackendPlugin } from 'dash-core/testing';
import plugin from '../index.js';

testBackendPlugin(plugin, {
  describe,
  // node:test takes its timeout in an options object.
  it: (name, body, timeout) => it(name, { timeout }, body),
  validOptions: [{ file: 'entries.json' }, { file: '/tmp/entries.json', billable: true }],
  invalidOptions: [
    { options: {}, path: 'file' },
    { options: { file: 'x', billable: 'yes' }, path: 'billable' },
    { options: { file: 'x', colour: 'red' } },
  ],
  sync: {
    now: '2026-11-20T12:00:00Z',
    minEntries: 2,
    setup() {
      const dir = mkdtempSync(join(tmpdir(), '${pkg}-'));
      const entries = [
        { id: 1, start: '2026-11-16T08:00:00Z', end: '2026-11-16T11:45:00Z', description: 'Checkout redesign', project: 'acme' },
        { id: 2, start: '2026-11-20T09:00:00Z', end: null, description: 'Launch prep', project: 'acme' },
      ];
      writeFileSync(join(dir, 'entries.json'), JSON.stringify(entries));
      return { options: { file: join(dir, 'entries.json') }, teardown: () => rmSync(dir, { recursive: true }) };
    },
  },
});
`,
    'README.md': `# ${pkg}

A [Dash](https://github.com/dash-time/dash) plugin: time from ${name}.

## Install

Next to your Dash config (\`~/.config/dash/\`):

\`\`\`sh
npm install ${pkg}
\`\`\`

## Configure

\`\`\`toml
[[backends]]
plugin = "${name}"
file = "entries.json"   # relative to the config file
billable = false        # optional
\`\`\`

| option | type | default | meaning |
| --- | --- | --- | --- |
| \`file\` | string | (required) | the JSON file to read, relative to the config file |
| \`billable\` | boolean | \`false\` | mark every entry billable |

## Develop

\`\`\`sh
npm install
npm test
\`\`\`

\`npm test\` runs Dash's plugin contract (dash-core/testing) against the plugin. See
docs/writing-a-plugin.md in the Dash repository for the whole contract.
`,
    '.gitignore': 'node_modules/\n',
  };
}

export function runPluginsNew(rawName: string, options: PluginsNewOptions = {}): ExitCode {
  const name = rawName.trim().replace(/^dash-plugin-/, '');
  if (!NAME.test(name)) {
    throw new DashError('USAGE', `"${rawName}" is not a plugin name: lower-case letters, digits, "-", "." and "_", starting with a letter or digit`, {
      hint: 'e.g. dash-cli plugins new worklog (creates ./dash-plugin-worklog)',
    });
  }
  const target = resolve(options.dir ?? '.', `dash-plugin-${name}`);
  if (existsSync(target)) {
    throw new DashError('USAGE', `${target} already exists; nothing was written`, { hint: 'pick another name, or remove the folder first' });
  }
  const core = hostCore();
  const files = pluginFiles(name, core.version);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(target, path)), { recursive: true });
    writeFileSync(join(target, path), text, { flag: 'wx' });
  }
  const shown = relative(process.cwd(), target) || '.';
  process.stdout.write(
    [
      `created ${target}: ${Object.keys(files).join(', ')}`,
      '',
      'next:',
      `  cd ${shown.startsWith('..') ? target : shown}`,
      '  npm install',
      '  npm test',
      '',
      `until dash-core is published, install it from this dash-cli instead of npm install:`,
      `  npm install --save-dev ${core.dir}`,
      '',
    ].join('\n'),
  );
  return EXIT.ok;
}
