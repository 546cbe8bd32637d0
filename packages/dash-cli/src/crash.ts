/**
 * The last word on an error nobody caught ('uncaughtException', 'unhandledRejection'). When a
 * backend's code raised it (a throw in its timer, a rejection it never handled), the plugin host
 * takes it as that backend's error status and the command carries on: the rest is printed, the
 * exit code says a backend failed, `watch` keeps running. Anything else is Dash's own bug: one
 * line on stderr (the stack with --verbose) and exit 1, after giving the terminal back.
 *
 * Kept free of dash-core (cli.ts installs it before anything heavy is loaded); the commands that
 * run plugins hand it dash-core's `blameCrash` through `blameWith`.
 */
import { EXIT } from './exit-codes.js';

type Blame = (error: unknown) => string | undefined;

let blame: Blame | undefined;
let redact = (text: string) => text;
const cleanups = new Set<() => void>();

/** How to tell which backend an error came from (dash-core's blameCrash), and the session's secret masking. */
export function blameWith(fn: Blame, mask?: (text: string) => string): void {
  blame = fn;
  if (mask) redact = mask;
}

/** Runs `cleanup` (restore the terminal) before an internal error ends the process; returns the undo. */
export function beforeFatal(cleanup: () => void): () => void {
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

/** Installs the process handlers once; `verbose()` tells whether to print the stack. */
export function handleCrashes(options: { verbose(): boolean }): void {
  const onCrash = (error: unknown) => {
    if (blame?.(error) !== undefined) return;
    for (const cleanup of cleanups) {
      try {
        cleanup();
      } catch {
        // Already exiting on a worse problem.
      }
    }
    const message = error instanceof Error ? error.message : String(error);
    const stack = options.verbose() && error instanceof Error && error.stack ? `\n${error.stack}` : '';
    process.stderr.write(`${redact(`dash-cli: internal error: ${message.split('\n')[0]}${stack}`)}\n`);
    process.exit(EXIT.internal);
  };
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
}
