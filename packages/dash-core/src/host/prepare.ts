import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import type { BackendConfig, DashConfig, LoadedConfig } from '../config/load.js';
import { withPosition } from '../config/load.js';
import { ConfigError, type ConfigIssue } from '../errors.js';
import { DASH_PLUGIN_API_VERSION, type BackendPlugin } from '../plugin.js';
import { Redactor } from '../redact.js';
import type { StandardSchemaV1 } from '../standard-schema.js';
import { backendSecrets, isSecretPath, unquotedIssueMessage } from './secrets.js';
import { normalizePluginName, resolvePlugin } from './resolve.js';
import { needsHostCore, pluginRoot, shareHostCore } from './share-core.js';
import { closest } from '../suggest.js';

/** A [[backends]] entry whose plugin is loaded and whose options passed the plugin's schema. */
export interface PreparedBackend {
  config: BackendConfig;
  plugin: BackendPlugin<unknown>;
  /** The options as the plugin's schema returned them (defaults applied). */
  options: unknown;
  /** Where the plugin came from: a file, or "built-in". */
  path: string;
  /** package.json name/version, or the plugin object's own. */
  packageName: string;
  version: string | undefined;
}

export interface PrepareOptions {
  /** Plugins that need no install (the demo), by the name used in config. */
  builtins?: Readonly<Record<string, BackendPlugin<unknown>>>;
  /** Folders to resolve packages from after the config's own (the CLI's install). */
  fallbackDirs?: readonly string[];
}

