import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The XDG cache folder for dash: $XDG_CACHE_HOME/dash, else ~/.cache/dash. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache'), 'dash');
}

/**
 * The cache file for one config: one file per config file, named by a hash of its absolute path
 * (`key`), so two configs never share (or fight over) a cache.
 */
export function cacheFileFor(key: string, env: NodeJS.ProcessEnv = process.env): string {
  const digest = createHash('sha256').update(key).digest('hex').slice(0, 16);
  return join(cacheDir(env), `store-${digest}.json`);
}
