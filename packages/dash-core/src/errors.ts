/**
 * Every error Dash raises on purpose is a DashError with a stable `code`, and every code is in
 * this one table with its kind: what the user can do about it, which decides how it is shown and
 * the exit code (dash-cli's report.ts). A plugin's own codes are namespaced, `<plugin>:<CODE>`
 * (e.g. `watson:FRAMES_LOCKED`), and are backend errors.
 *
 * - user: the command line was wrong (exit 2) · config: the config or a plugin in it is (exit 2)
 * - auth: a backend needs sign-in (exit 4) · backend: a backend or service failed (exit 3)
 * - interrupted: Ctrl-C (exit 130) · internal: a bug in Dash (exit 1, stack with --verbose)
 */
export const DASH_ERROR_CODES = {
  USAGE: 'user',
  INTERRUPTED: 'interrupted',
  CONFIG_NOT_FOUND: 'config',
  CONFIG_PARSE: 'config',
  CONFIG_INVALID: 'config',
  CONFIG_UNTRUSTED: 'config',
  PLUGIN_NOT_FOUND: 'config',
  PLUGIN_INVALID: 'config',
  PLUGIN_API_MISMATCH: 'config',
  PLUGIN_OPTIONS_INVALID: 'config',
  AUTH_REQUIRED: 'auth',
  AUTH_FAILED: 'auth',
  PLAN_REQUIRED: 'backend',
  PERMISSION_DENIED: 'backend',
  RATE_LIMITED: 'backend',
  NETWORK: 'backend',
  BAD_RESPONSE: 'backend',
  SERVER_ERROR: 'backend',
  API_ERROR: 'backend',
  BACKEND_FAILED: 'backend',
  BACKEND_TIMEOUT: 'backend',
  BACKEND_CRASHED: 'backend',
  TOKEN_WRITE_FAILED: 'backend',
  /** An output's receiver refused what was sent (a 4xx other than 429): not retried until something changes. */
  OUTPUT_REJECTED: 'backend',
  CACHE_INVALID: 'internal',
  CACHE_WRITE: 'internal',
} as const satisfies Record<string, DashErrorKind>;

export type DashErrorKind = 'user' | 'config' | 'auth' | 'backend' | 'interrupted' | 'internal';

/** A plugin's own code: `<plugin>:<CODE>`. */
export type PluginErrorCode = `${string}:${string}`;

export type DashErrorCode = keyof typeof DASH_ERROR_CODES | PluginErrorCode;

/** The kind of a code (a plugin's own codes are backend errors; an unknown one is internal). */
export function errorKind(code: string): DashErrorKind {
  if (Object.hasOwn(DASH_ERROR_CODES, code)) return DASH_ERROR_CODES[code as keyof typeof DASH_ERROR_CODES];
  return code.includes(':') ? 'backend' : 'internal';
}

export interface DashErrorOptions {
  cause?: unknown;
  /** One line telling the user what to do about it. */
  hint?: string;
}

export class DashError extends Error {
  override name = 'DashError';
  readonly code: DashErrorCode;
  readonly hint: string | undefined;

  constructor(code: DashErrorCode, message: string, options: DashErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.hint = options.hint;
  }

  get isDashError(): true {
    return true;
  }
}

/** Matches by shape, not instanceof: a plugin may bundle another copy of dash-core. */
export function isDashError(error: unknown): error is DashError {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { isDashError?: unknown }).isDashError === true &&
    typeof (error as { code?: unknown }).code === 'string'
  );
}

/** A DashError that carries a config's issues (ConfigError, from this or another copy of dash-core). */
export function isConfigError(error: unknown): error is ConfigError {
  return isDashError(error) && Array.isArray((error as { issues?: unknown }).issues);
}

/** One problem found in a config file; all of them are reported together. */
export interface ConfigIssue {
  /** `backends[1].api_token` style path, empty for the whole document. */
  path: string;
  message: string;
  /** 1-based line in the config file, when it could be located. */
  line?: number;
  column?: number;
}

export class ConfigError extends DashError {
  override name = 'ConfigError';
  readonly file: string | undefined;
  readonly issues: ConfigIssue[];

  constructor(
    code: DashErrorCode,
    file: string | undefined,
    issues: ConfigIssue[],
    options: DashErrorOptions = {},
  ) {
    super(code, formatIssues(file, issues), options);
    this.file = file;
    this.issues = issues;
  }
}

function formatIssues(file: string | undefined, issues: ConfigIssue[]): string {
  return issues
    .map((issue) => {
      const where = [file, issue.line, issue.line === undefined ? undefined : issue.column]
        .filter((part) => part !== undefined)
        .join(':');
      const path = issue.path ? `${issue.path}: ` : '';
      return `${where ? `${where}: ` : ''}${path}${issue.message}`;
    })
    .join('\n');
}
