import { realpathSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { dirname, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * One dash-core for every plugin: the host's. A plugin imports 'dash-core' (and 'dash-core/testing',
 * ...) as a peer; wherever it is installed (the config's folder with its own node_modules lacking
 * dash-core, a global prefix, npx's cache) Node would look for it next to the plugin and fail, or
 * find a second copy. A module resolve hook answers those imports, from the plugin's files only,
 * with the host's own dash-core (resolved as dash-core resolves itself: package self-reference).
 *
 * `module.register` (Node ≥ 20.6; 22; 24) runs its hooks on a separate thread; each call adds a hook
 * that knows its plugin folders from `data` (delivered before `register` returns). The hook is a
 * data: URL so it needs no file of its own in dist/ and works the same from source.
 */
const HOOK_SOURCE = `
let host;
let roots = [];
export function initialize(data) {
  host = data.host;
  roots = data.roots;
}
export function resolve(specifier, context, nextResolve) {
  if ((specifier === 'dash-core' || specifier.startsWith('dash-core/')) && typeof context.parentURL === 'string' && roots.some((root) => context.parentURL.startsWith(root))) {
    return nextResolve(specifier, { ...context, parentURL: host });
  }
  return nextResolve(specifier, context);
}
`;
const HOOK_URL = `data:text/javascript,${encodeURIComponent(HOOK_SOURCE)}`;

/** A file of the host's dash-core: 'dash-core' resolved from here is the host's own copy. */
const HOST_ANCHOR = import.meta.url;

/** Plugin folders (file URLs ending in "/") whose 'dash-core' imports are already redirected. */
const shared = new Set<string>();

/** The file 'dash-core' resolves to from `from` (a path or file URL; realpath), or undefined when it does not resolve. */
function coreFrom(from: string): string | undefined {
  try {
    return realpathSync(createRequire(from).resolve('dash-core'));
  } catch {
    return undefined;
  }
}

let hostCore: string | undefined | null = null;

/**
 * Whether a plugin file would get another dash-core than the host's (or none) on its own. Most do
 * not (the official plugins, a plugin inside the CLI's own tree): they need no hook, and the hook's
 * thread (tens of ms to start) is not started for them.
 */
export function needsHostCore(file: string): boolean {
  if (hostCore === null) hostCore = coreFrom(HOST_ANCHOR);
  return hostCore === undefined || coreFrom(file) !== hostCore;
}

/** The folder whose files count as the plugin's: its package, or the folder of a one-file plugin. */
export function pluginRoot(file: string, packageDir: string | undefined): string {
  let dir = packageDir ?? dirname(file);
  try {
    // Node's ESM loader names a module by its real path (symlinks resolved).
    dir = realpathSync(dir);
  } catch {
    // Not there (yet): the import will say so.
  }
  return pathToFileURL(dir.endsWith(sep) ? dir : `${dir}${sep}`).href;
}

/**
 * Makes 'dash-core' imports from files under these plugin folders resolve to the host's dash-core.
 * Call before importing the plugins. Returns false when this Node has no module.register (or it
 * refused), so the caller's import falls back to Node's own resolution.
 */
export function shareHostCore(roots: readonly string[]): boolean {
  const fresh = [...new Set(roots)].filter((root) => !shared.has(root));
  if (fresh.length === 0) return true;
  if (typeof register !== 'function') return false;
  try {
    register(HOOK_URL, { data: { host: HOST_ANCHOR, roots: fresh } });
  } catch {
    return false;
  }
  for (const root of fresh) shared.add(root);
  return true;
}
