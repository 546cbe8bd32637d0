import type { Redactor } from './redact.js';
import { terminalLines } from './terminal-text.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/**
 * What backends log through: `--verbose` shows debug lines on stderr; secrets are masked and
 * control characters replaced (a line may quote a backend's text; see terminalText).
 */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  /** A logger whose lines are prefixed with `[name]`. */
  child(name: string): Logger;
}

const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export interface LoggerOptions {
  level?: LogLevel;
  redactor?: Redactor;
  write?: (line: string) => void;
  prefix?: string;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? 'warn';
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const emit = (at: LogLevel, message: string) => {
    if (ORDER[at] < ORDER[level]) return;
    const text = `${options.prefix ? `[${options.prefix}] ` : ''}${message}`;
    write(terminalLines(options.redactor ? options.redactor.redact(text) : text));
  };
  return {
    debug: (message) => emit('debug', message),
    info: (message) => emit('info', message),
    warn: (message) => emit('warn', `warning: ${message}`),
    error: (message) => emit('error', `error: ${message}`),
    child: (name) => createLogger({ ...options, prefix: options.prefix ? `${options.prefix}/${name}` : name }),
  };
}

/** A logger that drops everything. */
export const silentLogger: Logger = createLogger({ write: () => {} });
