import type { BackendConfig } from '../config/load.js';
import { maskWhole } from '../redact.js';

/** Every string in a value (a string itself, or those inside arrays and tables). */
export function stringLeaves(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (typeof value === 'number' || typeof value === 'bigint') return [String(value)];
  if (Array.isArray(value)) return value.flatMap(stringLeaves);
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) return Object.values(value).flatMap(stringLeaves);
  return [];
}

const URL_WITH_CREDENTIALS = /^[a-z][a-z0-9+.-]*:\/\/([^/?#@]+)@/i;

/** The credentials in a URL (`user:password` of `https://user:password@host`), and the password alone. */
function urlCredentials(text: string): string[] {
  const userinfo = URL_WITH_CREDENTIALS.exec(text.trim())?.[1];
  if (!userinfo) return [];
  const colon = userinfo.indexOf(':');
  const parts = colon === -1 ? [userinfo] : [userinfo, userinfo.slice(colon + 1)];
  return parts.flatMap((part) => {
    try {
      const decoded = decodeURIComponent(part);
      return decoded === part ? [part] : [part, decoded];
    } catch {
      return [part];
    }
  });
}

/** Whether `path` (`api_token`, `auth.key`, `keys[0]`) is the option `key` or inside it. */
function within(path: string, key: string): boolean {
  return path === key || path.startsWith(`${key}.`) || path.startsWith(`${key}[`);
}

/**
 * The secrets of one [[backends]] (or [[outputs]]) entry, the rule diagnostics mask by (see the README):
 * - the value of every option the plugin lists in `secretOptions` (as written and as its
 *   schema returned it), with every `${VAR}` value used in it;
 * - the credentials of a URL in any option (`https://user:password@host`).
 * A `${VAR}` in any other option (a workspace id, a label) is not a secret.
 */
export function backendSecrets(backend: Pick<BackendConfig, 'options' | 'fromEnv'>, secretOptions: readonly string[], validated?: unknown): string[] {
  const secrets = new Set<string>();
  for (const key of secretOptions) {
    for (const value of stringLeaves(backend.options[key])) secrets.add(value).add(value.trim());
    if (validated && typeof validated === 'object') for (const value of stringLeaves((validated as Record<string, unknown>)[key])) secrets.add(value);
    for (const item of backend.fromEnv ?? []) if (within(item.path, key)) secrets.add(item.value);
  }
  for (const value of stringLeaves(backend.options)) for (const credential of urlCredentials(value)) secrets.add(credential);
  secrets.delete('');
  return [...secrets];
}

/** Whether an issue at `path` (`.api_token`, `[0]`) of a backend's options is about a secret option. */
export function isSecretPath(path: string, secretOptions: readonly string[]): boolean {
  const relative = path.replace(/^\./, '');
  return secretOptions.some((key) => within(relative, key));
}

function shapeOf(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return value.length === 0 ? 'an empty string' : `a string of ${[...value].length} characters`;
  if (typeof value === 'number') return 'a number';
  if (typeof value === 'boolean') return 'a boolean';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (value instanceof Date) return 'a date';
  return 'a table';
}

/**
 * A plugin's validation message about option `key`, made unable to echo its value (the user
 * has the file and the line; a token pasted into the wrong key must not reach a terminal or a
 * log): the value is masked where the message quotes it (`"***" is not a duration`). For a
 * secret option, a message that still contains any part of the value is replaced by the
 * value's shape alone.
 */
export function unquotedIssueMessage(message: string, key: string, value: unknown, secret: boolean): string {
  const leaves = [...new Set(stringLeaves(value).flatMap((leaf) => [leaf, leaf.trim()]))].filter((leaf) => leaf !== '');
  let out = message;
  for (const leaf of leaves.sort((a, b) => b.length - a.length)) out = maskWhole(out, leaf);
  if (secret && leaves.some((leaf) => out.includes(leaf))) {
    return `invalid (got ${shapeOf(value)}; the value is not shown because ${key} is a secret)`;
  }
  return out;
}
