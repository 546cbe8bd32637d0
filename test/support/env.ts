import { join } from 'node:path';

/**
 * The environment of a CLI under test: HOME and the XDG folders inside `dir`, so it never sees the
 * user's real config, cache or tokens; no colors; `extra` on top.
 */
export function isolatedEnv(dir: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: join(dir, 'home'),
    XDG_CONFIG_HOME: join(dir, 'config'),
    XDG_DATA_HOME: join(dir, 'data'),
    XDG_CACHE_HOME: join(dir, 'cache'),
    XDG_STATE_HOME: join(dir, 'state'),
    NO_COLOR: '1',
    ...extra,
  };
}
