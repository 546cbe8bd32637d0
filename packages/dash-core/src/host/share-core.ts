import { realpathSync } from 'node:fs';
import { register } from 'node:module';
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
