import { join } from 'node:path';
import type { Weekday } from '../calendar.js';
import type { Logger } from '../logger.js';
import type { BackendContext } from '../plugin.js';
import type { Redactor } from '../redact.js';
import type { SourceHandle } from '../store.js';
import { xdgDir } from '../xdg.js';

/** `$XDG_DATA_HOME/dash` (if absolute; else `~/.local/share/dash`): each backend's dataDir is `<this>/<id>`. */
export function dataHome(env: NodeJS.ProcessEnv = process.env): string {
  return xdgDir('XDG_DATA_HOME', env);
}

export interface BackendContextOptions {
  id: string;
  store: SourceHandle;
  /** The host's logger; the context gets a child named after the backend. */
  log: Logger;
  now: () => Date;
  timeZone: string;
  weekStart: Weekday;
  /** Default: the working directory. */
  configDir?: string;
  /** Default: dataHome(). */
  dataHome?: string;
  redactor: Redactor;
}

/**
 * The BackendContext a backend gets: the one PluginHost builds, and the one `dash-cli auth`
 * gives a plugin's sign-in step, so both see the same dataDir and secret masking.
 */
export function createBackendContext(options: BackendContextOptions): BackendContext {
  return {
    id: options.id,
    store: options.store,
    log: options.log.child(options.id),
    now: options.now,
    timeZone: options.timeZone,
    weekStart: options.weekStart,
    configDir: options.configDir ?? process.cwd(),
    dataDir: join(options.dataHome ?? dataHome(), options.id),
    secret: (value) => {
      options.redactor.add(value);
    },
  };
}
