import { DashError } from 'dash-core';
import {
  assertTrusted,
  findConfig,
  loadConfig,
  loadPlugins,
  jsonText,
  terminalText,
  type DashConfig,
} from 'dash-core/host';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { PLUGIN_SOURCES } from '../plugin-sources.js';
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

/**
 * Resolves and loads (without running) the plugin of every [[backends]] entry, with the same
 * check (dash-core's loadPlugins) and the same messages as snapshot, watch and doctor.
 */
export async function describePlugins(config: DashConfig): Promise<PluginRow[]> {
  const loaded = await loadPlugins(config, PLUGIN_SOURCES);
  return config.backends.map((backend) => {
    const found = loaded.find((item) => item.index === backend.index)!;
    const object = found.module as { name?: unknown; version?: unknown; apiVersion?: unknown; description?: unknown } | null | undefined;
    const own = object && typeof object === 'object' ? object : {};
    return {
      id: backend.id,
      plugin: backend.plugin,
      specifier: found.specifier,
      package: found.packageName ?? (typeof own.name === 'string' ? own.name : null),
      version: found.version ?? (typeof own.version === 'string' ? own.version : null),
      path: found.path ?? null,
      apiVersion: typeof own.apiVersion === 'number' ? own.apiVersion : null,
      description: typeof own.description === 'string' ? own.description : null,
      // A conflict is an invalid config entry, as snapshot and watch say (the JSON's statuses are unchanged).
      status: found.status === 'conflict' ? 'invalid' : found.status,
      problem: found.issue?.message ?? null,
    };
  });
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