export function pathOf(issuePath: StandardSchemaV1.Issue['path']): string {
  return (issuePath ?? [])
    .map((segment) => (typeof segment === 'object' && segment !== null ? segment.key : segment))
    .map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`))
    .join('');
}

/**
 * Why importing a plugin failed, for a person: a thrown non-Error (a string) as itself, and a
 * syntax error with its file and line. Node's import does not say where a syntax error is, so
 * `node --check` is asked (only then, for the one file).
 */
export function loadFailure(cause: unknown, file: string): string {
  if (!(cause instanceof Error)) return `it threw ${typeof cause === 'string' ? JSON.stringify(cause) : String(cause)}`;
  if (!(cause instanceof SyntaxError)) return cause.message;
  const check = spawnSync(process.execPath, ['--check', file], { encoding: 'utf8', timeout: 10_000 });
  const where = /^(.+):(\d+)$/m.exec(check.stderr ?? '');
  return where ? `${cause.name}: ${cause.message} (${where[1]}:${where[2]})` : `${cause.name}: ${cause.message}`;
}

/** Checks a loaded module is a plugin this host can run; returns what is wrong, if anything. */
export function checkPluginShape(value: unknown, label: string): { plugin?: BackendPlugin<unknown>; problem?: string; code?: string } {
  const plugin = value as Partial<BackendPlugin<unknown>> | null;
  if (!plugin || typeof plugin !== 'object') {
    return { code: 'PLUGIN_INVALID', problem: `${label} does not default-export a plugin object (export default defineBackendPlugin({...}))` };
  }
  const missing = [
    typeof plugin.name !== 'string' && 'name (string)',
    typeof plugin.apiVersion !== 'number' &&
      (plugin.apiVersion === undefined ? 'apiVersion (number)' : `apiVersion as a number (it is ${JSON.stringify(plugin.apiVersion)}, a ${typeof plugin.apiVersion}: write apiVersion: ${DASH_PLUGIN_API_VERSION})`),
    (typeof plugin.optionsSchema !== 'object' || plugin.optionsSchema === null || !('~standard' in plugin.optionsSchema)) &&
      'optionsSchema (a zod or other Standard Schema)',
    typeof plugin.createBackend !== 'function' && 'createBackend (function)',
  ].filter(Boolean);
  if (missing.length > 0) {
    return {
      code: 'PLUGIN_INVALID',
      problem:
        `${label} is not a valid Dash plugin: missing ${missing.join(', ')}; ` +
        'a plugin default-exports defineBackendPlugin({ name, apiVersion, optionsSchema, createBackend }) (see docs/writing-a-plugin.md)',
    };
  }
  if (plugin.apiVersion !== DASH_PLUGIN_API_VERSION) {
    const newer = plugin.apiVersion! > DASH_PLUGIN_API_VERSION;
    return {
      code: 'PLUGIN_API_MISMATCH',
      problem:
        `${label} was written for Dash plugin API v${plugin.apiVersion}, this Dash speaks v${DASH_PLUGIN_API_VERSION}: ` +
        (newer ? 'upgrade dash-cli (npm install -g dash-cli@latest)' : `upgrade the plugin (npm install ${plugin.name}@latest)`),
    };
  }
  return { plugin: plugin as BackendPlugin<unknown> };
}

/** The plugins a short name most likely meant: the official ones and the built-ins. */
const KNOWN_PLUGINS = ['toggl', 'upwork', 'timewarrior'];

/** A plugin shorthand that is a typo of a known one ("togl" → "toggl"), else undefined. */
function misspelt(name: string, builtins: Record<string, unknown> | undefined): string | undefined {
  if (normalizePluginName(name).kind === 'path' || name.includes('/')) return undefined;
  const short = name.replace(/^dash-plugin-/, '');
  const suggestion = closest(short, [...KNOWN_PLUGINS, ...Object.keys(builtins ?? {})]);
  return suggestion && name.startsWith('dash-plugin-') ? `dash-plugin-${suggestion}` : suggestion;
}

async function validateOptions(
  plugin: BackendPlugin<unknown>,
  backend: BackendConfig,
): Promise<{ value?: unknown; issues: ConfigIssue[] }> {
  const result = await plugin.optionsSchema['~standard'].validate(backend.options);
  if (!result.issues) return { value: result.value, issues: [] };
  const secretOptions = plugin.secretOptions ?? [];
  return {
    issues: result.issues.flatMap((issue): ConfigIssue | ConfigIssue[] => {
      const at = pathOf(issue.path);
      const unknownKey = /^Unrecognized keys?: (.*)$/.exec(issue.message);
      if (unknownKey) {
        // One issue per key, at the key's own line (not the [[backends]] line).
        const keys = [...unknownKey[1]!.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((match) => match[1]!);
        return (keys.length > 0 ? keys : [undefined]).map((key) => ({
          path: key === undefined ? `backends[${backend.index}]${at}` : `backends[${backend.index}]${at}.${key}`,
          message: `unknown key ${key === undefined ? unknownKey[1] : JSON.stringify(key)} for ${plugin.name} (see its README for the options)`,
        }));
      }
      const required = /expected .*, received undefined/.test(issue.message);
      // An option's value is never echoed (a token pasted into the wrong key, say).
      const key = at.replace(/^\./, '').split(/[.[]/)[0]!;
      const message = unquotedIssueMessage(issue.message, key, backend.options[key], isSecretPath(at, secretOptions));
      // Say whose option it is: the fix is in that plugin's README, not Dash's.
      return { path: `backends[${backend.index}]${at}`, message: `${required ? 'required' : message} (option of ${plugin.name}; see its README)` };
    }),
  };
}

/** A [[backends]] entry's plugin, found, imported and checked (or why not), options not yet validated. */
export interface LoadedPlugin {
  /** The entry's position in the file (BackendConfig.index). */
  index: number;
  /** The package name the config's name normalises to, or the path as written. */
  specifier: string;
  /** The plugin, when it loaded and is one this host can run. */
  plugin?: BackendPlugin<unknown>;
  /** What the import gave (default export), even when it is not a valid plugin; for `plugins`. */
  module?: unknown;
  /** The file imported, "built-in", or undefined when not found. */
  path: string | undefined;
  packageName: string | undefined;
  version: string | undefined;
  /** Why it cannot be used, at `backends[i].plugin`. */
  issue?: ConfigIssue;
  status: 'ok' | 'not-found' | 'invalid' | 'load-failed' | 'conflict';
}

/**
 * Finds, imports and checks the plugin of every [[backends]] entry, and rejects the same plugin
 * loaded from two places: the one check every command (snapshot, watch, serve, doctor, plugins)
 * runs, so they all accept and reject the same configs. A plugin's 'dash-core' imports get the
 * host's dash-core (see share-core.ts).
 */
export async function loadPlugins(config: DashConfig, options: PrepareOptions = {}): Promise<LoadedPlugin[]> {
  const found = config.backends.map((backend) => {
    const builtin = options.builtins?.[backend.plugin];
    if (builtin) return { backend, builtin, specifier: backend.plugin, resolved: undefined, searched: [] as string[] };
    return { backend, builtin: undefined, ...resolvePlugin(backend.plugin, config.dir, options.fallbackDirs) };
  });
  shareHostCore(found.flatMap(({ resolved }) => (resolved && needsHostCore(resolved.file) ? [pluginRoot(resolved.file, resolved.packageDir)] : [])));
  const results: LoadedPlugin[] = [];
  const origins = new Map<string, string>();
  for (const { backend, builtin, specifier, resolved, searched } of found) {
    const at = `backends[${backend.index}].plugin`;
    const base = { index: backend.index, specifier, packageName: resolved?.packageName, version: resolved?.packageVersion };
    let module: unknown = builtin;
    const path = builtin ? 'built-in' : resolved?.file;
    if (!builtin) {
      if (!resolved) {
        const isPath = normalizePluginName(backend.plugin).kind === 'path';
        const suggestion = misspelt(backend.plugin, options.builtins);
        const message = isPath
          ? `plugin file "${backend.plugin}" not found (looked for ${searched[0]})`
          : suggestion
            ? `plugin "${backend.plugin}" not found: did you mean "${suggestion}"?`
            : `plugin "${backend.plugin}" (${specifier}) is not installed; install it next to the config with: npm install ${specifier}` +
              ` (looked in node_modules under ${searched.join(' and ')})`;
        results.push({ ...base, path: undefined, status: 'not-found', issue: { path: at, message } });
        continue;
      }
      try {
        const loadedModule = (await import(pathToFileURL(resolved.file).href)) as { default?: unknown };
        module = loadedModule.default ?? loadedModule;
      } catch (cause) {
        const message = `plugin "${backend.plugin}" failed to load from ${resolved.file}: ${loadFailure(cause, resolved.file)}`;
        results.push({ ...base, path, status: 'load-failed', issue: { path: at, message } });
        continue;
      }
    }
    const label = `plugin "${backend.plugin}"${builtin ? '' : ` (${path})`}`;
    const checked = checkPluginShape(module, label);
    if (!checked.plugin) {
      results.push({ ...base, path, module, status: 'invalid', issue: { path: at, message: checked.problem! } });
      continue;
    }
    const plugin = checked.plugin;
    const earlier = origins.get(plugin.name);
    if (earlier !== undefined && earlier !== path) {
      const message = `plugin ${plugin.name} is loaded from two places: ${earlier} and ${path}; install one copy`;
      results.push({ ...base, path, module, status: 'conflict', issue: { path: at, message } });
      continue;
    }
    origins.set(plugin.name, path!);
    results.push({ ...base, path, module, plugin, status: 'ok' });
  }
  return results;
}

/**
 * Loads every backend's plugin and validates its options, collecting every problem in the
 * file (the config's own included) into one ConfigError, before anything starts. `plugins`
 * (from loadPlugins on the whole config) lets a caller prepare the backends one at a time.
 */
export async function prepareBackends(loaded: LoadedConfig, options: PrepareOptions & { plugins?: readonly LoadedPlugin[] } = {}): Promise<PreparedBackend[]> {
  const { config, text } = loaded;
  const issues: ConfigIssue[] = [...loaded.issues];
  const prepared: PreparedBackend[] = [];
  const unsetVariableAt = new Set(loaded.issues.filter((issue) => issue.message.startsWith('environment variable ')).map((issue) => issue.path));
  const plugins = options.plugins ?? (await loadPlugins(config, options));

  for (const backend of config.backends) {
    const found = plugins.find((item) => item.index === backend.index);
    if (!found) throw new Error(`prepareBackends: no loaded plugin for backends[${backend.index}]`);
    if (!found.plugin) {
      issues.push(found.issue!);
      continue;
    }
    const { plugin, path } = found;
    const validated = await validateOptions(plugin, backend);
    if (validated.issues.length > 0) {
      // An option whose ${VAR} is not set is already reported once; the schema's complaint about
      // the empty value it became would say the same again.
      // (An unknown key is reported all the same: its ${VAR} being unset is not why it is wrong.)
      issues.push(...validated.issues.filter((issue) => !unsetVariableAt.has(issue.path) || issue.message.startsWith('unknown key')));
      config.secrets.push(...backendSecrets(backend, plugin.secretOptions ?? []));
      continue;
    }
    config.secrets.push(...backendSecrets(backend, plugin.secretOptions ?? [], validated.value));
    prepared.push({
      config: backend,
      plugin,
      options: validated.value,
      path: path!,
      packageName: found.packageName ?? plugin.name,
      version: found.version ?? plugin.version,
    });
  }

  if (issues.length > 0) {
    // Messages never show a value that came from the environment, secret or not.
    const redactor = new Redactor().add(...config.secrets, ...config.backends.flatMap((backend) => (backend.fromEnv ?? []).map((item) => item.value)));
    throw new ConfigError(
      issues.some((issue) => issue.path.endsWith('.plugin') && /not installed|not found/.test(issue.message))
        ? 'PLUGIN_NOT_FOUND'
        : 'CONFIG_INVALID',
      config.file,
      // A plugin's schema or load error may quote an option's value.
      // In the order of the file: by line (and column), what has no line last.
      issues
        .map((issue) => {
          const located = issue.line === undefined ? withPosition(text, issue) : issue;
          return { ...located, message: redactor.redact(located.message) };
        })
        .map((issue, order) => ({ issue, order }))
        .sort((a, b) => (a.issue.line ?? Infinity) - (b.issue.line ?? Infinity) || (a.issue.column ?? 0) - (b.issue.column ?? 0) || a.order - b.order)
        .map(({ issue }) => issue),
    );
  }
  return prepared;
}
