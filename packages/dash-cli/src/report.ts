import { errorKind, isDashError, type DashErrorKind } from 'dash-core';
import { terminalLines, type Redactor } from 'dash-core/host';
import { EXIT, type ExitCode } from './exit-codes.js';

/** Each kind of error's exit code (the kinds: dash-core's DASH_ERROR_CODES). */
const EXIT_FOR_KIND: Record<DashErrorKind, ExitCode> = {
  user: EXIT.usage,
  config: EXIT.usage,
  auth: EXIT.auth,
  backend: EXIT.partial,
  interrupted: EXIT.interrupted,
  internal: EXIT.internal,
};

/** The exit code for an error that ended a command: its code's kind, else internal. */
export function exitCodeFor(error: unknown): ExitCode {
  return isDashError(error) ? EXIT_FOR_KIND[errorKind(error.code)] : EXIT.internal;
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
