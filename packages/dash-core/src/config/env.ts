import type { ConfigIssue } from '../errors.js';

const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/** One `${VAR}` that was replaced by a value from the environment. */
export interface Substitution {
  /** Where: `backends[0].api_token` style. */
  path: string;
  name: string;
  value: string;
}

export interface Substituted<T> {
  value: T;
  issues: ConfigIssue[];
  /** Every `${VAR}` replaced by a value from the environment (not by its default). */
  substitutions: Substitution[];
}

/**
 * Replaces `${VAR}` (and `${VAR:-default}`) in every string value of a parsed TOML document.
 * Done after parsing, so a variable can never change the document's structure, and a missing
 * variable is reported with the key it is used in.
 */
export function substituteEnv<T>(document: T, env: NodeJS.ProcessEnv): Substituted<T> {
  const issues: ConfigIssue[] = [];
  const substitutions: Substitution[] = [];
  const walk = (value: unknown, at: string): unknown => {
    if (typeof value === 'string') {
      return value.replace(REFERENCE, (_match, name: string, fallback: string | undefined) => {
        const found = env[name];
        if (found !== undefined && found !== '') {
          substitutions.push({ path: at, name, value: found });
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
  return { value: walk(document, '') as T, issues, substitutions };
}
