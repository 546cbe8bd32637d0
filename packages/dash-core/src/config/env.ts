import type { ConfigIssue } from '../errors.js';

const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

export interface Substituted<T> {
  value: T;
  issues: ConfigIssue[];
  /** Values read from the environment where `isSecret` says so: redacted from all output. */
  secrets: string[];
}

/**
 * Replaces `${VAR}` (and `${VAR:-default}`) in every string value of a parsed TOML document.
 * Done after parsing, so a variable can never change the document's structure, and a missing
 * variable is reported with the key it is used in.
 */
export function substituteEnv<T>(document: T, env: NodeJS.ProcessEnv, isSecret: (path: string) => boolean = () => true): Substituted<T> {
  const issues: ConfigIssue[] = [];
  const secrets: string[] = [];
  const walk = (value: unknown, at: string): unknown => {
    if (typeof value === 'string') {
      return value.replace(REFERENCE, (_match, name: string, fallback: string | undefined) => {
        const found = env[name];
        if (found !== undefined && found !== '') {
          if (isSecret(at)) secrets.push(found);
          return found;
        }
        if (fallback !== undefined) return fallback;
        issues.push({
          path: at,
          message: `environment variable ${name} is not set (export ${name}=… or put the value in the file)`,
        });
        return '';
      });
    }
    if (Array.isArray(value)) return value.map((item, index) => walk(item, `${at}[${index}]`));
    if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
      return Object.fromEntries(
        Object.entries(value).map(([key, item]) => [key, walk(item, at ? `${at}.${key}` : key)]),
      );
    }
    return value;
  };
  return { value: walk(document, '') as T, issues, secrets };
}
