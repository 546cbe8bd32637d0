import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

export type XdgVariable = 'XDG_CONFIG_HOME' | 'XDG_CACHE_HOME' | 'XDG_DATA_HOME';

const DEFAULTS: Record<XdgVariable, string[]> = {
  XDG_CONFIG_HOME: ['.config'],
  XDG_CACHE_HOME: ['.cache'],
  XDG_DATA_HOME: ['.local', 'share'],
};

/**
 * Dash's folder under an XDG base directory: `$XDG_…/dash`, else the spec's default under HOME.
 * The spec: a value that is not an absolute path is invalid and ignored (as is an empty one).
 */
export function xdgDir(variable: XdgVariable, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[variable];
  const base = value && isAbsolute(value) ? value : join(env.HOME || homedir(), ...DEFAULTS[variable]);
  return join(base, 'dash');
}
