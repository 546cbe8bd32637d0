import { pathToFileURL } from 'node:url';
import type { LoadedConfig, OutputConfig } from '../config/load.js';
import { withPosition } from '../config/load.js';
import { ConfigError, type ConfigIssue } from '../errors.js';
import type { OutputPlugin } from '../output.js';
import { DASH_PLUGIN_API_VERSION } from '../plugin.js';
import { Redactor } from '../redact.js';
import { loadFailure, pathOf } from './prepare.js';
import { normalizePluginName, resolvePlugin } from './resolve.js';
import { backendSecrets, isSecretPath, unquotedIssueMessage } from './secrets.js';

/** An [[outputs]] entry whose plugin is loaded and whose options passed the plugin's schema. */
export interface PreparedOutput {
  config: OutputConfig;
  plugin: OutputPlugin<unknown>;
  /** The options as the plugin's schema returned them (defaults applied). */
  options: unknown;
  /** Where the plugin came from: a file, or "built-in". */
  path: string;
}

export interface PrepareOutputsOptions {
  /** Outputs that ship with the CLI, by the name used in config, loaded only when a config names them. */
  builtins?: Readonly<Record<string, () => Promise<unknown>>>;
  /** Folders to resolve packages from after the config's own (the CLI's install). */
  fallbackDirs?: readonly string[];
}

/** The output a loaded module provides: its `output` export (next to a backend's default), else its default export. */
function outputOf(module: Record<string, unknown>): unknown {
  return module.output ?? module.default ?? module;
}

/** Checks a loaded value is an output plugin this host can run; returns what is wrong, if anything. */
export function checkOutputPluginShape(value: unknown, label: string): { plugin?: OutputPlugin<unknown>; problem?: string } {
  const plugin = value as Partial<OutputPlugin<unknown>> | null;
  const how =
    'an output plugin exports `output` (or default-exports) defineOutputPlugin({ name, apiVersion, optionsSchema, createOutput }) (see docs/writing-a-plugin.md, "Outputs")';
  if (!plugin || typeof plugin !== 'object') return { problem: `${label} does not export an output plugin object; ${how}` };
  const missing = [
    typeof plugin.name !== 'string' && 'name (string)',
    typeof plugin.apiVersion !== 'number' && 'apiVersion (number)',
    (typeof plugin.optionsSchema !== 'object' || plugin.optionsSchema === null || !('~standard' in plugin.optionsSchema)) &&
      'optionsSchema (a zod or other Standard Schema)',
    typeof plugin.createOutput !== 'function' && 'createOutput (function)',
  ].filter(Boolean);
  if (missing.length > 0) return { problem: `${label} is not a valid Dash output: missing ${missing.join(', ')}; ${how}` };
  if (plugin.apiVersion !== DASH_PLUGIN_API_VERSION) {
    const newer = plugin.apiVersion! > DASH_PLUGIN_API_VERSION;
    return {
      problem:
        `${label} was written for Dash plugin API v${plugin.apiVersion}, this Dash speaks v${DASH_PLUGIN_API_VERSION}: ` +
        (newer ? 'upgrade dash-cli (npm install -g dash-cli@latest)' : `upgrade the plugin (npm install ${plugin.name}@latest)`),
    };
  }
  return { plugin: plugin as OutputPlugin<unknown> };
}

