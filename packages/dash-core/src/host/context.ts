import { join } from 'node:path';
import type { Weekday } from '../calendar.js';
import type { Logger } from '../logger.js';
import type { BackendContext } from '../plugin.js';
import type { Redactor } from '../redact.js';
import type { SourceHandle } from '../store.js';
import { installKey, keyedDigest } from '../install-key.js';
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
  /** The key `fingerprint` digests with; default: this install's (see installKey). */
  key?: Buffer;
}

/**
 * The BackendContext a backend gets: the one PluginHost builds, and the one `dash-cli auth`
 * gives a plugin's sign-in step, so both see the same dataDir and secret masking.
 */
export function createBackendContext(options: BackendContextOptions): BackendContext {
  const home = options.dataHome ?? dataHome();
  let key = options.key;
  return {
    id: options.id,
    store: diagnosedHandle(options.store, options.redactor),
    log: options.log.child(options.id),
    now: options.now,
    timeZone: options.timeZone,
    weekStart: options.weekStart,
    configDir: options.configDir ?? process.cwd(),
    dataDir: join(home, options.id),
    secret: (value) => {
      options.redactor.add(value);
    },
    fingerprint: (text) => keyedDigest((key ??= installKey(home)), text),
  };
}

/**
 * The backend's handle on its source, with the one diagnostic it writes masked: an error's
 * message (shown in the dashboard, the JSON's `sources[].error` and on stderr). Entries, the
 * cursor and everything else are data and pass as they are.
 */
function diagnosedHandle(handle: SourceHandle, redactor: Redactor): SourceHandle {
  const masked = <T extends { message: string } | undefined>(error: T): T => (error ? { ...error, message: redactor.redact(error.message) } : error);
  return {
    ...handle,
    setStatus: (update) => {
      if (update.status === 'error') handle.setStatus({ ...update, error: masked(update.error) });
      else if (update.status === 'rate-limited') handle.setStatus({ ...update, error: masked(update.error) });
      else handle.setStatus(update);
    },
  };
}
