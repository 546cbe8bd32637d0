/**
 * Every error Dash raises on purpose is a DashError with a stable `code`.
 * User errors (bad config, missing plugin, auth) are printed without a stack trace;
 * anything else is an internal error.
 */
export type DashErrorCode =
  | 'CONFIG_NOT_FOUND'
  | 'CONFIG_PARSE'
  | 'CONFIG_INVALID'
  | 'CONFIG_UNTRUSTED'
  | 'ENV_MISSING'
  | 'PLUGIN_NOT_FOUND'
  | 'PLUGIN_INVALID'
  | 'PLUGIN_API_MISMATCH'
  | 'PLUGIN_OPTIONS_INVALID'
  | 'BACKEND_FAILED'
  | 'BACKEND_TIMEOUT'
  | 'AUTH_REQUIRED'
  | 'RATE_LIMITED'
  | 'NETWORK'
  | 'BAD_RESPONSE'
  | 'USAGE'
  | (string & {});

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
