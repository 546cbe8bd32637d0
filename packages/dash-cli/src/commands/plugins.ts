import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  assertTrusted,
  checkPluginShape,
  DashError,
  demoPlugin,
  findConfig,
  loadConfig,
  normalizePluginName,
  jsonText,
  resolvePlugin,
  terminalText,
  type DashConfig,
} from 'dash-core';
import { EXIT, type ExitCode } from '../exit-codes.js';
import type { GlobalOptions } from '../setup.js';

export interface PluginsCommandOptions extends GlobalOptions {
  json?: boolean;
}

/** One configured backend and the plugin it resolved to. */
export interface PluginRow {
  id: string;
  /** As written in the config. */
  plugin: string;
  /** The package name it normalises to ("dash-plugin-toggl"), or the path for a local plugin. */
  specifier: string;
  /** package.json name, or the plugin object's own name. */
  package: string | null;
  version: string | null;
  /** The file imported, "built-in" or null when not found. */
  path: string | null;
  apiVersion: number | null;
  description: string | null;
  status: 'ok' | 'not-found' | 'invalid' | 'load-failed';
  problem: string | null;
}

/** The CLI's own install, where official plugins are found when the config's folder has none. */
const CLI_DIR = dirname(fileURLToPath(import.meta.url));
const BUILTINS: Record<string, typeof demoPlugin> = { demo: demoPlugin };

/** Resolves and loads (without running) the plugin of every [[backends]] entry. */
export async function describePlugins(config: DashConfig): Promise<PluginRow[]> {
  const rows: PluginRow[] = [];
  for (const backend of config.backends) {
    const base = { id: backend.id, plugin: backend.plugin };
    const builtin = BUILTINS[backend.plugin];
    if (builtin) {
      rows.push({
        ...base,
        specifier: backend.plugin,
        package: builtin.name,
        version: builtin.version ?? null,
        path: 'built-in',
        apiVersion: builtin.apiVersion,
        description: builtin.description ?? null,
        status: 'ok',
        problem: null,
      });
      continue;
    }
    const { specifier, resolved, searched } = resolvePlugin(backend.plugin, config.dir, [CLI_DIR]);
    if (!resolved) {
      const isPath = normalizePluginName(backend.plugin).kind === 'path';
      rows.push({
        ...base,
        specifier,
        package: null,
        version: null,
        path: null,
        apiVersion: null,
        description: null,
        status: 'not-found',
        problem: isPath
          ? `not found (looked for ${searched[0]})`
          : `not installed: npm install ${specifier} next to the config (looked in node_modules under ${searched.join(' and ')})`,
      });
      continue;
    }
    const row: PluginRow = {
      ...base,
      specifier,
      package: resolved.packageName ?? null,
      version: resolved.packageVersion ?? null,
      path: resolved.file,
      apiVersion: null,
      description: null,
      status: 'ok',
      problem: null,
    };
    let module: unknown;
    try {
      const imported = (await import(pathToFileURL(resolved.file).href)) as { default?: unknown };
      module = imported.default ?? imported;
    } catch (cause) {
      rows.push({ ...row, status: 'load-failed', problem: `failed to load: ${(cause as Error).message.split('\n')[0]}` });
      continue;
    }
    const checked = checkPluginShape(module, `plugin "${backend.plugin}"`);
    const object = module as { name?: unknown; version?: unknown; apiVersion?: unknown; description?: unknown } | null;
    if (object && typeof object === 'object') {
      if (row.package === null && typeof object.name === 'string') row.package = object.name;
      if (row.version === null && typeof object.version === 'string') row.version = object.version;
      if (typeof object.apiVersion === 'number') row.apiVersion = object.apiVersion;
      if (typeof object.description === 'string') row.description = object.description;
    }
    if (!checked.plugin) {
      row.status = 'invalid';
      row.problem = checked.problem!;
    }
    rows.push(row);
  }
  return rows;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()).join('\n');
}

/** `dash-cli plugins`: every configured backend with the package, version and file it resolves to. */
export async function runPlugins(options: PluginsCommandOptions): Promise<ExitCode> {
  const found = findConfig({ explicit: options.config });
  if (!found.file) {
    throw new DashError('CONFIG_NOT_FOUND', `no config file found (looked at ${found.searched.join(', ')})`, {
      hint: 'create one with `dash-cli init`, or point to one with --config PATH',
    });
  }
  assertTrusted(found);
  const { config, text } = loadConfig(found.file);
  assertTrusted(found, { text });
  const rows = await describePlugins(config);
  if (options.json) {
    process.stdout.write(`${jsonText({ config: config.file, plugins: rows })}\n`);
  } else if (rows.length === 0) {
    process.stdout.write(`${config.file}: no [[backends]] configured (add one; see dash-cli init)\n`);
  } else {
    // A plugin's package.json and its load errors are someone else's text: safe for a terminal.
    const lines = table([
      ['ID', 'PLUGIN', 'PACKAGE', 'VERSION', 'API', 'PATH'],
      ...rows.map((row) =>
        [row.id, row.plugin, row.package ?? '-', row.version ?? '-', row.apiVersion === null ? '-' : `v${row.apiVersion}`, row.path ?? '-'].map(terminalText),
      ),
    ]);
    const problems = rows.filter((row) => row.problem).map((row) => terminalText(`${row.id}: ${row.problem}`));
    process.stdout.write(`${terminalText(config.file ?? '')}\n${lines}\n`);
    if (problems.length > 0) process.stderr.write(`${problems.map((line) => `dash-cli: ${line}`).join('\n')}\n`);
  }
  return rows.some((row) => row.status !== 'ok') ? EXIT.usage : EXIT.ok;
}
