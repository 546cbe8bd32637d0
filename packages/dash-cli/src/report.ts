import { isDashError, terminalLines, type Redactor } from 'dash-core';
import { EXIT, type ExitCode } from './exit-codes.js';

const USER_ERRORS = new Set([
  'CONFIG_NOT_FOUND',
  'CONFIG_PARSE',
  'CONFIG_INVALID',
  'CONFIG_UNTRUSTED',
  'ENV_MISSING',
  'PLUGIN_NOT_FOUND',
  'PLUGIN_INVALID',
  'PLUGIN_API_MISMATCH',
  'PLUGIN_OPTIONS_INVALID',
  'USAGE',
]);

/** The exit code for an error that ended a command. */
export function exitCodeFor(error: unknown): ExitCode {
  if (isDashError(error)) {
    if (USER_ERRORS.has(error.code)) return EXIT.usage;
    if (error.code === 'AUTH_REQUIRED') return EXIT.auth;
    if (error.code === 'INTERRUPTED') return EXIT.interrupted;
  }
  return EXIT.internal;
}

/**
 * Prints an error for a person: user errors as their message and hint, without a stack;
 * anything else as an internal error, with the stack only under --verbose. Secrets masked, and
 * safe for a terminal (a message may quote a backend's text).
 */
export function reportError(error: unknown, options: { verbose?: boolean; redactor?: Redactor } = {}): ExitCode {
  const redact = (text: string) => (options.redactor ? options.redactor.redact(text) : text);
  const code = exitCodeFor(error);
  const lines: string[] = [];
  if (isDashError(error) && code !== EXIT.internal) {
    const [first, ...rest] = error.message.split('\n');
    lines.push(`dash-cli: ${first}`, ...rest.map((line) => `  ${line}`));
    if (error.hint) lines.push(`hint: ${error.hint}`);
  } else {
    const message = error instanceof Error ? error.message : String(error);
    lines.push(`dash-cli: internal error: ${message}`);
    if (options.verbose && error instanceof Error && error.stack) lines.push(error.stack);
    else lines.push('This is a bug in dash. Run again with --verbose for details, and please report it.');
  }
  process.stderr.write(`${terminalLines(redact(lines.join('\n')))}\n`);
  return code;
}