async function validateOutputOptions(plugin: OutputPlugin<unknown>, output: OutputConfig): Promise<{ value?: unknown; issues: ConfigIssue[] }> {
  const result = await plugin.optionsSchema['~standard'].validate(output.options);
  if (!result.issues) return { value: result.value, issues: [] };
  const secretOptions = plugin.secretOptions ?? [];
  return {
    issues: result.issues.map((issue) => {
      const at = pathOf(issue.path);
      const unknownKey = /^Unrecognized keys?: (.*)$/.exec(issue.message);
      if (unknownKey) return { path: `outputs[${output.index}]`, message: `unknown key ${unknownKey[1]} for the ${plugin.name} output (see its documentation for the options)` };
      const required = /expected .*, received undefined/.test(issue.message);
      const key = at.replace(/^\./, '').split(/[.[]/)[0]!;
      const message = unquotedIssueMessage(issue.message, key, output.options[key], isSecretPath(at, secretOptions));
      return { path: `outputs[${output.index}]${at}`, message: `${required ? 'required' : message} (option of the ${plugin.name} output)` };
    }),
  };
}

/**
 * Loads every [[outputs]] plugin and validates its options, the way prepareBackends does for
 * backends: built-ins by name, anything else resolved like a backend plugin (a path, or a
 * dash-plugin-* package exporting `output`). Every problem (and the config's own issues about
 * outputs) is reported at once in one ConfigError naming file:line; secrets are added to
 * `config.secrets`.
 */
export async function prepareOutputs(loaded: LoadedConfig, options: PrepareOutputsOptions = {}): Promise<PreparedOutput[]> {
  const { config, text } = loaded;
  const issues: ConfigIssue[] = loaded.issues.filter((issue) => issue.path.startsWith('outputs'));
  const prepared: PreparedOutput[] = [];
  const unsetVariableAt = new Set(issues.filter((issue) => issue.message.startsWith('environment variable ')).map((issue) => issue.path));

  for (const output of config.outputs) {
    const at = `outputs[${output.index}].plugin`;
    const builtin = Object.hasOwn(options.builtins ?? {}, output.plugin) ? options.builtins![output.plugin] : undefined;
    let value: unknown;
    let path = 'built-in';
    try {
      if (builtin) {
        value = outputOf((await builtin()) as Record<string, unknown>);
      } else {
        const { specifier, resolved, searched } = resolvePlugin(output.plugin, config.dir, options.fallbackDirs);
        if (!resolved) {
          const isPath = normalizePluginName(output.plugin).kind === 'path';
          const known = Object.keys(options.builtins ?? {});
          issues.push({
            path: at,
            message: isPath
              ? `output plugin file "${output.plugin}" not found (looked for ${searched[0]})`
              : `output "${output.plugin}" is not built in (${known.join(', ')} are) and ${specifier} is not installed; install it next to the config with: npm install ${specifier}`,
          });
          continue;
        }
        path = resolved.file;
        try {
          value = outputOf((await import(pathToFileURL(resolved.file).href)) as Record<string, unknown>);
        } catch (cause) {
          issues.push({ path: at, message: `output plugin "${output.plugin}" failed to load from ${resolved.file}: ${loadFailure(cause, resolved.file)}` });
          continue;
        }
      }
    } catch (cause) {
      issues.push({ path: at, message: `the ${output.plugin} output cannot be loaded: ${cause instanceof Error ? cause.message : String(cause)}` });
      continue;
    }
    const checked = checkOutputPluginShape(value, `output plugin "${output.plugin}"${path === 'built-in' ? '' : ` (${path})`}`);
    if (!checked.plugin) {
      issues.push({ path: at, message: checked.problem! });
      continue;
    }
    const plugin = checked.plugin;
    const validated = await validateOutputOptions(plugin, output);
    config.secrets.push(...backendSecrets(output, plugin.secretOptions ?? [], validated.value));
    if (validated.issues.length > 0) {
      issues.push(...validated.issues.filter((issue) => !unsetVariableAt.has(issue.path)));
      continue;
    }
    prepared.push({ config: output, plugin, options: validated.value, path });
  }

  if (issues.length > 0) {
    const redactor = new Redactor().add(...config.secrets, ...config.outputs.flatMap((output) => (output.fromEnv ?? []).map((item) => item.value)));
    throw new ConfigError(
      issues.some((issue) => issue.path.endsWith('.plugin') && /not installed|not found/.test(issue.message)) ? 'PLUGIN_NOT_FOUND' : 'CONFIG_INVALID',
      config.file,
      issues.map((issue) => {
        const located = issue.line === undefined ? withPosition(text, issue) : issue;
        return { ...located, message: redactor.redact(located.message) };
      }),
    );
  }
  return prepared;
}
