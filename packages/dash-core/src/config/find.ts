import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { xdgDir } from '../xdg.js';

export interface FindConfigOptions {
  /** `--config PATH`, used as is (an error if missing). */
  explicit?: string | undefined;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export interface FoundConfig {
  /** The file to read, or undefined when none of the candidates exists. */
  file: string | undefined;
  /** Every place that was looked at, in order, for "no config found" messages. */
  searched: string[];
  /** True when the file was named explicitly (--config or $DASH_CONFIG). */
  explicit: boolean;
  /**
   * True when the file is the `./dash.toml` found by looking in the current folder: not the
   * user's own, so its plugins run only once the user has trusted it (see trust.ts).
   */
  inFolder: boolean;
}

/** The XDG config folder for dash: $XDG_CONFIG_HOME/dash (if absolute), else ~/.config/dash. */
export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  return xdgDir('XDG_CONFIG_HOME', env);
}

/**
 * Where the config is: `--config PATH`, else `$DASH_CONFIG`, else `./dash.toml`, else
 * `$XDG_CONFIG_HOME/dash/config.toml` (`~/.config/dash/config.toml`).
 */
export function findConfig(options: FindConfigOptions = {}): FoundConfig {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const named = options.explicit ?? (env.DASH_CONFIG || undefined);
  if (named !== undefined) {
    const file = resolve(cwd, named);
    return { file, searched: [file], explicit: true, inFolder: false };
  }
  const candidates = [resolve(cwd, 'dash.toml'), join(configDir(env), 'config.toml')];
  const file = candidates.find((candidate) => existsSync(candidate));
  return { file, searched: candidates, explicit: false, inFolder: file === candidates[0] };
}
