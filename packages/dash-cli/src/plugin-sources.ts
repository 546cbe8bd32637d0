import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoPlugin, type PluginSources } from 'dash-core/host';
import { BUILTIN_OUTPUTS } from './outputs/registry.js';

/**
 * Where dash-cli finds plugins besides the config's folder: the one list of its built-ins (the
 * demo backend, the webhook and InfluxDB outputs) and its own install, where the official
 * plugins are found when the config's folder has none. Every command that loads plugins uses it.
 */
export const PLUGIN_SOURCES: Required<PluginSources> = {
  builtins: { demo: demoPlugin },
  builtinOutputs: BUILTIN_OUTPUTS,
  fallbackDirs: [dirname(fileURLToPath(import.meta.url))],
};
