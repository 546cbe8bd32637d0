import { xdgDir } from '../xdg.js';

/** The XDG cache folder for dash: $XDG_CACHE_HOME/dash (if absolute), else ~/.cache/dash. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return xdgDir('XDG_CACHE_HOME', env);
}
