import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';

/**
 * How `plugin = "…"` names become packages (Babel's rules, no probing):
 *   "./x.js", "../x", "/abs/x.js"   a file or folder, relative to the config file
 *   "toggl"                         dash-plugin-toggl
 *   "dash-plugin-toggl"             unchanged
 *   "@acme"                         @acme/dash-plugin
 *   "@acme/x"                       @acme/dash-plugin-x
 *   "@acme/dash-plugin-x"           unchanged ("dash-plugin" anywhere after the scope)
 *   "module:some-package"           some-package (no prefixing)
 */
export function normalizePluginName(name: string): { kind: 'path' | 'package'; specifier: string } {
  const value = name.trim();
  if (value.startsWith('.') || isAbsolute(value) || /^[A-Za-z]:[\\/]/.test(value)) return { kind: 'path', specifier: value };
  if (value.startsWith('module:')) return { kind: 'package', specifier: value.slice('module:'.length) };
  if (value.startsWith('@')) {
    const [scope, rest] = value.split('/', 2) as [string, string | undefined];
    if (rest === undefined || rest === '') return { kind: 'package', specifier: `${scope}/dash-plugin` };
    if (rest.includes('dash-plugin')) return { kind: 'package', specifier: value };
    return { kind: 'package', specifier: `${scope}/dash-plugin-${rest}` };
  }
  if (value.startsWith('dash-plugin-') || value === 'dash-plugin') return { kind: 'package', specifier: value };
  return { kind: 'package', specifier: `dash-plugin-${value}` };
}

export interface ResolvedPlugin {
  /** The file to import. */
  file: string;
  /** The package folder (undefined for a single-file plugin). */
  packageDir: string | undefined;
  /** Name and version from package.json, when there is one. */
  packageName: string | undefined;
  packageVersion: string | undefined;
}

interface PackageJson {
  name?: string;
  version?: string;
  main?: string;
  exports?: unknown;
}

function readPackageJson(dir: string): PackageJson | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson;
  } catch {
    return undefined;
  }
}

/** The "." entry of an exports map, ESM-first: import, then node, then default. */
function exportsEntry(exports: unknown): string | undefined {
  if (typeof exports === 'string') return exports;
  if (Array.isArray(exports)) return exports.map(exportsEntry).find((entry) => entry !== undefined);
  if (exports === null || typeof exports !== 'object') return undefined;
  const map = exports as Record<string, unknown>;
  if ('.' in map) return exportsEntry(map['.']);
  for (const condition of ['import', 'node', 'default']) {
    if (condition in map) {
      const found = exportsEntry(map[condition]);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

function packageEntry(packageDir: string): ResolvedPlugin | undefined {
  const json = readPackageJson(packageDir);
  const entry = (json && (exportsEntry(json.exports) ?? json.main)) ?? 'index.js';
  const file = resolve(packageDir, entry);
  if (!existsSync(file)) return undefined;
  return { file, packageDir, packageName: json?.name, packageVersion: json?.version };
}

/** Looks for node_modules/<name> in `from` and every folder above it, as Node does. */
function findPackageDir(name: string, from: string): string | undefined {
  let dir = resolve(from);
  for (;;) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** A local path: a file, or a folder with a package.json or index.js. */
function resolvePath(specifier: string, configDir: string): ResolvedPlugin | undefined {
  const target = resolve(configDir, specifier);
  if (!existsSync(target)) return undefined;
  if (existsSync(join(target, 'package.json')) || existsSync(join(target, 'index.js'))) return packageEntry(target);
  return { file: target, packageDir: undefined, packageName: undefined, packageVersion: undefined };
}

/**
 * Finds a plugin: paths relative to the config file's folder; packages from the config file's
 * folder (and its parents' node_modules), then from each of `fallbackDirs` (the CLI's own install).
 */
export function resolvePlugin(
  name: string,
  configDir: string,
  fallbackDirs: readonly string[] = [],
): { specifier: string; resolved: ResolvedPlugin | undefined; searched: string[] } {
  const { kind, specifier } = normalizePluginName(name);
  if (kind === 'path') {
    return { specifier, resolved: resolvePath(specifier, configDir), searched: [resolve(configDir, specifier)] };
  }
  const searched = [configDir, ...fallbackDirs];
  for (const dir of searched) {
    const packageDir = findPackageDir(specifier, dir);
    const resolved = packageDir && packageEntry(packageDir);
    if (resolved) return { specifier, resolved, searched };
  }
  return { specifier, resolved: undefined, searched };
}
