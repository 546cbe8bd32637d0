import { homedir } from 'node:os';
import { join } from 'node:path';

/** The XDG cache folder for dash: $XDG_CACHE_HOME/dash, else ~/.cache/dash. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache'), 'dash');
}
